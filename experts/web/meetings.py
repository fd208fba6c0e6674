"""The meeting page (/experts/meetings/<id>/): an expert's own score sheet (draft, then
submit), the others' scores and the aggregate only when the rules allow
(``experts.services.meetings.meeting_view``), the dispatcher's choice of chair and paper
sheets, the chair's conclusion, and the signed minutes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.services.downloads import Download
from experts import forms
from experts.models import Expert, MeetingMinutes
from experts.permissions import is_dispatcher
from experts.services import meetings as services
from experts.web.common import meeting_get, refuse
from portal.core.downloads import download_response
from portal.core.errors import ApplicationError


def _sheet_rows(items, sheet, posted=None):
    """The items with what the expert entered (or typed, after a refusal)."""
    rows = []
    for item in items:
        saved = (sheet.scores.get(item.key) if sheet else None) or {}
        if posted is not None:
            saved = {"score": posted.get(f"score_{item.key}", ""),
                     "comment": posted.get(f"comment_{item.key}", "")}
        rows.append({"item": item, "score": saved.get("score") or "",
                     "comment": saved.get("comment") or ""})
    return rows


def _context(request, meeting, *, posted=None, conclusion_form=None) -> dict:
    items = list(meeting.items.all())
    view = services.meeting_view(meeting, request.user, items=items)
    dispatcher = is_dispatcher(request.user)
    present = services.attending(meeting)
    chair_user = meeting.chair.user_id if meeting.chair else None
    stats = {s.key: s for s in view.aggregate.items} if view.aggregate else {}
    minutes = getattr(meeting, "minutes", None)
    return {
        "meeting": meeting, "draw": meeting.draw, "case": meeting.draw.case, "items": items,
        "view": view, "stats": stats, "minutes": minutes,
        "sheet_rows": _sheet_rows(items, view.own, posted),
        "opinion": posted.get("opinion", "") if posted else (view.own.opinion
                                                             if view.own else ""),
        "can_score": (view.expert is not None and meeting.is_open
                      and not (view.own and view.own.submitted)),
        "dispatcher": dispatcher, "present": present,
        "paper_experts": [i.expert for i in present
                          if i.expert_id not in {s.expert_id for s in view.sheets}]
        if dispatcher and meeting.is_open else [],
        "can_conclude": meeting.is_open and meeting.chair_id is not None and (
            dispatcher or (chair_user is not None and chair_user == request.user.pk)),
        "conclusion_form": conclusion_form or forms.ConclusionForm(),
        "sheet_by_expert": {s.expert_id: s for s in view.sheets},
    }


def _render(request, meeting, status=200, **kwargs):
    return render(request, "experts/meeting.html", _context(request, meeting, **kwargs),
                  status=status)


@login_required
def meeting_page(request, meeting_id: int):
    return _render(request, meeting_get(request.user, meeting_id))


@login_required
@require_POST
def meeting_sheet(request, meeting_id: int):
    """Save (draft) or submit the expert's sheet; the dispatcher may enter a paper sheet."""
    meeting = meeting_get(request.user, meeting_id)
    items = list(meeting.items.all())
    scores = {i.key: {"score": request.POST.get(f"score_{i.key}", ""),
                      "comment": request.POST.get(f"comment_{i.key}", "")} for i in items}
    expert = None
    if request.POST.get("expert"):
        expert = Expert.objects.filter(pk=request.POST["expert"]).first()
    submit = request.POST.get("action") == "submit"
    try:
        services.sheet_save(meeting=meeting, by=request.user, scores=scores,
                            opinion=request.POST.get("opinion", ""), submit=submit,
                            expert=expert)
    except ApplicationError as exc:
        refuse(request, exc)
        return _render(request, meeting, status=exc.status, posted=request.POST)
    messages.success(request, _("评分表已提交。") if submit else _("已暂存评分，提交前可继续修改。"))
    return redirect("experts-meeting", meeting.pk)


@login_required
@require_POST
def meeting_chair(request, meeting_id: int):
    meeting = meeting_get(request.user, meeting_id)
    expert = Expert.objects.filter(pk=request.POST.get("expert") or 0).first()
    if expert is None:
        messages.error(request, _("请选择专家组组长。"))
        return _render(request, meeting, status=400)
    try:
        services.meeting_set_chair(meeting=meeting, by=request.user, expert=expert)
    except ApplicationError as exc:
        refuse(request, exc)
        return _render(request, meeting, status=exc.status)
    messages.success(request, _("已指定{name}为专家组组长。").format(name=expert.name))
    return redirect("experts-meeting", meeting.pk)


@login_required
@require_POST
def meeting_conclude(request, meeting_id: int):
    meeting = meeting_get(request.user, meeting_id)
    form = forms.ConclusionForm(request.POST)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return _render(request, meeting, status=400, conclusion_form=form)
    try:
        minutes = services.meeting_conclude(meeting=meeting, by=request.user,
                                            **form.cleaned_data)
    except ApplicationError as exc:
        refuse(request, exc)
        return _render(request, meeting, status=exc.status, conclusion_form=form)
    messages.success(request, _("已形成评审结论，会议纪要 {number} 已签章并归入办件。").format(
        number=minutes.number))
    return redirect("experts-meeting", meeting.pk)


@login_required
def minutes_file(request, minutes_id: int):
    """The signed minutes PDF (audited hand-out)."""
    minutes = get_object_or_404(MeetingMinutes.objects.select_related("meeting__draw", "case"),
                                pk=minutes_id)
    meeting_get(request.user, minutes.meeting_id)  # 404 unless the user may see the meeting
    download: Download = services.minutes_download(minutes=minutes, by=request.user)
    return download_response(download, inline=request.GET.get("inline") == "1")
