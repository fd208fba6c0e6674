"""电子台账: the drill-down list of any number as CSV (UTF-8 with BOM, streamed) or XLSX
(openpyxl write-only, at most ``XLSX_MAX_ROWS`` rows). Every export is audited
(``dashboards.export``) with its filters and row count before the first byte is sent.
Applicant identity numbers are masked as on the pages; cells that a spreadsheet would read
as a formula are neutralised."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from approvals.workflow import CaseStatus
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError
from portal.dashboards.drill import Drill, Row, drill_all, drill_count, masked_id

XLSX_MAX_ROWS = 100_000
CSV_MAX_ROWS = 2_000_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
OUTCOME_LABELS = dict(CaseStatus.choices)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _date(value) -> str:
    return value.isoformat() if value else ""


def ledger_header(drill: Drill) -> list[str]:
    head = [_("办件编号"), _("事项"), _("承办科室"), _("申请人"), _("证件号码"), _("所在区划"),
            _("当前状态"), _("提交日期"), _("受理日期"), _("承诺办结日期"), _("办结/终止日期"),
            _("办理结果"), _("是否按时办结")]
    return head + ([drill.value_label] if drill.value_label else [])


def ledger_row(row: Row, drill: Drill) -> list[str]:
    case, fact = row.case, row.fact
    on_time = "" if fact is None or fact.on_time is None else (_("是") if fact.on_time
                                                                else _("否"))
    out = [case.number or "", case.matter.name, case.matter.section.name, _cell(case.applicant.name),
           masked_id(case), case.district.name if case.district else "",
           case.get_status_display(), _date(fact and fact.submitted_on),
           _date(fact and fact.accepted_on), _date(case.promised_date),
           _date(fact and fact.closed_on),
           str(OUTCOME_LABELS.get(fact.outcome, "")) if fact and fact.outcome else "", on_time]
    return out + ([str(row.value) if row.value is not None else ""] if drill.value_label else [])


@dataclass(frozen=True)
class Ledger:
    drill: Drill
    fmt: str
    rows: int

    @property
    def filename(self) -> str:
        return f"电子台账-{self.drill.label}-{self.drill.filters.period.label}.{self.fmt}"


def ledger_prepare(*, drill: Drill, fmt: str, by) -> Ledger:
    """Check the size and audit the export (before any row is sent)."""
    if fmt not in ("csv", "xlsx"):
        raise ApplicationError(_("导出格式只能是 CSV 或 XLSX。"), "invalid_format")
    rows = drill_count(drill)
    limit = XLSX_MAX_ROWS if fmt == "xlsx" else CSV_MAX_ROWS
    if rows > limit:
        raise ApplicationError(
            _("共 {n} 行，超过{fmt}台账单次导出上限 {limit} 行，请缩小统计期间或筛选条件"
              "（CSV 上限更高）。").format(n=f"{rows:,}", fmt=fmt.upper(), limit=f"{limit:,}"),
            "export_too_large")
    audit_log(action="dashboards.export", actor=by, object_type="dashboards.ledger",
              object_repr=f"{drill.label} {drill.filters.period.label}",
              after={"format": fmt, "rows": rows, "filters": drill.query()})
    return Ledger(drill, fmt, rows)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(drill: Drill) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(ledger_header(drill))
    for row in drill_all(drill):
        yield writer.writerow(ledger_row(row, drill))


def csv_response(ledger: Ledger) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(ledger.drill),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, ledger.filename)
    return response


def xlsx_response(ledger: Ledger) -> FileResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("电子台账"))
    sheet.append(ledger_header(ledger.drill))
    for row in drill_all(ledger.drill):
        sheet.append(ledger_row(row, ledger.drill))
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=ledger.filename,
                        content_type="application/vnd.openxmlformats-officedocument."
                                     "spreadsheetml.sheet")
