"""The deadline sweep: working days across the 2026 National Day holiday (seeded by the
calendar migration), yellow/red/escalation recipients, paused clocks, idempotency, the
source registry, and ``deadline_status`` for the case page."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from approvals.models import CaseStage, Deficiency, StagePause
from portal.core.calendar import get_calendar
from portal.notifications.deadlines.registry import (
    Deadline,
    deadline_source_register,
    deadline_source_unregister,
)
from portal.notifications.deadlines.sweep import deadline_status, deadline_sweep
from portal.notifications.models import DeadlineAlert, Notification, OutboxMessage
from tests.factories import MaterialFactory, MatterFactory, staff
from tests.notifications.conftest import case_in_review

pytestmark = pytest.mark.django_db


def alerts(**filters) -> list[tuple]:
    return list(DeadlineAlert.objects.filter(**filters).order_by("id")
                .values_list("level", "due_date"))


def told(user, event: str) -> int:
    return Notification.objects.filter(recipient=user, event=event).count()


# --- across the 2026 National Day holiday (10-01..10-07 off, 10-10 a make-up day) --------

def test_migration_calendar_has_the_2026_national_day_holiday():
    cal = get_calendar()
    assert not cal.is_workday(date(2026, 10, 5)) and cal.is_workday(date(2026, 10, 10))


def test_review_started_before_national_day_is_due_after_it(crew):
    _case, stage = case_in_review(crew, start=date(2026, 9, 29), limit=3)
    assert stage.due_date == date(2026, 10, 9)  # 9-30, 10-08, 10-09


@pytest.mark.parametrize("today", [date(2026, 9, 30), date(2026, 10, 2), date(2026, 10, 5),
                                   date(2026, 10, 7)])
def test_no_alert_before_or_during_the_holiday(crew, today):
    case_in_review(crew, start=date(2026, 9, 29), limit=3)
    deadline_sweep(today=today)
    assert alerts() == []


def test_sweep_walks_the_holiday_yellow_then_red_then_escalation(crew):
    case, stage = case_in_review(crew, start=date(2026, 9, 29), limit=3)
    due = stage.due_date
    reviewer = crew.users["reviewer"]

    deadline_sweep(today=date(2026, 10, 8))  # first working day after: 1 left
    assert alerts() == [("yellow", due)]
    assert told(reviewer, "deadline_warning") == 1
    deadline_sweep(today=date(2026, 10, 9))  # due today: still yellow, already raised
    assert alerts() == [("yellow", due)]
    deadline_sweep(today=date(2026, 10, 10))  # Saturday make-up working day: overdue by 1
    assert alerts() == [("yellow", due), ("red", due)]
    assert told(reviewer, "deadline_overdue") == 1
    deadline_sweep(today=date(2026, 10, 11))  # Sunday: still overdue by 1 working day
    assert len(alerts()) == 2
    deadline_sweep(today=date(2026, 10, 12))  # overdue by 2 working days: escalate
    assert alerts() == [("yellow", due), ("red", due), ("escalation", due)]
    assert told(crew.users["supervisor"], "deadline_escalated") == 1
    assert DeadlineAlert.objects.get(level="escalation").case_id == case.pk


def test_calendar_days_alone_would_have_been_overdue_during_the_holiday(crew):
    """Started 9-30 with 1 working day: calendar-day counting says due 10-01; the
    working-day calendar says 10-08: on 10-06 one working day is left (yellow, not red)."""
    _case, stage = case_in_review(crew, start=date(2026, 9, 30), limit=1)
    assert stage.due_date == date(2026, 10, 8)
    deadline_sweep(today=date(2026, 10, 6))
    assert alerts() == [("yellow", date(2026, 10, 8))]


# --- thresholds and recipients -------------------------------------------------------------

def test_twenty_percent_of_a_long_limit_warns_earlier(crew):
    _case, stage = case_in_review(crew, start=date(2026, 11, 2), limit=10)  # due 11-16
    deadline_sweep(today=date(2026, 11, 11))  # 3 left > max(1, 2)
    assert alerts() == []
    deadline_sweep(today=date(2026, 11, 12))  # 2 left
    assert alerts() == [("yellow", stage.due_date)]


def test_thresholds_come_from_settings(crew, settings):
    settings.ONESEAL_DEADLINE_YELLOW_DAYS = 3
    settings.ONESEAL_DEADLINE_ESCALATE_AFTER_DAYS = 1
    _case, stage = case_in_review(crew, start=date(2026, 11, 2), limit=5)  # due 11-09
    deadline_sweep(today=date(2026, 11, 4))  # 3 left
    assert alerts() == [("yellow", stage.due_date)]
    deadline_sweep(today=date(2026, 11, 10))  # overdue by 1
    assert [level for level, _ in alerts()] == ["yellow", "red", "escalation"]


def test_escalation_goes_to_supervisors_and_the_matters_section_head_only(crew):
    matter = MatterFactory()
    head = staff("approver", section=matter.section)
    other_head = staff("approver", section=MatterFactory().section)
    _case, _stage = case_in_review(crew, start=date(2026, 11, 2), limit=1, matter=matter)
    deadline_sweep(today=date(2026, 11, 10))
    escalated = set(Notification.objects.filter(event="deadline_escalated")
                    .values_list("recipient__username", flat=True))
    assert escalated == {crew.users["supervisor"].username, head.username,
                         crew.users["approver"].username}  # bureau-wide approver (no section)
    assert told(other_head, "deadline_escalated") == 0
    assert told(crew.users["reviewer"], "deadline_escalated") == 0
    assert told(crew.users["reviewer"], "deadline_overdue") == 1


def test_stage_nobody_has_taken_alerts_the_role_in_the_section(crew):
    """Acceptance: no clerk has acted yet, so every clerk (bureau-wide) is told."""
    from approvals.workflow import CaseStatus
    from tests.factories import CaseFactory
    from tests.factories.workflow import drive
    from tests.notifications.conftest import set_stage

    case = drive(CaseFactory(), crew, CaseStatus.SUBMITTED)
    other_clerk = staff("clerk")
    set_stage(case.stages.get(name="acceptance"), start=date(2026, 11, 2), limit=1)
    deadline_sweep(today=date(2026, 11, 4))
    for clerk in (crew.users["clerk"], other_clerk):
        assert told(clerk, "deadline_overdue") == 1
    assert told(crew.users["reviewer"], "deadline_overdue") == 0


def test_alert_messages_are_in_chinese_and_reach_the_outbox(crew):
    reviewer = crew.users["reviewer"]
    reviewer.email = "reviewer@example.gov.cn"
    reviewer.save()
    case, _stage = case_in_review(crew, start=date(2026, 11, 2), limit=1)
    deadline_sweep(today=date(2026, 11, 4))
    note = Notification.objects.get(recipient=reviewer, event="deadline_overdue")
    assert note.title.startswith("【超期】") and case.number in note.title
    assert "审查环节" in note.body and "2026年11月3日" in note.body
    assert note.link == f"/cases/{case.pk}/"
    mail = OutboxMessage.objects.get(recipient=reviewer, channel="email")
    assert mail.subject == note.title and f"/cases/{case.pk}/" in mail.body
    assert not OutboxMessage.objects.filter(recipient=reviewer, channel="sms").exists()


# --- pauses --------------------------------------------------------------------------------

def test_a_stage_paused_now_is_not_alerted(crew):
    _case, stage = case_in_review(crew, start=date(2026, 11, 2), limit=1)
    StagePause.objects.create(stage=stage, reason="rectification", started_at=timezone.now())
    deadline_sweep(today=date(2026, 11, 20))
    assert alerts() == []


def test_after_the_pause_ends_the_pushed_back_due_date_is_used(crew):
    _case, stage = case_in_review(crew, start=date(2026, 11, 2), limit=3)  # due 11-05
    StagePause.objects.create(stage=stage, reason="rectification", started_at=timezone.now(),
                              ended_at=timezone.now())
    # the clocks service adds the paused working days to due_date when the pause ends
    CaseStage.objects.filter(pk=stage.pk).update(paused_days=2, due_date=date(2026, 11, 9))
    deadline_sweep(today=date(2026, 11, 6))
    assert alerts() == [("yellow", date(2026, 11, 9))]


def test_a_moved_deadline_is_alerted_again_for_its_new_date(crew):
    _case, stage = case_in_review(crew, start=date(2026, 11, 2), limit=3)
    deadline_sweep(today=date(2026, 11, 5))
    CaseStage.objects.filter(pk=stage.pk).update(due_date=date(2026, 11, 10))
    deadline_sweep(today=date(2026, 11, 10))
    assert alerts() == [("yellow", date(2026, 11, 5)), ("yellow", date(2026, 11, 10))]


def test_ended_stages_and_closed_cases_are_not_alerted(crew):
    _case, stage = case_in_review(crew, start=date(2026, 11, 2), limit=1)
    CaseStage.objects.filter(pk=stage.pk).update(ended_at=timezone.now())
    deadline_sweep(today=date(2026, 11, 20))
    assert alerts() == []


# --- idempotency ---------------------------------------------------------------------------

def test_sweeping_twice_notifies_once(crew, mailoutbox):
    crew.users["reviewer"].email = "r@example.gov.cn"
    crew.users["reviewer"].save()
    case_in_review(crew, start=date(2026, 11, 2), limit=1)
    first = deadline_sweep(today=date(2026, 11, 10))
    second = deadline_sweep(today=date(2026, 11, 10))
    assert first.alerts == 2 and first.notifications > 0
    assert (second.alerts, second.notifications) == (0, 0)
    assert told(crew.users["reviewer"], "deadline_overdue") == 1
    assert OutboxMessage.objects.filter(recipient=crew.users["reviewer"]).count() == 1


def test_an_alert_raised_meanwhile_by_another_sweep_is_skipped(crew, monkeypatch):
    """The pre-check missed it (another sweep committed in between): the unique
    constraint refuses the second insert and nobody is notified twice."""
    from portal.notifications.deadlines import sweep

    _case, stage = case_in_review(crew, start=date(2026, 11, 2), limit=1)
    deadline_sweep(today=date(2026, 11, 4))
    monkeypatch.setattr(sweep, "_raised", lambda source, deadlines: set())
    result = deadline_sweep(today=date(2026, 11, 4))
    assert result.alerts == 0
    assert told(crew.users["reviewer"], "deadline_overdue") == 1


# --- case promise and 容缺 ------------------------------------------------------------------

def test_case_promise_is_alerted_to_the_staff_of_the_open_stage(crew):
    case, stage = case_in_review(crew, start=date(2026, 11, 16), limit=3,
                                 promised=date(2026, 11, 6))
    deadline_sweep(today=date(2026, 11, 9))
    assert alerts(source="approvals.case.promise") == [("red", date(2026, 11, 6))]
    assert alerts(source="approvals.casestage") == []
    assert told(crew.users["reviewer"], "deadline_overdue") == 1


def test_deficiency_promise_warns_the_applicant_and_red_tells_the_clerk(crew):
    matter = MatterFactory()
    requirement = MaterialFactory(matter=matter, tolerable=True, required=False)
    case, _stage = case_in_review(crew, start=date(2026, 11, 16), limit=5, matter=matter)
    deficiency = Deficiency.objects.create(case=case, requirement=requirement,
                                           promise_date=date(2026, 11, 10),
                                           created_by=crew.users["clerk"])
    applicant = case.applicant.user
    deadline_sweep(today=date(2026, 11, 9))
    assert alerts(source="approvals.deficiency") == [("yellow", date(2026, 11, 10))]
    assert told(applicant, "deadline_warning") == 1
    assert told(crew.users["clerk"], "deadline_warning") == 0
    deadline_sweep(today=date(2026, 11, 11))
    assert told(applicant, "deadline_overdue") == 1
    assert told(crew.users["clerk"], "deadline_overdue") == 1
    body = Notification.objects.get(recipient=applicant, event="deadline_overdue").body
    assert requirement.name in body and "请尽快办理" in body
    sms = OutboxMessage.objects.get(recipient=applicant, channel="sms", event="deadline_overdue")
    assert sms.address == applicant.phone and sms.body.startswith("【")
    Deficiency.objects.filter(pk=deficiency.pk).update(fulfilled_at=timezone.now())
    deadline_sweep(today=date(2026, 11, 20))
    assert alerts(source="approvals.deficiency", level="escalation") == []


# --- the registry --------------------------------------------------------------------------

class FakeRectifications:
    code = "tests.rectification"

    def __init__(self, recipient):
        self.recipient = recipient

    def open_deadlines(self, *, horizon=None, case=None):
        return [Deadline(self.code, 7, date(2026, 11, 5), 10, "整改期限")]

    def recipients(self, deadline, level):
        return [self.recipient]


def test_a_registered_source_is_swept_like_the_built_in_ones(crew):
    inspector = crew.users["inspector"]
    deadline_source_register(FakeRectifications(inspector))
    try:
        deadline_sweep(today=date(2026, 11, 5))
        deadline_sweep(today=date(2026, 11, 5))
    finally:
        deadline_source_unregister("tests.rectification")
    assert alerts(source="tests.rectification") == [("yellow", date(2026, 11, 5))]
    note = Notification.objects.get(recipient=inspector)
    assert "整改期限" in note.title and note.link == ""


# --- deadline_status for the case page ----------------------------------------------------

def test_deadline_status_lists_open_clocks_with_working_days_left(crew):
    case, stage = case_in_review(crew, start=date(2026, 9, 29), limit=3,
                                 promised=date(2026, 10, 16))
    rows = deadline_status(case, today=date(2026, 9, 30))
    assert [tuple(r) for r in rows] == [
        ("审查环节", date(2026, 10, 9), 2, "ok"),
        ("承诺办结期限", date(2026, 10, 16), 8, "ok"),  # 10-10 is a make-up day
    ]
    label, due, remaining, level = deadline_status(case, today=date(2026, 10, 12))[0]
    assert (label, due, remaining, level) == ("审查环节", date(2026, 10, 9), -2, "escalation")


def test_deadline_status_shows_a_paused_clock_as_paused(crew):
    case, stage = case_in_review(crew, start=date(2026, 11, 2), limit=3)
    StagePause.objects.create(stage=stage, reason="rectification", started_at=timezone.now())
    assert [r.level for r in deadline_status(case, today=date(2026, 11, 20))] == ["paused"]
