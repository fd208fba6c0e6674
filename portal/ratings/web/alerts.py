"""Risk alert pages (内控预警): the list by level (重/中/轻) with filters, and one alert
with its facts and the actions: assign (supervisor), close with a note (assignee or
supervisor)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.catalogue import RiskLevel
from portal.core.errors import ApplicationError
from portal.ratings import forms, selectors
from portal.ratings.models import AlertStatus
from portal.ratings.permissions import is_alert_staff
from portal.ratings.services import alerts as services
from portal.ratings.web.common import alert_get, query_string, refuse


@login_required
def alert_list_page(request):
    if not request.user.is_bureau_staff:
        raise PermissionDenied
    data = request.GET.copy()
    data.setdefault("status", "active")
    form = forms.AlertFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {"status": "active"}
    qs = selectors.alerts(user=request.user, level=filters.get("level", ""),
                          status=filters.get("status", ""), rule=filters.get("rule", ""))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = selectors.alert_counts(user=request.user)
    return render(request, "ratings/alerts.html", {
        "form": form, "page": page, "filters": filters,
        "levels": [(code, label, counts.get(code, 0)) for code, label in RiskLevel.choices],
        "query": query_string({k: filters.get(k, "") for k in ("level", "status", "rule")})},
        status=200 if form.is_valid() else 400)


def _detail(request, alert, *, bound: dict | None = None, status: int = 200):
    involved = set(alert.involved_ids or [])
    user = request.user
    active = alert.status != AlertStatus.CLOSED and user.pk not in involved
    context = {
        "alert": alert, "involved": involved,
        "can_assign": active and is_alert_staff(user),
        "can_close": active and (is_alert_staff(user) or alert.assignee_id == user.pk),
        "assign_form": forms.AlertAssignForm(exclude=involved),
        "close_form": forms.AlertCloseForm()}
    context.update(bound or {})
    return render(request, "ratings/alert.html", context, status=status)


@login_required
def alert_page(request, alert_id: int):
    return _detail(request, alert_get(request.user, alert_id))


@login_required
@require_POST
def alert_assign(request, alert_id: int):
    alert = alert_get(request.user, alert_id)
    form = forms.AlertAssignForm(request.POST, exclude=set(alert.involved_ids or []))
    if not form.is_valid():
        return _detail(request, alert, bound={"assign_form": form}, status=400)
    try:
        services.alert_assign(alert=alert, assignee=form.cleaned_data["assignee"],
                              note=form.cleaned_data["note"], by=request.user)
    except ApplicationError as exc:
        refuse(request, exc)
        forms.add_service_error(form, exc)
        return _detail(request, alert_get(request.user, alert_id),
                       bound={"assign_form": form}, status=exc.status)
    messages.success(request, _("已分派核查人。"))
    return redirect("ratings-alert", alert.pk)


@login_required
@require_POST
def alert_close(request, alert_id: int):
    alert = alert_get(request.user, alert_id)
    form = forms.AlertCloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, alert, bound={"close_form": form}, status=400)
    try:
        services.alert_close(alert=alert, note=form.cleaned_data["note"], by=request.user)
    except ApplicationError as exc:
        refuse(request, exc)
        forms.add_service_error(form, exc)
        return _detail(request, alert_get(request.user, alert_id),
                       bound={"close_form": form}, status=exc.status)
    messages.success(request, _("预警已关闭。"))
    return redirect("ratings-alert", alert.pk)
