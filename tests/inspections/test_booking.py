"""Online booking (在线预约) services: inspectors publish and withdraw their own slots, the
applicant side or a dispatcher books, reschedules and cancels within the rules, an
inspector taken off the task makes the booking lapse, and both sides are told."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from approvals.models import AgentAuthorization
from inspections.models import Booking, InspectorAbsence, Slot, TaskStatus
from inspections.services import booking as services
from inspections.services.booking import (
    bookable_slots,
    booking_cancel,
    booking_create,
    booking_reschedule,
    slot_off_hours,
    slot_publish,
    slot_publish_series,
    slot_withdraw,
)
from inspections.services.dispatch import task_release
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.models import AuditEntry
from portal.notifications.models import Notification
from tests.factories import ApplicantFactory, UserFactory, staff
from tests.inspections.conftest import make_assigned_task, make_inspected_case, make_inspector

pytestmark = pytest.mark.django_db


def at(hours: float) -> datetime:
    return timezone.now() + timedelta(hours=hours)


def publish(inspector, hours: float = 48, minutes: int = 60) -> Slot:
    start = at(hours).replace(second=0, microsecond=0)
    return slot_publish(inspector=inspector, starts_at=start,
                        ends_at=start + timedelta(minutes=minutes), by=inspector)


def told(user, event: str = "appointment_changed") -> list[str]:
    return list(Notification.objects.filter(recipient=user, event=event)
                .order_by("id").values_list("title", flat=True))


def applicant_of(task):
    return task.applicant.user


# --- publishing and withdrawing slots -------------------------------------------------------

def test_inspector_publishes_own_slot_and_it_is_audited(inspectors):
    slot = publish(inspectors[0])
    assert slot.inspector == inspectors[0] and slot.ends_at - slot.starts_at == timedelta(hours=1)
    assert AuditEntry.objects.filter(action="inspections.slot_publish",
                                     object_id=str(slot.pk)).exists()


def test_inspector_cannot_publish_for_another_inspector(inspectors):
    with pytest.raises(PermissionRefused):
        slot_publish(inspector=inspectors[1], starts_at=at(48), ends_at=at(49), by=inspectors[0])


def test_non_inspector_cannot_publish_slots(dispatcher):
    with pytest.raises(PermissionRefused):
        slot_publish(inspector=dispatcher, starts_at=at(48), ends_at=at(49), by=dispatcher)


@pytest.mark.parametrize(("start", "minutes", "code"), [
    (-1, 60, "slot_in_past"), (48, 10, "invalid_length"), (48, 5 * 60, "invalid_length"),
    (48, -30, "invalid_length"),
])
def test_slot_times_are_checked(inspectors, start, minutes, code):
    with pytest.raises(ApplicationError) as err:
        publish(inspectors[0], hours=start, minutes=minutes)
    assert err.value.code == code
    assert not Slot.objects.exists()


def test_slots_of_one_inspector_may_touch_but_not_overlap(inspectors):
    first = publish(inspectors[0], hours=48, minutes=60)
    slot_publish(inspector=inspectors[0], starts_at=first.ends_at,
                 ends_at=first.ends_at + timedelta(minutes=30), by=inspectors[0])
    with pytest.raises(ConflictError) as err:
        slot_publish(inspector=inspectors[0], starts_at=first.starts_at + timedelta(minutes=30),
                     ends_at=first.ends_at + timedelta(minutes=30), by=inspectors[0])
    assert err.value.code == "slot_overlap"
    publish(inspectors[1], hours=48)  # another inspector's slot at the same time is fine


def test_a_withdrawn_slot_no_longer_blocks_its_hours(inspectors):
    slot = publish(inspectors[0])
    slot_withdraw(slot=slot, by=inspectors[0])
    assert publish(inspectors[0]).pk != slot.pk


def test_series_publishes_the_same_hours_on_consecutive_days_or_nothing(inspectors):
    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=2),
                                                 datetime.min.time().replace(hour=19)))
    slots = slot_publish_series(inspector=inspectors[0], starts_at=start,
                                ends_at=start + timedelta(hours=1), days=7, by=inspectors[0])
    local = [timezone.localtime(s.starts_at) for s in slots]
    assert [t.hour for t in local] == [19] * 7
    assert {t.weekday() for t in local} == set(range(7))  # weekends included
    with pytest.raises(ConflictError):
        slot_publish_series(inspector=inspectors[0], starts_at=start - timedelta(days=1),
                            ends_at=start - timedelta(days=1, minutes=-60), days=3,
                            by=inspectors[0])
    assert Slot.objects.count() == 7  # the day before was not kept either


def _slot_at(day: str, start: str, end: str) -> Slot:
    tz = timezone.get_current_timezone()
    return Slot(starts_at=datetime.fromisoformat(f"{day}T{start}").replace(tzinfo=tz),
                ends_at=datetime.fromisoformat(f"{day}T{end}").replace(tzinfo=tz))


@pytest.mark.parametrize(("day", "start", "end", "off"), [
    ("2026-11-18", "09:00", "10:00", False),  # Wednesday, office hours
    ("2026-11-18", "08:30", "17:30", False),
    ("2026-11-18", "07:30", "08:30", True),  # early
    ("2026-11-18", "17:00", "18:00", True),  # runs into the evening
    ("2026-11-18", "19:00", "20:00", True),
    ("2026-11-21", "10:00", "11:00", True),  # Saturday
    ("2026-10-05", "10:00", "11:00", True),  # National Day holiday (a Monday)
    ("2026-10-10", "10:00", "11:00", False),  # make-up working Saturday (调休)
])
def test_off_hours_badge_follows_the_working_day_calendar(day, start, end, off):
    assert slot_off_hours(_slot_at(day, start, end)) is off


def test_only_the_owner_withdraws_and_not_a_booked_slot(assigned_task, inspectors):
    slot = publish(inspectors[0])
    with pytest.raises(PermissionRefused):
        slot_withdraw(slot=slot, by=inspectors[1])
    booking_create(task=assigned_task, slot=slot, by=applicant_of(assigned_task))
    with pytest.raises(ConflictError) as err:
        slot_withdraw(slot=slot, by=inspectors[0])
    assert err.value.code == "slot_booked" and "申请人" in err.value.message
    slot.refresh_from_db()
    assert slot.withdrawn_at is None


# --- what may be booked ----------------------------------------------------------------------

def test_only_the_tasks_own_inspectors_slots_are_bookable(assigned_task, inspectors,
                                                         inspected_matter):
    outsider = make_inspector(inspected_matter)
    mine = [publish(inspectors[0], hours=30), publish(inspectors[1], hours=50)]
    publish(outsider, hours=40)
    assert list(bookable_slots(assigned_task)) == mine
    with pytest.raises(ConflictError) as err:
        booking_create(task=assigned_task, slot=Slot.objects.get(inspector=outsider),
                       by=applicant_of(assigned_task))
    assert err.value.code == "slot_unavailable"


def test_withdrawn_too_soon_and_taken_slots_are_not_bookable(assigned_task, inspectors):
    withdrawn, soon, ok = (publish(inspectors[0], hours=h) for h in (30, 1, 40))
    slot_withdraw(slot=withdrawn, by=inspectors[0])
    assert list(bookable_slots(assigned_task)) == [ok]
    with pytest.raises(ApplicationError) as err:
        booking_create(task=assigned_task, slot=soon, by=applicant_of(assigned_task))
    assert err.value.code == "too_soon"
    with pytest.raises(ConflictError) as err:
        booking_create(task=assigned_task, slot=withdrawn, by=applicant_of(assigned_task))
    assert err.value.code == "slot_withdrawn"


def test_a_slot_is_not_bookable_while_the_other_inspector_is_busy_elsewhere(
        crew, assigned_task, inspectors, inspected_matter, dispatcher):
    third = make_inspector(inspected_matter)
    other_task = make_assigned_task([make_inspected_case(crew, inspected_matter)], dispatcher,
                                    [inspectors[0], third])
    busy = publish(third, hours=48, minutes=60)
    booking_create(task=other_task, slot=busy, by=applicant_of(other_task))
    overlapping = publish(inspectors[1], hours=48.5, minutes=30)  # [0] is at other_task
    later = publish(inspectors[1], hours=49)  # starts when the other booking ends
    assert list(bookable_slots(assigned_task)) == [later]
    with pytest.raises(ConflictError):
        booking_create(task=assigned_task, slot=overlapping, by=applicant_of(assigned_task))


def test_a_slot_on_a_day_an_inspector_is_absent_is_not_bookable(assigned_task, inspectors):
    slot = publish(inspectors[0], hours=72)
    day = timezone.localdate(slot.starts_at)
    InspectorAbsence.objects.create(user=inspectors[1], start=day, end=day, reason="培训")
    assert list(bookable_slots(assigned_task)) == []


def test_a_task_without_both_inspectors_has_nothing_bookable(inspected_case, dispatcher,
                                                            inspectors):
    from inspections.services.dispatch import task_create

    task = task_create(requests=list(inspected_case.inspection_requests.all()), by=dispatcher)
    publish(inspectors[0])
    assert task.status == TaskStatus.NEW and list(bookable_slots(task)) == []


# --- booking ---------------------------------------------------------------------------------

def test_applicant_books_a_slot_and_both_sides_are_told(assigned_task, inspectors):
    slot = publish(inspectors[0], hours=30, minutes=90)
    booking = booking_create(task=assigned_task, slot=slot, by=applicant_of(assigned_task))
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.BOOKED
    assert (booking.starts_at, booking.ends_at) == (slot.starts_at, slot.ends_at)
    assert booking.booked_by == applicant_of(assigned_task) and booking.active
    assert [t[:4] for t in told(applicant_of(assigned_task))] == ["预约成功"]
    assert all(len(told(i)) == 1 for i in inspectors)
    assert AuditEntry.objects.filter(action="inspections.booking_create").count() == 1
    assert list(bookable_slots(assigned_task)) == []  # the slot is taken now


def test_authorised_agent_may_book_for_the_applicant(assigned_task, inspectors):
    agent = UserFactory(roles=["agent"])
    AgentAuthorization.objects.create(applicant=assigned_task.applicant, agent=agent,
                                      granted_by=applicant_of(assigned_task))
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0]), by=agent)
    assert booking.booked_by == agent


def test_dispatcher_books_on_the_applicants_behalf(assigned_task, inspectors, dispatcher):
    booking_create(task=assigned_task, slot=publish(inspectors[1]), by=dispatcher)
    assert len(told(applicant_of(assigned_task))) == 1
    assert all(len(told(i)) == 1 for i in inspectors)


@pytest.mark.parametrize("who", ["inspector", "reviewer", "other_applicant", "agent"])
def test_nobody_else_may_book(assigned_task, inspectors, who):
    user = {"inspector": lambda: inspectors[0], "reviewer": lambda: staff("reviewer"),
            "other_applicant": lambda: ApplicantFactory().user,
            "agent": lambda: UserFactory(roles=["agent"])}[who]()  # agent not authorised
    with pytest.raises(PermissionRefused):
        booking_create(task=assigned_task, slot=publish(inspectors[0]), by=user)
    assert not Booking.objects.exists()


def test_a_booked_task_is_not_booked_again(assigned_task, inspectors):
    booking_create(task=assigned_task, slot=publish(inspectors[0], hours=30),
                   by=applicant_of(assigned_task))
    with pytest.raises(ConflictError) as err:
        booking_create(task=assigned_task, slot=publish(inspectors[0], hours=40),
                       by=applicant_of(assigned_task))
    assert err.value.code == "already_booked"


def test_second_task_cannot_take_a_slot_already_booked(crew, assigned_task, inspectors,
                                                       inspected_matter, dispatcher):
    other_task = make_assigned_task([make_inspected_case(crew, inspected_matter)], dispatcher,
                                    inspectors)
    slot = publish(inspectors[0])
    booking_create(task=assigned_task, slot=slot, by=applicant_of(assigned_task))
    with pytest.raises(ConflictError) as err:
        booking_create(task=other_task, slot=slot, by=applicant_of(other_task))
    assert err.value.code == "slot_taken" and "已被预约" in err.value.message
    other_task.refresh_from_db()
    assert other_task.status == TaskStatus.ASSIGNED


def test_the_unique_constraint_answers_slot_taken_when_the_checks_are_raced(
        crew, assigned_task, inspectors, inspected_matter, dispatcher, monkeypatch):
    """The checks passed for both (as in two transactions at once): the database refuses."""
    other_task = make_assigned_task([make_inspected_case(crew, inspected_matter)], dispatcher,
                                    inspectors)
    slot = publish(inspectors[0])
    booking_create(task=assigned_task, slot=slot, by=applicant_of(assigned_task))
    monkeypatch.setattr(services, "_check_bookable", lambda task, slot: None)
    with pytest.raises(ConflictError) as err:
        booking_create(task=other_task, slot=slot, by=applicant_of(other_task))
    assert err.value.code == "slot_taken"
    other_task.refresh_from_db()
    assert other_task.status == TaskStatus.ASSIGNED
    assert Booking.objects.filter(slot=slot).count() == 1


# --- rescheduling ----------------------------------------------------------------------------

def test_reschedule_moves_the_booking_and_keeps_the_task_booked(assigned_task, inspectors):
    applicant = applicant_of(assigned_task)
    first = booking_create(task=assigned_task, slot=publish(inspectors[0], hours=30),
                           by=applicant)
    target = publish(inspectors[1], hours=60)
    new = booking_reschedule(booking=first, slot=target, by=applicant)
    first.refresh_from_db()
    assigned_task.refresh_from_db()
    assert first.cancelled_at is not None and first.cancel_reason == "改约"
    assert new.replaces == first and new.slot == target and new.starts_at == target.starts_at
    assert assigned_task.status == TaskStatus.BOOKED
    assert [t[:3] for t in told(inspectors[0])] == ["预约成", "已改约"]
    assert first.slot in bookable_slots(assigned_task)  # the old slot is free again


def test_reschedule_limit_counts_the_chain(assigned_task, inspectors, dispatcher, settings):
    settings.ONESEAL_BOOKING_MAX_RESCHEDULES = 2
    applicant = applicant_of(assigned_task)
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0], hours=30),
                             by=applicant)
    for hours in (40, 50):
        booking = booking_reschedule(booking=booking, slot=publish(inspectors[0], hours=hours),
                                     by=applicant)
    with pytest.raises(ConflictError) as err:
        booking_reschedule(booking=booking, slot=publish(inspectors[0], hours=60), by=applicant)
    assert err.value.code == "reschedule_limit" and "调度员" in err.value.message
    assert Booking.objects.get(cancelled_at__isnull=True) == booking
    # the dispatcher may make an exception
    moved = booking_reschedule(booking=booking, slot=Slot.objects.get(
        starts_at__gt=at(59)), by=dispatcher)
    assert services.reschedules_used(moved) == 3


def test_applicant_cannot_reschedule_or_cancel_after_the_cutoff(assigned_task, inspectors,
                                                                 dispatcher, settings):
    applicant = applicant_of(assigned_task)
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0], hours=10),
                             by=applicant)
    settings.ONESEAL_BOOKING_CHANGE_CUTOFF_HOURS = 12  # now inside the cutoff
    for attempt in (lambda: booking_reschedule(booking=booking, by=applicant,
                                               slot=publish(inspectors[0], hours=30)),
                    lambda: booking_cancel(booking=booking, by=applicant, reason="")):
        with pytest.raises(ConflictError) as err:
            attempt()
        assert err.value.code == "change_cutoff" and "12 小时" in err.value.message
    assert services.may_change(applicant, booking) is False
    assert services.may_change(dispatcher, booking) is True
    booking_reschedule(booking=booking, slot=Slot.objects.get(starts_at__gt=at(29)),
                       by=dispatcher)


def test_reschedule_of_a_cancelled_booking_is_refused(assigned_task, inspectors):
    applicant = applicant_of(assigned_task)
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0]), by=applicant)
    booking_cancel(booking=booking, by=applicant)
    with pytest.raises(ConflictError) as err:
        booking_reschedule(booking=booking, slot=publish(inspectors[1], hours=60), by=applicant)
    assert err.value.code == "booking_not_active"


# --- cancelling and lapsing ------------------------------------------------------------------

def test_applicant_cancel_returns_the_task_to_assigned(assigned_task, inspectors):
    applicant = applicant_of(assigned_task)
    slot = publish(inspectors[0])
    booking = booking_cancel(booking=booking_create(task=assigned_task, slot=slot,
                                                    by=applicant), by=applicant)
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.ASSIGNED
    assert booking.cancel_reason == "申请人取消" and booking.cancelled_by == applicant
    assert list(bookable_slots(assigned_task)) == [slot]
    assert [t[:5] for t in told(inspectors[1])] == ["预约成功：", "预约已取消"]
    again = booking_create(task=assigned_task, slot=slot, by=applicant)  # bookable again
    assert again.active


def test_inspector_cancels_with_a_reason_and_the_applicant_is_told(assigned_task,
                                                                   inspectors):
    applicant = applicant_of(assigned_task)
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0]), by=applicant)
    with pytest.raises(ApplicationError) as err:
        booking_cancel(booking=booking, by=inspectors[1], reason="  ")
    assert err.value.code == "reason_required"
    booking_cancel(booking=booking, by=inspectors[1], reason="临时公务")
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.ASSIGNED
    cancelled = Notification.objects.filter(recipient=applicant, event="appointment_changed",
                                            title__startswith="预约已取消").get()
    assert "临时公务" in cancelled.body and "重新" in cancelled.body
    assert len(told(inspectors[1])) == 1  # the one who cancelled is not told of it


def test_dispatcher_cancels_any_time_before_the_start(assigned_task, inspectors, dispatcher,
                                                      settings):
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0], hours=3),
                             by=applicant_of(assigned_task))
    settings.ONESEAL_BOOKING_CHANGE_CUTOFF_HOURS = 24
    booking_cancel(booking=booking, by=dispatcher, reason="申请人来电取消")
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.ASSIGNED


def test_unrelated_staff_cannot_cancel(assigned_task, inspectors, inspected_matter):
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0]),
                             by=applicant_of(assigned_task))
    for user in (make_inspector(inspected_matter), staff("reviewer")):
        with pytest.raises(PermissionRefused):
            booking_cancel(booking=booking, by=user, reason="无关")
    booking.refresh_from_db()
    assert booking.active


def test_releasing_an_inspector_lapses_the_booking(assigned_task, inspectors, dispatcher):
    applicant = applicant_of(assigned_task)
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0]), by=applicant)
    task_release(task=assigned_task, inspector=inspectors[0], by=dispatcher, reason="回避")
    booking.refresh_from_db()
    assigned_task.refresh_from_db()
    assert booking.cancelled_at is not None and "重新预约" in booking.cancel_reason
    assert assigned_task.status == TaskStatus.NEW  # unbooked, then one inspector short
    assert told(applicant)[-1].startswith("预约已失效")
    assert AuditEntry.objects.filter(action="inspections.booking_lapse").count() == 1


def test_a_started_inspection_can_no_longer_be_changed(assigned_task, inspectors, dispatcher):
    booking = booking_create(task=assigned_task, slot=publish(inspectors[0]),
                             by=applicant_of(assigned_task))
    type(assigned_task).objects.filter(pk=assigned_task.pk).update(
        status=TaskStatus.IN_PROGRESS)
    for attempt in (lambda: booking_cancel(booking=booking, by=dispatcher, reason="来电"),
                    lambda: booking_reschedule(booking=booking, by=dispatcher,
                                               slot=publish(inspectors[1], hours=60))):
        with pytest.raises(ConflictError) as err:
            attempt()
        assert err.value.code == "task_not_bookable"
    booking.refresh_from_db()
    assert booking.active
