"""Working-day deadlines over real holiday periods (the data of the pinned chinese-calendar)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shared.calendar import load_calendar
from shared.domain.workdays import Calendar, add_working_days, is_working_day, last_working_day, local_date

BEIJING = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return load_calendar(years=[2025, 2026])


def beijing(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def end_of(day: date) -> datetime:
    """24:00 Beijing time of `day` (the exclusive end of that day)."""
    return datetime(day.year, day.month, day.day, tzinfo=BEIJING) + timedelta(days=1)


class TestIsWorkingDay:
    @pytest.mark.parametrize("day", [date(2025, 10, d) for d in range(1, 9)])
    def test_national_day_and_mid_autumn_2025_are_off(self, calendar, day):
        assert not is_working_day(day, calendar)

    @pytest.mark.parametrize("day", [date(2025, 9, 28), date(2025, 10, 11)])
    def test_the_weekend_make_up_days_of_2025_are_worked(self, calendar, day):
        assert day.weekday() >= 5
        assert is_working_day(day, calendar)

    def test_spring_festival_2026_runs_from_15_to_23_february(self, calendar):
        off = [date(2026, 2, d) for d in range(15, 24)]
        assert not any(is_working_day(day, calendar) for day in off)
        assert is_working_day(date(2026, 2, 14), calendar)  # Saturday, make-up
        assert is_working_day(date(2026, 2, 28), calendar)  # Saturday, make-up
        assert is_working_day(date(2026, 2, 24), calendar)

    def test_an_ordinary_week_is_monday_to_friday(self):
        week = [date(2025, 3, 10) + timedelta(days=n) for n in range(7)]
        assert [is_working_day(day, Calendar()) for day in week] == [True] * 5 + [False] * 2


class TestAddWorkingDays:
    def test_an_ordinary_week_ends_at_midnight_after_the_fifth_working_day(self):
        # Monday 10 March 2025: Tue..Fri are 1..4, the following Monday the 5th
        assert add_working_days(beijing(2025, 3, 10), 5, Calendar()) == end_of(date(2025, 3, 17))

    def test_the_start_day_is_not_counted_whatever_the_hour(self):
        morning, evening = beijing(2025, 3, 10, 8), beijing(2025, 3, 10, 23, 59)
        assert add_working_days(morning, 1, Calendar()) == add_working_days(evening, 1, Calendar())

    def test_national_day_2025_moves_a_five_day_notice_and_counts_the_make_up_sunday(self, calendar):
        # Fri 26 Sep: Sun 28 (make-up), Mon 29, Tue 30, [1-8 Oct off], Thu 9, Fri 10
        start = beijing(2025, 9, 26, 17, 50)
        assert last_working_day(start, 5, calendar) == date(2025, 10, 10)
        assert add_working_days(start, 5, calendar) == end_of(date(2025, 10, 10))

    def test_a_window_opened_on_the_eve_of_national_day_counts_the_make_up_saturday(self, calendar):
        # Tue 30 Sep: Thu 9, Fri 10, Sat 11 (make-up), Mon 13, Tue 14
        assert last_working_day(beijing(2025, 9, 30), 5, calendar) == date(2025, 10, 14)

    def test_a_ten_day_review_over_the_spring_festival_2026(self, calendar):
        # Thu 12 Feb: Fri 13, Sat 14 (make-up), [15-23 off], 24, 25, 26, 27, Sat 28 (make-up), 2, 3, 4 Mar
        assert last_working_day(beijing(2026, 2, 12), 10, calendar) == date(2026, 3, 4)

    def test_without_the_holidays_the_same_deadline_would_be_early(self, calendar):
        start = beijing(2026, 2, 12)
        assert add_working_days(start, 10, Calendar()) < add_working_days(start, 10, calendar)

    def test_local_dates_are_beijing_dates_not_utc_dates(self, calendar):
        # 16:30 UTC on Fri 13 Feb 2026 is 00:30 on Sat 14 Feb in Beijing, a make-up working day
        start = datetime(2026, 2, 13, 16, 30, tzinfo=UTC)
        assert local_date(start, calendar) == date(2026, 2, 14)
        assert last_working_day(start, 1, calendar) == date(2026, 2, 24)

    def test_the_deadline_keeps_the_timezone_of_the_start(self, calendar):
        start = datetime(2025, 9, 26, 2, 0, tzinfo=UTC)
        deadline = add_working_days(start, 5, calendar)
        assert deadline.tzinfo is UTC
        assert deadline == datetime(2025, 10, 10, 16, 0, tzinfo=UTC)

    @pytest.mark.parametrize("days", [0, -1, 1.5, True, "5"])
    def test_refuses_a_count_that_is_not_a_positive_integer(self, days):
        with pytest.raises(ValueError, match="positive integer"):
            add_working_days(beijing(2025, 3, 10), days, Calendar())

    def test_refuses_a_naive_start(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            add_working_days(datetime(2025, 3, 10, 9), 1, Calendar())


class TestCalendar:
    def test_refuses_a_date_that_is_both_holiday_and_working_day(self):
        day = date(2025, 10, 11)
        with pytest.raises(ValueError, match="2025-10-11"):
            Calendar(holidays=frozenset({day}), makeup_working_days=frozenset({day}))

    def test_refuses_an_unknown_timezone(self):
        with pytest.raises(Exception, match="Nowhere"):
            Calendar(timezone="Asia/Nowhere")

    def test_is_a_hashable_value(self):
        assert Calendar() == Calendar()
        assert hash(Calendar(holidays=frozenset({date(2025, 1, 1)}))) == hash(
            Calendar(holidays=frozenset({date(2025, 1, 1)}))
        )
