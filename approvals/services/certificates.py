"""Licence services (出证): issue a signed licence when a case is issued, then change
(变更: new version, old superseded), renew (延续), cancel (注销), revoke (撤销) and record
the delivery (统一窗口出件). Every step is audited; the verification page reads the rows."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import django.dispatch
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case, Certificate
from portal.accounts.masking import mask_identity
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.numbering import next_number

DEFAULT_VALID_YEARS = 5
S = Certificate.Status


def verify_url(code: str) -> str:
    return f"{settings.ONESEAL_SITE_URL.rstrip('/')}/verify/{code}/"


def _years_later(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years) - timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def _render_and_sign(cert: Certificate, *, note: str = "") -> bytes:
    from approvals.certificates.licence import SEAL_BOX, LicenceData, render_licence
    from approvals.certificates.signing import sign_pdf

    data = LicenceData(
        bureau=settings.BUREAU_NAME, certificate_number=cert.number,
        holder_name=cert.holder_name, holder_id=cert.holder_id,
        legal_representative=cert.case.applicant.legal_representative,
        address=cert.address, matters=list(cert.matters), scope=cert.scope,
        valid_from=cert.valid_from, valid_until=cert.valid_until,
        issued_on=timezone.localdate(cert.issued_at), verify_url=verify_url(cert.verify_code),
        version=cert.version, note=note)
    pdf = render_licence(data)
    return sign_pdf(pdf, reason=_("{bureau}准予行政许可").format(bureau=settings.BUREAU_NAME),
                    location=settings.BUREAU_NAME, box=SEAL_BOX)


#: Sent INSIDE the transaction of a licence lifecycle event: (sender=Certificate,
#: certificate, event, by) with event one of issued, changed, renewed, cancelled, revoked.
certificate_event = django.dispatch.Signal()


def _store(cert: Certificate, pdf: bytes) -> Certificate:
    cert.sha256 = hashlib.sha256(pdf).hexdigest()
    cert.file.save(f"{cert.number}.pdf", ContentFile(pdf), save=False)
    cert.save()
    return cert


def certificate_issue(*, case: Case, by, scope: str = "", valid_years: int | None = None
                      ) -> Certificate:
    """Issue the licence of an approved case (called by the ``issue`` transition)."""
    year = timezone.localdate().year
    seq = next_number(f"licence:{case.matter.code}:{year}")
    today = timezone.localdate()
    years = valid_years or DEFAULT_VALID_YEARS
    cert = Certificate(
        case=case, number=f"{case.matter.code}-{year}-{seq:06d}", issued_by=by,
        holder_name=case.applicant.name,
        holder_id=mask_identity(case.applicant.kind, case.applicant.id_number),
        address=case.address, matters=[case.matter.name],
        scope=scope or case.title or case.matter.name, valid_from=today,
        valid_until=_years_later(today, years))
    _store(cert, _render_and_sign(cert))
    audit_log(action="certificate.issue", actor=by, obj=case,
              after={"number": cert.number, "sha256": cert.sha256})
    certificate_event.send(sender=Certificate, certificate=cert, event="issued", by=by)
    return cert


def certificate_issue_integrated(*, case: Case, by, scope: str = "",
                                 valid_years: int | None = None) -> Certificate | None:
    """一业一证: one licence listing every matter of the bundle application. The first case
    issued creates it and issues its approved siblings (each step recorded); the siblings'
    own issue steps then find the licence and add nothing."""
    from approvals.services.cases import case_transition
    from approvals.workflow import CaseStatus

    group = case.group
    if Certificate.objects.filter(group=group, status=S.VALID).exists():
        return None
    cases = list(group.cases.select_related("matter").order_by("pk"))
    year = timezone.localdate().year
    seq = next_number(f"licence:integrated:{group.bundle.code}:{year}")
    today = timezone.localdate()
    cert = Certificate(
        case=case, group=group, number=f"ZH-{group.bundle.code}-{year}-{seq:06d}", issued_by=by,
        holder_name=case.applicant.name,
        holder_id=mask_identity(case.applicant.kind, case.applicant.id_number),
        address=case.address, matters=[c.matter.name for c in cases],
        scope=scope or case.title or group.bundle.name, valid_from=today,
        valid_until=_years_later(today, valid_years or DEFAULT_VALID_YEARS))
    _store(cert, _render_and_sign(cert))
    audit_log(action="certificate.issue_integrated", actor=by, obj=case,
              after={"number": cert.number, "matters": cert.matters, "sha256": cert.sha256})
    certificate_event.send(sender=Certificate, certificate=cert, event="issued", by=by)
    for sibling in cases:
        if sibling.pk != case.pk and sibling.status == CaseStatus.APPROVED:
            case_transition(case_id=sibling.pk, name="issue", by=by,
                            note=_("随行业综合许可证 {number} 一并出证").format(number=cert.number))
    return cert


def _require(by, *roles: str) -> None:
    if not by.has_role(*roles):
        raise PermissionRefused(_("您没有办理该证照事项的权限。"), "permission_denied")


def _locked_valid(cert: Certificate) -> Certificate:
    cert = Certificate.objects.select_for_update().select_related("case__applicant").get(
        pk=cert.pk)
    if cert.status != S.VALID:
        raise ConflictError(_("该证照已{status}，不能再办理。").format(
            status=cert.get_status_display()), "certificate_not_valid")
    return cert


def _new_version(cert: Certificate, by, *, note: str, event: str, **changes) -> Certificate:
    old = _locked_valid(cert)
    fresh = replace_fields(old, by=by, **changes)
    old.status, old.status_changed_at = S.SUPERSEDED, timezone.now()
    old.status_reason = note
    old.save(update_fields=["status", "status_changed_at", "status_reason"])
    _store(fresh, _render_and_sign(fresh, note=note))
    audit_log(action="certificate.new_version", actor=by, obj=old.case,
              before={"number": old.number, "version": old.version},
              after={"version": fresh.version, "note": note, **{k: str(v) for k, v in
                                                                 changes.items()}})
    certificate_event.send(sender=Certificate, certificate=fresh, event=event, by=by)
    return fresh


def replace_fields(old: Certificate, *, by, **changes) -> Certificate:
    values = {f.name: getattr(old, f.name) for f in Certificate._meta.concrete_fields
              if f.name not in ("id", "file", "sha256", "verify_code", "status",
                                "status_reason", "status_changed_at", "delivery",
                                "delivery_note", "delivered_at", "issued_at", "previous")}
    values.update(changes)
    values.update(version=old.version + 1, issued_by=by, issued_at=timezone.now())
    return Certificate(previous=old, **values)


def certificate_change(*, certificate: Certificate, by, scope: str | None = None,
                       address: str | None = None, holder_name: str | None = None,
                       note: str) -> Certificate:
    """变更: a new version with the changed fields; the old one is marked superseded."""
    _require(by, Role.CERTIFIER)
    if not note.strip():
        raise ApplicationError(_("请填写变更事由。"), "reason_required")
    changes = {k: v for k, v in (("scope", scope), ("address", address),
                                 ("holder_name", holder_name)) if v is not None}
    if not changes:
        raise ApplicationError(_("没有需要变更的内容。"), "nothing_changed")
    with transaction.atomic():
        return _new_version(certificate, by, note=f"变更：{note.strip()}", event="changed",
                            **changes)


def certificate_renew(*, certificate: Certificate, by, valid_until: date, note: str = ""
                      ) -> Certificate:
    """延续: a new version valid until ``valid_until``."""
    _require(by, Role.CERTIFIER)
    with transaction.atomic():
        current = _locked_valid(certificate)
        if current.valid_until and valid_until <= current.valid_until:
            raise ApplicationError(_("延续后的有效期须晚于原有效期。"), "invalid_valid_until")
        return _new_version(current, by, note=f"延续：{note.strip()}".rstrip("："),
                            event="renewed", valid_until=valid_until)


def _end(certificate: Certificate, by, status: str, reason: str, action: str) -> Certificate:
    if not reason.strip():
        raise ApplicationError(_("请填写理由。"), "reason_required")
    with transaction.atomic():
        cert = _locked_valid(certificate)
        cert.status, cert.status_reason = status, reason.strip()[:500]
        cert.status_changed_at = timezone.now()
        cert.save(update_fields=["status", "status_reason", "status_changed_at"])
        audit_log(action=action, actor=by, obj=cert.case,
                  after={"number": cert.number, "reason": cert.status_reason})
        certificate_event.send(sender=Certificate, certificate=cert, by=by,
                               event="revoked" if status == S.REVOKED else "cancelled")
    return cert


def certificate_cancel(*, certificate: Certificate, by, reason: str) -> Certificate:
    """注销 (e.g. the holder stops the business)."""
    _require(by, Role.CERTIFIER)
    return _end(certificate, by, S.CANCELLED, reason, "certificate.cancel")


def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """撤销 (e.g. obtained by deception, or on a regulator's request): the approver decides."""
    _require(by, Role.APPROVER)
    return _end(certificate, by, S.REVOKED, reason, "certificate.revoke")


def certificate_deliver(*, certificate: Certificate, by, method: str, note: str = ""
                        ) -> Certificate:
    """统一窗口出件: pickup (who collected it), download, or post (tracking number)."""
    _require(by, Role.CERTIFIER)
    if method not in (Certificate.Delivery.PICKUP, Certificate.Delivery.DOWNLOAD,
                      Certificate.Delivery.POST):
        raise ApplicationError(_("请选择出件方式。"), "invalid_delivery")
    if method in (Certificate.Delivery.PICKUP, Certificate.Delivery.POST) and not note.strip():
        raise ApplicationError(_("窗口领取须登记领取人，邮寄须登记运单号。"), "delivery_note_required")
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
        cert.delivery, cert.delivery_note = method, note.strip()[:200]
        cert.delivered_at = timezone.now()
        cert.save(update_fields=["delivery", "delivery_note", "delivered_at"])
        audit_log(action="certificate.deliver", actor=by, obj=cert.case,
                  after={"number": cert.number, "method": method, "note": cert.delivery_note})
    return cert
