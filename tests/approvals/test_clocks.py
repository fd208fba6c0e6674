"""Stage clocks in working days: promise from acceptance, pauses for supplements, and
years without an entered holiday arrangement flagged rather than guessed."""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from approvals.models import Case, CaseStage
from approvals.services import case_transition
from portal.core.calendar import calendar_invalidate
from portal.core.models import CalendarDay, CalendarYear
from tests.factories import CaseFactory, MatterFactory
from tests.factories.workflow import Crew

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def national_day_2026():
    CalendarYear.objects.get_or_create(year=2026)
    for d in range(1, 8):
        CalendarDay.objects.update_or_create(date=date(2026, 10, d),
                                             defaults={"kind": "holiday", "name": "国庆节"})
    CalendarDay.objects.update_or_create(date=date(2026, 10, 10),
                                         defaults={"kind": "workday", "name": "国庆节调休"})
    calendar_invalidate()


def at(y, m, d, h=10):
    return mock.patch("django.utils.timezone.now",
                      return_value=datetime(y, m, d, h, tzinfo=TZ))


def test_promise_counts_working_days_across_national_day(national_day_2026):
    crew = Crew.make()
    case = CaseFactory(matter=MatterFactory(promised_days=5))
    with at(2026, 9, 29):
        case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    with at(2026, 9, 30):
        case = case_transition(case_id=case.pk, name="accept", by=crew.users["clerk"])
    # Oct 8, 9, 10 (make-up Saturday), 12, 13
    assert Case.objects.get(pk=case.pk).promised_date == date(2026, 10, 13)
    review = CaseStage.objects.get(case=case, name="review")
    assert review.start_date == date(2026, 9, 30)
    assert review.due_date == date(2026, 10, 10)  # 3 working days: 8, 9, 10
    assert not review.calendar_uncertain


def test_supplement_pauses_the_acceptance_clock(national_day_2026):
    crew = Crew.make()
    case = CaseFactory(matter=MatterFactory(stage_limits={"acceptance": 1}))
    with at(2026, 11, 2):  # Monday
        case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
        case_transition(case_id=case.pk, name="request_supplement", by=crew.users["clerk"],
                        note="缺少营业执照复印件",
                        data={"items": [{"material_name": "营业执照", "reason": "缺少复印件"}]})
    stage = CaseStage.objects.get(case=case, name="acceptance")
    assert stage.due_date == date(2026, 11, 3)
    assert stage.pauses.get().ended_at is None
    with at(2026, 11, 5):  # Thursday: 3 working days owed by the applicant
        case_transition(case_id=case.pk, name="resubmit", by=case.applicant.user)
    stage.refresh_from_db()
    assert stage.paused_days == 3
    assert stage.due_date == date(2026, 11, 6)
    assert stage.pauses.get().ended_at is not None


def test_withdrawal_stops_every_clock(national_day_2026):
    crew = Crew.make()
    case = CaseFactory()
    case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    case_transition(case_id=case.pk, name="request_supplement", by=crew.users["clerk"],
                        note="缺少营业执照复印件",
                        data={"items": [{"material_name": "营业执照", "reason": "缺少复印件"}]})
    case_transition(case_id=case.pk, name="withdraw", by=case.applicant.user)
    assert not CaseStage.objects.filter(case=case, ended_at__isnull=True).exists()


def test_deadline_in_an_unentered_year_is_flagged_and_logged(national_day_2026, caplog):
    crew = Crew.make()
    CalendarYear.objects.filter(year=2027).delete()
    calendar_invalidate()
    case = CaseFactory(matter=MatterFactory(promised_days=10))
    with at(2026, 12, 28):
        case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
        case_transition(case_id=case.pk, name="accept", by=crew.users["clerk"])
    review = CaseStage.objects.get(case=case, name="review")
    assert review.due_date == date(2026, 12, 31)
    assert not review.calendar_uncertain
    assert Case.objects.get(pk=case.pk).promised_date == date(2027, 1, 11)
    assert "2027" in caplog.text and "weekends only" in caplog.text
