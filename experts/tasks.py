"""Expert tasks for Celery. They call a service and are idempotent; acks late (see
``portal.notifications.tasks``), so a task lost with its worker is simply run again."""

from __future__ import annotations

from celery import shared_task

from experts.services.invitations import invitation_expire_due


@shared_task(name="experts.tasks.invitation_timeouts", acks_late=True)
def invitation_timeouts() -> int:
    """Beat: time out unanswered invitations past their deadline and redraw (each once)."""
    return invitation_expire_due()
