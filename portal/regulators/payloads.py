"""What an event tells the department: the case (number, matter, applicant with a masked
identity, address), the decision and the licence. Built once when the event is written;
the stored payload is exactly what is pushed and what the pull API returns."""

from __future__ import annotations

from datetime import datetime

from approvals.models import Case, Certificate
from approvals.services.certificates import verify_url
from portal.accounts.masking import mask_identity


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def case_part(case: Case) -> dict:
    applicant = case.applicant
    return {
        "number": case.number or "",
        "title": case.title,
        "address": case.address,
        "district": case.district.name if case.district_id else "",
        "matter": {"code": case.matter.code, "name": case.matter.name,
                   "industry": case.matter.industry},
        "applicant": {"name": applicant.name, "kind": applicant.kind,
                      # persons masked; an organisation's USCC is public registration data
                      "id_number": mask_identity(applicant.kind, applicant.id_number)},
    }


def certificate_part(cert: Certificate) -> dict:
    return {
        "number": cert.number, "version": cert.version, "status": cert.status,
        "status_reason": cert.status_reason, "holder_name": cert.holder_name,
        "holder_id": cert.holder_id, "matters": list(cert.matters), "scope": cert.scope,
        "valid_from": _iso(cert.valid_from), "valid_until": _iso(cert.valid_until),
        "issued_at": _iso(cert.issued_at), "verify_url": verify_url(cert.verify_code),
    }


def envelope(*, event_id, kind: str, department_code: str, occurred_at: datetime,
             case: Case, decision: dict | None = None, certificate: Certificate | None = None,
             request: dict | None = None) -> dict:
    return {
        "event_id": str(event_id), "kind": kind, "department": department_code,
        "occurred_at": occurred_at.isoformat(), "case": case_part(case),
        "decision": decision,
        "certificate": certificate_part(certificate) if certificate is not None else None,
        "request": request,
    }
