"""Working-day arithmetic over a `Calendar` of public holidays and make-up working days.

PURE: standard library only. Where the dates come from (the `chinese-calendar` library, an
override file) is `shared.calendar`'s business; this module only counts.

A day is a working day when it is a make-up working day (调休上班, e.g. a Saturday worked to
bridge a holiday), or when it is Monday to Friday and not a public holiday.

The deadline rule, `add_working_days(start, n, calendar)`:

    the deadline is the END (24:00 local time) of the n-th working day AFTER the local date of
    `start`; the day of `start` itself is never counted.

Why this rule and not "the same local time n working days later":

- It is the rule Chinese law uses for every period (民法典 arts. 201-203; 行政许可法 art. 82
  counts its periods in working days, holidays excluded): the day the period starts is not
  counted, and the period ends at 24:00 of its last day; an organization department applies the
  same reading to "公示期5个工作日" and to review and rectification deadlines.
- It gives everyone n FULL working days whatever the hour the step opened. A notice published at
  17:50 on a Friday still runs five whole working days, which "the same time five working days
  later" would shorten by almost a day.
- A deadline is then a date people can read ("through 10 October"), not an instant in the middle
  of someone's afternoon, and the same for every nomination that opened on the same day.

A holiday inside the period pushes the end out (it is not a working day, so it is not counted);
a make-up working day on a weekend counts like any other working day. Local dates are taken in
the calendar's timezone (default Asia/Shanghai), because holidays are local dates: an instant at
00:30 on a day in Beijing is on that day, although in UTC it is still the evening before.

The deadline is returned as an instant: 00:00 local time of the calendar day after the last
working day (the exclusive end of that day), in the timezone of `start`. A step is due (overdue,
a notice window closed) at any `now >= deadline`. `last_working_day` gives the date to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"
"""Holidays are Chinese local dates."""

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


@dataclass(frozen=True)
class Calendar:
    """Which dates are public holidays and which are make-up working days, in which timezone.

    `holidays`: dates off that would otherwise be working days (dates of a holiday period that
    fall on a weekend may be listed too; they change nothing). `makeup_working_days`: weekend
    dates that are worked. A date cannot be both. `timezone`: IANA name of the local time in
    which the dates are meant. `Calendar()` is weekends-only, in Asia/Shanghai.
    """

    holidays: frozenset[date] = frozenset()
    makeup_working_days: frozenset[date] = frozenset()
    timezone: str = DEFAULT_TIMEZONE

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "makeup_working_days", frozenset(self.makeup_working_days))
        both = sorted(self.holidays & self.makeup_working_days)
        if both:
            listed = ", ".join(day.isoformat() for day in both)
            raise ValueError(f"dates listed both as holiday and as make-up working day: {listed}")
        ZoneInfo(self.timezone)  # an unknown name fails here, not at the first deadline

    @property
    def zone(self) -> ZoneInfo:
        """The local timezone (ZoneInfo caches its instances, so this is cheap)."""
        return ZoneInfo(self.timezone)


def is_working_day(day: date, calendar: Calendar) -> bool:
    """True for a make-up working day, or Monday-Friday that is not a public holiday."""
    if day in calendar.makeup_working_days:
        return True
    return day.weekday() < _SATURDAY and day not in calendar.holidays


def local_date(instant: datetime, calendar: Calendar) -> date:
    """The calendar's local date of a timezone-aware instant."""
    return _aware(instant).astimezone(calendar.zone).date()


def last_working_day(start: datetime, days: int, calendar: Calendar) -> date:
    """The `days`-th working day after the local date of `start` (that date not counted)."""
    _check_days(days)
    day = local_date(start, calendar)
    counted = 0
    while counted < days:
        day += _ONE_DAY
        counted += is_working_day(day, calendar)
    return day


def add_working_days(start: datetime, days: int, calendar: Calendar) -> datetime:
    """The deadline `days` working days after `start`: 24:00 local of `last_working_day`.

    Returned as an aware instant in `start`'s timezone (see the module docstring for the rule).
    Raises `ValueError` for a naive `start` or for `days` that is not a positive integer.
    """
    last = last_working_day(start, days, calendar)
    end = datetime.combine(last + _ONE_DAY, time(0), tzinfo=calendar.zone)
    return end.astimezone(start.tzinfo)


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("working days are counted from a timezone-aware instant")
    return instant


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"a number of working days must be a positive integer, got {days!r}")
