"""Expected deadlines in tests: working days of the default (weekends-only) calendar."""

from __future__ import annotations

from datetime import datetime

from shared.domain.workdays import Calendar, add_working_days

WEEKENDS_ONLY = Calendar()
"""The calendar of `DEFAULT_CONFIG` and of test services: weekends off, no holidays."""


def working_days(start: datetime, days: int, calendar: Calendar = WEEKENDS_ONLY) -> datetime:
    """The deadline `days` working days after `start` (the end of that working day)."""
    return add_working_days(start, days, calendar)
