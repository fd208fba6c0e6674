"""The pure parts of the bulk generator: working days, paths, timing, identity numbers."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from approvals.demo.identity import bulk_resident_id, bulk_uscc
from approvals.workflow import CaseStatus
from bench.management.bulk import paths
from bench.management.bulk.calendar import IndexedCalendar
from bench.management.bulk.timeline import office_hours, schedule
from portal.accounts.validators import is_valid_resident_id, is_valid_uscc
from portal.core.workdays import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOLIDAYS = frozenset(date(2025, 10, d) for d in range(1, 9)) | {date(2026, 1, 1)}
MAKEUP = frozenset({date(2025, 9, 28), date(2025, 10, 11)})
CAL = WorkCalendar(HOLIDAYS, MAKEUP, frozenset({2025}))


def test_indexed_calendar_agrees_with_the_work_calendar():
    fast = IndexedCalendar(CAL, date(2025, 6, 1), date(2026, 3, 1))
    rng = random.Random(3)
    for _ in range(2000):
        a = date(2025, 5, 1) + timedelta(days=rng.randrange(330))
        b = a + timedelta(days=rng.randrange(60))
        n = rng.randrange(25)
        assert fast.add(a, n) == CAL.add(a, n), (a, n)
        assert fast.between(a, b) == CAL.between(a, b), (a, b)


def test_indexed_calendar_flags_years_without_an_arrangement():
    fast = IndexedCalendar(CAL, date(2025, 6, 1), date(2026, 3, 1))
    assert not fast.uncertain(date(2025, 7, 1), date(2025, 7, 9))
    assert fast.uncertain(date(2025, 12, 29), date(2026, 1, 5))


@pytest.mark.parametrize("outcome, last", [
    ("complete", CaseStatus.ARCHIVED), ("rejected", CaseStatus.ARCHIVED),
    ("returned", CaseStatus.ARCHIVED), ("denied", CaseStatus.ARCHIVED),
    ("withdrawn", CaseStatus.ARCHIVED),
])
@pytest.mark.parametrize("inspected", [True, False])
@pytest.mark.parametrize("supplement", [True, False])
def test_every_outcome_is_a_path_the_workflow_allows(outcome, last, inspected, supplement):
    steps = paths.steps_for(outcome, inspected=inspected, supplement=supplement)
    statuses = paths.statuses(steps)
    assert statuses[-1] == last
    assert (CaseStatus.INSPECTING in statuses) == (inspected and outcome in ("complete", "denied"))


def test_a_path_the_workflow_forbids_is_refused():
    with pytest.raises(ValueError, match="not allowed"):
        paths.statuses([("submit", "filer"), ("approve", "approver")])


def test_office_hours_moves_nights_and_weekends_to_the_next_working_morning():
    rng = random.Random(1)
    saturday_night = datetime(2026, 11, 21, 22, 0, tzinfo=SHANGHAI)
    moved = office_hours(saturday_night, rng)
    assert moved.weekday() == 0 and 8 <= moved.hour < 10
    tuesday_noon = datetime(2026, 11, 24, 12, 0, tzinfo=SHANGHAI)
    assert office_hours(tuesday_noon, rng) == tuesday_noon


def test_instant_matters_are_decided_within_minutes():
    rng = random.Random(5)
    start = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
    names = ["accept", "start_review", "send_to_decision", "approve"]
    moments = schedule(names, start, rng, instant=True, scale=1.0)
    assert moments == sorted(moments)
    assert moments[-1] - moments[0] < timedelta(minutes=15)


def test_bulk_identity_numbers_are_valid_and_unique_per_serial():
    persons = {bulk_resident_id("140802", n) for n in range(3000)}
    orgs = {bulk_uscc("91", "140821", n) for n in range(3000)}
    assert len(persons) == len(orgs) == 3000
    assert all(map(is_valid_resident_id, persons)) and all(map(is_valid_uscc, orgs))
