"""The alert policy (pure): thresholds for yellow, red and escalation in working days."""

from __future__ import annotations

from datetime import date

import pytest

from portal.core.workdays import WorkCalendar
from portal.notifications.deadlines.policy import (
    ESCALATION,
    OK,
    RED,
    YELLOW,
    Thresholds,
    alert_levels,
    assess,
)

CAL = WorkCalendar()  # weekends only: enough for the thresholds
T = Thresholds(yellow_days=1, yellow_percent=20, escalate_after=2)
MON = date(2026, 11, 2)


@pytest.mark.parametrize(("limit", "within"), [
    (None, 1), (0, 1), (3, 1), (5, 1), (9, 1), (10, 2), (20, 4), (60, 12)])
def test_yellow_threshold_is_one_working_day_or_twenty_percent_whichever_is_larger(limit,
                                                                                  within):
    assert T.yellow_within(limit) == within


def test_deadline_two_working_days_away_with_a_five_day_limit_is_ok():
    assert assess(CAL, MON, date(2026, 11, 4), 5, T).level == OK


def test_deadline_one_working_day_away_is_yellow():
    found = assess(CAL, MON, date(2026, 11, 3), 5, T)
    assert (found.level, found.remaining) == (YELLOW, 1)


def test_deadline_due_today_is_yellow_with_zero_left():
    found = assess(CAL, MON, MON, 5, T)
    assert (found.level, found.remaining) == (YELLOW, 0)


def test_twenty_day_limit_turns_yellow_four_working_days_before():
    assert assess(CAL, MON, date(2026, 11, 6), 20, T).level == YELLOW   # 4 left
    assert assess(CAL, MON, date(2026, 11, 9), 20, T).level == OK       # 5 left


def test_the_day_after_the_due_date_is_red():
    found = assess(CAL, date(2026, 11, 3), MON, 5, T)
    assert (found.level, found.remaining, found.overdue_by) == (RED, -1, 1)


def test_a_weekend_after_a_friday_deadline_is_red_though_no_working_day_passed():
    found = assess(CAL, date(2026, 11, 7), date(2026, 11, 6), 5, T)
    assert (found.level, found.overdue_by) == (RED, 0)


def test_overdue_by_the_escalation_threshold_escalates():
    assert assess(CAL, date(2026, 11, 4), MON, 5, T).level == ESCALATION
    assert assess(CAL, date(2026, 11, 4), MON, 5, Thresholds(escalate_after=3)).level == RED


def test_a_deadline_first_seen_overdue_gets_red_and_escalation_but_no_yellow():
    assert alert_levels(ESCALATION) == [RED, ESCALATION]
    assert alert_levels(RED) == [RED]
    assert alert_levels(YELLOW) == [YELLOW]
    assert alert_levels(OK) == []
