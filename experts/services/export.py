"""Export of the pool as a spreadsheet (CSV in UTF-8 with BOM for Excel, or XLSX) with
the import's Chinese headers, so that an exported file imports back unchanged. Contact
data leave the system here: every export is audited (``pii.export``). Cells that would
start a formula are prefixed with an apostrophe, which the import strips again."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert, ExpertRelation, ExpertUnavailability
from experts.services.pool import require_manager
from experts.services.spreadsheet import FORMULA_START, HEADERS, format_periods
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError


def export_queryset(qs: QuerySet[Expert]) -> QuerySet[Expert]:
    today = timezone.localdate()
    return qs.prefetch_related(
        "fields",
        Prefetch("unavailable", queryset=ExpertUnavailability.objects.filter(end__gte=today)
                 .order_by("start", "end"), to_attr="current_unavailable"),
        Prefetch("relations", queryset=ExpertRelation.objects.filter(active=True)
                 .select_related("applicant").order_by("pk"), to_attr="active_relations"))


def _guard(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    return "'" + text if text[:1] in FORMULA_START else text


def _relation_cell(relation: ExpertRelation) -> str:
    applicant = relation.applicant
    if applicant is not None:
        return applicant.id_number if applicant.kind == "organisation" else applicant.name
    return relation.org_code or relation.org_name


def expert_row(expert: Expert) -> list[str]:
    values = [str(expert.pk), expert.name, "；".join(sorted(f.name for f in expert.fields.all())),
              "；".join(expert.industries), expert.employer, expert.title,
              expert.qualifications, expert.phone, expert.email,
              "是" if expert.active else "否",
              format_periods((u.start, u.end) for u in expert.current_unavailable),
              "；".join(_relation_cell(r) for r in expert.active_relations), expert.note]
    return [_guard(v) for v in values]


def _rows(qs: QuerySet[Expert]) -> Iterator[list[str]]:
    yield HEADERS
    for expert in export_queryset(qs).order_by("pk"):
        yield expert_row(expert)


def export_csv(qs: QuerySet[Expert]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(_rows(qs))
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(qs: QuerySet[Expert]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("专家库")))
    for row in _rows(qs):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def expert_export(*, qs: QuerySet[Expert], by, fmt: str) -> tuple[bytes, str, str]:
    """The pool (as filtered) with full contact data: bytes, file name, content type.
    Contact data leave the system here, so the hand-out is audited."""
    require_manager(by)
    if fmt not in ("csv", "xlsx"):
        raise ApplicationError(_("导出格式须为 CSV 或 XLSX。"), "invalid_format")
    data = export_csv(qs) if fmt == "csv" else export_xlsx(qs)
    audit_log(action="pii.export", actor=by, object_type="experts.expert",
              object_repr=str(_("专家库导出")),
              after={"format": fmt, "count": qs.count(), "fields": ["phone", "email"],
                     "sha256": hashlib.sha256(data).hexdigest()})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    content_type = ("text/csv; charset=utf-8" if fmt == "csv" else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return data, f"experts-{stamp}.{fmt}", content_type
