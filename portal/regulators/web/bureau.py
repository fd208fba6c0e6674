"""The requests pages (bureau: list, detail, handle; a department's users: their own
requests, read-only), attachment downloads (audited) and the outbox monitor with retry
(supervisors and administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.audit import audit_log
from portal.core.downloads import file_response
from portal.core.errors import ApplicationError
from portal.regulators import forms, selectors
from portal.regulators.models import OutboxEvent, RegulatorDepartment, RequestStatus
from portal.regulators.permissions import department_of, is_outbox_monitor, may_handle
from portal.regulators.services.delivery import outbox_retry
from portal.regulators.services.requests import regulator_request_handle
from portal.regulators.web.common import request_get, safe_next

STATUS_FILTERS = (("active", gettext_lazy("待办")), *RequestStatus.choices, ("all", gettext_lazy("全部")))


@login_required
def requests_page(request):
    """/regulators/requests/: incoming requests (bureau) or the department's own."""
    department = department_of(request.user)
    if department is None and not request.user.is_bureau_staff:
        raise PermissionDenied
    status = request.GET.get("status", "active")
    qs = selectors.requests_visible(user=request.user, department=department, status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "regulators/requests.html", {
        "page": page, "status": status, "statuses": STATUS_FILTERS,
        "department": department, "query": f"status={status}&"})


@login_required
def request_page(request, request_id: int):
    item = request_get(request.user, request_id)
    answers = list(item.answers.order_by("created_at", "id"))
    labels = dict(RequestStatus.choices)
    for answer in answers:
        status = (answer.payload.get("request") or {}).get("status", "")
        answer.request_status_label = labels.get(status, status)
    department = department_of(request.user)
    return render(request, "regulators/request_detail.html", {
        "item": item, "answers": answers, "own": department is not None,
        "can_handle": item.is_open and may_handle(request.user, item),
        "form": forms.HandleForm(),
        "case_url": reverse("case-detail", args=[item.case_id])
        if request.user.is_bureau_staff else ""})


@login_required
@require_POST
def request_handle(request, request_id: int):
    item = request_get(request.user, request_id)
    form = forms.HandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理动作并填写处理意见。"))
    else:
        try:
            regulator_request_handle(request=item, by=request.user,
                                     action=form.cleaned_data["action"],
                                     note=form.cleaned_data["note"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录处理结果，并告知提出请求的部门。"))
    return redirect(safe_next(request, reverse("regulators-request", args=[item.pk])))


@login_required
def attachment_download(request, request_id: int, attachment_id: int):
    item = request_get(request.user, request_id)
    attachment = next((a for a in item.attachments.all() if a.pk == attachment_id), None)
    if attachment is None:
        raise Http404
    audit_log(action="regulators.attachment_view", actor=request.user, obj=item.case,
              after={"request": item.pk, "attachment": attachment.name,
                     "sha256": attachment.sha256})
    return file_response(attachment.file, attachment.name, attachment.content_type)


@login_required
def outbox_page(request):
    """/regulators/outbox/: pending and failed deliveries, with retry."""
    if not is_outbox_monitor(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "failed")
    status = status if status in OutboxEvent.Status.values else ""
    department = request.GET.get("department", "")
    department_id = int(department) if department.isdigit() else None
    qs = selectors.outbox_monitor(status=status, department_id=department_id)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = selectors.outbox_counts()
    return render(request, "regulators/outbox.html", {
        "page": page, "status": status, "statuses": OutboxEvent.Status.choices,
        "status_counts": [(code, label, counts.get(code, 0))
                          for code, label in OutboxEvent.Status.choices],
        "department_id": department_id,
        "departments": RegulatorDepartment.objects.order_by("code"),
        "query": f"status={status or 'all'}&department={department_id or ''}&"})


@login_required
@require_POST
def outbox_retry_view(request):
    if not is_outbox_monitor(request.user):
        raise PermissionDenied
    ids = [int(i) for i in request.POST.getlist("event") if i.isdigit()]
    if not ids:
        messages.error(request, _("请先勾选要重新推送的事件。"))
    else:
        retried = outbox_retry(event_ids=ids, by=request.user)
        messages.success(request, _("已重新排队推送 {n} 个事件。").format(n=retried))
    return redirect(safe_next(request, reverse("regulators-outbox")))
