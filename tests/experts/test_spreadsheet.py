"""Import and export of the pool: every row reported (created, updated, unchanged,
rejected with row number and reasons, skipped blank rows), CSV (UTF-8 with BOM, GB18030)
and XLSX, per-row transactions, and an export that imports back unchanged."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from experts.models import Expert, ExpertImport, ExpertRelation, ExpertUnavailability
from experts.services.export import expert_export
from experts.services.spreadsheet import HEADERS, expert_import
from portal.core.errors import ApplicationError, PermissionRefused
from portal.core.models import AuditEntry
from tests.experts.conftest import make_expert
from tests.factories import ids, staff

USCC = ids.uscc(__import__("random").Random(7))


def csv_bytes(rows, *, encoding="utf-8-sig", header=HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(**values) -> list:
    base = {"编号": "", "姓名": "张三", "专业领域": "放射卫生", "行业": "医疗卫生",
            "工作单位": "运城市中心医院", "职称": "主任医师", "资格资质": "", "手机号": "13911112222",
            "电子邮箱": "", "在库": "是", "不可用日期": "", "回避单位": "", "备注": ""}
    base.update(values)
    return [base[h] for h in HEADERS]


@pytest.fixture
def manager(db):
    return staff("dispatcher")


def outcomes(record: ExpertImport) -> list[tuple[int, str]]:
    return [(r["row"], r["outcome"]) for r in record.report["rows"]]


def reasons(record: ExpertImport, number: int) -> str:
    return " ".join(next(r for r in record.report["rows"] if r["row"] == number)["reasons"])


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_import_reports_every_row(field, manager, make):
    existing = make_expert(field, name="李四", phone="13922223333")
    data = make([
        row(),  # 2: new
        row(姓名="李四（更新）", 手机号="13922223333", 职称="教授"),  # 3: matched by phone
        row(姓名="", 手机号="abc"),  # 4: name missing, phone bad
        row(姓名="王五", 手机号="13933334444", 专业领域="天文学；放射卫生"),  # 5: unknown field
        row(姓名="赵六", 手机号="13944445555", 不可用日期="2026-13-01"),  # 6: bad date
        ["", "", "", "", "", "", "", "", "", "", "", "", ""],  # 7: blank
        row(姓名="孙七", 手机号="13911112222"),  # 8: same phone as row 2
        row(编号="999999", 姓名="周八", 手机号="13955556666"),  # 9: unknown id
        row(姓名="吴九", 手机号="13966667777", 在库="也许"),  # 10: bad flag
        row(姓名="郑十", 手机号="13977778888", 不可用日期="2026-05-01~2026-05-03；2026-06-01",
            回避单位=f"{USCC}；某某医疗器械公司"),  # 11: new with dates and relations
    ])
    record = expert_import(data=data, filename="pool.x", by=manager)
    assert outcomes(record) == [(2, "created"), (3, "updated"), (4, "rejected"),
                                (5, "rejected"), (6, "rejected"), (7, "skipped"),
                                (8, "rejected"), (9, "rejected"), (10, "rejected"),
                                (11, "created")]
    assert "姓名" in reasons(record, 4) and "电话号码格式不正确" in reasons(record, 4)
    assert "天文学" in reasons(record, 5)
    assert "2026-13-01" in reasons(record, 6)
    assert "与第 2 行重复" in reasons(record, 8)
    assert "999999" in reasons(record, 9)
    assert "也许" in reasons(record, 10)
    assert (record.created, record.updated, record.rejected, record.skipped) == (2, 1, 6, 1)
    existing.refresh_from_db()
    assert existing.name == "李四（更新）" and existing.title == "教授"
    assert not Expert.objects.filter(name__in=["王五", "赵六", "孙七", "周八", "吴九"]).exists()
    zheng = Expert.objects.get(name="郑十")
    assert list(zheng.unavailable.values_list("start", "end").order_by("start")) == [
        (date(2026, 5, 1), date(2026, 5, 3)), (date(2026, 6, 1), date(2026, 6, 1))]
    assert {(r.org_code, r.org_name) for r in zheng.relations.all()} == {
        (USCC, ""), ("", "某某医疗器械公司")}
    assert AuditEntry.objects.filter(action="experts.import").exists()


def test_csv_from_excel_in_gb18030_is_read(field, manager):
    record = expert_import(data=csv_bytes([row()], encoding="gb18030"), filename="a.csv",
                           by=manager)
    assert outcomes(record) == [(2, "created")]
    assert Expert.objects.get(phone="13911112222").employer == "运城市中心医院"


def test_missing_required_columns_refuse_the_whole_file(field, manager):
    header = [h for h in HEADERS if h != "手机号"]
    with pytest.raises(ApplicationError, match="手机号"):
        expert_import(data=csv_bytes([row()[:-1]], header=header), filename="a.csv",
                      by=manager)
    assert not ExpertImport.objects.exists()


def test_headers_with_marks_and_unknown_columns(field, manager):
    header = [f"{h}*" if h == "姓名" else h for h in HEADERS] + ["身高"]
    record = expert_import(data=csv_bytes([row() + ["180"]], header=header),
                           filename="a.csv", by=manager)
    assert outcomes(record) == [(2, "created")]
    assert record.report["ignored_columns"] == ["身高"]


def test_unreadable_files_are_refused_in_chinese(manager):
    with pytest.raises(ApplicationError, match="xls"):
        expert_import(data=b"\xd0\xcf\x11\xe0" + b"\0" * 100, filename="a.xls", by=manager)
    with pytest.raises(ApplicationError, match="Excel"):
        expert_import(data=b"PK\x03\x04broken", filename="a.xlsx", by=manager)
    with pytest.raises(ApplicationError, match="空"):
        expert_import(data=b"", filename="a.csv", by=manager)


def test_only_pool_managers_import(field):
    with pytest.raises(PermissionRefused):
        expert_import(data=csv_bytes([row()]), filename="a.csv", by=staff("reviewer"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_imports_back_unchanged(field, manager, case, fmt):
    first = make_expert(field, name="=HYPERLINK(1)", industries=["医疗卫生", "科研"],
                        email="a@example.cn", note="-备注")
    ExpertUnavailability.objects.create(expert=first, start=date(2099, 1, 1),
                                        end=date(2099, 1, 3))
    ExpertRelation.objects.create(expert=first, applicant=case.applicant, relation="亲属任职")
    ExpertRelation.objects.create(expert=first, org_name="某公司", relation="曾任职")
    make_expert(field, active=False)
    data, filename, content_type = expert_export(qs=Expert.objects.all(), by=manager, fmt=fmt)
    assert filename.endswith(fmt)
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8
        assert "'=HYPERLINK(1)" in data.decode("utf-8-sig")  # no formula runs
    else:
        sheet = load_workbook(io.BytesIO(data)).active
        assert [c.value for c in sheet[1]] == HEADERS
    assert AuditEntry.objects.filter(action="pii.export").exists()
    before = list(Expert.objects.order_by("pk").values())
    record = expert_import(data=data, filename=filename, by=manager)
    assert [r["outcome"] for r in record.report["rows"]] == ["unchanged", "unchanged"]
    assert list(Expert.objects.order_by("pk").values()) == before
    assert first.relations.count() == 2 and first.unavailable.count() == 1
