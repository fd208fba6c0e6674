"""Decisions and licence events land in the regulator outbox inside the transaction of the
change: for each supervising department (by industry or by matter) and no other, with the
payload the department needs (identity masked) and a claim due in working days; a
transition that rolls back leaves no event."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from approvals.models import Certificate
from approvals.services import case_transition
from approvals.services.cases import case_transition_recorded
from approvals.services.certificates import certificate_change, certificate_revoke
from approvals.workflow import CaseStatus
from portal.core.calendar import get_calendar
from portal.core.errors import ApplicationError
from portal.notifications.models import Notification
from portal.regulators.models import Claim, EventKind, OutboxEvent
from tests.regulators.conftest import decided_case, make_department

pytestmark = pytest.mark.django_db


def test_approval_writes_one_event_per_supervising_department(crew, food_matter, other_matter,
                                                              amr, amr_user):
    by_matter, _secret = make_department(industries=(), matters=[food_matter], name="消防")
    unrelated, _secret = make_department(industries=("药品",), name="药监")
    case = decided_case(crew, food_matter)
    case_transition(case_id=case.pk, name="approve", by=crew.users["approver"], note="同意")

    events = OutboxEvent.objects.filter(case=case)
    assert {e.department_id for e in events} == {amr[0].pk, by_matter.pk}
    assert not OutboxEvent.objects.filter(department=unrelated).exists()
    event = events.get(department=amr[0])
    assert event.kind == EventKind.APPROVED and event.status == OutboxEvent.Status.PULL_ONLY
    payload = event.payload
    assert payload["event_id"] == str(event.event_id) and payload["kind"] == "decision.approved"
    assert payload["case"]["number"] == case.number
    assert payload["case"]["matter"] == {"code": food_matter.code, "name": "食品经营许可",
                                         "industry": "餐饮"}
    id_number = case.applicant.id_number
    assert payload["case"]["applicant"]["id_number"] == id_number[:4] + "*" * 10 + id_number[-4:]
    assert payload["decision"]["result"] == "approved" and payload["decision"]["note"] == "同意"
    assert payload["certificate"] is None
    claim = event.claim
    assert claim.claim_due == get_calendar().add(timezone.localdate(event.created_at), 3)
    assert claim.claimed_at is None
    assert Notification.objects.filter(recipient=amr_user, event="regulator_result").count() == 1


def test_a_matter_no_department_supervises_writes_nothing(crew, other_matter, amr):
    case = decided_case(crew, other_matter, until=CaseStatus.ISSUED)
    assert not OutboxEvent.objects.filter(case=case).exists()


def test_denial_and_each_licence_event_are_written(crew, food_matter, amr):
    denied = decided_case(crew, food_matter)
    case_transition(case_id=denied.pk, name="deny", by=crew.users["approver"],
                    note="经营场所不符合要求")
    assert OutboxEvent.objects.get(case=denied).payload["decision"] == {
        "result": "denied", "decided_at": OutboxEvent.objects.get(case=denied)
        .payload["decision"]["decided_at"], "note": "经营场所不符合要求"}

    case = decided_case(crew, food_matter, until=CaseStatus.ISSUED)
    cert = Certificate.objects.get(case=case)
    changed = certificate_change(certificate=cert, by=crew.users["certifier"],
                                 scope="热食类食品制售", note="增加经营项目")
    certificate_revoke(certificate=changed, by=crew.users["approver"], reason="以欺骗手段取得")
    kinds = list(OutboxEvent.objects.filter(case=case).order_by("id")
                 .values_list("kind", flat=True))
    assert kinds == [EventKind.APPROVED, EventKind.ISSUED, EventKind.CHANGED, EventKind.REVOKED]
    revoked = OutboxEvent.objects.get(case=case, kind=EventKind.REVOKED).payload["certificate"]
    assert revoked["number"] == cert.number and revoked["version"] == 2
    assert revoked["status"] == "revoked" and revoked["status_reason"] == "以欺骗手段取得"
    assert Claim.objects.filter(event__case=case).count() == 4


def test_a_transition_rolled_back_leaves_no_event(crew, food_matter, amr):
    case = decided_case(crew, food_matter)
    with pytest.raises(RuntimeError), transaction.atomic():
        case_transition(case_id=case.pk, name="approve", by=crew.users["approver"])
        assert OutboxEvent.objects.filter(case=case).count() == 1  # written inside
        raise RuntimeError("the surrounding transaction fails")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECISION_PENDING
    assert not OutboxEvent.objects.exists() and not Claim.objects.exists()


def test_a_failure_later_in_the_transition_takes_the_event_with_it(crew, food_matter, amr):
    case = decided_case(crew, food_matter)

    def broken(sender, **kwargs):
        raise ApplicationError("下游处理失败", "boom")

    case_transition_recorded.connect(broken, dispatch_uid="test.broken")
    try:
        with pytest.raises(ApplicationError):
            case_transition(case_id=case.pk, name="approve", by=crew.users["approver"])
    finally:
        case_transition_recorded.disconnect(dispatch_uid="test.broken")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECISION_PENDING
    assert not OutboxEvent.objects.exists()
    case_transition(case_id=case.pk, name="approve", by=crew.users["approver"])
    assert OutboxEvent.objects.filter(case=case, kind=EventKind.APPROVED).count() == 1


def test_an_inactive_department_gets_nothing(crew, food_matter, amr):
    department = amr[0]
    department.is_active = False
    department.save()
    case = decided_case(crew, food_matter, until=CaseStatus.APPROVED)
    assert not OutboxEvent.objects.filter(case=case).exists()
