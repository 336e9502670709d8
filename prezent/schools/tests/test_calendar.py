"""School-day arithmetic on the real Iași 2025–2026 calendar: pure functions, no database."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from prezent.schools.calendar import Calendar, count_weekdays, month_starts, week_days
from prezent.schools.defaults import IASI_CALENDARS

D = datetime.date
YEAR = IASI_CALENDARS[0]
IASI_2025_2026 = Calendar(modules=YEAR["modules"], days_off=frozenset(day for day, _ in YEAR["days_off"]))

around_the_year = st.dates(min_value=D(2025, 8, 1), max_value=D(2026, 7, 31))


def test_an_ordinary_monday_in_a_module_is_a_school_day():
    assert IASI_2025_2026.is_school_day(D(2025, 9, 8))
    assert IASI_2025_2026.module_number(D(2025, 9, 8)) == 1


def test_national_day_is_not_a_school_day():
    assert not IASI_2025_2026.is_school_day(D(2025, 12, 1))
    assert IASI_2025_2026.module_number(D(2025, 12, 1)) == 2


def test_weekend_is_not_a_school_day():
    assert not IASI_2025_2026.is_school_day(D(2025, 9, 13))
    assert not IASI_2025_2026.is_school_day(D(2025, 9, 14))


def test_iasi_february_holiday_week_has_no_school_days():
    assert IASI_2025_2026.count_school_days(D(2026, 2, 16), D(2026, 2, 22)) == 0
    assert IASI_2025_2026.module_number(D(2026, 2, 18)) is None
    assert IASI_2025_2026.is_school_day(D(2026, 2, 13))
    assert IASI_2025_2026.is_school_day(D(2026, 2, 23))


def test_holidays_between_modules_are_not_school_days():
    assert IASI_2025_2026.count_school_days(D(2025, 10, 25), D(2025, 11, 2)) == 0
    assert IASI_2025_2026.count_school_days(D(2025, 12, 20), D(2026, 1, 7)) == 0
    assert IASI_2025_2026.count_school_days(D(2026, 4, 4), D(2026, 4, 14)) == 0


def test_the_whole_iasi_year_has_172_school_days():
    # 35 + (35 - 1 December) + 27 + 30 + (48 - 1 May - 1 June), counted by hand from the modules.
    assert IASI_2025_2026.count_school_days(YEAR["start"], YEAR["end"]) == 172


def test_week_of_national_day_has_four_school_days():
    assert IASI_2025_2026.count_school_days(D(2025, 12, 1), D(2025, 12, 7)) == 4


def test_end_before_start_counts_nothing():
    assert IASI_2025_2026.count_school_days(D(2025, 10, 10), D(2025, 10, 1)) == 0
    assert count_weekdays(D(2025, 10, 10), D(2025, 10, 1)) == 0


def test_count_weekdays_of_known_spans():
    assert count_weekdays(D(2025, 9, 8), D(2025, 9, 14)) == 5
    assert count_weekdays(D(2025, 9, 13), D(2025, 9, 14)) == 0
    assert count_weekdays(D(2025, 9, 12), D(2025, 9, 15)) == 2
    assert count_weekdays(D(2025, 9, 1), D(2025, 9, 30)) == 22


def test_last_school_days_skip_the_day_off_and_the_weekend():
    assert IASI_2025_2026.last_school_days(D(2025, 12, 2), 3) == [D(2025, 11, 27), D(2025, 11, 28), D(2025, 12, 2)]


def test_week_days_and_month_starts():
    assert week_days(D(2025, 12, 3)) == [D(2025, 12, day) for day in range(1, 6)]
    assert month_starts([D(2025, 12, 3), D(2025, 11, 30), D(2025, 12, 24)]) == [D(2025, 11, 1), D(2025, 12, 1)]


@given(a=around_the_year, b=around_the_year, c=around_the_year)
def test_counting_school_days_is_additive_over_adjacent_spans(a, b, c):
    a, b, c = sorted((a, b, c))
    one_day = datetime.timedelta(days=1)
    assert IASI_2025_2026.count_school_days(a, c) == (
        IASI_2025_2026.count_school_days(a, b) + IASI_2025_2026.count_school_days(b + one_day, c)
    )


@given(a=around_the_year, b=around_the_year)
def test_count_school_days_equals_the_days_listed(a, b):
    assert IASI_2025_2026.count_school_days(a, b) == len(list(IASI_2025_2026.school_days(a, b)))


@given(a=around_the_year, b=around_the_year)
def test_count_weekdays_matches_counting_day_by_day(a, b):
    days = (b - a).days + 1
    expected = sum(1 for i in range(max(days, 0)) if (a + datetime.timedelta(days=i)).weekday() < 5)
    assert count_weekdays(a, b) == expected
