"""Issuing numbered PDF notices on a case: number, render, store, hash, audit.

The renderers in ``approvals.notices`` are pure (dataclass in, PDF bytes out); this module
gathers their input from the case and keeps the result as a ``Notice``.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from approvals import notices as render
from approvals.models import Case, CaseMaterial, Deficiency, Notice, SupplementItem
from portal.core.audit import audit_log
from portal.core.numbering import next_number


def notice_number(kind: str) -> str:
    """e.g. 示例审批受字〔2026〕第000123号 (per kind and year, gap-free)."""
    year = timezone.localdate().year
    prefix = render.NOTICE_KINDS[kind].prefix
    seq = next_number(f"notice:{kind}:{year}")
    return f"{settings.BUREAU_SHORT_NAME}{prefix}字〔{year}〕第{seq:06d}号"


def _common(case: Case, number: str) -> dict:
    window = getattr(case.created_by, "window", None)
    return {
        "bureau": settings.BUREAU_NAME, "number": number,
        "applicant_name": case.applicant.name, "case_number": case.number or "",
        "matter_name": case.matter.name,
        "window": str(window) if window else "", "phone": settings.BUREAU_PHONE,
    }


def _acceptance(case: Case, number: str, **_) -> bytes:
    materials = list(CaseMaterial.objects.filter(case=case, is_current=True)
                     .values_list("name", flat=True))
    tolerated = [(d.requirement.name, d.promise_date)
                 for d in Deficiency.objects.filter(case=case).select_related("requirement")]
    return render.render_acceptance_notice(render.AcceptanceNotice(
        **_common(case, number), accepted_on=timezone.localdate(),
        promised_on=case.promised_date, promised_days=case.matter.promised_days,
        materials=materials, tolerated=tolerated))


def _supplement(case: Case, number: str, note: str = "", **_) -> bytes:
    lines = [render.SupplementLine(material=i.material_name, problem=i.get_problem_display(),
                                   reason=i.reason)
             for i in SupplementItem.objects.filter(request__case=case)]
    return render.render_supplement_notice(render.SupplementNotice(
        **_common(case, number), issued_on=timezone.localdate(), items=lines, note=note,
        received_on=_received(case)))


def _rejection(case: Case, number: str, note: str = "", legal_basis: str = "", **_) -> bytes:
    return render.render_rejection_decision(render.RejectionDecision(
        **_common(case, number), decided_on=timezone.localdate(), reason=note,
        legal_basis=legal_basis, received_on=_received(case)))


def _received(case: Case):
    return timezone.localdate(case.submitted_at) if case.submitted_at else None


def _denial(case: Case, number: str, note: str = "", legal_basis: str = "", **_) -> bytes:
    return render.render_denial_decision(render.RejectionDecision(
        **_common(case, number), decided_on=timezone.localdate(), reason=note,
        legal_basis=legal_basis, received_on=_received(case)))


RENDERERS = {Notice.Kind.ACCEPTANCE: _acceptance, Notice.Kind.SUPPLEMENT: _supplement,
             Notice.Kind.REJECTION: _rejection, Notice.Kind.DENIAL: _denial}


def notice_issue(*, case: Case, kind: str, by, note: str = "", legal_basis: str = "") -> Notice:
    """Render and keep one notice (inside the caller's transaction)."""
    number = notice_number(kind)
    pdf = RENDERERS[kind](case, number, note=note, legal_basis=legal_basis)
    notice = Notice(case=case, kind=kind, number=number, issued_by=by,
                    sha256=hashlib.sha256(pdf).hexdigest())
    notice.file.save(f"{kind}.pdf", ContentFile(pdf), save=True)
    audit_log(action=f"notice.{kind}", actor=by, obj=case,
              after={"number": number, "sha256": notice.sha256})
    return notice
