"""Loading the calendar: the library's data, its range, and the override file."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest

from shared.calendar import library_years, load_calendar
from shared.domain.workdays import is_working_day

LAST_KNOWN = library_years().stop - 1
BEYOND = LAST_KNOWN + 1


@pytest.fixture
def override_factory(tmp_path):
    def write(data) -> str:
        path = tmp_path / "holidays.json"
        path.write_text(json.dumps(data) if not isinstance(data, str) else data)
        return str(path)

    return write


class TestLibraryData:
    def test_the_pinned_library_covers_2025_and_2026(self):
        assert 2025 in library_years() and 2026 in library_years()

    def test_loads_holidays_and_make_up_days_of_the_library(self):
        calendar = load_calendar(years=[2025])
        assert date(2025, 10, 8) in calendar.holidays
        assert date(2025, 9, 28) in calendar.makeup_working_days
        assert calendar.timezone == "Asia/Shanghai"


class TestBeyondTheLibrary:
    def test_warns_for_a_year_the_library_does_not_cover(self, caplog):
        with caplog.at_level(logging.WARNING, logger="shared.calendar"):
            load_calendar(years=[LAST_KNOWN, BEYOND])
        assert f"no official holiday arrangement for {BEYOND}" in caplog.text

    def test_does_not_warn_inside_the_range(self, caplog):
        with caplog.at_level(logging.WARNING, logger="shared.calendar"):
            load_calendar(years=[LAST_KNOWN])
        assert caplog.text == ""

    def test_counts_weekends_and_the_fixed_statutory_days_beyond_the_range(self):
        calendar = load_calendar(years=[BEYOND])
        for month, day in ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)):
            assert not is_working_day(date(BEYOND, month, day), calendar)
        ordinary = date(BEYOND, 3, 10)
        assert is_working_day(ordinary, calendar) == (ordinary.weekday() < 5)

    def test_a_year_declared_by_the_override_file_is_not_warned_about(self, caplog, override_factory):
        path = override_factory({"years": [BEYOND], "holidays": {"add": [f"{BEYOND}-02-08/{BEYOND}-02-12"]}})
        with caplog.at_level(logging.WARNING, logger="shared.calendar"):
            calendar = load_calendar(path, years=[BEYOND])
        assert caplog.text == ""
        assert {date(BEYOND, 2, d) for d in range(8, 13)} <= calendar.holidays


class TestOverrideFile:
    def test_adds_and_removes_dates(self, override_factory):
        path = override_factory(
            {
                "holidays": {"add": ["2025-03-10"], "remove": ["2025-10-08"]},
                "working_days": {"add": ["2025-03-15"], "remove": ["2025-10-11"]},
            }
        )
        calendar = load_calendar(path, years=[2025])
        assert not is_working_day(date(2025, 3, 10), calendar)
        assert is_working_day(date(2025, 10, 8), calendar)
        assert is_working_day(date(2025, 3, 15), calendar)
        assert not is_working_day(date(2025, 10, 11), calendar)

    def test_a_date_added_to_one_set_leaves_the_other(self, override_factory):
        calendar = load_calendar(override_factory({"holidays": {"add": ["2025-10-11"]}}), years=[2025])
        assert date(2025, 10, 11) in calendar.holidays
        assert date(2025, 10, 11) not in calendar.makeup_working_days

    def test_refuses_a_date_added_to_both_sets(self, override_factory):
        path = override_factory({"holidays": {"add": ["2025-03-10"]}, "working_days": {"add": ["2025-03-10"]}})
        with pytest.raises(ValueError, match="both"):
            load_calendar(path, years=[2025])

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("{not json", "holidays.json"),
            ("[]", "JSON object"),
            ({"holiday": {}}, "unknown key"),
            ({"years": "2027"}, "'years'"),
            ({"holidays": ["2025-01-01"]}, "'add' and/or 'remove'"),
            ({"holidays": {"add": "2025-01-01"}}, "must be a list"),
            ({"holidays": {"add": ["2025-13-01"]}}, "not a date"),
            ({"holidays": {"add": ["2025-10-08/2025-10-01"]}}, "not a date"),
            ({"working_days": {"remove": [20250101]}}, "not a date"),
        ],
    )
    def test_refuses_a_malformed_file_naming_the_problem(self, override_factory, content, message):
        with pytest.raises(ValueError, match=message):
            load_calendar(override_factory(content), years=[2025])

    def test_refuses_a_missing_file(self, tmp_path):
        with pytest.raises(ValueError, match="missing.json"):
            load_calendar(tmp_path / "missing.json", years=[2025])
