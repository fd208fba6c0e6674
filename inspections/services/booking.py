"""Online booking (在线预约): inspectors publish their own slots (evenings and weekends
allowed, 错时/周末), the applicant side (or a dispatcher taking a phone request) books one,
reschedules or cancels it within the rules, both sides are told, and a beat task reminds
everyone the day before.

Rules (settings, with defaults): book at least ``ONESEAL_BOOKING_MIN_LEAD_HOURS`` (2) ahead;
the applicant side may change or cancel until ``ONESEAL_BOOKING_CHANGE_CUTOFF_HOURS`` (2)
before the start and reschedule at most ``ONESEAL_BOOKING_MAX_RESCHEDULES`` (2) times; a
dispatcher may do either until the inspection starts; an assigned inspector may cancel
with a reason (临时公务). Reminders go out ``ONESEAL_BOOKING_REMINDER_HOURS`` (24) ahead.

Locks are taken in one order, task -> inspectors (by id) -> slot, so two bookings that share
an inspector are serialised and cannot both take the same hour; the partial unique
constraints on ``Booking`` are the last word on a slot or task booked twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.permissions import acts_for_applicant
from inspections.models import Booking, InspectionTask, InspectorAbsence, Slot, TaskStatus
from inspections.permissions import is_dispatcher
from inspections.services.dispatch import active_inspector_ids, locked_task, task_inspectors
from inspections.tiers import Mode
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.calendar import get_calendar
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.workdays import WorkCalendar
from portal.notifications.rendering import absolute
from portal.notifications.services.notify import notify
from portal.notifications.services.transitions import case_context, notify_applicant_side

logger = logging.getLogger(__name__)

MIN_SLOT = timedelta(minutes=15)
MAX_SLOT = timedelta(hours=4)
MAX_SERIES_DAYS = 14
#: Office hours; a slot with any part outside them (or on a day off) is 错时/周末.
OFFICE_OPENS, OFFICE_CLOSES = time(8, 30), time(17, 30)
EVENT_CHANGED = "appointment_changed"
EVENT_REMINDER = "appointment_reminder"


def _hours(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def min_lead_hours() -> int:
    return _hours("ONESEAL_BOOKING_MIN_LEAD_HOURS", 2)


def change_cutoff_hours() -> int:
    return _hours("ONESEAL_BOOKING_CHANGE_CUTOFF_HOURS", 2)


def max_reschedules() -> int:
    return _hours("ONESEAL_BOOKING_MAX_RESCHEDULES", 2)


def reminder_hours() -> int:
    return _hours("ONESEAL_BOOKING_REMINDER_HOURS", 24)


def slot_off_hours(slot: Slot, cal: WorkCalendar | None = None) -> bool:
    """错时/周末: on a weekend or holiday, or partly before 08:30 or after 17:30 local."""
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    if not (cal or get_calendar()).is_workday(start.date()):
        return True
    return (start.time() < OFFICE_OPENS or end.date() > start.date()
            or end.time() > OFFICE_CLOSES)


# ---------------------------------------------------------------- who may act

def may_book(user: User, task: InspectionTask) -> bool:
    """The applicant side of the task, or a dispatcher (booking on the applicant's behalf)."""
    return acts_for_applicant(user, task.applicant) or is_dispatcher(user)


def may_change(user: User, booking: Booking) -> bool:
    """Whether ``user`` may still reschedule or cancel ``booking`` online now (a dispatcher
    until the inspection starts; the applicant side until the cutoff)."""
    if is_dispatcher(user) and not acts_for_applicant(user, booking.task.applicant):
        return True
    return timezone.now() <= booking.starts_at - timedelta(hours=change_cutoff_hours())


def may_see_booking(user: User, booking: Booking) -> bool:
    """Who may see (and, by the service's rules, cancel) a booking."""
    return may_book(user, booking.task) or (
        user.is_authenticated and user.pk in active_inspector_ids(booking.task))


def _require_booker(user: User, task: InspectionTask) -> None:
    if not may_book(user, task):
        raise PermissionRefused(_("只有申请人（或其授权代办人）和勘验调度员可以预约勘验。"),
                                "permission_denied")


def _require_inspector(user: User, inspector: User) -> None:
    if not (user.is_authenticated and user.is_active and user.has_role(Role.INSPECTOR)
            and user.pk == inspector.pk):
        raise PermissionRefused(_("勘验员只能发布和撤回本人的可预约时段。"), "permission_denied")


# ---------------------------------------------------------------- locks

def _lock_inspectors(task: InspectionTask) -> None:
    list(User.objects.select_for_update().filter(pk__in=active_inspector_ids(task))
         .order_by("pk").values_list("pk", flat=True))


def _lock_slot(slot_id: int) -> Slot:
    return Slot.objects.select_for_update().get(pk=slot_id)


def _lock_booking(booking_id: int) -> Booking:
    return Booking.objects.select_for_update().get(pk=booking_id)


# ---------------------------------------------------------------- slots

def _check_slot_times(starts_at: datetime, ends_at: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ApplicationError(_("请填写完整的日期和时间。"), "invalid_time")
    if starts_at <= timezone.now():
        raise ApplicationError(_("开始时间须晚于当前时间。"), "slot_in_past")
    if not MIN_SLOT <= ends_at - starts_at <= MAX_SLOT:
        raise ApplicationError(_("每个时段须在 15 分钟到 4 小时之间（结束时间须晚于开始时间）。"),
                               "invalid_length")


def _publish_one(inspector: User, starts_at: datetime, ends_at: datetime, note: str,
                 by: User) -> Slot:
    _check_slot_times(starts_at, ends_at)
    if Slot.objects.filter(inspector=inspector, withdrawn_at__isnull=True,
                           starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ConflictError(_("{start:%Y-%m-%d %H:%M} 起的时段与您已发布的时段重叠。").format(
            start=timezone.localtime(starts_at)), "slot_overlap")
    slot = Slot.objects.create(inspector=inspector, starts_at=starts_at, ends_at=ends_at,
                               note=note.strip()[:100])
    audit_log(action="inspections.slot_publish", actor=by, obj=slot,
              after={"starts_at": starts_at, "ends_at": ends_at, "note": slot.note})
    return slot


def slot_publish(*, inspector: User, starts_at: datetime, ends_at: datetime, note: str = "",
                 by: User) -> Slot:
    """An inspector publishes one of their own slots (evenings and weekends allowed)."""
    _require_inspector(by, inspector)
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=inspector.pk).values_list("pk"))
        return _publish_one(inspector, starts_at, ends_at, note, by)


def slot_publish_series(*, inspector: User, starts_at: datetime, ends_at: datetime,
                        days: int, note: str = "", by: User) -> list[Slot]:
    """The same hours on ``days`` consecutive days (weekends included); all or none."""
    _require_inspector(by, inspector)
    if not 1 <= days <= MAX_SERIES_DAYS:
        raise ApplicationError(_("连续发布天数须为 1–{n} 天。").format(n=MAX_SERIES_DAYS),
                               "invalid_days")
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=inspector.pk).values_list("pk"))
        start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        slots = []
        for n in range(days):
            # same wall-clock hours each day (local time), not 24-hour steps
            day_start = timezone.make_aware(start.replace(tzinfo=None) + timedelta(days=n))
            day_end = timezone.make_aware(end.replace(tzinfo=None) + timedelta(days=n))
            slots.append(_publish_one(inspector, day_start, day_end, note, by))
    return slots


def slot_withdraw(*, slot: Slot, by: User) -> Slot:
    """The owner withdraws a slot nobody has booked."""
    with transaction.atomic():
        slot = _lock_slot(slot.pk)
        _require_inspector(by, slot.inspector)
        if slot.withdrawn_at is not None:
            raise ConflictError(_("该时段已撤回。"), "slot_withdrawn")
        if slot.bookings.filter(cancelled_at__isnull=True).exists():
            raise ConflictError(
                _("该时段已被预约，不能撤回。请联系申请人或勘验调度员改约；确有临时公务的，"
                  "可取消该预约并说明理由。"), "slot_booked")
        slot.withdrawn_at = timezone.now()
        slot.save(update_fields=["withdrawn_at"])
        audit_log(action="inspections.slot_withdraw", actor=by, obj=slot,
                  after={"withdrawn_at": slot.withdrawn_at})
    return slot


def inspector_slots(*, inspector: User, since: datetime | None = None) -> QuerySet[Slot]:
    """An inspector's open slots ending after ``since`` (now), with their active booking."""
    active = (Booking.objects.filter(cancelled_at__isnull=True)
              .select_related("task__applicant"))
    return (Slot.objects.filter(inspector=inspector, withdrawn_at__isnull=True,
                                ends_at__gte=since or timezone.now())
            .select_related("inspector")
            .prefetch_related(Prefetch("bookings", queryset=active, to_attr="active_bookings"))
            .order_by("starts_at", "pk"))


def bookable_slots(task: InspectionTask, *, now: datetime | None = None) -> QuerySet[Slot]:
    """Slots the task may be booked into, by time: published by one of its inspectors, not
    withdrawn, not booked, at least the minimum lead ahead, neither inspector absent that
    day or busy then with another booked task (and on the trip's day, for a 合并勘验)."""
    if task.status not in (TaskStatus.ASSIGNED, TaskStatus.BOOKED):
        return Slot.objects.none()
    ids = active_inspector_ids(task)
    earliest = (now or timezone.now()) + timedelta(hours=min_lead_hours())
    taken = Booking.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True)
    busy = Booking.objects.filter(
        cancelled_at__isnull=True, starts_at__lt=OuterRef("ends_at"),
        ends_at__gt=OuterRef("starts_at"), task__assignments__inspector_id__in=ids,
        task__assignments__released_at__isnull=True).exclude(task_id=task.pk)
    absent = InspectorAbsence.objects.filter(user_id__in=ids, start__lte=OuterRef("day"),
                                             end__gte=OuterRef("day"))
    qs = (Slot.objects.filter(inspector_id__in=ids, withdrawn_at__isnull=True,
                              starts_at__gte=earliest)
          .annotate(day=TruncDate("starts_at"))
          .exclude(Exists(taken)).exclude(Exists(busy)).exclude(Exists(absent)))
    if task.trip_id:
        qs = qs.filter(day=task.trip.date)
    return qs.select_related("inspector").order_by("starts_at", "pk")


def active_booking(task: InspectionTask) -> Booking | None:
    return (task.bookings.filter(cancelled_at__isnull=True).select_related("slot__inspector")
            .first())


def reschedules_used(booking: Booking) -> int:
    """How many times the chain ending in ``booking`` has been rescheduled."""
    used, current = 0, booking
    while current.replaces_id is not None:
        used += 1
        current = Booking.objects.only("pk", "replaces_id").get(pk=current.replaces_id)
    return used


# ---------------------------------------------------------------- bookings

def _check_bookable(task: InspectionTask, slot: Slot) -> None:
    if slot.withdrawn_at is not None:
        raise ConflictError(_("该时段已被勘验员撤回，请选择其他时段。"), "slot_withdrawn")
    if slot.starts_at < timezone.now() + timedelta(hours=min_lead_hours()):
        raise ApplicationError(_("须至少提前 {h} 小时预约，请选择更晚的时段。").format(
            h=min_lead_hours()), "too_soon")
    if slot.bookings.filter(cancelled_at__isnull=True).exists():
        raise ConflictError(_("该时段已被预约，请选择其他时段。"), "slot_taken")
    if not bookable_slots(task).filter(pk=slot.pk).exists():
        raise ConflictError(_("该时段不可预约：不是本任务勘验人员发布的时段，或勘验人员当时另有安排。"),
                            "slot_unavailable")


def _book(task: InspectionTask, slot: Slot, by: User, replaces: Booking | None) -> Booking:
    try:
        with transaction.atomic():
            return Booking.objects.create(
                task=task, slot=slot, starts_at=slot.starts_at, ends_at=slot.ends_at,
                booked_by=by, booked_at=timezone.now(), replaces=replaces)
    except IntegrityError:
        raise ConflictError(_("该时段已被预约，请选择其他时段。"), "slot_taken") from None


def _cancel(booking: Booking, by: User, reason: str) -> None:
    booking.cancelled_at, booking.cancelled_by = timezone.now(), by
    booking.cancel_reason = reason[:200]
    booking.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])


def _check_cutoff(booking: Booking, action: str) -> None:
    hours = change_cutoff_hours()
    if timezone.now() > booking.starts_at - timedelta(hours=hours):
        raise ConflictError(
            _("距预约时间已不足 {h} 小时，不能在线{action}；如确需调整，请致电勘验调度员。").format(
                h=hours, action=action), "change_cutoff")


def _locked_active(booking: Booking) -> tuple[InspectionTask, Booking]:
    task = locked_task(booking.task_id)
    booking = _lock_booking(booking.pk)
    if booking.cancelled_at is not None:
        raise ConflictError(_("该预约已取消或已变更，请刷新后重试。"), "booking_not_active")
    if task.status != TaskStatus.BOOKED:
        raise ConflictError(_("勘验已开始或已结束，不能再改约或取消。"), "task_not_bookable")
    return task, booking


def _audit(action: str, by: User, booking: Booking, **after) -> None:
    audit_log(action=f"inspections.{action}", actor=by, obj=booking.task,
              after={"booking": booking.pk, "slot": booking.slot_id,
                     "starts_at": booking.starts_at, **after})


def booking_create(*, task: InspectionTask, slot: Slot, by: User) -> Booking:
    """Book ``slot`` for a task waiting to be booked (待预约 -> 已预约)."""
    with transaction.atomic():
        task = locked_task(task.pk)
        _require_booker(by, task)
        if task.status == TaskStatus.BOOKED:
            raise ConflictError(_("本任务已预约；如需调整时间，请改约。"), "already_booked")
        if task.status != TaskStatus.ASSIGNED:
            raise ConflictError(_("任务当前状态为“{status}”，不能预约。").format(
                status=task.get_status_display()), "task_not_bookable")
        _lock_inspectors(task)
        slot = _lock_slot(slot.pk)
        _check_bookable(task, slot)
        booking = _book(task, slot, by, replaces=None)
        task.book()
        task.save()
        _audit("booking_create", by, booking)
        _tell(task, booking, "booked", by=by)
    return booking


def booking_reschedule(*, booking: Booking, slot: Slot, by: User) -> Booking:
    """Move a booking to another slot (改约); the task stays booked."""
    with transaction.atomic():
        task, old = _locked_active(booking)
        _require_booker(by, task)
        on_behalf = is_dispatcher(by) and not acts_for_applicant(by, task.applicant)
        if not on_behalf:
            _check_cutoff(old, _("改约"))
            if reschedules_used(old) >= max_reschedules():
                raise ConflictError(
                    _("每个勘验任务最多在线改约 {n} 次，本任务已达上限；如确需调整，请联系勘验调度员。")
                    .format(n=max_reschedules()), "reschedule_limit")
        if slot.pk == old.slot_id:
            raise ApplicationError(_("请选择与当前预约不同的时段。"), "same_slot")
        _lock_inspectors(task)
        slot = _lock_slot(slot.pk)
        _check_bookable(task, slot)
        _cancel(old, by, _("改约"))
        new = _book(task, slot, by, replaces=old)
        _audit("booking_reschedule", by, new, replaces=old.pk,
               previous_starts_at=old.starts_at)
        _tell(task, new, "rescheduled", by=by, previous=old)
    return new


def booking_cancel(*, booking: Booking, by: User, reason: str = "") -> Booking:
    """Cancel a booking: the applicant side before the cutoff, a dispatcher until the
    inspection starts, an assigned inspector with a reason. The task waits to be booked."""
    reason = (reason or "").strip()
    with transaction.atomic():
        task, booking = _locked_active(booking)
        if acts_for_applicant(by, task.applicant):
            _check_cutoff(booking, _("取消"))
            reason = reason or _("申请人取消")
        elif is_dispatcher(by) or by.pk in active_inspector_ids(task):
            if not reason:
                raise ApplicationError(_("请填写取消原因（将告知申请人）。"), "reason_required")
        else:
            raise PermissionRefused(_("您无权取消该预约。"), "permission_denied")
        _cancel(booking, by, reason)
        task.unbook()
        task.save()
        _audit("booking_cancel", by, booking, reason=booking.cancel_reason)
        _tell(task, booking, "cancelled", by=by)
    return booking


def booking_lapse(*, task: InspectionTask, by: User, reason: str,
                  change: str = "lapsed") -> Booking | None:
    """The booking lapses because an inspector was taken off the task (called by
    ``dispatch.task_release`` under its task lock), or is cancelled because the video call
    could not be held (``change="cancelled"``, by ``video.services.call_fallback``): cancel
    it, unbook ``task`` itself."""
    booking = (Booking.objects.select_for_update()
               .filter(task_id=task.pk, cancelled_at__isnull=True).first())
    if booking is not None:
        _cancel(booking, by, reason)
    if task.status == TaskStatus.BOOKED:
        task.unbook()
        task.save()
    if booking is not None:
        _audit("booking_lapse" if change == "lapsed" else "booking_cancel", by, booking,
               reason=booking.cancel_reason)
        _tell(task, booking, change, by=by)
    return booking


def tell_mode_change(*, task: InspectionTask, by: User, reason: str, key: str) -> int:
    """Tell both sides that the video inspection becomes an on-site one (at the booked
    time, if there is a booking)."""
    booking = active_booking(task)
    case, context = _context(task, booking)
    context |= {"change": "to_onsite", "reason": reason, "what": Mode(Mode.VIDEO).label}
    return _send(task, case, context, key=key, by=by)


def tell_video_resume(*, task: InspectionTask, by: User, reason: str, resume_at: datetime,
                      key: str) -> int:
    """Tell both sides when an interrupted video inspection goes on."""
    case, context = _context(task, None)
    context |= {"change": "video_resume", "reason": reason, "when": resume_at,
                "call_link": absolute(reverse("inspection-call", args=[task.pk]))}
    return _send(task, case, context, key=key, by=by)


# ---------------------------------------------------------------- telling both sides

def _context(task: InspectionTask, booking: Booking | None) -> tuple[object, dict]:
    case = task.cases.select_related("matter", "applicant", "applicant__user") \
        .order_by("pk").first()
    context = (case_context(case) if case else {}) | {
        "what": Mode(task.mode).label if task.mode in Mode.values else "",
        "when": booking.starts_at if booking else None, "place": task.address,
        "task_number": task.number,
        "booking_link": absolute(reverse("inspection-booking", args=[task.pk])),
    }
    return case, context


def _tell(task: InspectionTask, booking: Booking, change: str, *, by: User,
          previous: Booking | None = None) -> int:
    """Tell the applicant side and the inspectors (not the one who acted) of a change."""
    case, context = _context(task, booking)
    context |= {"change": change, "reason": booking.cancel_reason,
                "previous_when": previous.starts_at if previous else None}
    return _send(task, case, context, key=f"booking:{booking.pk}:{change}", by=by)


def _send(task: InspectionTask, case, context: dict, *, key: str, by: User) -> int:
    sent = 0
    if case is not None:
        sent += notify_applicant_side(case=case, event=EVENT_CHANGED, key=key,
                                      context=context | {"audience": "applicant"})
    link = reverse("inspection-slots")
    for inspector in task_inspectors(task):
        if inspector.pk != by.pk:
            sent += bool(notify(recipient=inspector, event=EVENT_CHANGED, link=link,
                                context=context | {"audience": "staff"},
                                key=f"{key}:u{inspector.pk}"))
    return sent


def booking_remind_due(now: datetime | None = None) -> int:
    """Remind both sides of bookings starting within the reminder window, once each (a
    conditional update claims the booking, so concurrent runs send once); the count."""
    now = now or timezone.now()
    due = list(Booking.objects.filter(
        cancelled_at__isnull=True, reminded_at__isnull=True, task__status=TaskStatus.BOOKED,
        starts_at__gt=now, starts_at__lte=now + timedelta(hours=reminder_hours()))
        .order_by("starts_at").values_list("pk", flat=True))
    return sum(_remind(pk, now) for pk in due)


def _remind(booking_id: int, now: datetime) -> int:
    with transaction.atomic():
        claimed = Booking.objects.filter(pk=booking_id, reminded_at__isnull=True,
                                         cancelled_at__isnull=True).update(reminded_at=now)
        if not claimed:
            return 0
        booking = Booking.objects.select_related("task__applicant").get(pk=booking_id)
        task = booking.task
        case, context = _context(task, booking)
        key = f"booking:{booking.pk}:reminder"
        if case is not None:
            notify_applicant_side(case=case, event=EVENT_REMINDER, key=key, context=context | {
                "audience": "applicant",
                "note": _("如需改约或取消，请于预约时间 {h} 小时前在线办理：{link}").format(
                    h=change_cutoff_hours(), link=context["booking_link"])})
        for inspector in task_inspectors(task):
            notify(recipient=inspector, event=EVENT_REMINDER, link=reverse("inspection-slots"),
                   key=f"{key}:u{inspector.pk}", context=context | {
                       "audience": "staff",
                       "note": _("勘验任务 {number}，申请人 {applicant}。").format(
                           number=task.number, applicant=task.applicant.name)})
    return 1
