"""Rectification items (差评整改): assigned by a supervisor to someone other than the person
rated, answered by the handler, called back by someone else (satisfied closes, unsatisfied
sends it back with a new due date, repeated no-answer closes); or dismissed with a reason,
appealed once by the applicant side, and decided by a reviewer other than the one who
dismissed. Each step is audited, the applicant hears the result, and the answer deadline
is a source for the deadline sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.workflow import CaseStatus
from portal.core.errors import ApplicationError
from portal.core.models import AuditEntry
from portal.notifications.deadlines.policy import ESCALATION, RED
from portal.notifications.deadlines.registry import deadline_sources
from portal.notifications.deadlines.sweep import deadline_status, deadline_sweep
from portal.notifications.models import DeadlineAlert, Notification
from portal.ratings.models import (
    AppealDecision,
    CallChannel,
    CallOutcome,
    Rectification,
)
from portal.ratings.models import RectificationStatus as R
from portal.ratings.services import rectifications as svc
from portal.ratings.services.ratings import rating_submit
from portal.ratings.steps import Level, RatableStep
from tests.factories import UserFactory, staff
from tests.ratings.conftest import make_case, weekdays_after

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(crew, matter):
    case = make_case(crew, CaseStatus.ACCEPTED, matter=matter)
    rating = rating_submit(case=case, step=RatableStep.ACCEPTANCE, level=Level.DISSATISFIED,
                           comment="窗口人员态度生硬", by=case.applicant.user)
    return Rectification.objects.get(rating=rating)


@pytest.fixture
def handler(db):
    return staff("reviewer")


def test_the_person_rated_is_never_the_handler(crew, item, supervisor, handler):
    clerk = crew.users["clerk"]
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_assign(item=item, assignee=clerk, by=supervisor)
    assert exc.value.status == 403 and exc.value.code == "conflict_of_interest"
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_assign(item=item, assignee=handler, by=staff("reviewer"))
    assert exc.value.status == 403
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_assign(item=item, assignee=UserFactory(roles=["applicant"]),
                                 by=supervisor)
    assert exc.value.code == "invalid_assignee"
    item = svc.rectification_assign(item=item, assignee=handler, by=supervisor, note="请核实")
    assert item.status == R.ASSIGNED and item.assignee == handler
    assert Notification.objects.filter(recipient=handler,
                                       event="rating_rectification_assigned").count() == 1


def test_a_supervisor_who_was_rated_must_stand_aside(crew, matter, handler):
    boss = UserFactory(roles=["supervisor", "clerk"])
    case = make_case(crew, CaseStatus.SUBMITTED, matter=matter)
    from approvals.services import case_transition

    case_transition(case_id=case.pk, name="accept", by=boss)
    rating = rating_submit(case=case, step=RatableStep.ACCEPTANCE, level=Level.DISSATISFIED,
                           comment="慢", by=case.applicant.user)
    assert not Notification.objects.filter(recipient=boss,
                                           event="rating_rectification_assigned").exists()
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_assign(item=rating.rectification, assignee=handler, by=boss)
    assert exc.value.code == "conflict_of_interest"
    with pytest.raises(ApplicationError):
        svc.rectification_dismiss(item=rating.rectification, reason="不成立", by=boss)


def test_answer_callback_close(item, supervisor, supervisor2, handler):
    svc.rectification_assign(item=item, assignee=handler, by=supervisor)
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_answer(item=item, measures="已整改", by=supervisor)
    assert exc.value.status == 403
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_answer(item=item, measures="  ", by=handler)
    assert exc.value.code == "measures_required"
    item = svc.rectification_answer(item=item, measures="已约谈窗口人员并开展服务规范培训", by=handler)
    assert item.status == R.ANSWERED and item.answered_by == handler
    applicant = item.case.applicant.user
    result = Notification.objects.get(recipient=applicant, event="rating_rectification_result")
    assert "服务规范培训" in result.body
    with pytest.raises(ApplicationError) as exc:  # the handler does not call back
        svc.rectification_callback(item=item, channel=CallChannel.PHONE,
                                   outcome=CallOutcome.SATISFIED, response="好", by=handler)
    assert exc.value.status == 403
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_callback(item=item, channel=CallChannel.PHONE,
                                   outcome=CallOutcome.SATISFIED, response="", by=supervisor2)
    assert exc.value.code == "response_required"
    record = svc.rectification_callback(item=item, channel=CallChannel.PHONE,
                                        outcome=CallOutcome.SATISFIED,
                                        response="态度明显改善，满意", by=supervisor2)
    item.refresh_from_db()
    assert record.satisfied is True and record.called_by == supervisor2
    assert item.status == R.CLOSED and item.closed_at is not None
    actions = list(AuditEntry.objects.filter(object_type="ratings.rectification",
                                             object_id=str(item.pk))
                   .values_list("action", flat=True))
    assert actions == ["ratings.rectification_open", "ratings.rectification_assign",
                       "ratings.rectification_answer", "ratings.rectification_callback"]
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_callback(item=item, channel=CallChannel.PHONE,
                                   outcome=CallOutcome.SATISFIED, response="x", by=supervisor2)
    assert exc.value.status == 409


def test_unsatisfied_callback_sends_it_back_with_a_new_due_date(item, supervisor, handler,
                                                                 plain_calendar):
    svc.rectification_assign(item=item, assignee=handler, by=supervisor)
    svc.rectification_answer(item=item, measures="已提醒", by=handler)
    Rectification.objects.filter(pk=item.pk).update(due_date=timezone.localdate() - timedelta(days=9))
    svc.rectification_callback(item=item, channel=CallChannel.VISIT,
                               outcome=CallOutcome.UNSATISFIED, response="仍未改进",
                               by=supervisor)
    item.refresh_from_db()
    assert item.status == R.ASSIGNED and item.reopened == 1 and item.assignee == handler
    assert item.due_date == weekdays_after(timezone.localdate(), 5)
    assert Notification.objects.filter(recipient=handler,
                                       event="rating_rectification_assigned").count() == 2


def test_unreachable_three_times_closes(item, supervisor, handler, settings):
    settings.ONESEAL_CALLBACK_MAX_ATTEMPTS = 3
    svc.rectification_assign(item=item, assignee=handler, by=supervisor)
    svc.rectification_answer(item=item, measures="已整改", by=handler)
    for n in range(3):
        svc.rectification_callback(item=item, channel=CallChannel.PHONE,
                                   outcome=CallOutcome.UNREACHABLE, by=supervisor)
        item.refresh_from_db()
        assert item.status == (R.ANSWERED if n < 2 else R.CLOSED)
    assert "未能联系上" in item.close_note


def test_callback_time_cannot_be_in_the_future(item, supervisor, handler):
    svc.rectification_assign(item=item, assignee=handler, by=supervisor)
    svc.rectification_answer(item=item, measures="已整改", by=handler)
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_callback(item=item, channel=CallChannel.PHONE,
                                   outcome=CallOutcome.SATISFIED, response="好", by=supervisor,
                                   called_at=timezone.now() + timedelta(hours=2))
    assert exc.value.code == "future_call"


def test_dismissal_appeal_and_decision_by_another_person(item, supervisor, supervisor2):
    applicant = item.case.applicant.user
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_dismiss(item=item, reason="", by=supervisor)
    assert exc.value.code == "reason_required"
    item = svc.rectification_dismiss(item=item, reason="经调阅监控，窗口人员按规定办理，投诉不成立",
                                     by=supervisor)
    assert item.status == R.DISMISSED and item.appeal_due > timezone.localdate()
    told = Notification.objects.get(recipient=applicant, event="rating_rectification_result")
    assert "投诉不成立" in told.body and "申诉" in told.body
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_appeal(item=item, reason="监控不全", by=UserFactory(roles=["applicant"]))
    assert exc.value.status == 404
    appeal = svc.rectification_appeal(item=item, reason="当时工作人员拒绝解释", by=applicant)
    item.refresh_from_db()
    assert item.status == R.APPEALED and appeal.filed_by == applicant
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_appeal(item=item, reason="再次申诉", by=applicant)
    assert exc.value.status == 409 and exc.value.code == "already_appealed"
    with pytest.raises(ApplicationError) as exc:
        svc.appeal_decide(item=item, decision=AppealDecision.UPHELD, note="维持", by=supervisor)
    assert exc.value.status == 403 and exc.value.code == "same_person"
    appeal = svc.appeal_decide(item=item, decision=AppealDecision.UPHELD,
                               note="复核监控与记录，维持原决定", by=supervisor2)
    item.refresh_from_db()
    assert item.status == R.UPHELD and appeal.decided_by == supervisor2
    assert Notification.objects.filter(recipient=applicant,
                                       event="rating_rectification_result").count() == 2


def test_overturned_appeal_reopens_the_item_and_cannot_be_appealed_again(
        item, supervisor, supervisor2, handler):
    applicant = item.case.applicant.user
    svc.rectification_dismiss(item=item, reason="不成立", by=supervisor)
    svc.rectification_appeal(item=item, reason="有新证据", by=applicant)
    svc.appeal_decide(item=item, decision=AppealDecision.OVERTURNED, note="证据成立",
                      by=supervisor2)
    item.refresh_from_db()
    assert item.status == R.OPEN and item.assignee is None
    svc.rectification_assign(item=item, assignee=handler, by=supervisor2)
    svc.rectification_dismiss(item=item, reason="再次核实仍不成立", by=supervisor2)
    item.refresh_from_db()
    assert item.appeal_due is None
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_appeal(item=item, reason="再申诉", by=applicant)
    assert exc.value.code == "already_appealed"


def test_appeal_after_the_deadline_is_refused(item, supervisor):
    svc.rectification_dismiss(item=item, reason="不成立", by=supervisor)
    Rectification.objects.filter(pk=item.pk).update(
        appeal_due=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_appeal(item=item, reason="晚了", by=item.case.applicant.user)
    assert exc.value.code == "appeal_overdue"
    item.refresh_from_db()
    assert item.status == R.DISMISSED


def test_an_undismissed_item_cannot_be_appealed(item):
    with pytest.raises(ApplicationError) as exc:
        svc.rectification_appeal(item=item, reason="x", by=item.case.applicant.user)
    assert exc.value.status == 409 and "不能申诉复核" in exc.value.message


def test_answer_deadline_is_a_registered_source(item, supervisor, handler):
    source = {s.code: s for s in deadline_sources()}["ratings.rectification"]
    [deadline] = source.open_deadlines(case=item.case)
    assert deadline.due == item.due_date and deadline.object_id == item.pk
    assert any("差评整改" in row.label for row in deadline_status(item.case))
    assert list(source.recipients(deadline, RED)) == [supervisor]
    svc.rectification_assign(item=item, assignee=handler, by=supervisor)
    assert list(source.recipients(deadline, RED)) == [handler]
    assert supervisor in source.recipients(deadline, ESCALATION)
    svc.rectification_answer(item=item, measures="已整改", by=handler)
    assert source.open_deadlines(case=item.case) == []


def test_sweep_raises_red_for_an_overdue_item_once(item, supervisor):
    Rectification.objects.filter(pk=item.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    deadline_sweep()
    deadline_sweep()
    alerts = DeadlineAlert.objects.filter(source="ratings.rectification", object_id=item.pk)
    assert alerts.filter(level="red").count() == 1
    assert Notification.objects.filter(recipient=supervisor, event="deadline_overdue").exists()
