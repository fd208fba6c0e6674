"""Notification tasks. They take ids, call a service and are idempotent; acks late with
prefetch 1 (settings), so a task lost with its worker is redelivered, and the sweeps
(beat) find anything a lost or unqueued task left behind in the database."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from portal.notifications import services
from portal.notifications.deadlines.sweep import deadline_sweep as run_deadline_sweep


@shared_task(name="portal.notifications.tasks.deadline_sweep", acks_late=True)
def deadline_sweep() -> dict:
    """Beat: raise the yellow / red / escalation alerts due now (each once)."""
    return asdict(run_deadline_sweep())


@shared_task(name="portal.notifications.tasks.outbox_sweep", acks_late=True)
def outbox_sweep() -> dict:
    """Beat: deliver every due e-mail and SMS in the outbox."""
    return services.outbox_deliver_due()


@shared_task(name="portal.notifications.tasks.outbox_send", acks_late=True)
def outbox_send(*, message_id: int) -> str | None:
    """Deliver one outbox message now (queued on commit; the sweep is the safety net)."""
    return services.outbox_deliver_one(message_id=message_id)


@shared_task(name="portal.notifications.tasks.case_transition_notify", acks_late=True)
def case_transition_notify(*, case_id: int, transition: str) -> int:
    """Notify the applicant side of a case transition (idempotent per status change)."""
    return services.case_transition_notify(case_id=case_id, transition=transition)
