"""Draw pages: the list, the request form for a case (dispatcher), and the record of a
draw (request, eligible snapshot, exclusions with reasons, seed, result, redraws,
invitations and their states, a "verified" mark) with the dispatcher's actions: refill,
cancel, record an answer given by telephone, attendance."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.models import Case
from experts import forms, selectors
from experts.models import DrawStatus, Expert, ExpertField, InvitationStatus
from experts.permissions import is_dispatcher
from experts.services import draws as services
from experts.services import invitations as invitation_services
from experts.web.common import draw_get, invitation_get, refuse
from portal.core.errors import ApplicationError


@login_required
def draw_list_page(request):
    if not request.user.is_bureau_staff:
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in DrawStatus.values else ""
    page = Paginator(selectors.draws(status=status), 50).get_page(request.GET.get("page"))
    return render(request, "experts/draw_list.html", {
        "page": page, "status": status, "statuses": DrawStatus.choices,
        "query": f"status={status}&" if status else "",
        "can_draw": is_dispatcher(request.user)})


def _case(request) -> Case:
    case_id = request.GET.get("case") or request.POST.get("case")
    case = (Case.objects.select_related("matter", "applicant").filter(pk=case_id).first()
            if str(case_id or "").isdigit() else None)
    if case is None:
        raise Http404
    return case


def _preview(case: Case, form: forms.DrawForm):
    """How many would be eligible for the form's field and time (shown, not recorded)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else None
    field = data["field"] if data else form.initial.get("field")
    meeting_at = data["meeting_at"] if data else form.initial.get("meeting_at")
    if field is None or meeting_at is None:
        return None
    return services.preview_eligibility(case=case, field=field, meeting_at=meeting_at,
                                        exclusions=data["exclusions"] if data else {})


@login_required
def draw_new(request):
    """/experts/draws/new/?case=<id>: the request form; POST draws."""
    if not is_dispatcher(request.user):
        raise PermissionDenied
    case = _case(request)
    suggested = ExpertField.objects.filter(matters=case.matter).first()
    start = timezone.localtime() + timedelta(days=3)
    initial = {"field": suggested, "meeting_at": start.replace(hour=9, minute=30, second=0,
                                                              microsecond=0)}
    form = forms.DrawForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                draw = services.draw_create(
                    case=case, field=data["field"], count=data["count"],
                    meeting_at=data["meeting_at"], mode=data["mode"], place=data["place"],
                    exclusions=data["exclusions"], note=data["note"], by=request.user)
            except ApplicationError as exc:
                forms.add_service_errors(form, exc)
                status = exc.status
            else:
                messages.success(request, _("已随机抽取 {n} 名专家并发出邀请。").format(n=draw.count))
                return redirect("experts-draw", draw.pk)
        else:
            status = 400
    preview = _preview(case, form)
    names = (dict(Expert.objects.filter(pk__in=preview.excluded).values_list("pk", "name"))
             if preview else {})
    return render(request, "experts/draw_new.html", {
        "case": case, "form": form, "preview": preview,
        "excluded_rows": [(i, names.get(i, "?"), r) for i, r in preview.excluded.items()]
        if preview else []}, status=status)


@login_required
def draw_page(request, draw_id: int):
    """/experts/draws/<id>/: the full record; the dispatcher's actions."""
    draw = draw_get(request.user, draw_id)
    draw = selectors.draw_detail(draw.pk)
    rounds = list(draw.rounds.all())
    ids = {int(i) for r in rounds for i in [*r.eligible, *r.excluded.keys()]}
    names = dict(Expert.objects.filter(pk__in=ids).values_list("pk", "name"))
    for round_ in rounds:
        round_.eligible_rows = [(i, names.get(int(i), "?"), int(i) in round_.chosen)
                                for i in round_.eligible]
        round_.excluded_rows = [(int(i), names.get(int(i), "?"), reason)
                                for i, reason in round_.excluded.items()]
    checks = services.draw_verify(draw)
    by_number = {c.number: c for c in checks}
    for round_ in rounds:
        round_.check = by_number.get(round_.number)
    invitations = list(draw.invitations.all())
    now = timezone.now()
    for invitation in invitations:
        invitation.answerable = (invitation.status == InvitationStatus.PENDING
                                 and invitation.reply_due >= now)
    dispatcher = is_dispatcher(request.user) and draw.status == DrawStatus.OPEN
    return render(request, "experts/draw_detail.html", {
        "draw": draw, "rounds": rounds,
        "verified": bool(checks) and all(c.ok for c in checks),
        "invitations": invitations, "dispatcher": dispatcher,
        "open_places": services.open_places(draw),
        "meeting": getattr(draw, "meeting", None),
        "exclusions": [(int(k), names.get(int(k), "?"), v) for k, v in draw.exclusions.items()],
        "reason_form": forms.ReasonForm(), "meeting_started": now >= draw.meeting_at})


@login_required
@require_POST
def draw_refill(request, draw_id: int):
    draw = draw_get(request.user, draw_id)
    try:
        round_ = services.draw_refill(draw=draw, by=request.user)
    except ApplicationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已补抽 {n} 名专家（第 {r} 轮）。").format(
            n=round_.k, r=round_.number))
    return redirect("experts-draw", draw.pk)


@login_required
@require_POST
def draw_cancel(request, draw_id: int):
    draw = draw_get(request.user, draw_id)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("取消专家抽取须说明原因。"))
        return redirect("experts-draw", draw.pk)
    try:
        services.draw_cancel(draw=draw, by=request.user, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已取消本次专家评审，已通知受邀专家。"))
    return redirect("experts-draw", draw.pk)


@login_required
@require_POST
def invitation_attendance(request, invitation_id: int):
    invitation = invitation_get(request.user, invitation_id)
    attended = request.POST.get("attended") == "1"
    try:
        invitation_services.invitation_attendance(invitation=invitation, by=request.user,
                                                  attended=attended)
    except ApplicationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已登记：{name}{state}。").format(
            name=invitation.expert.name, state=_("到会") if attended else _("缺席")))
    return redirect("experts-draw", invitation.draw_id)
