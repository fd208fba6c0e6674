"""Dispatcher board pages (勘验调度): the board of open requests and tasks, the dispatch page
of one task (eligibility, manual assignment, random draw, release, draw records) and the
page of a trip (合并勘验). Bureau staff may look; only dispatchers act, which the dispatch
services decide. A refusal is shown in Chinese on the same page with what was typed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from inspections import selectors
from inspections.models import OPEN_TASK_STATES, InspectionRequest, InspectionTask, TaskStatus
from inspections.permissions import is_dispatcher
from inspections.services import dispatch
from inspections.tiers import Tier
from portal.accounts.models import District, User
from portal.accounts.roles import Role
from portal.core.errors import ApplicationError

PAGE_SIZE = 50
#: a trip draws one pair for tasks that have not started
NOT_STARTED = (TaskStatus.NEW, TaskStatus.ASSIGNED, TaskStatus.BOOKED)


# ---------------------------------------------------------------- forms (shape only)

class BoardFilterForm(forms.Form):
    tier = forms.ChoiceField(label=gettext_lazy("服务档次"), required=False,
                             choices=[("", gettext_lazy("全部档次")), *Tier.choices])
    district = forms.ModelChoiceField(label=gettext_lazy("区划"), required=False,
                                      queryset=District.objects.all(),
                                      empty_label=gettext_lazy("全部区划"))
    status = forms.ChoiceField(label=gettext_lazy("任务状态"), required=False, choices=[
        ("", gettext_lazy("全部状态")),
        *[(s.value, s.label) for s in OPEN_TASK_STATES]])
    sort = forms.ChoiceField(label=gettext_lazy("排序"), required=False, choices=[
        ("promised", gettext_lazy("按承诺时间")), ("tier", gettext_lazy("按服务档次分组"))])

    def filters(self) -> dict:
        """Keyword arguments for the board selectors; invalid values are ignored."""
        if not self.is_valid():
            return {"tier": "", "district_id": None, "status": "", "sort": "promised"}
        data = self.cleaned_data
        return {"tier": data.get("tier") or "",
                "district_id": data["district"].pk if data.get("district") else None,
                "status": data.get("status") or "", "sort": data.get("sort") or "promised"}


class TaskCreateForm(forms.Form):
    requests = forms.ModelMultipleChoiceField(
        label=gettext_lazy("勘验申请"), queryset=InspectionRequest.objects.all(),
        error_messages={"required": gettext_lazy("请选择至少一个勘验申请。"),
                        "invalid_choice": gettext_lazy("所选勘验申请不存在，请刷新后重试。"),
                        "invalid_pk_value": gettext_lazy("所选勘验申请不存在，请刷新后重试。")})


class TripCreateForm(forms.Form):
    tasks = forms.ModelMultipleChoiceField(
        label=gettext_lazy("勘验任务"), queryset=InspectionTask.objects.all(),
        error_messages={"required": gettext_lazy("请选择要合并的勘验任务。"),
                        "invalid_choice": gettext_lazy("所选勘验任务不存在，请刷新后重试。"),
                        "invalid_pk_value": gettext_lazy("所选勘验任务不存在，请刷新后重试。")})
    date = forms.DateField(label=gettext_lazy("勘验日期"),
                           widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                           error_messages={"required": gettext_lazy("请选择勘验日期。"),
                                           "invalid": gettext_lazy("请填写正确的日期。")})
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)


def _inspector_field():
    return forms.ModelChoiceField(
        label=gettext_lazy("勘验员"), queryset=User.objects.filter(groups__name=Role.INSPECTOR),
        error_messages={"required": gettext_lazy("请选择勘验员。"),
                        "invalid_choice": gettext_lazy("所选人员不是勘验员。")})


class AssignForm(forms.Form):
    inspector = _inspector_field()
    reason = forms.CharField(label=gettext_lazy("指派理由"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReleaseForm(forms.Form):
    inspector = _inspector_field()
    reason = forms.CharField(label=gettext_lazy("撤换理由"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _require_staff(user) -> None:
    if not user.is_bureau_staff:
        raise PermissionDenied


def _query(request, *without: str) -> str:
    query = request.GET.copy()
    for key in without:
        query.pop(key, None)
    return query.urlencode()


def _form_messages(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# ---------------------------------------------------------------- the board

def _render_board(request, *, task_form: TaskCreateForm | None = None,
                  trip_form: TripCreateForm | None = None, status: int = 200):
    _require_staff(request.user)
    filters = BoardFilterForm(request.GET or None)
    f = filters.filters()
    requests_qs = selectors.board_open_requests(tier=f["tier"], district_id=f["district_id"],
                                                sort=f["sort"])
    tasks_qs = selectors.board_tasks(user=request.user, status=f["status"], tier=f["tier"],
                                     district_id=f["district_id"], sort=f["sort"])
    request_page = Paginator(requests_qs, PAGE_SIZE).get_page(request.GET.get("rpage"))
    task_page = Paginator(tasks_qs, PAGE_SIZE).get_page(request.GET.get("tpage"))
    now = timezone.now()
    for row in request_page.object_list:
        row.clock = selectors.board_clock(start=row.requested_at, due=row.promised_by, now=now)
    for task in task_page.object_list:
        task.clock = selectors.board_task_clock(task, now=now)
        task.mergeable = task.status in (TaskStatus.NEW, TaskStatus.ASSIGNED) and not task.trip_id
    context = {
        "filters": filters, "sort": f["sort"], "query": _query(request, "rpage", "tpage"),
        "request_query": _query(request, "rpage"), "task_query": _query(request, "tpage"),
        "request_page": request_page, "task_page": task_page,
        "request_groups": selectors.board_tier_groups(request_page.object_list)
        if f["sort"] == "tier" else None,
        "can_dispatch": is_dispatcher(request.user),
        "selected_requests": {str(v) for v in (task_form.data.getlist("requests")
                                               if task_form is not None else [])},
        "selected_tasks": {str(v) for v in (trip_form.data.getlist("tasks")
                                            if trip_form is not None else [])},
        "trip_form": trip_form or TripCreateForm(initial={"date": timezone.localdate()}),
    }
    return render(request, "inspections/board/board.html", context, status=status)


@login_required
@require_GET
def board_page(request):
    """/inspections/board/: open requests and open tasks, filtered and sorted."""
    return _render_board(request)


@login_required
@require_POST
def board_task_create(request):
    """One task from the ticked requests of one applicant (并联踏勘)."""
    _require_staff(request.user)
    form = TaskCreateForm(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
        return _render_board(request, task_form=form, status=400)
    try:
        task = dispatch.task_create(requests=list(form.cleaned_data["requests"]),
                                    by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _render_board(request, task_form=form, status=exc.status)
    messages.success(request, _("已生成勘验任务 {number}。").format(number=task.number))
    return redirect("inspection-board-task", task_id=task.pk)


@login_required
@require_POST
def board_trip_create(request):
    """合并勘验: the ticked tasks of one district visited together on the chosen day."""
    _require_staff(request.user)
    form = TripCreateForm(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
        return _render_board(request, trip_form=form, status=400)
    try:
        trip = dispatch.trip_create(tasks=list(form.cleaned_data["tasks"]),
                                    day=form.cleaned_data["date"], by=request.user,
                                    note=form.cleaned_data["note"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _render_board(request, trip_form=form, status=exc.status)
    messages.success(request, _("已生成合并勘验行程 {number}。").format(number=trip.number))
    return redirect("inspection-board-trip", trip_id=trip.pk)


# ---------------------------------------------------------------- one task

def _render_task(request, task_id: int, *, assign_form: AssignForm | None = None,
                 release: tuple[int, ReleaseForm] | None = None, status: int = 200):
    task = selectors.board_task_get(user=request.user, task_id=task_id)
    eligibility = selectors.board_eligibility(task)
    # inspectors may be replaced until the task ends (dispatch.task_release)
    can_dispatch = is_dispatcher(request.user) and task.status in OPEN_TASK_STATES
    for assignment in task.active_assignments:
        pk = assignment.inspector_id
        assignment.release_form = (release[1] if release and release[0] == pk else
                                   ReleaseForm(initial={"inspector": pk}, prefix=f"release-{pk}"))
    context = {
        "task": task, "clock": selectors.board_task_clock(task),
        "summary": selectors.board_checklist_summary(task),
        "draw_rows": selectors.board_draw_rows(list(task.draws.all())),
        "eligibility": eligibility,
        "eligible": [row.inspector for row in eligibility if row.eligible],
        "assign_form": assign_form or AssignForm(),
        "can_dispatch": can_dispatch,
        "free_places": max(0, dispatch.INSPECTORS_PER_TASK - len(task.active_assignments)),
    }
    return render(request, "inspections/board/task.html", context, status=status)


@login_required
@require_GET
def task_page(request, task_id: int):
    """/inspections/board/tasks/<id>/: the dispatch page of one task."""
    return _render_task(request, task_id)


@login_required
@require_POST
def task_assign(request, task_id: int):
    task = selectors.board_task_get(user=request.user, task_id=task_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
        return _render_task(request, task_id, assign_form=form, status=400)
    inspector = form.cleaned_data["inspector"]
    try:
        dispatch.task_assign(task=task, inspector=inspector, by=request.user,
                             reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        if exc.code == "reason_required":
            form.add_error("reason", exc.message)
        return _render_task(request, task_id, assign_form=form, status=exc.status)
    messages.success(request, _("已指派 {name}。").format(name=inspector))
    return redirect("inspection-board-task", task_id=task_id)


@login_required
@require_POST
def task_draw(request, task_id: int):
    task = selectors.board_task_get(user=request.user, task_id=task_id)
    try:
        draw = dispatch.task_draw(task=task, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _render_task(request, task_id, status=exc.status)
    messages.success(request, _("已随机抽取（第 {n} 号抽取记录）。").format(n=draw.pk))
    return redirect("inspection-board-task", task_id=task_id)


@login_required
@require_POST
def task_release(request, task_id: int):
    task = selectors.board_task_get(user=request.user, task_id=task_id)
    raw = request.POST.get("inspector_id", "")
    prefix = f"release-{raw}" if raw.isdigit() else "release"
    form = ReleaseForm(request.POST, prefix=prefix)
    key = int(raw) if raw.isdigit() else 0
    if not form.is_valid():
        _form_messages(request, form)
        return _render_task(request, task_id, release=(key, form), status=400)
    inspector = form.cleaned_data["inspector"]
    try:
        dispatch.task_release(task=task, inspector=inspector, by=request.user,
                              reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        if exc.code == "reason_required":
            form.add_error("reason", exc.message)
        return _render_task(request, task_id, release=(key, form), status=exc.status)
    messages.success(request, _("已撤换 {name}。").format(name=inspector))
    return redirect("inspection-board-task", task_id=task_id)


# ---------------------------------------------------------------- trips

def _render_trip(request, trip_id: int, *, status: int = 200):
    trip = selectors.board_trip_get(user=request.user, trip_id=trip_id)
    now = timezone.now()
    tasks = list(trip.tasks.all())
    for task in tasks:
        task.clock = selectors.board_task_clock(task, now=now)
        task.late_for_trip = timezone.localdate(task.promised_by) < trip.date
    context = {"trip": trip, "tasks": tasks,
               "draw_rows": selectors.board_draw_rows(selectors.board_trip_draws(trip)),
               "can_dispatch": is_dispatcher(request.user)
               and any(t.status in NOT_STARTED and not t.active_assignments for t in tasks)}
    return render(request, "inspections/board/trip.html", context, status=status)


@login_required
@require_GET
def trip_page(request, trip_id: int):
    """/inspections/board/trips/<id>/: a trip's tasks, and one draw for all of them."""
    return _render_trip(request, trip_id)


@login_required
@require_POST
def trip_draw(request, trip_id: int):
    trip = selectors.board_trip_get(user=request.user, trip_id=trip_id)
    try:
        dispatch.trip_draw(trip=trip, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _render_trip(request, trip_id, status=exc.status)
    messages.success(request, _("已为行程 {number} 统一抽取勘验人员。").format(number=trip.number))
    return redirect("inspection-board-trip", trip_id=trip_id)
