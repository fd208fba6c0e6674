"""Sending a case to inspection records the mode the matter allows and the service tier,
with the promised time of that tier (seed 001: 1 hour, 1 or 3 working days, at once)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from approvals.services import case_transition
from approvals.workflow import CaseStatus
from inspections.tiers import promised_by
from portal.core.errors import ApplicationError
from portal.core.workdays import WorkCalendar
from tests.factories import CaseFactory, MatterFactory
from tests.factories.workflow import Crew, drive

TZ = ZoneInfo("Asia/Shanghai")


def test_tier_promises_follow_the_working_day_calendar():
    cal = WorkCalendar(holidays=frozenset({date(2026, 10, d) for d in range(1, 8)}))
    friday = datetime(2026, 9, 30, 15, 0, tzinfo=TZ)
    assert promised_by("simple", friday, cal) == datetime(2026, 9, 30, 16, 0, tzinfo=TZ)
    assert promised_by("second", friday, cal) == friday
    assert promised_by("general", friday, cal).date() == date(2026, 10, 8)
    assert promised_by("complex", friday, cal).date() == date(2026, 10, 12)


@pytest.mark.django_db
def test_mode_must_be_one_the_matter_allows():
    crew = Crew.make()
    matter = MatterFactory(needs_inspection=True, inspection_onsite=True)
    case = drive(CaseFactory(matter=matter), crew, CaseStatus.UNDER_REVIEW)
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=case.pk, name="request_inspection", by=crew.users["reviewer"],
                        data={"mode": "video", "tier": "general"})
    assert refused.value.code == "invalid_inspection_mode"
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=case.pk, name="request_inspection", by=crew.users["reviewer"],
                        data={"mode": "onsite", "tier": "fastest"})
    assert refused.value.code == "invalid_inspection_tier"
