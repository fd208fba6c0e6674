"""Supervisors' pages: ratings with filters and the share of each level, rectification
items (list and detail) with their actions: assign, answer (the handler), call back,
dismiss, decide an appeal. The detail page also serves the applicant side (read-only,
with the appeal link while one is possible)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.errors import ApplicationError
from portal.ratings import flow, forms, selectors
from portal.ratings.models import RectificationStatus
from portal.ratings.permissions import (
    is_applicant_side,
    is_callback_staff,
    is_rectify_staff,
    may_see_all_ratings,
)
from portal.ratings.services import rectifications as services
from portal.ratings.web.common import query_string, rectification_get, refuse


@login_required
def ratings_page(request):
    """/ratings/: every rating, filtered, with the share of each level."""
    if not may_see_all_ratings(request.user):
        raise PermissionDenied
    form = forms.RatingFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.ratings(user=request.user, step=filters.get("step", ""),
                           level=filters.get("level"), channel=filters.get("channel", ""),
                           section=getattr(filters.get("section"), "pk", None),
                           date_from=filters.get("date_from"), date_to=filters.get("date_to"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = query_string({k: request.GET.get(k, "") for k in form.fields}) if filters else ""
    return render(request, "ratings/list.html", {
        "form": form, "page": page, "stats": selectors.rating_stats(qs), "query": query},
        status=400 if form.is_bound and not form.is_valid() else 200)


@login_required
def rectification_list_page(request):
    """/ratings/rectifications/: all items (supervisors) or one's own (handlers)."""
    if not request.user.is_bureau_staff:
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in RectificationStatus.values else ""
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.rectifications(user=request.user, status=status, overdue=overdue)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "ratings/rectifications.html", {
        "page": page, "status": status, "statuses": RectificationStatus.choices,
        "overdue": overdue, "today": timezone.localdate(),
        "query": query_string({"status": status, "overdue": "1" if overdue else ""})})


def _actions(user, item) -> dict:
    """Which forms the detail page offers ``user`` (the services check again)."""
    rated = user.pk in (item.rating.staff_ids or [])
    supervisor = is_rectify_staff(user) and not rated
    appeal = getattr(item, "appeal", None)
    return {
        "assign": supervisor and flow.allowed("assign", item.status),
        "answer": item.assignee_id == user.pk and flow.allowed("answer", item.status),
        "callback": ((supervisor or is_callback_staff(user)) and not rated
                     and item.assignee_id != user.pk and flow.allowed("close", item.status)),
        "dismiss": supervisor and flow.allowed("dismiss", item.status),
        "decide": (supervisor and item.status == RectificationStatus.APPEALED
                   and item.dismissed_by_id != user.pk),
        "appeal": (is_applicant_side(user, item.case) and appeal is None
                   and item.status == RectificationStatus.DISMISSED
                   and (item.appeal_due is None or timezone.localdate() <= item.appeal_due)),
    }


def _detail(request, item, *, bound: dict | None = None, status: int = 200):
    actions = _actions(request.user, item)
    exclude = set(item.rating.staff_ids or [])
    context = {
        "item": item, "rating": item.rating, "appeal": getattr(item, "appeal", None),
        "calls": list(item.calls.all()), "actions": actions,
        "staff_view": request.user.is_bureau_staff,
        "assign_form": forms.AssignForm(exclude=exclude), "answer_form": forms.AnswerForm(),
        "call_form": forms.CallForm(), "dismiss_form": forms.ReasonForm(),
        "decision_form": forms.DecisionForm()}
    context.update(bound or {})
    return render(request, "ratings/rectification.html", context, status=status)


@login_required
def rectification_page(request, item_id: int):
    return _detail(request, rectification_get(request.user, item_id))


def _act(request, item_id: int, form_class, form_key: str, run, done: str, **form_kwargs):
    """POST one action: validate the form, call the service, redirect or re-render."""
    item = rectification_get(request.user, item_id)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            run(item, form.cleaned_data)
        except ApplicationError as exc:
            forms.add_service_error(form, exc)
            refuse(request, exc)
            return _detail(request, rectification_get(request.user, item_id),
                           bound={form_key: form}, status=exc.status)
        messages.success(request, done)
        return redirect("ratings-rectification", item.pk)
    return _detail(request, item, bound={form_key: form}, status=400)


@login_required
@require_POST
def rectification_assign(request, item_id: int):
    item = rectification_get(request.user, item_id)
    return _act(request, item_id, forms.AssignForm, "assign_form",
                lambda item, d: services.rectification_assign(
                    item=item, assignee=d["assignee"], note=d["note"], by=request.user),
                _("已分派承办人。"), exclude=set(item.rating.staff_ids or []))


@login_required
@require_POST
def rectification_answer(request, item_id: int):
    return _act(request, item_id, forms.AnswerForm, "answer_form",
                lambda item, d: services.rectification_answer(
                    item=item, measures=d["measures"], by=request.user),
                _("已答复整改情况，等待回访。"))


@login_required
@require_POST
def rectification_callback(request, item_id: int):
    return _act(request, item_id, forms.CallForm, "call_form",
                lambda item, d: services.rectification_callback(
                    item=item, channel=d["channel"], outcome=d["outcome"],
                    response=d["response"], called_at=d["called_at"], by=request.user),
                _("已登记回访记录。"))


@login_required
@require_POST
def rectification_dismiss(request, item_id: int):
    return _act(request, item_id, forms.ReasonForm, "dismiss_form",
                lambda item, d: services.rectification_dismiss(
                    item=item, reason=d["reason"], by=request.user),
                _("已作出不予整改决定，申请人可在申诉期限内申诉一次。"))


@login_required
@require_POST
def rectification_decide(request, item_id: int):
    return _act(request, item_id, forms.DecisionForm, "decision_form",
                lambda item, d: services.appeal_decide(
                    item=item, decision=d["decision"], note=d["note"], by=request.user),
                _("已作出复核结论。"))
