"""Requests from regulator departments (撤销许可建议, 监管发现) and their handling.

A department's user submits through the API (or the portal form) with the department's
own request id: the same id again returns the first request (a retried call creates
nothing), the same id with different content is refused. The request lands on the case:
the section's approvers and the supervisors are notified, and it shows on the case page.
The bureau accepts, rejects or completes it with a note; each step is pushed back to the
department as a ``request.answered`` event. A revocation itself is never automatic: the
approver revokes on the licence's page, and revoking the licence completes the open
revocation requests on it.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case, Certificate
from approvals.workflow import CaseStatus
from portal.accounts.models import User
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.uploads import DOCUMENTS, inspect_upload
from portal.notifications.deadlines.sources import escalation_staff
from portal.notifications.services.notify import notify
from portal.notifications.services.transitions import case_context
from portal.regulators.models import (
    EventKind,
    RegulatorDepartment,
    RegulatorRequest,
    RequestAttachment,
    RequestKind,
    RequestStatus,
)
from portal.regulators.permissions import department_of, may_handle
from portal.regulators.selectors import department_covers_case, department_users
from portal.regulators.services.events import event_write

MAX_ATTACHMENTS = 10
ST = RequestStatus
#: action → (statuses it applies to, resulting status, note required)
ACTIONS = {
    "accept": ((ST.OPEN,), ST.ACCEPTED, False),
    "reject": ((ST.OPEN, ST.ACCEPTED), ST.REJECTED, True),
    "complete": ((ST.OPEN, ST.ACCEPTED), ST.HANDLED, True),
}


def _target(case_number: str, certificate_number: str) -> tuple[Case, Certificate | None]:
    cert = None
    if certificate_number:
        cert = (Certificate.objects.select_related("case__matter", "case__applicant")
                .filter(number=certificate_number.strip()).order_by("-version").first())
        if cert is None:
            raise ApplicationError(_("证书编号不存在。"), "certificate_not_found", status=404)
        case = cert.case
    elif case_number:
        case = (Case.objects.select_related("matter", "applicant")
                .filter(number=case_number.strip()).first())
        if case is None:
            raise ApplicationError(_("办件编号不存在。"), "case_not_found", status=404)
    else:
        raise ApplicationError(_("请填写办件编号或证书编号。"), "target_required")
    return case, cert


def _revocable(case: Case, cert: Certificate | None) -> Certificate | None:
    """The valid licence a revocation request is about (None: approved, not yet issued)."""
    if cert is None:
        mine = Q(case=case) | Q(group_id=case.group_id) if case.group_id else Q(case=case)
        cert = (Certificate.objects.filter(mine, status=Certificate.Status.VALID)
                .order_by("-version").first())
    if cert is not None and cert.status != Certificate.Status.VALID:
        raise ConflictError(_("该证照已{status}，无需再建议撤销。").format(
            status=cert.get_status_display()), "certificate_not_valid")
    if cert is None and case.status != CaseStatus.APPROVED:
        raise ConflictError(_("该办件没有可撤销的行政许可。"), "nothing_to_revoke")
    return cert


def _checked_files(files) -> list[tuple[UploadedFile, object]]:
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise ApplicationError(_("附件最多 {n} 个。").format(n=MAX_ATTACHMENTS),
                               "too_many_attachments")
    return [(f, inspect_upload(f, kinds=DOCUMENTS)) for f in files]


def _replay(existing: RegulatorRequest, kind: str, case: Case, content: str
            ) -> RegulatorRequest:
    if (existing.kind, existing.case_id, existing.content) != (kind, case.pk, content):
        raise ConflictError(_("该请求编号已用于另一项请求，请使用新的请求编号。"),
                            "request_id_reused")
    return existing


def _handlers(case: Case) -> list[User]:
    """Who acts on a regulator's request: the same people a deadline escalates to."""
    return sorted(escalation_staff(case), key=lambda user: user.pk)


def _notify_received(request: RegulatorRequest) -> None:
    link = reverse("regulators-request", args=[request.pk])
    context = case_context(request.case) | {
        "department": request.department.name,
        "kind": request.get_kind_display(), "content": request.content,
        "certificate_number": request.certificate.number if request.certificate else ""}
    for user in _handlers(request.case):
        notify(recipient=user, event="regulator_request_received", context=context,
               link=link, key=f"regulators:request:{request.pk}:u{user.pk}")


def regulator_request_submit(*, by: User, request_id: str, kind: str, content: str,
                             case_number: str = "", certificate_number: str = "",
                             attachments=()) -> tuple[RegulatorRequest, bool]:
    """Receive a department's request; (request, created). Idempotent by request id."""
    department = department_of(by)
    if department is None:
        raise PermissionRefused(_("只有行业主管部门的用户可以提交监管请求。"), "not_regulator")
    request_id, content = (request_id or "").strip(), (content or "").strip()
    if not request_id or len(request_id) > 64:
        raise ApplicationError(_("请求编号须为 1 至 64 个字符。"), "invalid_request_id")
    if kind not in RequestKind.values:
        raise ApplicationError(_("请求类型不正确。"), "invalid_kind")
    if not content:
        raise ApplicationError(_("请填写请求内容。"), "content_required")
    case, cert = _target(case_number, certificate_number)
    existing = RegulatorRequest.objects.filter(department=department,
                                               request_id=request_id).first()
    if existing is not None:
        return _replay(existing, kind, case, content), False
    if not department_covers_case(department, case):
        raise PermissionRefused(_("该办件不属于本部门监管的事项。"), "out_of_scope")
    if kind == RequestKind.REVOCATION:
        cert = _revocable(case, cert)
    files = _checked_files(attachments)
    try:
        with transaction.atomic():
            request = _create(department, by, request_id, kind, case, cert, content, files)
    except IntegrityError:  # the same request id, submitted concurrently
        existing = RegulatorRequest.objects.get(department=department, request_id=request_id)
        return _replay(existing, kind, case, content), False
    return request, True


def _create(department: RegulatorDepartment, by: User, request_id: str, kind: str,
            case: Case, cert: Certificate | None, content: str, files) -> RegulatorRequest:
    request = RegulatorRequest.objects.create(
        department=department, request_id=request_id, submitted_by=by, kind=kind, case=case,
        certificate=cert, content=content)
    for upload, info in files:
        attachment = RequestAttachment(request=request, name=upload.name[:255],
                                       content_type=info.content_type, size=info.size,
                                       sha256=info.sha256)
        attachment.file.save(upload.name, upload, save=True)
    audit_log(action="regulators.request_received", actor=by, obj=case,
              after={"department": department.code, "request_id": request_id, "kind": kind,
                     "certificate": cert.number if cert else "",
                     "attachments": [info.sha256 for _upload, info in files]})
    _notify_received(request)
    return request


def _answer(request: RegulatorRequest) -> None:
    """Tell the department: an outbox event and an in-app notice to its users."""
    part = {"request_id": request.request_id, "kind": request.kind, "status": request.status,
            "response_note": request.response_note,
            "handled_at": request.handled_at.isoformat() if request.handled_at else None}
    event = event_write(department=request.department, case=request.case,
                        kind=EventKind.REQUEST_ANSWERED, certificate=request.certificate,
                        answer=request, request_part=part)
    context = {"request_id": request.request_id, "kind": request.get_kind_display(),
               "status": request.get_status_display(), "note": request.response_note,
               "case_number": request.case.number or ""}
    for user in department_users(request.department):
        notify(recipient=user, event="regulator_request_answered", context=context,
               link=reverse("regulators-request", args=[request.pk]),
               key=f"regulators:answer:{event.pk}:u{user.pk}")


def _apply(request: RegulatorRequest, by: User, status: str, note: str) -> None:
    before = request.status
    now = timezone.now()
    request.status, request.handler, request.response_note = status, by, note
    if status == ST.ACCEPTED:
        request.accepted_at = now
    else:
        request.handled_at = now
    request.save(update_fields=["status", "handler", "response_note", "accepted_at",
                                "handled_at"])
    audit_log(action=f"regulators.request_{status}", actor=by, obj=request.case,
              before={"status": before},
              after={"request": request.pk, "department": request.department.code,
                     "status": status, "note": note})
    _answer(request)


def regulator_request_handle(*, request: RegulatorRequest, by: User, action: str,
                             note: str = "") -> RegulatorRequest:
    """受理 (accept), 不予采纳 (reject) or 办结 (complete) a request, with a note."""
    if action not in ACTIONS:
        raise ApplicationError(_("未知的处理动作。"), "unknown_action")
    if not may_handle(by, request):
        raise PermissionRefused(_("您没有处理该监管请求的权限。"), "permission_denied")
    sources, target, needs_note = ACTIONS[action]
    note = (note or "").strip()
    if needs_note and not note:
        raise ApplicationError(_("请填写处理意见。"), "reason_required")
    with transaction.atomic():
        request = (RegulatorRequest.objects.select_for_update(of=("self",))
                   .select_related("department", "case__matter", "case__applicant",
                                   "certificate").get(pk=request.pk))
        if request.status not in sources:
            raise ConflictError(_("该请求{status}，不能再办理此操作。").format(
                status=request.get_status_display()), "invalid_status")
        _apply(request, by, target, note)
    return request


def requests_complete_on_revocation(*, certificate: Certificate, by: User) -> int:
    """The licence was revoked: its open revocation requests are done (inside the
    revocation's transaction)."""
    requests = list(
        RegulatorRequest.objects.select_for_update(of=("self",))
        .select_related("department", "case__matter", "case__applicant", "certificate")
        .filter(kind=RequestKind.REVOCATION, status__in=[ST.OPEN, ST.ACCEPTED])
        .filter(Q(certificate__number=certificate.number)
                | Q(certificate__isnull=True, case_id=certificate.case_id)))
    note = _("证照 {number} 已撤销：{reason}").format(number=certificate.number,
                                                 reason=certificate.status_reason)
    for request in requests:
        _apply(request, by, ST.HANDLED, note)
    return len(requests)
