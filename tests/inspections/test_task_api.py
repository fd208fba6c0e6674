"""The inspection API under /api/v1/: checklist, start, results, evidence, conclusions and
rectification call the same conduct services as the task page; refusals come back as
{"code", "detail"} with 400/403/404/409."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from approvals.workflow import CaseStatus
from inspections.models import (
    InspectionReport,
    ItemEvidence,
    Outcome,
    Result,
    TaskStatus,
)
from inspections.services import conduct
from portal.core.models import AuditEntry
from tests.factories import ApplicantFactory, staff
from tests.factories.workflow import Crew
from tests.inspections.test_conduct import (
    PLAIN_KEY,
    VETO_KEY,
    fake_image,
    item_of,
    make_task,
    png_bytes,
    png_upload,
    rectifying,
    started,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def record_all(task, inspector):
    for item in task.items.all():
        conduct.item_record(item=item, result=Result.PASS, by=inspector)


def test_checklist_has_items_results_evidence_and_score(crew):
    task = started(crew)
    first = crew.inspectors[0]
    conduct.item_record(item=item_of(task, VETO_KEY), result=Result.PASS, by=first)
    evidence = conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(),
                                    by=first, latitude="35.1", longitude="111.2",
                                    accuracy_m=5)
    response = api(crew.inspectors[1]).get(f"{API}/inspection-tasks/{task.pk}/items/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == TaskStatus.IN_PROGRESS
    items = {i["key"]: i for i in body["items"]}
    veto = items[VETO_KEY]
    assert veto["veto"] is True and veto["result"] == "pass" and veto["weight"] == 60
    assert veto["cases"] == [task.cases.get().number]
    [meta] = veto["evidence"]
    assert meta["sha256"] == evidence.sha256 and meta["latitude"] == "35.100000"
    assert meta["accuracy_m"] == 5 and meta["purpose"] == "inspection"
    assert body["score"]["percent"] == "100.0" and body["score"]["pass_line"] == 80
    assert body["score"]["unanswered"] == [item_of(task, PLAIN_KEY).pk]
    assert body["score"]["passes"] is False


def test_a_stranger_gets_404_on_checklist_items_and_evidence(crew):
    task = started(crew)
    evidence = conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(),
                                    by=crew.inspectors[0])
    client = api(ApplicantFactory().user)
    assert client.get(f"{API}/inspection-tasks/{task.pk}/items/").status_code == 404
    assert client.get(f"{API}/inspection-evidence/{evidence.pk}/download/").status_code == 404
    response = client.post(f"{API}/inspection-task-items/{item_of(task, VETO_KEY).pk}/result/",
                           {"result": "pass"}, format="json")
    assert response.status_code == 404


def test_start_by_an_unassigned_inspector_is_403_and_by_an_assigned_one_works(crew):
    task = make_task(crew)
    response = api(staff("inspector")).post(f"{API}/inspection-tasks/{task.pk}/start/")
    assert response.status_code == 403 and response.json()["code"] == "not_task_inspector"
    response = api(crew.inspectors[0]).post(f"{API}/inspection-tasks/{task.pk}/start/")
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    again = api(crew.inspectors[1]).post(f"{API}/inspection-tasks/{task.pk}/start/")
    assert again.status_code == 409 and again.json()["code"] == "invalid_task_state"


def test_results_fail_needs_a_comment_and_na_is_no_veto_answer(crew):
    task = started(crew)
    client = api(crew.inspectors[0])
    plain, veto = item_of(task, PLAIN_KEY), item_of(task, VETO_KEY)
    url = f"{API}/inspection-task-items/{plain.pk}/result/"
    response = client.post(url, {"result": "fail"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "comment_required"
    response = client.post(f"{API}/inspection-task-items/{veto.pk}/result/",
                           {"result": "na"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "veto_not_applicable"
    response = client.post(url, {"result": "maybe"}, format="json")
    assert response.status_code == 400 and "result" in response.json()["errors"]
    response = client.post(url, {"result": "fail", "comment": "健康证过期"}, format="json")
    assert response.status_code == 200
    assert response.json()["result"] == "fail" and response.json()["comment"] == "健康证过期"


def test_evidence_upload_returns_201_with_the_hash_and_keeps_the_position(crew):
    task = started(crew)
    item = item_of(task, VETO_KEY)
    data = png_bytes(9, 9)
    taken = timezone.now() - timedelta(minutes=1)
    response = api(crew.inspectors[1]).post(
        f"{API}/inspection-task-items/{item.pk}/evidence/",
        {"file": SimpleUploadedFile("site.png", data), "captured_at": taken.isoformat(),
         "latitude": "35.0264", "longitude": "111.0075", "accuracy_m": "6"},
        format="multipart")
    assert response.status_code == 201
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest() and body["size"] == len(data)
    assert body["latitude"] == "35.026400" and body["longitude"] == "111.007500"
    evidence = ItemEvidence.objects.get(pk=body["id"])
    assert evidence.uploaded_by == crew.inspectors[1] and evidence.captured_at == taken
    download = api(task.applicant.user).get(f"{API}/inspection-evidence/{evidence.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == data
    assert AuditEntry.objects.filter(action="inspections.evidence_view",
                                     actor=task.applicant.user).exists()


def test_a_fake_image_is_400(crew):
    task = started(crew)
    response = api(crew.inspectors[0]).post(
        f"{API}/inspection-task-items/{item_of(task, VETO_KEY).pk}/evidence/",
        {"file": fake_image()}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "unsupported_file_type"
    assert not ItemEvidence.objects.exists()


def test_conclusion_propose_confirm_and_the_proposer_cannot_confirm(crew):
    task = started(crew)
    first, second = crew.inspectors
    record_all(task, first)
    response = api(first).post(f"{API}/inspection-tasks/{task.pk}/conclusions/",
                               {"outcome": "pass", "note": "符合要求"}, format="json")
    assert response.status_code == 201
    proposal = response.json()
    assert proposal["round"] == 1 and proposal["score"] == "100.0"
    assert proposal["confirmed_at"] is None
    url = f"{API}/inspection-conclusions/{proposal['id']}/confirm/"
    own = api(first).post(url)
    assert own.status_code == 403 and own.json()["code"] == "same_inspector"
    assert api(task.applicant.user).post(url).status_code == 404  # proposals are not theirs
    response = api(second).post(url)
    assert response.status_code == 200 and response.json()["confirmed_at"]
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED
    assert task.cases.get().status == CaseStatus.DECISION_PENDING
    assert InspectionReport.objects.filter(task=task).exists()


def test_pass_with_a_failed_veto_item_is_refused(crew):
    task = started(crew)
    first = crew.inspectors[0]
    conduct.item_record(item=item_of(task, VETO_KEY), result=Result.FAIL, comment="生熟混放",
                        by=first)
    conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.PASS, by=first)
    response = api(first).post(f"{API}/inspection-tasks/{task.pk}/conclusions/",
                               {"outcome": "pass", "note": "合格"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "cannot_pass"


def test_withdraw_with_a_reason(crew):
    task = started(crew)
    record_all(task, crew.inspectors[0])
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格",
                                          by=crew.inspectors[0])
    response = api(crew.inspectors[1]).post(
        f"{API}/inspection-conclusions/{proposal.pk}/withdraw/", {"reason": "意见不一致"},
        format="json")
    assert response.status_code == 200 and response.json()["withdrawn_at"]
    again = api(crew.inspectors[0]).post(f"{API}/inspection-conclusions/{proposal.pk}/withdraw/",
                                         {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "conclusion_closed"


def test_rectification_loop_over_the_api(crew):
    task = started(crew)
    first, second = crew.inspectors
    conduct.item_record(item=item_of(task, VETO_KEY), result=Result.PASS, by=first)
    conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.FAIL, comment="健康证过期",
                        by=first)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = api(first).post(f"{API}/inspection-tasks/{task.pk}/conclusions/",
                               {"outcome": "rectify", "note": "限期整改", "rectify_due": due},
                               format="json")
    assert response.status_code == 201 and response.json()["rectify_due"] == due
    api(second).post(f"{API}/inspection-conclusions/{response.json()['id']}/confirm/")
    task.refresh_from_db()
    assert task.status == TaskStatus.RECTIFYING

    applicant = api(task.applicant.user)
    plain = item_of(task, PLAIN_KEY)
    refused = applicant.post(f"{API}/inspection-task-items/{item_of(task, VETO_KEY).pk}/evidence/",
                             {"file": png_upload()}, format="multipart")
    assert refused.status_code == 400 and refused.json()["code"] == "not_rectifiable"
    missing = applicant.post(f"{API}/inspection-tasks/{task.pk}/rectification/submit/")
    assert missing.status_code == 400 and missing.json()["code"] == "evidence_missing"
    note = applicant.post(f"{API}/inspection-task-items/{plain.pk}/rectification-note/",
                          {"note": "已换新证"}, format="json")
    assert note.status_code == 200 and note.json()["rectify_note"] == "已换新证"
    data = png_bytes(8, 2)
    upload = applicant.post(f"{API}/inspection-task-items/{plain.pk}/evidence/",
                            {"file": SimpleUploadedFile("cert.png", data)}, format="multipart")
    assert upload.status_code == 201 and upload.json()["purpose"] == "rectification"
    assert upload.json()["sha256"] == hashlib.sha256(data).hexdigest()
    submit = applicant.post(f"{API}/inspection-tasks/{task.pk}/rectification/submit/")
    assert submit.status_code == 200 and submit.json()["status"] == "verifying"

    verify = api(second).post(f"{API}/inspection-task-items/{plain.pk}/verify/",
                              {"ok": True, "comment": "新证有效"}, format="json")
    assert verify.status_code == 200 and verify.json()["rectify_verified"] is True
    proposal = api(second).post(f"{API}/inspection-tasks/{task.pk}/conclusions/",
                                {"outcome": "pass", "note": "整改到位"}, format="json").json()
    assert proposal["round"] == 2
    assert api(first).post(
        f"{API}/inspection-conclusions/{proposal['id']}/confirm/").status_code == 200
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED and task.outcome == Outcome.PASS
    assert task.cases.get().status == CaseStatus.DECISION_PENDING


def test_verify_not_ok_needs_a_reason_then_fail(crew):
    task = rectifying(crew)
    plain = item_of(task, PLAIN_KEY)
    conduct.evidence_add(item=plain, upload=png_upload(), by=task.applicant.user)
    conduct.rectification_submit(task=task, by=task.applicant.user)
    first, second = crew.inspectors
    url = f"{API}/inspection-task-items/{plain.pk}/verify/"
    refused = api(first).post(url, {"ok": False}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "comment_required"
    assert api(first).post(url, {"ok": False, "comment": "照片不清"},
                           format="json").status_code == 200
    proposal = api(first).post(f"{API}/inspection-tasks/{task.pk}/conclusions/",
                               {"outcome": "fail", "note": "整改不到位"}, format="json").json()
    api(second).post(f"{API}/inspection-conclusions/{proposal['id']}/confirm/")
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED and task.outcome == Outcome.FAIL


def test_openapi_schema_has_the_conduct_endpoints_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/inspection-tasks/{task_id}/items/",
                 "/api/v1/inspection-tasks/{task_id}/start/",
                 "/api/v1/inspection-tasks/{task_id}/conclusions/",
                 "/api/v1/inspection-tasks/{task_id}/rectification/submit/",
                 "/api/v1/inspection-task-items/{item_id}/result/",
                 "/api/v1/inspection-task-items/{item_id}/evidence/",
                 "/api/v1/inspection-task-items/{item_id}/rectification-note/",
                 "/api/v1/inspection-task-items/{item_id}/verify/",
                 "/api/v1/inspection-evidence/{evidence_id}/download/",
                 "/api/v1/inspection-conclusions/{conclusion_id}/confirm/",
                 "/api/v1/inspection-conclusions/{conclusion_id}/withdraw/"):
        assert f"{path}:" in text
