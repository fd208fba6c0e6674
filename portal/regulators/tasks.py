"""Regulator outbox tasks: take ids, call a service, idempotent; acks late, so a task lost
with its worker is redelivered, and the beat sweep finds whatever a lost or unqueued task
left pending in the database."""

from __future__ import annotations

from celery import shared_task

from portal.regulators.services import delivery


@shared_task(name="portal.regulators.tasks.deliver_event", acks_late=True)
def deliver_event(*, event_pk: int) -> str | None:
    """Attempt one event now (queued on commit of the change that wrote it)."""
    return delivery.deliver_one(event_pk=event_pk)


@shared_task(name="portal.regulators.tasks.delivery_sweep", acks_late=True)
def delivery_sweep() -> dict:
    """Beat: attempt every due event (first attempts a worker missed, and retries)."""
    return delivery.deliver_due()
