"""Load the working-day `Calendar` from the `chinese-calendar` library plus an override file.

The library carries the State Council's yearly holiday arrangements (public holidays and the
make-up working days that bridge them). Its pinned version (requirements.txt) covers the years
`library_years()` returns; the arrangement for a year is published only late in the year
before, so the newest year is often missing.

For a requested year outside the library's range the calendar is weekends-only plus the
fixed-date days of the law (全国年节及纪念日放假办法, 2024 revision: New Year's Day 1 Jan,
Labour Day 1-2 May, National Day 1-3 Oct) and a WARNING is logged: the lunar holidays (Spring
Festival, Qingming, Dragon Boat, Mid-Autumn) and every make-up working day are unknown until
the arrangement is published. Add that year to the override file (and list it in its `years`)
to make the warning go away; or upgrade the library pin once it carries the year.

Override file (config `HOLIDAY_CALENDAR_FILE`), JSON, every key optional:

    {"years": [2027],
     "holidays":     {"add": ["2027-01-01", "2027-02-05/2027-02-12"], "remove": []},
     "working_days": {"add": ["2027-02-13"], "remove": []}}

Dates are ISO dates or inclusive ISO intervals `start/end`. `years` lists the years the file
specifies completely (no warning for them). Removals apply first, then additions; a date added
to one set leaves the other (a correction needs one line), and a date added to both is an error.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar

from shared.domain.workdays import DEFAULT_TIMEZONE, Calendar

log = logging.getLogger(__name__)

STATUTORY_FIXED_DAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))
"""(month, day) of the public holidays fixed by law whatever the year's arrangement."""

_SETS = ("holidays", "working_days")
_OPERATIONS = ("add", "remove")


def library_years() -> range:
    """The years for which the installed `chinese-calendar` has the official arrangement."""
    known = chinese_calendar.holidays.keys()
    return range(min(known).year, max(known).year + 1)


def load_calendar(
    override_file: str | Path | None = None,
    years: Iterable[int] | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> Calendar:
    """The calendar of the library's data, the fallback for `years` beyond it, and the overrides.

    `years`: the years deadlines will fall in (default: this year and the next). Those outside
    the library's range get the fixed-date fallback and a logged warning, unless the override
    file declares them. Raises `ValueError` naming the problem for a malformed override file.
    """
    override = _read_override(override_file)
    wanted = set(years) if years is not None else _default_years()
    holidays = {*chinese_calendar.holidays.keys(), *_fallback_holidays(wanted - set(library_years()))}
    working_days = set(chinese_calendar.workdays.keys())
    _warn_uncovered(wanted - set(library_years()) - set(override["years"]))
    _apply(override, holidays, working_days)
    return Calendar(frozenset(holidays), frozenset(working_days), timezone)


def _default_years() -> set[int]:
    this_year = date.today().year
    return {this_year, this_year + 1}


def _fallback_holidays(years: Iterable[int]) -> set[date]:
    return {date(year, month, day) for year in years for month, day in STATUTORY_FIXED_DAYS}


def _warn_uncovered(years: set[int]) -> None:
    if years:
        known = library_years()
        log.warning(
            "no official holiday arrangement for %s (chinese-calendar %s covers %d-%d): counting weekends and "
            "the fixed-date statutory holidays only; add the year to HOLIDAY_CALENDAR_FILE or upgrade the library",
            ", ".join(map(str, sorted(years))),
            getattr(chinese_calendar, "__version__", "?"),
            known.start,
            known.stop - 1,
        )


def _apply(override: Mapping[str, Any], holidays: set[date], working_days: set[date]) -> None:
    holidays.difference_update(override["holidays"]["remove"])
    working_days.difference_update(override["working_days"]["remove"])
    added_holidays, added_working_days = override["holidays"]["add"], override["working_days"]["add"]
    both = sorted(added_holidays & added_working_days)
    if both:
        raise ValueError(f"calendar override adds {both[0].isoformat()} both as holiday and as working day")
    holidays.difference_update(added_working_days)
    working_days.difference_update(added_holidays)
    holidays.update(added_holidays)
    working_days.update(added_working_days)


def _read_override(path: str | Path | None) -> dict[str, Any]:
    empty: dict[str, dict[str, set[date]]] = {name: {op: set() for op in _OPERATIONS} for name in _SETS}
    if not path:
        return {"years": [], **empty}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"calendar override file {path}: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(f"calendar override file {path}: expected a JSON object")
    unknown = sorted(set(data) - {"years", *_SETS})
    if unknown:
        raise ValueError(f"calendar override file {path}: unknown key(s) {', '.join(unknown)}")
    sets = {name: _read_set(path, name, data.get(name, {})) for name in _SETS}
    return {"years": _read_years(path, data.get("years", [])), **sets}


def _read_years(path: str | Path, years: Any) -> list[int]:
    if not isinstance(years, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
        raise ValueError(f"calendar override file {path}: 'years' must be a list of years")
    return years


def _read_set(path: str | Path, name: str, section: Any) -> dict[str, set[date]]:
    if not isinstance(section, dict) or set(section) - set(_OPERATIONS):
        raise ValueError(f"calendar override file {path}: {name!r} must be an object with 'add' and/or 'remove'")
    read = {}
    for operation in _OPERATIONS:
        entries = section.get(operation, [])
        if not isinstance(entries, list):
            raise ValueError(f"calendar override file {path}: {name}.{operation} must be a list")
        read[operation] = {day for entry in entries for day in _dates(path, f"{name}.{operation}", entry)}
    return read


def _dates(path: str | Path, where: str, entry: Any) -> list[date]:
    """The dates of one entry: an ISO date, or an inclusive interval `start/end`."""
    try:
        first, _, last = str(entry).partition("/")
        start = date.fromisoformat(first) if isinstance(entry, str) else None
        end = date.fromisoformat(last) if last else start
    except ValueError:
        start = end = None
    if start is None or end is None or end < start:
        raise ValueError(f"calendar override file {path}: {where} entry {entry!r} is not a date or date/date")
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
