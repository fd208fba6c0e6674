"""WorkCalendar arithmetic, pure (no database): weekends, the 2026 Spring Festival and
National Day with their make-up days, the add/between inverse property, and deadlines
with pauses. The calendar is built from the chinesecalendar package directly."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar as cc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core.services import package_exceptions
from portal.core.workdays import (
    WorkCalendar,
    due_date,
    paused_workdays,
    remaining_workdays,
)

COVERED = frozenset(range(2020, 2027))


def _package_calendar() -> WorkCalendar:
    rows = [r for r in package_exceptions() if r[0].year >= 2020]
    return WorkCalendar(
        holidays=frozenset(d for d, kind, _ in rows if kind == "holiday"),
        workdays=frozenset(d for d, kind, _ in rows if kind == "workday"),
        covered_years=COVERED,
    )


CAL = _package_calendar()
PLAIN = WorkCalendar()
dates = st.dates(min_value=date(2019, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=400)


# --- weekends only -------------------------------------------------------------------

def test_plain_calendar_counts_monday_to_friday_only():
    monday = date(2024, 3, 4)
    assert [PLAIN.is_workday(monday + timedelta(days=i)) for i in range(7)] == \
        [True] * 5 + [False] * 2


def test_add_from_friday_skips_the_weekend():
    assert PLAIN.add(date(2024, 3, 8), 1) == date(2024, 3, 11)


def test_add_from_saturday_lands_on_monday():
    assert PLAIN.add(date(2024, 3, 9), 1) == date(2024, 3, 11)


def test_add_zero_returns_the_start_even_on_a_weekend():
    assert PLAIN.add(date(2024, 3, 9), 0) == date(2024, 3, 9)


def test_add_refuses_a_negative_count():
    with pytest.raises(ValueError):
        PLAIN.add(date(2024, 3, 9), -1)


def test_between_a_week_is_five():
    assert PLAIN.between(date(2024, 3, 4), date(2024, 3, 11)) == 5


def test_between_excludes_the_start_and_includes_the_end():
    assert PLAIN.between(date(2024, 3, 4), date(2024, 3, 5)) == 1
    assert PLAIN.between(date(2024, 3, 4), date(2024, 3, 4)) == 0


# --- 2026 Spring Festival: off Feb 15-23, make-up Sat Feb 14 and Sat Feb 28 -----------

@pytest.mark.parametrize("day", [date(2026, 2, d) for d in range(15, 24)])
def test_spring_festival_2026_days_are_off(day):
    assert not CAL.is_workday(day)


@pytest.mark.parametrize("day", [date(2026, 2, 14), date(2026, 2, 28)])
def test_spring_festival_2026_make_up_saturdays_are_working_days(day):
    assert day.weekday() == 5
    assert CAL.is_workday(day)


def test_spring_festival_2026_add_runs_through_the_make_up_day():
    assert CAL.add(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert CAL.add(date(2026, 2, 14), 1) == date(2026, 2, 24)


def test_spring_festival_2026_between_counts_both_make_up_days():
    # Feb 14 (Sat), Feb 24-27, Feb 28 (Sat)
    assert CAL.between(date(2026, 2, 13), date(2026, 2, 28)) == 6


# --- 2026 National Day: off Oct 1-7, make-up Sun Sep 20 and Sat Oct 10 ----------------

@pytest.mark.parametrize("day", [date(2026, 10, d) for d in range(1, 8)])
def test_national_day_2026_days_are_off(day):
    assert not CAL.is_workday(day)


def test_national_day_2026_add_one_skips_the_holiday():
    assert CAL.add(date(2026, 9, 30), 1) == date(2026, 10, 8)


def test_national_day_2026_make_up_saturday_counts():
    assert CAL.add(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert CAL.between(date(2026, 9, 30), date(2026, 10, 12)) == 4


def test_national_day_2026_make_up_sunday_counts():
    assert CAL.is_workday(date(2026, 9, 20))
    assert CAL.add(date(2026, 9, 18), 1) == date(2026, 9, 20)


def test_calendar_agrees_with_chinesecalendar_every_day_2020_to_2026():
    day = date(2020, 1, 1)
    while day.year < 2027:
        assert CAL.is_workday(day) == cc.is_workday(day), day
        day += timedelta(days=1)


# --- properties ------------------------------------------------------------------------

@settings(deadline=None, max_examples=300)
@given(d=dates, n=counts)
def test_between_inverts_add(d, n):
    assert CAL.between(d, CAL.add(d, n)) == n


@settings(deadline=None)
@given(d=dates)
def test_add_zero_is_identity(d):
    assert CAL.add(d, 0) == d


@settings(deadline=None, max_examples=300)
@given(a=dates, b=dates)
def test_between_is_antisymmetric(a, b):
    assert CAL.between(a, b) == -CAL.between(b, a)


@settings(deadline=None)
@given(d=dates, n=st.integers(min_value=1, max_value=400))
def test_add_lands_on_a_working_day_after_the_start(d, n):
    result = CAL.add(d, n)
    assert result > d and CAL.is_workday(result)


@settings(deadline=None)
@given(d=dates, m=counts, n=counts)
def test_add_composes(d, m, n):
    assert CAL.add(CAL.add(d, m), n) == CAL.add(d, m + n)


# --- uncovered years -------------------------------------------------------------------

def test_uncovered_years_lists_years_without_an_arrangement():
    assert CAL.uncovered_years(date(2026, 12, 1), date(2028, 1, 5)) == [2027, 2028]


def test_uncovered_years_is_empty_inside_covered_years():
    assert CAL.uncovered_years(date(2025, 12, 1), date(2026, 1, 5)) == []


def test_uncovered_years_accepts_a_reversed_span():
    assert CAL.uncovered_years(date(2027, 1, 5), date(2026, 12, 1)) == [2027]


def test_uncovered_year_falls_back_to_weekends_only():
    # 2027-01-01 is a Friday: with no arrangement entered it counts as a working day
    assert CAL.add(date(2026, 12, 31), 1) == date(2027, 1, 1)


# --- deadlines with pauses ---------------------------------------------------------------

def test_due_date_without_pauses_is_add():
    assert due_date(CAL, date(2026, 9, 28), 5) == CAL.add(date(2026, 9, 28), 5)


def test_due_date_over_national_day_2026():
    # Sep 29, 30, Oct 8, 9, 10 (Sat, make-up)
    assert due_date(CAL, date(2026, 9, 28), 5) == date(2026, 10, 10)


def test_due_date_pushed_back_by_paused_working_days():
    pauses = [(date(2026, 3, 2), date(2026, 3, 5))]  # Tue-Thu lost: 3 working days
    assert paused_workdays(CAL, pauses) == 3
    assert due_date(CAL, date(2026, 3, 2), 5, pauses) == CAL.add(date(2026, 3, 2), 8)


def test_pause_over_a_holiday_costs_no_working_days():
    pauses = [(date(2026, 9, 30), date(2026, 10, 7))]
    assert paused_workdays(CAL, pauses) == 0
    assert due_date(CAL, date(2026, 9, 28), 5, pauses) == date(2026, 10, 10)


def test_several_pauses_add_up_and_empty_pauses_are_ignored():
    pauses = [(date(2026, 3, 2), date(2026, 3, 3)), (date(2026, 3, 9), date(2026, 3, 11)),
              (date(2026, 3, 12), date(2026, 3, 12)), (date(2026, 3, 14), date(2026, 3, 13))]
    assert paused_workdays(CAL, pauses) == 3


def test_remaining_workdays_zero_on_due_date_and_negative_when_overdue():
    due = date(2026, 10, 10)
    assert remaining_workdays(CAL, date(2026, 9, 30), due) == 3
    assert remaining_workdays(CAL, due, due) == 0
    assert remaining_workdays(CAL, date(2026, 10, 12), due) == -1
