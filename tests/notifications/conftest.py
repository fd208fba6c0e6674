"""Fixtures for notification tests: the SMS test backend, a crew, and cases whose clocks
are set to given dates (the case got to its state through the real services)."""

from __future__ import annotations

from datetime import date

import pytest

from approvals.models import CaseStage
from approvals.workflow import CaseStatus
from portal.core.calendar import get_calendar
from portal.core.workdays import due_date
from portal.notifications.backends import sms
from tests.factories import CaseFactory
from tests.factories.workflow import Crew, drive


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.ONESEAL_SMS_BACKEND = "portal.notifications.backends.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


def set_stage(stage: CaseStage, *, start: date, limit: int) -> CaseStage:
    """Move a stage's clock to ``start`` with ``limit`` working days (due by the calendar)."""
    due = due_date(get_calendar(), start, limit)
    CaseStage.objects.filter(pk=stage.pk).update(start_date=start, limit_days=limit,
                                                 due_date=due)
    stage.refresh_from_db()
    return stage


def case_in_review(crew: Crew, *, start: date, limit: int, promised: date | None = None,
                   **case_kwargs):
    """A case under review whose review stage started on ``start`` (no case promise unless
    ``promised``, so only the stage clock is alerted)."""
    case = drive(CaseFactory(**case_kwargs), crew, CaseStatus.UNDER_REVIEW)
    type(case).objects.filter(pk=case.pk).update(promised_date=promised)
    case.refresh_from_db()
    stage = set_stage(case.stages.get(name="review", ended_at__isnull=True),
                      start=start, limit=limit)
    return case, stage

