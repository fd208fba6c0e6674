"""Writing the regulator outbox. Called from the signal receivers INSIDE the transaction
that approves or denies a case or changes a licence, so an event row exists exactly when
the change committed. Each supervising department gets its own row (its own event id),
a claim with its working-day deadline for results, an in-app notice to its users, and an
immediate delivery attempt queued on commit (the beat sweep retries)."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from approvals.models import Case, Certificate
from portal.core.calendar import get_calendar
from portal.notifications.services.notify import notify
from portal.notifications.services.transitions import case_context
from portal.regulators import payloads
from portal.regulators.models import (
    CLAIMABLE,
    Claim,
    EventKind,
    OutboxEvent,
    RegulatorDepartment,
    RegulatorRequest,
)
from portal.regulators.selectors import case_matters, department_users, departments_covering

DECISIONS = {"approve": (EventKind.APPROVED, "approved"), "deny": (EventKind.DENIED, "denied")}
LICENCE_EVENTS = {"issued": EventKind.ISSUED, "changed": EventKind.CHANGED,
                  "renewed": EventKind.RENEWED, "cancelled": EventKind.CANCELLED,
                  "revoked": EventKind.REVOKED}
S = OutboxEvent.Status


def _queue_delivery(event_pk: int) -> None:
    from portal.notifications.queueing import enqueue
    from portal.regulators.tasks import deliver_event

    enqueue(deliver_event, event_pk=event_pk)


def event_link(event: OutboxEvent) -> str:
    return reverse("regulators-event", args=[event.event_id])


def _notify_result(event: OutboxEvent, claim: Claim) -> None:
    context = case_context(event.case) | {
        "kind": event.get_kind_display(), "department": event.department.name,
        "claim_due": claim.claim_due,
        "certificate_number": event.certificate.number if event.certificate else ""}
    for user in department_users(event.department):
        notify(recipient=user, event="regulator_result", context=context,
               link=event_link(event), key=f"regulators:event:{event.pk}:u{user.pk}")


def event_write(*, department: RegulatorDepartment, case: Case, kind: str,
                certificate: Certificate | None = None, decision: dict | None = None,
                answer: RegulatorRequest | None = None, request_part: dict | None = None
                ) -> OutboxEvent:
    """One outbox row for one department (and its claim if the kind is a result)."""
    now, event_id = timezone.now(), uuid.uuid4()
    payload = payloads.envelope(event_id=event_id, kind=kind, department_code=department.code,
                                occurred_at=now, case=case, decision=decision,
                                certificate=certificate, request=request_part)
    push = bool(department.endpoint_url)
    event = OutboxEvent.objects.create(
        event_id=event_id, department=department, case=case, certificate=certificate,
        request=answer, kind=kind, payload=payload, occurred_at=now,
        status=S.PENDING if push else S.PULL_ONLY, next_attempt_at=now if push else None)
    if kind in CLAIMABLE:
        due = get_calendar().add(timezone.localdate(now), department.claim_days)
        claim = Claim.objects.create(event=event, claim_due=due,
                                     limit_days=department.claim_days)
        _notify_result(event, claim)
    if push:
        transaction.on_commit(lambda: _queue_delivery(event.pk))
    return event


def outbox_record_decision(*, case: Case, transition: str, note: str = ""
                           ) -> list[OutboxEvent]:
    """准予许可 / 不予许可: an event for each department supervising the case's matter."""
    if transition not in DECISIONS:
        return []
    kind, result = DECISIONS[transition]
    departments = departments_covering([case.matter])
    decision = {"result": result, "decided_at": timezone.now().isoformat(), "note": note}
    return [event_write(department=d, case=case, kind=kind, decision=decision)
            for d in departments]


def outbox_record_licence(*, certificate: Certificate, event: str) -> list[OutboxEvent]:
    """A licence issued, changed, renewed, cancelled or revoked; an integrated licence
    (一业一证) goes to every department supervising one of its matters."""
    kind = LICENCE_EVENTS.get(event)
    if kind is None:
        return []
    case = certificate.case
    departments = departments_covering(case_matters(case) if certificate.group_id
                                       else [case.matter])
    return [event_write(department=d, case=case, kind=kind, certificate=certificate)
            for d in departments]
