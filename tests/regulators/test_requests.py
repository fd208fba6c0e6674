"""Requests from regulator departments through the API (token auth): scoped to the
department's matters, idempotent by the department's request id, attachments checked by
content; they land on the case for the bureau, which accepts, rejects or completes them
(each answer pushed back); a revocation is never automatic, and revoking the licence on
its own page completes the open revocation requests."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from approvals.models import Certificate
from approvals.services.certificates import certificate_revoke
from approvals.workflow import CaseStatus
from portal.accounts.roles import Role
from portal.core.models import AuditEntry
from portal.notifications.models import Notification
from portal.regulators.models import EventKind, OutboxEvent, RegulatorRequest
from tests.factories import SectionFactory, staff
from tests.regulators.conftest import decided_case, make_department, regulator_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/regulators/requests/"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def issued(crew, food_matter, amr):
    case = decided_case(crew, food_matter, until=CaseStatus.ISSUED)
    return case, Certificate.objects.get(case=case)


def revocation(cert, request_id="AMR-2026-0001", content="现场检查发现以欺骗手段取得许可"):
    return {"request_id": request_id, "kind": "revocation_request",
            "certificate_number": cert.number, "content": content}


def test_a_revocation_request_lands_on_the_case_and_is_idempotent(issued, amr_user, crew):
    case, cert = issued
    client = api(amr_user)
    first = client.post(URL, revocation(cert), format="json")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["status"] == "open" and body["case_number"] == case.number
    assert body["certificate_number"] == cert.number and body["kind"] == "revocation_request"
    again = client.post(URL, revocation(cert), format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert RegulatorRequest.objects.count() == 1
    reused = client.post(URL, revocation(cert, content="另一件事"), format="json")
    assert reused.status_code == 409 and reused.json()["code"] == "request_id_reused"
    for role in ("approver", "supervisor"):
        assert Notification.objects.filter(recipient=crew.users[role],
                                           event="regulator_request_received").count() == 1
    assert not Notification.objects.filter(recipient=crew.users["clerk"],
                                           event="regulator_request_received").exists()
    assert Certificate.objects.get(pk=cert.pk).status == Certificate.Status.VALID


def test_requests_are_scoped_to_the_department(issued, amr_user, other_matter, crew):
    case, cert = issued
    elsewhere, _secret = make_department(industries=("药品",))
    stranger = regulator_of(elsewhere)
    refused = api(stranger).post(URL, revocation(cert), format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "out_of_scope"
    assert api(crew.users["clerk"]).post(URL, revocation(cert), format="json") \
        .status_code == 403
    assert api(case.applicant.user).post(URL, revocation(cert), format="json") \
        .status_code == 403
    assert APIClient().post(URL, revocation(cert), format="json").status_code in (401, 403)

    made = api(amr_user).post(URL, revocation(cert), format="json").json()
    assert api(stranger).get(URL).json()["results"] == []
    assert api(stranger).get(f"{URL}{made['id']}/").status_code == 404
    assert [r["id"] for r in api(amr_user).get(URL).json()["results"]] == [made["id"]]
    assert api(case.applicant.user).get(URL).status_code == 403


def test_bad_input_gets_a_clear_chinese_error(issued, amr_user):
    case, cert = issued
    client = api(amr_user)
    missing = client.post(URL, {"request_id": "X1", "kind": "supervision_finding",
                                "content": "发现问题"}, format="json")
    assert missing.status_code == 400 and missing.json()["detail"] == "请填写办件编号或证书编号。"
    unknown = client.post(URL, {"request_id": "X2", "kind": "supervision_finding",
                                "case_number": "NO-SUCH", "content": "发现问题"}, format="json")
    assert unknown.status_code == 404 and unknown.json()["detail"] == "办件编号不存在。"
    bad_kind = client.post(URL, {"request_id": "X3", "kind": "other", "case_number": case.number,
                                 "content": "x"}, format="json")
    assert bad_kind.status_code == 400 and bad_kind.json()["detail"] == "请求类型不正确。"
    fake = client.post(URL, {"request_id": "X4", "kind": "supervision_finding",
                             "case_number": case.number, "content": "附件",
                             "attachments": [SimpleUploadedFile("a.pdf", b"not a pdf")]},
                       format="multipart")
    assert fake.status_code == 400 and fake.json()["code"] == "unsupported_file_type"
    assert not RegulatorRequest.objects.exists()


def test_a_finding_with_attachments_and_its_handling(issued, amr, amr_user, crew):
    case, _cert = issued
    made = api(amr_user).post(URL, {
        "request_id": "AMR-F-7", "kind": "supervision_finding", "case_number": case.number,
        "content": "后厨布局与许可不一致",
        "attachments": [SimpleUploadedFile("检查记录.pdf", PDF, "application/pdf")]},
        format="multipart")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["attachments"][0]["name"] == "检查记录.pdf" and body["certificate_number"] is None

    other_section = staff(Role.APPROVER, section=SectionFactory())
    handle = f"{URL}{body['id']}/handle/"
    assert api(other_section).post(handle, {"action": "accept"}, format="json") \
        .status_code == 403
    assert api(amr_user).post(handle, {"action": "accept"}, format="json").status_code == 403
    accepted = api(crew.users["approver"]).post(handle, {"action": "accept"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    no_note = api(crew.users["approver"]).post(handle, {"action": "complete"}, format="json")
    assert no_note.status_code == 400 and no_note.json()["code"] == "reason_required"
    done = api(crew.users["supervisor"]).post(
        handle, {"action": "complete", "note": "已责令整改并复查合格"}, format="json")
    assert done.json()["status"] == "handled" and done.json()["handler"]
    again = api(crew.users["supervisor"]).post(handle, {"action": "reject", "note": "x"},
                                               format="json")
    assert again.status_code == 409

    answers = OutboxEvent.objects.filter(kind=EventKind.REQUEST_ANSWERED, department=amr[0])
    assert [a.payload["request"]["status"] for a in answers.order_by("id")] == \
        ["accepted", "handled"]
    latest = answers.order_by("id").last()
    assert latest.payload["request"]["response_note"] == "已责令整改并复查合格"
    assert getattr(latest, "claim", None) is None  # an answer needs no claim
    assert Notification.objects.filter(recipient=amr_user,
                                       event="regulator_request_answered").count() == 2
    assert AuditEntry.objects.filter(action="regulators.request_handled").count() == 1


def test_revoking_the_licence_completes_the_revocation_request(issued, amr, amr_user, crew):
    case, cert = issued
    made = api(amr_user).post(URL, revocation(cert), format="json").json()
    api(crew.users["approver"]).post(f"{URL}{made['id']}/handle/", {"action": "accept"},
                                     format="json")
    assert Certificate.objects.get(pk=cert.pk).status == Certificate.Status.VALID
    certificate_revoke(certificate=cert, by=crew.users["approver"], reason="以欺骗手段取得许可")
    request = RegulatorRequest.objects.get(pk=made["id"])
    assert request.status == "handled" and request.handler == crew.users["approver"]
    assert "已撤销" in request.response_note
    kinds = set(OutboxEvent.objects.filter(department=amr[0], case=case)
                .values_list("kind", flat=True))
    assert {EventKind.REVOKED, EventKind.REQUEST_ANSWERED} <= kinds
    late = api(amr_user).post(URL, revocation(cert, request_id="AMR-2026-0002"),
                              format="json")
    assert late.status_code == 409 and late.json()["code"] == "certificate_not_valid"
    replay = api(amr_user).post(URL, revocation(cert), format="json")
    assert replay.status_code == 200 and replay.json()["status"] == "handled"
