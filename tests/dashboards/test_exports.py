"""电子台账: CSV (UTF-8 with BOM) and XLSX read back, the same cases as the list, masked,
formula-safe, audited, and refused with a clear message above the size cap."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.core.models import AuditEntry
from portal.dashboards import exports
from tests.dashboards.conftest import logged_in

pytestmark = pytest.mark.django_db

MARCH = {"period": "month", "date": "2025-03-15"}


def export(client, fmt: str, **params):
    return client.get(reverse("dashboards-export"), {**MARCH, "format": fmt, **params})


def test_csv_ledger_has_a_bom_a_header_and_every_case(dated, supervisor):
    response = export(logged_in(supervisor), "csv", metric="on_time")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content).decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw[1:])))
    assert rows[0][:3] == ["办件编号", "事项", "承办科室"]
    numbers = {r[0] for r in rows[1:]}
    assert numbers == {dated.cases[n].number for n in ("c1", "c3", "c5")}
    c1 = next(r for r in rows[1:] if r[0] == dated.cases["c1"].number)
    assert dated.cases["c1"].applicant.id_number not in raw and "*" in c1[4]
    assert c1[9] == "2025-03-10" and c1[10] == "2025-03-05" and c1[12] == "是"


def test_xlsx_ledger_reads_back_with_the_stage_column(dated, supervisor):
    response = export(logged_in(supervisor), "xlsx", metric="stage_review")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][-1] == "审查用时（工作日）"
    days = {r[0]: r[-1] for r in rows[1:]}
    assert days == {dated.cases["c1"].number: "2", dated.cases["c2"].number: "4",
                    dated.cases["c3"].number: "5", dated.cases["c5"].number: "0"}


def test_every_export_is_audited_with_its_filters(dated, supervisor):
    export(logged_in(supervisor), "csv", metric="returned", district="140821")
    entry = AuditEntry.objects.filter(action="dashboards.export").latest("seq")
    assert entry.actor == supervisor
    assert entry.after["rows"] == 1 and entry.after["format"] == "csv"
    assert entry.after["filters"]["district"] == "140821"
    assert entry.after["filters"]["metric"] == "returned"


def test_formula_like_names_are_neutralised(dated, supervisor):
    applicant = dated.cases["c1"].applicant
    applicant.name = "=HYPERLINK(\"http://x\")"
    applicant.save()
    raw = b"".join(export(logged_in(supervisor), "csv", metric="on_time")
                   .streaming_content).decode()
    assert "'=HYPERLINK" in raw


def test_an_export_over_the_cap_is_refused_with_the_reason(dated, supervisor, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 5)
    response = export(logged_in(supervisor), "xlsx", metric="applications")
    assert response.status_code == 400
    assert "超过XLSX台账单次导出上限" in response.content.decode()
    assert not AuditEntry.objects.filter(action="dashboards.export").exists()
    assert export(logged_in(supervisor), "csv", metric="applications").status_code == 200
