"""The regulator's pages: the inbox of results to claim (filter unclaimed, claimed,
overdue), a result's detail with the claim button, and the request form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approvals.models import Certificate
from portal.core.errors import ApplicationError
from portal.regulators import forms, selectors
from portal.regulators.models import Claim
from portal.regulators.permissions import department_of, is_outbox_monitor
from portal.regulators.services.claims import claim_result
from portal.regulators.services.requests import regulator_request_submit
from portal.regulators.web.common import event_get, safe_next

STATE_LABELS = (("unclaimed", gettext_lazy("待认领")), ("overdue", gettext_lazy("逾期未认领")),
                ("claimed", gettext_lazy("已认领")))


def _require_department(user):
    department = department_of(user)
    if department is None:
        raise PermissionDenied
    return department


def _annotate(events, today) -> None:
    for event in events:
        event.claim_row = getattr(event, "claim", None)
        claim = event.claim_row
        event.overdue = bool(claim and claim.claimed_at is None and claim.claim_due < today)


@login_required
def inbox_page(request):
    """/regulators/: the department's results, newest first."""
    department = department_of(request.user)
    if department is None:
        if request.user.is_bureau_staff or is_outbox_monitor(request.user):
            return redirect("regulators-requests")
        raise PermissionDenied
    state = request.GET.get("state", "unclaimed")
    state = state if state in selectors.CLAIM_STATES else ""
    today = timezone.localdate()
    qs = selectors.department_events(department=department, state=state, today=today)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    _annotate(page.object_list, today)
    return render(request, "regulators/inbox.html", {
        "department": department, "page": page, "state": state, "states": STATE_LABELS,
        "query": f"state={state or 'all'}&", "unclaimed": selectors.unclaimed_count(department)})


def _certificate_status(payload: dict) -> str:
    status = (payload.get("certificate") or {}).get("status", "")
    return str(dict(Certificate.Status.choices).get(status, status))


@login_required
def event_page(request, event_id):
    """/regulators/events/<event id>/: what was pushed, the claim and the delivery."""
    event = event_get(request.user, event_id)
    _annotate([event], timezone.localdate())
    department = department_of(request.user)
    return render(request, "regulators/event_detail.html", {
        "event": event, "payload": event.payload, "own": department is not None,
        "cert_status": _certificate_status(event.payload),
        "case_url": reverse("case-detail", args=[event.case_id])
        if request.user.is_bureau_staff else ""})


@login_required
@require_POST
def event_claim(request, event_id):
    event = event_get(request.user, event_id)
    try:
        claim_result(event=event, by=request.user, via=Claim.Via.PORTAL)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已认领该审批结果。"))
    return redirect(safe_next(request, reverse("regulators-event", args=[event.event_id])))


@login_required
def request_new(request):
    """/regulators/requests/new/: a department's request typed in the portal."""
    _require_department(request.user)
    form = forms.RequestForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                made, created = regulator_request_submit(
                    by=request.user, request_id=f"portal-{data['token']}", kind=data["kind"],
                    content=data["content"], case_number=data["case_number"],
                    certificate_number=data["certificate_number"],
                    attachments=request.FILES.getlist("attachments"))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                if created:
                    messages.success(request, _("监管请求已提交，审批局将及时处理。"))
                return redirect("regulators-request", made.pk)
        else:
            status = 400
    return render(request, "regulators/request_new.html", {"form": form}, status=status)
