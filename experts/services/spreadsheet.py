"""Import of the pool by spreadsheet (CSV in UTF-8 with BOM or GB18030, or XLSX) with
Chinese column headers (the columns are shared with ``experts.services.export``).

Import policy (documented on the import page): the file is checked as a whole first
(readable, headers present, at most ``MAX_ROWS`` rows), then every row is handled on its
own, in its own transaction: a good row is saved even when another row is bad, a bad row
changes nothing, and every row ends up in the report as created, updated, unchanged,
rejected (with its row number and every reason) or skipped (a blank row). A row is matched
to an expert by 编号 (the expert id) when given, otherwise by 手机号; unmatched rows create
experts. Unavailable dates and 回避 organisations in a row are added when missing; existing
ones are never removed by an import (that is done on the expert's page), so exporting and
importing the same file changes nothing. The report is stored (``ExpertImport``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from experts.models import Expert, ExpertImport, ExpertRelation, ExpertUnavailability
from experts.services.pool import (
    expert_check,
    expert_save,
    fields_by_name,
    require_manager,
    split_list,
)
from portal.accounts.validators import is_valid_uscc
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
IMPORTED_RELATION = gettext_lazy("导入申报")
YES = {"是", "y", "yes", "true", "1", "在库", "启用", "有效"}
NO = {"否", "n", "no", "false", "0", "停用", "不在库", "无效"}
FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    hint: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("id", "编号", hint=gettext_lazy("已有专家的编号；留空按手机号匹配，未匹配则新增")),
    Column("name", "姓名", True),
    Column("fields", "专业领域", True, gettext_lazy("须为已登记的专业领域，多个用；分隔")),
    Column("industries", "行业", hint=gettext_lazy("多个用；分隔")),
    Column("employer", "工作单位", True),
    Column("title", "职称"),
    Column("qualifications", "资格资质"),
    Column("phone", "手机号", True, gettext_lazy("11位手机号或带区号的固定电话，不能与其他专家重复")),
    Column("email", "电子邮箱"),
    Column("active", "在库", hint=gettext_lazy("是/否，留空：新增为是，更新时不变")),
    Column("unavailable", "不可用日期",
           hint=gettext_lazy("如 2026-05-01~2026-05-03；单日写一个日期；多个用；分隔")),
    Column("relations", "回避单位", hint=gettext_lazy("需回避的单位名称或统一社会信用代码，多个用；分隔")),
    Column("note", "备注"),
)
HEADERS = [c.label for c in COLUMNS]
BY_LABEL = {c.label: c for c in COLUMNS}


# ---------------------------------------------------------------- reading files

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_START:
        text = text[1:]  # our own export's formula guard
    return text


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ApplicationError(_("文件编码无法识别，请另存为“CSV UTF-8”格式后重新上传。"),
                               "bad_encoding")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text),
                                                           delimiter=delimiter)]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # not a workbook, damaged, encrypted
        raise ApplicationError(_("无法读取该 Excel 文件：请确认是 .xlsx 格式且未加密。"),
                               "bad_file") from exc
    try:
        sheet = book.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_table(data: bytes) -> list[list[str]]:
    """The rows of a CSV or XLSX file (kind detected by content, not by name)."""
    if len(data) > MAX_BYTES:
        raise ApplicationError(_("文件超过 5 MB，请分批导入。"), "file_too_large")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ApplicationError(_("不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV 后重新上传。"),
                               "bad_file")
    return _read_csv(data)


def _header_key(text: str) -> str:
    text = re.split(r"[（(]", text.replace("*", "").strip(), maxsplit=1)[0]
    return text.strip()


@dataclass
class Table:
    columns: dict[str, int]
    ignored: list[str]
    rows: list[tuple[int, list[str]]]


def parse_table(data: bytes) -> Table:
    rows = read_table(data)
    header_at = next((i for i, r in enumerate(rows) if any(r)), None)
    if header_at is None:
        raise ApplicationError(_("文件是空的。"), "empty_file")
    columns, ignored = {}, []
    for index, text in enumerate(rows[header_at]):
        column = BY_LABEL.get(_header_key(text))
        if column is None:
            if text:
                ignored.append(text)
        elif column.key not in columns:
            columns[column.key] = index
    missing = [c.label for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        raise ApplicationError(_("表头缺少必填列：{names}。请使用导出的模板。").format(
            names="、".join(missing)), "missing_columns")
    body = [(header_at + 2 + n, r) for n, r in enumerate(rows[header_at + 1:])]
    while body and not any(body[-1][1]):
        body.pop()  # trailing blank lines of the file are not rows
    if len(body) > MAX_ROWS:
        raise ApplicationError(_("一次最多导入 {n} 行，请分批导入。").format(n=MAX_ROWS),
                               "too_many_rows")
    return Table(columns, ignored, body)


# ---------------------------------------------------------------- one row

DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _date(text: str) -> date:
    match = DATE_RE.match(text.strip())
    if not match:
        raise ValueError(text)
    return date(*(int(g) for g in match.groups()))


def parse_periods(text: str) -> list[tuple[date, date]]:
    periods = []
    for token in split_list(text.replace("，", ";")):
        parts = re.split(r"\s*(?:~|～|至|—|－－)\s*", token)
        try:
            start, end = _date(parts[0]), _date(parts[-1])
        except ValueError:
            raise ValueError(token) from None
        if len(parts) > 2 or end < start:
            raise ValueError(token)
        periods.append((start, end))
    return periods


def format_periods(periods: Iterable[tuple[date, date]]) -> str:
    return "；".join(s.isoformat() if s == e else f"{s.isoformat()}~{e.isoformat()}"
                    for s, e in periods)


@dataclass
class RowData:
    expert: Expert | None
    values: dict
    periods: list[tuple[date, date]]
    relations: list[str]


def _active(text: str) -> bool | None:
    if not text:
        return None
    lowered = text.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise ValueError(text)


def _row_values(cells: dict[str, str], reasons: list[str]) -> RowData:
    expert = None
    if cells.get("id"):
        if not cells["id"].isdigit() or not (expert := Expert.objects.filter(
                pk=int(cells["id"])).first()):
            reasons.append(_("编号“{id}”不存在（新增专家请留空编号）").format(id=cells["id"]))
    elif cells.get("phone"):
        expert = Expert.objects.filter(phone=cells["phone"]).first()
    names = split_list(cells.get("fields", ""))
    fields, unknown = fields_by_name(names)
    if unknown:
        reasons.append(_("专业领域不在登记目录中：{names}").format(names="、".join(unknown)))
    values = {k: cells[k] for k in ("name", "employer", "title", "qualifications", "phone",
                                    "email", "note", "industries") if k in cells}
    values["fields"] = fields if names else []
    try:
        active = _active(cells.get("active", ""))
    except ValueError:
        reasons.append(_("“在库”须填“是”或“否”，而不是“{v}”").format(v=cells["active"]))
        active = None
    if active is not None or expert is None:
        values["active"] = True if active is None else active
    try:
        periods = parse_periods(cells.get("unavailable", ""))
    except ValueError as exc:
        reasons.append(_("不可用日期“{v}”格式不正确，应为 2026-05-01~2026-05-03").format(v=exc))
        periods = []
    return RowData(expert, values, periods, split_list(cells.get("relations", "")))


def _add_periods(expert: Expert, periods: list[tuple[date, date]]) -> int:
    have = set(expert.unavailable.values_list("start", "end"))
    new = [ExpertUnavailability(expert=expert, start=s, end=e, reason=str(_("导入")))
           for s, e in dict.fromkeys(periods) if (s, e) not in have]
    ExpertUnavailability.objects.bulk_create(new)
    return len(new)


def _add_relations(expert: Expert, tokens: list[str]) -> int:
    existing = list(expert.relations.filter(active=True).select_related("applicant"))
    codes = {r.org_code for r in existing} | {r.applicant.id_number for r in existing
                                              if r.applicant_id}
    names = {r.org_name for r in existing} | {r.applicant.name for r in existing
                                              if r.applicant_id}
    added = 0
    for token in tokens:
        code = token.upper() if is_valid_uscc(token) else ""
        if (code and code in codes) or (not code and token in names):
            continue
        ExpertRelation.objects.create(expert=expert, org_code=code,
                                      org_name="" if code else token[:100],
                                      relation=str(IMPORTED_RELATION))
        (codes if code else names).add(code or token)
        added += 1
    return added


def _save_row(row: RowData, by) -> tuple[Expert, bool]:
    expert, changed = expert_save(by=by, values=row.values, expert=row.expert)
    added = _add_periods(expert, row.periods) + _add_relations(expert, row.relations)
    if added and not changed:
        audit_log(action="experts.expert_save", actor=by, obj=expert,
                  after={"imported_periods_or_relations": added})
    return expert, changed or bool(added) or row.expert is None


def _errors_text(exc: ApplicationError) -> list[str]:
    labels = {c.key: c.label for c in COLUMNS} | {"user": _("登录账号")}
    errors = exc.extra.get("errors") or {}
    if not errors:
        return [exc.message]
    return [f"{labels.get(k, k)}：{v}" for k, v in errors.items()]


def _handle_row(number: int, cells: dict[str, str], by, seen: dict) -> dict:
    entry = {"row": number, "name": cells.get("name", ""), "expert": None, "reasons": []}
    reasons = entry["reasons"]
    for key, label in (("phone", "手机号"), ("id", "编号")):
        value = cells.get(key)
        if value and (key, value) in seen:
            reasons.append(_("{label}与第 {n} 行重复").format(label=label, n=seen[(key, value)]))
        elif value:
            seen[(key, value)] = number
    row = _row_values(cells, reasons)
    if reasons:
        reasons.extend(_check(row))
    else:
        try:
            with transaction.atomic():
                expert, changed = _save_row(row, by)
        except ApplicationError as exc:
            reasons.extend(_errors_text(exc))
        else:
            entry["expert"] = expert.pk
            entry["outcome"] = ("created" if row.expert is None
                                else "updated" if changed else "unchanged")
            return entry
    entry["outcome"] = "rejected"
    return entry


def _check(row: RowData) -> list[str]:
    """The remaining problems of a row already refused (so the report lists them all)."""
    try:
        expert_check(values=row.values, expert=row.expert)
    except ApplicationError as exc:
        if "fields" in (exc.extra.get("errors") or {}) and row.values.get("fields") == []:
            exc.extra["errors"].pop("fields")  # unknown field names are reported already
        return _errors_text(exc) if exc.extra.get("errors") else []
    return []


OUTCOME_LABELS = {"created": gettext_lazy("新增"), "updated": gettext_lazy("更新"),
                  "unchanged": gettext_lazy("无变化"), "rejected": gettext_lazy("拒绝"),
                  "skipped": gettext_lazy("空行，已跳过")}


def expert_import(*, data: bytes, filename: str, by) -> ExpertImport:
    """Import a CSV or XLSX file row by row; the stored report lists every row."""
    require_manager(by)
    table = parse_table(data)
    report, seen = [], {}
    for number, raw in table.rows:
        cells = {key: (raw[index] if index < len(raw) else "").strip()
                 for key, index in table.columns.items()}
        if not any(cells.values()):
            report.append({"row": number, "outcome": "skipped", "name": "", "expert": None,
                           "reasons": []})
            continue
        report.append(_handle_row(number, cells, by, seen))
    counts = {o: sum(1 for e in report if e["outcome"] == o) for o in OUTCOME_LABELS}
    record = ExpertImport.objects.create(
        filename=(filename or "")[:200], sha256=hashlib.sha256(data).hexdigest(),
        created=counts["created"], updated=counts["updated"], unchanged=counts["unchanged"],
        rejected=counts["rejected"], skipped=counts["skipped"],
        report={"rows": report, "ignored_columns": table.ignored}, imported_by=by)
    audit_log(action="experts.import", actor=by, obj=record,
              after={"sha256": record.sha256, **counts})
    return record
