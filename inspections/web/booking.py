"""Booking pages (在线预约): an inspector's own slots (publish, withdraw, cancel a booking
with a reason) and a task's booking page for the applicant side or a dispatcher (book,
reschedule, cancel). Every action calls ``inspections.services.booking``."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from inspections.models import Slot, TaskStatus
from inspections.selectors import booking_get, booking_task_get
from inspections.services import booking as services
from inspections.services.dispatch import task_inspectors
from portal.accounts.roles import Role
from portal.core.calendar import get_calendar
from portal.core.errors import ApplicationError

WEEKDAYS = [gettext_lazy("周一"), gettext_lazy("周二"), gettext_lazy("周三"),
            gettext_lazy("周四"), gettext_lazy("周五"), gettext_lazy("周六"), gettext_lazy("周日")]


class SlotForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("日期"),
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(label=gettext_lazy("开始时间"),
                            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=gettext_lazy("结束时间"),
                          widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    days = forms.IntegerField(label=gettext_lazy("连续天数"), min_value=1,
                              max_value=services.MAX_SERIES_DAYS, initial=1,
                              help_text=gettext_lazy("同一时段连续发布多天（含周末），最多 14 天。"))
    note = forms.CharField(label=gettext_lazy("说明"), max_length=100, required=False,
                           help_text=gettext_lazy("可选，如“晚间可约”“仅限视频勘验”。"))

    def clean(self):
        data = super().clean()
        if {"day", "start", "end"} <= data.keys():
            if data["end"] <= data["start"]:
                self.add_error("end", _("结束时间须晚于开始时间。"))
            else:
                data["starts_at"] = timezone.make_aware(datetime.combine(data["day"],
                                                                         data["start"]))
                data["ends_at"] = timezone.make_aware(datetime.combine(data["day"], data["end"]))
        return data


def _require_inspector(user) -> None:
    if not user.has_role(Role.INSPECTOR):
        raise PermissionDenied(_("只有勘验员可以管理可预约时段。"))


@login_required
def slot_list_page(request):
    """我的可预约时段: list (with booking status) and the publish form."""
    _require_inspector(request.user)
    form = SlotForm(request.POST or None, initial={"day": timezone.localdate() +
                                                   timedelta(days=1)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slots = services.slot_publish_series(
                inspector=request.user, starts_at=data["starts_at"], ends_at=data["ends_at"],
                days=data["days"], note=data["note"], by=request.user)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已发布 {n} 个可预约时段。").format(n=len(slots)))
            return redirect("inspection-slots")
    page = Paginator(services.inspector_slots(inspector=request.user), 50) \
        .get_page(request.GET.get("page"))
    cal = get_calendar()
    for slot in page.object_list:
        slot.off_hours = services.slot_off_hours(slot, cal)
        slot.booking = slot.active_bookings[0] if slot.active_bookings else None
    return render(request, "inspections/booking/slots.html", {
        "form": form, "page": page, "cutoff_hours": services.change_cutoff_hours(),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def slot_withdraw_page(request, slot_id: int):
    _require_inspector(request.user)
    slot = Slot.objects.filter(pk=slot_id, inspector=request.user).first()
    if slot is None:
        raise Http404
    try:
        services.slot_withdraw(slot=slot, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("时段已撤回。"))
    return redirect("inspection-slots")


def _slot_days(slots: list[Slot]) -> list[dict]:
    """Bookable slots grouped by local day, each marked 错时/周末 where it is."""
    cal, days = get_calendar(), []
    for day, group in groupby(slots, key=lambda s: timezone.localdate(s.starts_at)):
        rows = list(group)
        for slot in rows:
            slot.off_hours = services.slot_off_hours(slot, cal)
        days.append({"day": day, "weekday": WEEKDAYS[day.weekday()],
                     "day_off": not cal.is_workday(day), "slots": rows})
    return days


@login_required
def booking_page(request, task_id: int):
    """The task's booking: the current one, the rules and the bookable slots by day."""
    task = booking_task_get(request.user, task_id)
    current = services.active_booking(task)
    used = services.reschedules_used(current) if current else 0
    return render(request, "inspections/booking/booking.html", {
        "task": task,
        "cases": task.cases.select_related("matter").order_by("pk"),
        "inspectors": task_inspectors(task),
        "booking": current,
        "can_change": current is not None and services.may_change(request.user, current),
        "reschedules_left": max(0, services.max_reschedules() - used),
        "bookable": task.status in (TaskStatus.ASSIGNED, TaskStatus.BOOKED),
        "days": _slot_days(list(services.bookable_slots(task))),
        "is_dispatcher": services.is_dispatcher(request.user),
        "rules": {"lead": services.min_lead_hours(), "cutoff": services.change_cutoff_hours(),
                  "max": services.max_reschedules(), "remind": services.reminder_hours()},
    })


def _posted_slot(request) -> Slot:
    raw = request.POST.get("slot", "")
    slot = Slot.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if slot is None:
        raise ApplicationError(_("请选择一个可预约的时段。"), "slot_required")
    return slot


@login_required
@require_POST
def booking_book_page(request, task_id: int):
    task = booking_task_get(request.user, task_id)
    try:
        booking = services.booking_create(task=task, slot=_posted_slot(request),
                                          by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("预约成功：{when:%Y-%m-%d %H:%M}。").format(
            when=timezone.localtime(booking.starts_at)))
    return redirect("inspection-booking", task_id=task.pk)


@login_required
@require_POST
def booking_reschedule_page(request, task_id: int):
    task = booking_task_get(request.user, task_id)
    try:
        current = services.active_booking(task)
        if current is None:
            raise ApplicationError(_("本任务当前没有预约，请直接预约。"), "booking_not_active")
        booking = services.booking_reschedule(booking=current, slot=_posted_slot(request),
                                              by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已改约至 {when:%Y-%m-%d %H:%M}。").format(
            when=timezone.localtime(booking.starts_at)))
    return redirect("inspection-booking", task_id=task.pk)


@login_required
@require_POST
def booking_cancel_page(request, booking_id: int):
    """Cancel from the booking page (applicant side, dispatcher) or the slots page
    (an assigned inspector, with a reason); back to the page the user came from."""
    booking = booking_get(request.user, booking_id)
    try:
        services.booking_cancel(booking=booking, by=request.user,
                                reason=request.POST.get("reason", "")[:200])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("预约已取消，已通知相关人员。"))
    if services.may_book(request.user, booking.task):
        return redirect("inspection-booking", task_id=booking.task_id)
    return redirect("inspection-slots")
