"""Archiving from the worklist page and the API, the destruction list through the pages
and the API, the case page's archive panel, and a warning-free API schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.workflow import CaseStatus
from archives.case_panel import case_archive_panel
from archives.models import ArchivePackage, DestructionList
from tests.archives.conftest import closed_case, logged_in

pytestmark = pytest.mark.django_db


def test_worklist_shows_closed_cases_and_archives_one(crew, archivist):
    case = closed_case(crew)
    open_case = closed_case(crew, CaseStatus.SUBMITTED)
    client = logged_in(archivist)
    page = client.get(reverse("archives-pending")).content.decode()
    assert case.number in page and open_case.number not in page
    response = client.post(reverse("archives-bind", args=[case.pk]))
    package = ArchivePackage.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("archives-package", args=[package.pk])
    again = client.post(reverse("archives-bind", args=[case.pk]), follow=True)
    assert "不能执行" in again.content.decode()
    assert ArchivePackage.objects.count() == 1


def test_api_archives_a_case_once(crew, archivist):
    case = closed_case(crew, CaseStatus.REJECTED)
    client = logged_in(archivist)
    response = client.post(reverse("api-archives-bind"), {"case": case.pk},
                           content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["case_number"] == case.number and body["outcome"] == "rejected"
    assert body["documents"] and all(len(d["sha256"]) == 64 for d in body["documents"])
    again = client.post(reverse("api-archives-bind"), {"case": case.pk},
                        content_type="application/json")
    assert again.status_code == 409
    missing = client.post(reverse("api-archives-bind"), {"case": 999999},
                          content_type="application/json")
    assert missing.status_code == 404


def test_an_open_case_is_not_archived(crew, archivist):
    case = closed_case(crew, CaseStatus.SUBMITTED)
    response = logged_in(archivist).post(reverse("api-archives-bind"), {"case": case.pk},
                                         content_type="application/json")
    assert response.status_code == 409 and not ArchivePackage.objects.exists()


def test_destruction_through_the_pages_and_the_api(package, archivist, supervisor):
    ArchivePackage.objects.filter(pk=package.pk).update(
        retention_review_date=timezone.localdate() - timedelta(days=1))
    client = logged_in(archivist)
    page = client.get(reverse("archives-retention")).content.decode()
    assert package.number in page and "提交销毁清册" in page
    refused = client.post(reverse("archives-destruction-propose"), {
        "reason": "经鉴定无继续保存价值", "package": package.pk, f"reason_{package.pk}": ""})
    assert refused.status_code == 400 and "销毁理由" in refused.content.decode()
    assert "经鉴定无继续保存价值" in refused.content.decode()  # what was typed is kept
    response = client.post(reverse("archives-destruction-propose"), {
        "reason": "经鉴定无继续保存价值", "package": package.pk,
        f"reason_{package.pk}": "保管期满"})
    destruction = DestructionList.objects.get()
    assert response["Location"] == reverse("archives-destruction", args=[destruction.pk])
    assert "提交审批" not in client.get(response["Location"]).content.decode()
    boss = logged_in(supervisor)
    assert "提交审批" in boss.get(response["Location"]).content.decode()
    api = boss.post(reverse("api-archives-destruction-decision", args=[destruction.pk]),
                    {"approve": False}, content_type="application/json")
    assert api.status_code == 400 and api.json()["code"] == "decision_reason_required"
    api = boss.post(reverse("api-archives-destruction-decision", args=[destruction.pk]),
                    {"approve": True, "note": "同意"}, content_type="application/json")
    assert api.status_code == 200 and api.json()["status"] == "approved"
    assert api.json()["items"][0]["files_deleted"] > 0
    package.refresh_from_db()
    assert package.is_destroyed
    page = boss.get(reverse("archives-package", args=[package.pk])).content.decode()
    assert "已销毁" in page and "导出档案包" not in page


def test_api_proposal_reports_every_problem(package, archivist):
    client = logged_in(archivist)
    response = client.post(reverse("api-archives-destruction-lists"), {
        "reason": "鉴定", "items": [{"package": package.pk, "reason": "到期"}]},
        content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "not_destroyable"
    assert package.number in response.json()["detail"]
    response = client.post(reverse("api-archives-destruction-lists"), {
        "reason": "鉴定", "items": []}, content_type="application/json")
    assert response.status_code == 400


def test_case_panel_for_readers_only(package, crew, archivist, supervisor):
    case = package.case
    assert case_archive_panel(case, crew.users["clerk"]) is None
    assert case_archive_panel(case, supervisor)["package"] == package
    pending = closed_case(crew)
    assert case_archive_panel(pending, archivist)["bind_url"]
    assert case_archive_panel(pending, supervisor)["bind_url"] == ""


def test_schema_is_warning_free(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out),
                 "--urlconf", "tests.archives.urls")
    text = out.read_text()
    for path in ("/api/v1/archives/", "/api/v1/archives/{package_id}/export/",
                 "/api/v1/archives/{package_id}/verify/", "/api/v1/archives/verify/",
                 "/api/v1/archives/destruction-lists/{destruction_id}/decision/",
                 "/api/v1/archives/loans/"):
        assert f"{path}:" in text, path
