"""Inspection tasks for Celery. They call a service and are idempotent; acks late (see
``portal.notifications.tasks``), so a task lost with its worker is simply run again."""

from __future__ import annotations

from celery import shared_task

from inspections.services.booking import booking_remind_due


@shared_task(name="inspections.tasks.booking_reminders", acks_late=True)
def booking_reminders() -> int:
    """Beat: remind both sides of bookings starting soon (each booking once)."""
    return booking_remind_due()


@shared_task(name="inspections.tasks.recordings_close_stale", acks_late=True)
def recordings_close_stale() -> int:
    """Beat: close call recordings whose browser stopped uploading, from the chunks that
    arrived (each recording once; a concurrent run finds it closed)."""
    from inspections.video.services import recordings_close_stale as close

    return close()
