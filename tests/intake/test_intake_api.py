"""The intake flow through the REST API: register, file idempotently, upload, submit,
supplement, resubmit, accept with 容缺, download notices; object-level 404s."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from approvals.models import Case
from portal.core.models import AuditEntry
from tests.factories import ApplicantFactory, UserFactory
from tests.factories.ids import resident_id, uscc
from tests.factories.workflow import Crew
from tests.intake.conftest import FORM_OK, PDF, pdf_upload

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def register(**overrides):
    body = {"username": "zhangming", "password": "Qwer-7788-zxcv", "kind": "person",
            "name": "张明", "id_number": resident_id(), "phone": "13912345678"} | overrides
    return APIClient().post("/api/v1/auth/register/", body, format="json")


def test_registration_returns_a_working_token():
    response = register()
    assert response.status_code == 201
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["roles"] == ["applicant"]


def test_registration_reports_field_errors_in_chinese():
    response = register(id_number="110105194912310021", phone="123")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "校验码" in errors["id_number"] and "电话" in errors["phone"]


def test_organisation_registers_with_uscc_and_identity_cannot_be_claimed_twice():
    code = uscc()
    assert register(username="org1", kind="organisation", name="某公司", id_number=code).status_code == 201
    again = register(username="org2", kind="organisation", name="某公司", id_number=code)
    assert again.status_code == 400 and again.json()["code"] == "identity_registered"


def test_full_online_intake_with_supplement_and_tolerated_material(food_matter):
    crew = Crew.make()
    applicant = ApplicantFactory()
    me = client_for(applicant.user)
    key = str(uuid.uuid4())
    first = me.post("/api/v1/cases/", {"matter": food_matter.code, "title": "好味道饭店"},
                    format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = me.post("/api/v1/cases/", {"matter": food_matter.code, "title": "好味道饭店"},
                    format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    case_id = first.json()["id"]
    assert again.json()["id"] == case_id and Case.objects.filter(applicant=applicant).count() == 1

    saved = me.patch(f"/api/v1/cases/{case_id}/form/", {"form_data": FORM_OK}, format="json")
    assert saved.status_code == 200 and saved.json()["form_errors"] == {}
    refused = me.post(f"/api/v1/cases/{case_id}/submit/")
    assert refused.status_code == 400 and refused.json()["code"] == "materials_missing"
    for req in (food_matter.key, food_matter.premises):
        up = me.post(f"/api/v1/cases/{case_id}/materials/",
                     {"requirement": req.pk, "file": pdf_upload()}, format="multipart")
        assert up.status_code == 201, up.json()
    assert me.post(f"/api/v1/cases/{case_id}/submit/").status_code == 200

    clerk = client_for(crew.users["clerk"])
    queue = clerk.get("/api/v1/counter/queue/").json()["results"]
    assert [row["id"] for row in queue] == [case_id]
    supplement = clerk.post(f"/api/v1/cases/{case_id}/request-supplement/", {
        "note": "请补正", "items": [{"requirement": food_matter.premises.pk,
                                   "problem": "defective", "reason": "租赁合同缺少出租方签章"}]},
        format="json")
    assert supplement.status_code == 200, supplement.json()
    body = supplement.json()
    assert body["status"] == "supplement_requested"
    assert body["supplement_items"][0]["reason"] == "租赁合同缺少出租方签章"
    notice_id = body["notices"][0]["id"]
    pdf = me.get(f"/api/v1/notices/{notice_id}/download/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")

    me.post(f"/api/v1/cases/{case_id}/materials/",
            {"requirement": food_matter.premises.pk, "file": pdf_upload()}, format="multipart")
    assert me.post(f"/api/v1/cases/{case_id}/resubmit/").status_code == 200
    promise = (timezone.localdate() + timedelta(days=7)).isoformat()
    accepted = clerk.post(f"/api/v1/cases/{case_id}/accept/", {
        "tolerated": [{"requirement": food_matter.tolerable.pk, "promise_date": promise}]},
        format="json")
    assert accepted.status_code == 200, accepted.json()
    detail = accepted.json()
    assert detail["deficiencies"][0]["promise_date"] == promise
    assert [n["kind"] for n in detail["notices"]] == ["supplement", "acceptance"]


def test_fake_pdf_is_refused_with_a_clear_message(food_matter):
    applicant = ApplicantFactory()
    me = client_for(applicant.user)
    case_id = me.post("/api/v1/cases/", {"matter": food_matter.code}, format="json").json()["id"]
    fake = me.post(f"/api/v1/cases/{case_id}/materials/",
                   {"requirement": food_matter.key.pk,
                    "file": pdf_upload("营业执照.pdf", b"just text pretending")},
                   format="multipart")
    assert fake.status_code == 400 and fake.json()["code"] == "unsupported_file_type"
    assert "PDF" in fake.json()["detail"]


def test_materials_and_notices_are_404_for_other_applicants_and_views_are_audited(food_matter):
    applicant = ApplicantFactory()
    me = client_for(applicant.user)
    case_id = me.post("/api/v1/cases/", {"matter": food_matter.code}, format="json").json()["id"]
    material = me.post(f"/api/v1/cases/{case_id}/materials/",
                       {"requirement": food_matter.key.pk, "file": pdf_upload()},
                       format="multipart").json()
    stranger = client_for(ApplicantFactory().user)
    assert stranger.get(f"/api/v1/materials/{material['id']}/download/").status_code == 404
    assert stranger.get(f"/api/v1/cases/{case_id}/materials/").status_code == 404
    assert stranger.post(f"/api/v1/cases/{case_id}/materials/",
                         {"requirement": food_matter.key.pk, "file": pdf_upload()},
                         format="multipart").status_code == 404
    clerk = client_for(UserFactory(roles=["clerk"]))
    download = clerk.get(f"/api/v1/materials/{material['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEntry.objects.filter(action="material.view").count() == 1


def test_counter_queue_is_for_clerks_only():
    assert client_for(UserFactory(roles=["reviewer"])).get(
        "/api/v1/counter/queue/").status_code == 403


def test_clerk_registers_a_walk_in_and_files_at_the_counter(food_matter):
    clerk = client_for(Crew.make().users["clerk"])
    rid = resident_id()
    created = clerk.post("/api/v1/applicants/", {"kind": "person", "name": "李四",
                                                  "id_number": rid, "phone": "13700001111"})
    assert created.status_code == 201
    assert created.json()["id_number"] == rid[:4] + "*" * 10 + rid[-4:]
    found = clerk.get(f"/api/v1/applicants/?id_number={rid}").json()
    assert [a["id"] for a in found] == [created.json()["id"]]
    case = clerk.post("/api/v1/cases/", {"matter": food_matter.code, "channel": "counter",
                                         "applicant": created.json()["id"]}, format="json")
    assert case.status_code == 201 and case.json()["channel"] == "counter"


def test_agent_files_for_applicant_after_authorisation_and_loses_access_on_revoke(food_matter):
    applicant = ApplicantFactory()
    agent = UserFactory(roles=["agent"], username="bangban")
    granted = client_for(applicant.user).post("/api/v1/agent-authorizations/",
                                              {"agent": "bangban"}, format="json")
    assert granted.status_code == 201
    case = client_for(agent).post("/api/v1/cases/", {"matter": food_matter.code,
                                                     "applicant": applicant.pk}, format="json")
    assert case.status_code == 201
    revoke = client_for(applicant.user).post(
        f"/api/v1/agent-authorizations/{granted.json()['id']}/revoke/")
    assert revoke.status_code == 200 and revoke.json()["is_active"] is False
    assert client_for(agent).get(f"/api/v1/cases/{case.json()['id']}/").status_code == 404


def test_instant_approval_through_the_api():
    from tests.factories import MatterFactory

    matter = MatterFactory(instant=True)
    applicant = ApplicantFactory()
    me = client_for(applicant.user)
    case_id = me.post("/api/v1/cases/", {"matter": matter.code}, format="json").json()["id"]
    me.post(f"/api/v1/cases/{case_id}/submit/")
    clerk = client_for(Crew.make().users["clerk"])
    response = clerk.post(f"/api/v1/cases/{case_id}/instant-approve/", {"note": "即办"})
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_overdue_promises_are_listed_for_supervisors_in_api_and_page(food_matter,
                                                                     django_assert_max_num_queries):
    from django.test import Client

    from approvals.models import Deficiency

    crew = Crew.make()
    for _ in range(3):
        applicant = ApplicantFactory()
        case = Case.objects.create(matter=food_matter, applicant=applicant,
                                   created_by=applicant.user, number=f"T-{applicant.pk}")
        Deficiency.objects.create(case=case, requirement=food_matter.tolerable,
                                  promise_date=timezone.localdate() - timedelta(days=2),
                                  created_by=crew.users["clerk"])
    rows = client_for(crew.users["supervisor"]).get("/api/v1/deficiencies/overdue/").json()
    assert rows["count"] == 3 and rows["results"][0]["material"] == "健康证明"
    assert client_for(crew.users["reviewer"]).get(
        "/api/v1/deficiencies/overdue/").status_code == 403
    page = Client()
    page.force_login(crew.users["supervisor"])
    with django_assert_max_num_queries(10):
        html = page.get("/deficiencies/overdue/").content.decode()
    assert html.count("健康证明") == 3
