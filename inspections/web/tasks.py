"""Task pages: "我的勘验任务" of an inspector, the applicant side's task list, and the one
role-aware task page where the inspection is done (mobile first) and where the applicant
side rectifies (补齐补正). Every POST calls one ``inspections.services.conduct`` service;
a refusal comes back on the page as a message with what was typed kept, success
redirects (POST-redirect-GET). Evidence files are streamed from storage to whoever may
see the task, and every hand-out is audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case as DbCase
from django.db.models import IntegerField, Prefetch, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals.models import Case
from approvals.permissions import acts_for_applicant
from inspections import forms_tasks as forms
from inspections.models import (
    Assignment,
    Booking,
    Category,
    Conclusion,
    InspectionReport,
    InspectionTask,
    ItemEvidence,
    TaskItem,
    TaskStatus,
)
from inspections.permissions import is_dispatcher, visible_tasks
from inspections.selectors import (
    conclusion_get,
    evidence_get,
    task_get,
    task_item_get,
)
from inspections.services import conduct
from inspections.video.panel import video_panel
from portal.accounts.roles import Role
from portal.core.downloads import download_response
from portal.core.errors import ApplicationError

S = TaskStatus
PAGE_SIZE = 25
NOT_STARTED = (S.NEW, S.ASSIGNED, S.BOOKED)

#: What the applicant side reads about each state, in plain words.
APPLICANT_EXPLANATIONS = {
    S.NEW: gettext_lazy("勘验任务已生成，正在安排勘验人员，安排好后会通知您。"),
    S.ASSIGNED: gettext_lazy("已安排两名勘验人员，请预约勘验时间。"),
    S.BOOKED: gettext_lazy("已预约勘验时间，请按时在勘验地址等候，并备好相关证照和材料。"),
    S.IN_PROGRESS: gettext_lazy("正在勘验。勘验结论须经两名勘验人员共同确认，确认后会通知您。"),
    S.RECTIFYING: gettext_lazy("勘验发现部分项目需要整改。请在整改期限内逐项上传整改照片、视频"
                               "或材料并点击“提交整改”，勘验人员将在线核验，无需再次上门。"),
    S.VERIFYING: gettext_lazy("整改材料已提交，勘验人员正在线上核验，核验后会通知您结果。"),
    S.CONCLUDED: gettext_lazy("勘验已办结，可下载电子踏勘意见书。"),
    S.CANCELLED: gettext_lazy("该勘验任务已取消。"),
}

#: The inspector's list: what needs doing now first.
STATUS_ORDER = [S.IN_PROGRESS, S.VERIFYING, S.BOOKED, S.ASSIGNED, S.RECTIFYING, S.NEW,
                S.CONCLUDED, S.CANCELLED]


def _status_rank():
    return DbCase(*[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
                 output_field=IntegerField())


def _list_prefetch(qs):
    return qs.select_related("applicant").prefetch_related(
        Prefetch("cases", queryset=Case.objects.select_related("matter").order_by("pk")),
        Prefetch("bookings", queryset=Booking.objects.filter(cancelled_at__isnull=True),
                 to_attr="active_bookings"),
        Prefetch("assignments", queryset=Assignment.objects.filter(released_at__isnull=True)
                 .select_related("inspector"), to_attr="active_assignments"))


# ---------------------------------------------------------------- lists

def _mark_late(tasks) -> None:
    """Not yet started although the promised time has passed."""
    now = timezone.now()
    for task in tasks:
        task.is_late = task.status in NOT_STARTED and task.promised_by < now


MY_FILTERS = {
    "open": gettext_lazy("待办任务"),
    "done": gettext_lazy("已办结/已取消"),
    "all": gettext_lazy("全部"),
}


@login_required
def my_tasks_page(request):
    """/inspections/my/: the tasks the inspector is assigned to, what needs doing first."""
    if not request.user.has_role(Role.INSPECTOR):
        raise PermissionDenied
    wanted = request.GET.get("show", "open")
    wanted = wanted if wanted in MY_FILTERS else "open"
    qs = InspectionTask.objects.filter(assignments__inspector=request.user,
                                       assignments__released_at__isnull=True)
    if wanted == "open":
        qs = qs.exclude(status__in=[S.CONCLUDED, S.CANCELLED])
    elif wanted == "done":
        qs = qs.filter(status__in=[S.CONCLUDED, S.CANCELLED])
    qs = _list_prefetch(qs.annotate(rank=_status_rank()).order_by("rank", "promised_by", "pk"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _mark_late(page.object_list)
    return render(request, "inspections/tasks/my.html", {
        "page": page, "filters": MY_FILTERS, "wanted": wanted,
        "query": f"show={wanted}&"})


@login_required
def task_list_page(request):
    """/inspections/tasks/: the tasks the user may see (the applicant side: its own)."""
    qs = _list_prefetch(visible_tasks(request.user).order_by("-created_at", "-pk"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _mark_late(page.object_list)
    if not request.user.is_bureau_staff:
        for task in page.object_list:
            task.explanation = APPLICANT_EXPLANATIONS.get(task.status, "")
    return render(request, "inspections/tasks/list.html", {"page": page, "query": ""})


# ---------------------------------------------------------------- the task page

def _items(task: InspectionTask, round_start) -> list[TaskItem]:
    evidence = ItemEvidence.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")
    items = list(task.items.select_related("recorded_by", "rectify_verified_by")
                 .prefetch_related(Prefetch("evidence", queryset=evidence),
                                   Prefetch("cases", queryset=Case.objects
                                            .select_related("matter").order_by("pk"))))
    for item in items:
        item.task = task
        every = list(item.evidence.all())
        item.photos = [e for e in every if e.purpose == ItemEvidence.Purpose.INSPECTION]
        item.rectify_files = [e for e in every
                              if e.purpose == ItemEvidence.Purpose.RECTIFICATION]
        item.merged_cases = list(item.cases.all())
        # rectified (and verified) in the current round, not made good in an earlier one
        item.in_round = conduct.in_current_round(item, round_start)
    return items


@dataclass
class Panel:
    """What the task page shows to this user, and what they may do."""

    inspector: bool
    applicant_side: bool
    staff: bool
    pending: Conclusion | None
    can_start: bool
    can_record: bool
    can_conclude: bool
    can_verify: bool
    can_rectify: bool
    #: the rectification deadline passed without a submission: the inspectors conclude 不合格
    rectify_overdue: bool


def _groups(items: list[TaskItem]) -> list[tuple[str, list[TaskItem]]]:
    labels = dict(Category.choices)
    order = [c for c, _label in Category.choices]
    groups = [(labels[c], [i for i in items if i.category == c]) for c in order]
    others = [i for i in items if i.category not in labels]
    return [g for g in groups if g[1]] + ([(_("其他"), others)] if others else [])


def _bind_forms(items: list[TaskItem], bound: dict) -> None:
    for item in items:
        item.result_form = bound.get(("result", item.pk)) or forms.ItemResultForm(
            initial={"result": item.result, "comment": item.comment})
        item.verify_form = bound.get(("verify", item.pk)) or forms.VerifyForm(
            initial={"comment": item.rectify_comment})
        item.rectify_form = bound.get(("rectify", item.pk)) or forms.RectifyForm(
            initial={"note": item.rectify_note})


def _panel(user, task: InspectionTask, inspector: bool, pending: Conclusion | None) -> Panel:
    applicant_side = not user.is_bureau_staff and acts_for_applicant(user, task.applicant)
    open_ = pending is None
    overdue = conduct.rectification_overdue(task)
    return Panel(
        inspector=inspector, applicant_side=applicant_side, staff=user.is_bureau_staff,
        pending=pending if user.is_bureau_staff else None,
        can_start=inspector and task.status in (S.ASSIGNED, S.BOOKED),
        can_record=inspector and task.status == S.IN_PROGRESS and open_,
        can_conclude=inspector and open_ and (task.status in (S.IN_PROGRESS, S.VERIFYING)
                                              or overdue),
        can_verify=inspector and task.status == S.VERIFYING and open_,
        can_rectify=applicant_side and task.status == S.RECTIFYING and open_,
        rectify_overdue=overdue)


def _booking_link(user, task: InspectionTask, panel: Panel) -> str:
    """The booking page (another part of the app) for who may book or reschedule."""
    if task.status not in (S.ASSIGNED, S.BOOKED):
        return ""
    if panel.applicant_side or is_dispatcher(user):  # who may open the booking page
        return reverse("inspection-booking", args=[task.pk])
    return ""


def _reports(task: InspectionTask) -> list[InspectionReport]:
    reports = list(InspectionReport.objects.filter(task=task).select_related("conclusion"))
    for report in reports:
        report.url = reverse("inspection-report-download", args=[report.pk])
    return reports


def _context(request, task: InspectionTask, bound: dict | None = None) -> dict:
    bound = bound or {}
    assignments = list(task.assignments.filter(released_at__isnull=True)
                       .select_related("inspector"))
    conclusions = list(task.conclusions.select_related("proposed_by", "confirmed_by")
                       .order_by("round", "pk"))
    pending = next((c for c in conclusions if not c.confirmed_at and not c.withdrawn_at), None)
    panel = _panel(request.user, task, request.user.pk in {a.inspector_id for a in assignments},
                   pending)
    round_start = (conduct.rectification_round_start(task)
                   if task.status in (S.RECTIFYING, S.VERIFYING) else None)
    items = [] if task.status in (*NOT_STARTED, S.CANCELLED) else _items(task, round_start)
    _bind_forms(items, bound)
    return {
        "task": task, "panel": panel, "items": items, "groups": _groups(items),
        "cases": list(task.cases.select_related("matter").order_by("pk")),
        "inspectors": [a.inspector for a in assignments],
        "booking": task.bookings.filter(cancelled_at__isnull=True).first(),
        "booking_link": _booking_link(request.user, task, panel),
        "rectify_items": [i for i in items if i.rectify_required],
        "score": conduct.task_score(task, items) if items else None,
        "conclusions": [c for c in conclusions if c.confirmed_at],
        "reports": _reports(task),
        "video": video_panel(request.user, task, bound),
        "explanation": APPLICANT_EXPLANATIONS.get(task.status, ""),
        "conclusion_form": bound.get("conclusion") or forms.ConclusionForm(),
        "withdraw_form": bound.get("withdraw") or forms.WithdrawForm(),
    }


def render_task(request, task: InspectionTask, *, bound: dict | None = None, status: int = 200):
    return render(request, "inspections/tasks/detail.html", _context(request, task, bound),
                  status=status)


@login_required
def task_page(request, task_id: int):
    """/inspections/tasks/<id>/: the inspection (inspectors), a read-only view (other
    staff), or status, rectification and the report (the applicant side)."""
    return render_task(request, task_get(request.user, task_id))


def _task_url(task: InspectionTask, anchor: str = "") -> str:
    return reverse("inspection-task", args=[task.pk]) + (f"#{anchor}" if anchor else "")


def _refused(request, task, exc: ApplicationError, bound: dict | None = None):
    messages.error(request, exc.message)
    return render_task(request, task, bound=bound, status=exc.status)


def _invalid(request, task, form, key):
    messages.error(request, forms.first_error(form))
    return render_task(request, task, bound={key: form}, status=400)


# ---------------------------------------------------------------- inspectors

@login_required
@require_POST
def task_start(request, task_id: int):
    task = task_get(request.user, task_id)
    try:
        conduct.task_start(task=task, by=request.user)
    except ApplicationError as exc:
        return _refused(request, task, exc)
    messages.success(request, _("已开始勘验，请逐项记录勘验结果。"))
    return redirect(_task_url(task, "checklist"))


@login_required
@require_POST
def item_result(request, task_id: int, item_id: int):
    task = task_get(request.user, task_id)
    item = task_item_get(request.user, item_id, task=task)
    form = forms.ItemResultForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form, ("result", item.pk))
    try:
        conduct.item_record(item=item, result=form.cleaned_data["result"],
                            comment=form.cleaned_data["comment"], by=request.user)
    except ApplicationError as exc:
        return _refused(request, task, exc, {("result", item.pk): form})
    messages.success(request, _("已记录“{title}”。").format(title=item.title))
    return redirect(_task_url(task, f"item-{item.pk}"))


def _evidence_kwargs(form) -> dict:
    data = form.cleaned_data
    return {"captured_at": data["captured_at"], "latitude": data["latitude"],
            "longitude": data["longitude"], "accuracy_m": data["accuracy_m"]}


@login_required
@require_POST
def item_evidence(request, task_id: int, item_id: int):
    """A photo or video of an item (inspectors, during the inspection)."""
    task = task_get(request.user, task_id)
    item = task_item_get(request.user, item_id, task=task)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, task, form, ("evidence", item.pk))
    try:
        evidence = conduct.evidence_add(item=item, upload=form.cleaned_data["file"],
                                        by=request.user, **_evidence_kwargs(form))
    except ApplicationError as exc:
        return _refused(request, task, exc)
    messages.success(request, _("已上传，SHA-256：{sha}…").format(sha=evidence.sha256[:12]))
    return redirect(_task_url(task, f"item-{item.pk}"))


@login_required
@require_POST
def conclusion_propose(request, task_id: int):
    task = task_get(request.user, task_id)
    form = forms.ConclusionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form, "conclusion")
    data = form.cleaned_data
    try:
        conduct.conclusion_propose(task=task, outcome=data["outcome"], note=data["note"],
                                   rectify_due=data["rectify_due"], by=request.user)
    except ApplicationError as exc:
        return _refused(request, task, exc, {"conclusion": form})
    messages.success(request, _("已提出勘验结论，待另一名勘验人员确认。"))
    return redirect(_task_url(task, "conclusion"))


@login_required
@require_POST
def conclusion_confirm(request, task_id: int, conclusion_id: int):
    task = task_get(request.user, task_id)
    conclusion = conclusion_get(request.user, conclusion_id, task=task)
    try:
        conduct.conclusion_confirm(conclusion=conclusion, by=request.user)
    except ApplicationError as exc:
        return _refused(request, task, exc)
    messages.success(request, _("已确认勘验结论：{outcome}。").format(
        outcome=conclusion.get_outcome_display()))
    return redirect(_task_url(task))


@login_required
@require_POST
def conclusion_withdraw(request, task_id: int, conclusion_id: int):
    """The proposer withdraws, or the other inspector declines with a reason."""
    task = task_get(request.user, task_id)
    conclusion = conclusion_get(request.user, conclusion_id, task=task)
    form = forms.WithdrawForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form, "withdraw")
    try:
        conduct.conclusion_withdraw(conclusion=conclusion, by=request.user,
                                    reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        return _refused(request, task, exc, {"withdraw": form})
    messages.success(request, _("该结论已撤回，可修改勘验记录后重新提出。"))
    return redirect(_task_url(task, "conclusion"))


@login_required
@require_POST
def item_verify(request, task_id: int, item_id: int):
    """核验: an inspector checks one item's rectification evidence online."""
    task = task_get(request.user, task_id)
    item = task_item_get(request.user, item_id, task=task)
    form = forms.VerifyForm(request.POST)
    if not form.is_valid():
        return _invalid(request, task, form, ("verify", item.pk))
    try:
        conduct.rectify_verify(item=item, ok=form.cleaned_data["ok"],
                               comment=form.cleaned_data["comment"], by=request.user)
    except ApplicationError as exc:
        return _refused(request, task, exc, {("verify", item.pk): form})
    messages.success(request, _("已记录核验意见：{title}。").format(title=item.title))
    return redirect(_task_url(task, f"item-{item.pk}"))


# ---------------------------------------------------------------- the applicant side

@login_required
@require_POST
def item_rectify(request, task_id: int, item_id: int):
    """整改: the applicant side's note on an item and, optionally, one more file."""
    task = task_get(request.user, task_id)
    item = task_item_get(request.user, item_id, task=task)
    form = forms.RectifyForm(request.POST, request.FILES)
    key = ("rectify", item.pk)
    if not form.is_valid():
        return _invalid(request, task, form, key)
    note, upload = form.cleaned_data["note"], form.cleaned_data["file"]
    if not upload and note.strip() == item.rectify_note:
        messages.error(request, _("请填写整改说明或选择要上传的整改材料。"))
        return render_task(request, task, bound={key: form}, status=400)
    try:
        if note.strip() != item.rectify_note:
            conduct.rectification_note(item=item, note=note, by=request.user)
        if upload:
            conduct.evidence_add(item=item, upload=upload, by=request.user,
                                 captured_at=form.cleaned_data["captured_at"])
    except ApplicationError as exc:
        return _refused(request, task, exc, {key: form})
    messages.success(request, _("已保存“{title}”的整改材料。").format(title=item.title))
    return redirect(_task_url(task, f"item-{item.pk}"))


@login_required
@require_POST
def rectification_submit(request, task_id: int):
    task = task_get(request.user, task_id)
    try:
        conduct.rectification_submit(task=task, by=request.user)
    except ApplicationError as exc:
        return _refused(request, task, exc)
    messages.success(request, _("整改已提交，勘验人员将在线核验。审批时限恢复计算。"))
    return redirect(_task_url(task))


# ---------------------------------------------------------------- evidence files

@login_required
def evidence_file(request, evidence_id: int):
    """A photo or video inline (thumbnails, playback), ``?download=1`` as an attachment."""
    evidence = evidence_get(request.user, evidence_id)
    return download_response(conduct.evidence_download(evidence=evidence, by=request.user),
                             inline=request.GET.get("download") != "1")
