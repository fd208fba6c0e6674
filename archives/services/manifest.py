"""The package manifest and its seal, and the catalogue (卷内目录) PDF.

The sealed part of the manifest lists the package's fixed facts and every document with
its path, SHA-256, size, title, date and pages; its SHA-256 (the seal) is stored on the
package at binding. An export writes it as ``manifest.json`` with the seal, so anyone can
check the files against the manifest, the manifest against its seal, and the seal against
the bureau's record."""

from __future__ import annotations

import hashlib
import json

from django.utils import timezone
from django.utils.translation import gettext as _

from archives.models import ArchiveDocument, ArchivePackage
from portal.core.pdf import DocumentSpec, KeyValueTable, ListTable, Text, render_document

FORMAT = "oneseal-archive/1"
MANIFEST = "manifest.json"
CATALOGUE = "catalogue.pdf"


def _canonical(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode("utf-8")


def document_entry(doc: ArchiveDocument) -> dict:
    return {"seq": doc.seq, "path": doc.path, "kind": doc.kind, "title": doc.title,
            "doc_number": doc.doc_number, "date": doc.doc_date.isoformat(),
            "pages": doc.pages, "content_type": doc.content_type, "size": doc.size,
            "sha256": doc.sha256, "source": f"{doc.source_type}:{doc.source_id}"
            if doc.source_type else "generated" if doc.owned else ""}


def sealed_manifest(package: ArchivePackage, documents: list[ArchiveDocument]) -> dict:
    case = package.case
    review = package.retention_review_date
    return {
        "format": FORMAT,
        "package": {
            "number": package.number, "case": case.number, "matter_code": case.matter.code,
            "matter": case.matter.name, "applicant": case.applicant.name,
            "outcome": package.outcome, "closing_status": package.closing_status,
            "closed_on": package.closed_on.isoformat(),
            "classification_code": package.classification_code,
            "classification": package.classification_name, "retention": package.retention,
            "retention_review_date": review.isoformat() if review else None,
            "bound_at": timezone.localtime(package.bound_at).isoformat(timespec="seconds"),
            "bound_by": package.bound_by.username,
        },
        "documents": [document_entry(d) for d in sorted(documents, key=lambda d: d.seq)],
    }


def seal_of(sealed: dict) -> str:
    return hashlib.sha256(_canonical(sealed)).hexdigest()


def export_manifest(package: ArchivePackage, documents: list[ArchiveDocument], *,
                    by) -> dict:
    sealed = sealed_manifest(package, documents)
    return {**sealed, "seal": package.seal,
            "catalogue": {"path": CATALOGUE, "sha256": package.catalogue_sha256},
            "paper": {"box": package.box_number, "volume": package.volume_number,
                      "shelf": package.shelf_location, "binding": package.binding_status},
            "exported_at": timezone.localtime().isoformat(timespec="seconds"),
            "exported_by": by.username}


def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2,
                      default=str).encode("utf-8")


def catalogue_pdf(package: ArchivePackage, documents: list[ArchiveDocument]) -> bytes:
    """卷内目录: 件号、文号、题名、日期、页数、备注, after the package's facts."""
    case = package.case
    review = package.retention_review_date
    facts = KeyValueTable([
        (_("档号"), package.number), (_("办件编号"), case.number or ""),
        (_("事项"), f"{case.matter.code} {case.matter.name}"), (_("申请人"), case.applicant.name),
        (_("办理结果"), package.get_outcome_display()),
        (_("办结日期"), package.closed_on.isoformat()),
        (_("分类"), f"{package.classification_code} {package.classification_name}"),
        (_("保管期限"), package.get_retention_display()),
        (_("到期鉴定日期"), review.isoformat() if review else _("永久保存")),
        (_("件数 / 页数"), f"{len(documents)} / {sum(d.pages for d in documents)}"),
    ])
    rows = [[str(d.seq), d.doc_number or "—", d.title, d.doc_date.isoformat(),
             str(d.pages) if d.pages else "—",
             d.get_kind_display() + ("" if d.pages else _("（电子）"))] for d in documents]
    table = ListTable(header=[_("件号"), _("文号"), _("题名"), _("日期"), _("页数"), _("备注")],
                      rows=rows, widths=[0.6, 2.2, 3.6, 1.4, 0.7, 1.5])
    return render_document(DocumentSpec(
        title=_("卷内目录"), number=package.number,
        body=[facts, table, Text(_("每件文件的 SHA-256 见档案包清单（manifest.json）；"
                                   "页数为“—”的为电子文件（音视频、数据文件）。"), indent=False)],
        dated=timezone.localtime(package.bound_at).date(),
        seal_label=_("立卷人：{name}").format(name=package.bound_by.real_name
                                            or package.bound_by.username),
        keywords=(package.number,)))
