"""Case transitions notify the applicant side after commit: the applicant's account (in-app
and outbox), agents with an active authorisation, and walk-ins by SMS. The receiver only
queues; a rolled-back transition notifies nobody; a broker outage falls back inline."""

from __future__ import annotations

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from approvals.models import AgentAuthorization
from approvals.services import case_transition
from approvals.workflow import CaseStatus
from portal.accounts.models import Applicant
from portal.notifications import tasks
from portal.notifications.models import Notification, OutboxMessage
from portal.notifications.services import case_transition_notify
from tests.factories import ApplicantFactory, CaseFactory, UserFactory
from tests.factories.workflow import drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(crew):
    applicant = ApplicantFactory(user__email="wang@example.com")
    return drive(CaseFactory(applicant=applicant), crew, CaseStatus.SUBMITTED)


def test_accepting_notifies_the_applicant_in_app_and_by_email_and_sms_after_commit(
        submitted, crew, django_capture_on_commit_callbacks, sms_outbox, mailoutbox):
    user = submitted.applicant.user
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case_transition(case_id=submitted.pk, name="accept", by=crew.users["clerk"])
        assert not Notification.objects.filter(recipient=user).exists()  # not before commit
    assert callbacks
    note = Notification.objects.get(recipient=user)
    assert note.event == "case_accepted" and submitted.number in note.title
    assert "受理通知书" in note.body and note.link == f"/cases/{submitted.pk}/"
    channels = set(OutboxMessage.objects.filter(recipient=user).values_list("channel", "status"))
    assert channels == {("email", "sent"), ("sms", "sent")}  # queued on commit, sent eagerly
    assert len(mailoutbox) == 1 and len(sms_outbox) == 1


def test_supplement_notice_lists_every_item(submitted, crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case_id=submitted.pk, name="request_supplement", by=crew.users["clerk"],
                        note="请补正", data={"items": [
                            {"material_name": "营业执照", "problem": "defective", "reason": "复印件不清晰"},
                            {"material_name": "租赁合同", "reason": "缺少"}]})
    body = Notification.objects.get(event="case_supplement_requested").body
    assert "1. 营业执照（不符合要求）：复印件不清晰" in body and "2. 租赁合同（缺少）：缺少" in body


def test_rejection_carries_the_reason(submitted, crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case_id=submitted.pk, name="reject", by=crew.users["clerk"],
                        note="不属于本机关职权范围")
    assert "理由：不属于本机关职权范围" in Notification.objects.get(event="case_rejected").body


def test_transitions_that_do_not_matter_to_the_applicant_notify_nobody(
        crew, django_capture_on_commit_callbacks):
    case = drive(CaseFactory(), crew, CaseStatus.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case_id=case.pk, name="start_review", by=crew.users["reviewer"])
    assert not Notification.objects.exists()


def test_a_rolled_back_transition_notifies_nobody(submitted, crew,
                                                  django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            case_transition(case_id=submitted.pk, name="accept", by=crew.users["clerk"])
            raise RuntimeError
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_active_agents_are_notified_revoked_ones_are_not(submitted, crew,
                                                         django_capture_on_commit_callbacks):
    agent, revoked = UserFactory(roles=["agent"]), UserFactory(roles=["agent"])
    for who, revoked_at in ((agent, None), (revoked, timezone.now())):
        AgentAuthorization.objects.create(applicant=submitted.applicant, agent=who,
                                          granted_by=submitted.applicant.user,
                                          revoked_at=revoked_at)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case_id=submitted.pk, name="accept", by=crew.users["clerk"])
    assert Notification.objects.filter(recipient=agent, event="case_accepted").count() == 1
    assert not Notification.objects.filter(recipient=revoked).exists()


def test_walk_in_applicant_without_account_gets_an_sms(crew, sms_outbox,
                                                       django_capture_on_commit_callbacks):
    walk_in = ApplicantFactory(user=None, phone="13712345678")
    case = CaseFactory(applicant=walk_in, created_by=crew.users["clerk"], channel="counter")
    case = case_transition(case_id=case.pk, name="submit", by=crew.users["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case_id=case.pk, name="accept", by=UserFactory(roles=["clerk"]))
    assert Applicant.objects.get(pk=walk_in.pk).user is None
    assert [m["phone"] for m in sms_outbox] == ["13712345678"]


def test_the_task_is_idempotent(submitted, crew):
    case_transition(case_id=submitted.pk, name="accept", by=crew.users["clerk"])
    assert case_transition_notify(case_id=submitted.pk, transition="accept") == 1
    assert case_transition_notify(case_id=submitted.pk, transition="accept") == 0
    assert Notification.objects.count() == 1


def test_the_receiver_only_queues_the_task(submitted, crew, monkeypatch,
                                           django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(tasks.case_transition_notify, "apply_async",
                        lambda kwargs, **options: queued.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case_id=submitted.pk, name="accept", by=crew.users["clerk"])
    assert queued == [{"case_id": submitted.pk, "transition": "accept"}]
    assert not Notification.objects.exists()


def test_broker_down_the_notice_is_written_inline(submitted, crew, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.case_transition_notify, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case_id=submitted.pk, name="accept", by=crew.users["clerk"])
    assert Notification.objects.filter(event="case_accepted").count() == 1
