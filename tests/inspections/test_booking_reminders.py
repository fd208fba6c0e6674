"""Booking reminders (beat task) go out once per booking across repeated and concurrent
runs; and two applicants racing for one slot on PostgreSQL: exactly one gets it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inspections.models import Booking, Slot, TaskStatus
from inspections.services.booking import (
    booking_cancel,
    booking_create,
    booking_remind_due,
    slot_publish,
)
from inspections.tasks import booking_reminders
from portal.core.errors import ConflictError
from portal.notifications.models import Notification
from tests.factories.race import race
from tests.inspections.conftest import make_assigned_task, make_inspected_case


def publish(inspector, hours: float) -> Slot:
    start = (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    return slot_publish(inspector=inspector, starts_at=start,
                        ends_at=start + timedelta(hours=1), by=inspector)


def reminders(user) -> int:
    return Notification.objects.filter(recipient=user, event="appointment_reminder").count()


def book(task, inspector, hours: float) -> Booking:
    return booking_create(task=task, slot=publish(inspector, hours), by=task.applicant.user)


@pytest.mark.django_db
def test_bookings_within_a_day_are_reminded_once_across_two_runs(assigned_task, inspectors):
    booking = book(assigned_task, inspectors[0], hours=20)
    applicant = assigned_task.applicant.user
    assert booking_remind_due() == 1
    assert booking_reminders() == 0  # the beat task: a second run sends nothing
    assert reminders(applicant) == 1 and [reminders(i) for i in inspectors] == [1, 1]
    booking.refresh_from_db()
    assert booking.reminded_at is not None
    body = Notification.objects.get(recipient=applicant, event="appointment_reminder").body
    assert f"/inspections/tasks/{assigned_task.pk}/booking/" in body and "改约" in body


@pytest.mark.django_db
def test_later_bookings_wait_until_they_are_within_the_window(assigned_task, inspectors,
                                                              settings):
    settings.ONESEAL_BOOKING_REMINDER_HOURS = 24
    book(assigned_task, inspectors[0], hours=40)
    assert booking_remind_due() == 0
    assert booking_remind_due(now=timezone.now() + timedelta(hours=17)) == 1
    assert reminders(assigned_task.applicant.user) == 1


@pytest.mark.django_db
def test_cancelled_and_past_bookings_are_not_reminded(assigned_task, inspectors):
    booking = book(assigned_task, inspectors[0], hours=20)
    booking_cancel(booking=booking, by=assigned_task.applicant.user)
    assert booking_remind_due() == 0
    book(assigned_task, inspectors[1], hours=5)
    assert booking_remind_due(now=timezone.now() + timedelta(hours=7)) == 0  # already begun
    assert Notification.objects.filter(event="appointment_reminder").count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_reminder_runs_send_once(on_postgres, assigned_task, inspectors):
    book(assigned_task, inspectors[0], hours=20)
    results = race(booking_remind_due, booking_remind_due)
    assert sorted(value for _, value in results) == [0, 1], results
    assert reminders(assigned_task.applicant.user) == 1
    assert [reminders(i) for i in inspectors] == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_two_applicants_racing_for_one_slot_exactly_one_books_it(
        on_postgres, crew, assigned_task, inspectors, inspected_matter, dispatcher):
    other = make_assigned_task([make_inspected_case(crew, inspected_matter)], dispatcher,
                               inspectors)
    slot = publish(inspectors[0], hours=30)
    results = race(
        lambda: booking_create(task=assigned_task, slot=slot, by=assigned_task.applicant.user),
        lambda: booking_create(task=other, slot=slot, by=other.applicant.user))
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ConflictError) and error.code == "slot_taken"
    assert Booking.objects.filter(slot=slot, cancelled_at__isnull=True).count() == 1
    statuses = sorted(type(assigned_task).objects.filter(pk__in=[assigned_task.pk, other.pk])
                      .values_list("status", flat=True))
    assert statuses == sorted([TaskStatus.ASSIGNED, TaskStatus.BOOKED])
