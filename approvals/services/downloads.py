"""Handing out stored case documents. Materials, notices and licences may hold personal
data, so every hand-out is audited here, once, whether a page or the API asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.fields.files import FieldFile

from approvals.models import CaseMaterial, Certificate, Notice
from portal.core.audit import audit_log


@dataclass(frozen=True)
class Download:
    file: FieldFile
    filename: str
    content_type: str


def material_download(*, material: CaseMaterial, by, preview: bool = False) -> Download:
    after = {"material": material.name, "sha256": material.sha256}
    audit_log(action="material.view", actor=by, obj=material.case,
              after=after | ({"preview": True} if preview else {}))
    return Download(material.file, material.original_name or material.name,
                    material.content_type)


def notice_download(*, notice: Notice, by) -> Download:
    audit_log(action="notice.view", actor=by, obj=notice.case,
              after={"notice": notice.number, "sha256": notice.sha256})
    return Download(notice.file, f"{notice.number}.pdf", "application/pdf")


def certificate_download(*, certificate: Certificate, by) -> Download:
    audit_log(action="certificate.view", actor=by, obj=certificate.case,
              after={"number": certificate.number, "version": certificate.version})
    return Download(certificate.file, f"{certificate.number}-v{certificate.version}.pdf",
                    "application/pdf")
