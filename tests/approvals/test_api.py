"""The REST API: token auth, driving a case through every state with distinct users,
refusal bodies, object-level access, masking, and flat query counts."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from approvals.models import Case
from approvals.workflow import CaseStatus
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory, UserFactory, inspection
from tests.factories.workflow import PATH_WITH_INSPECTION, Crew

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_token_is_issued_for_valid_credentials_only():
    UserFactory(username="wang", roles=["clerk"])
    anon = APIClient()
    ok = anon.post("/api/v1/auth/token/", {"username": "wang", "password": "pw-12345678"})
    assert ok.status_code == 200 and len(ok.json()["token"]) == 40
    me = client_for(Token.objects.get(key=ok.json()["token"]).user).get("/api/v1/me/")
    assert me.json()["roles"] == ["clerk"]
    bad = anon.post("/api/v1/auth/token/", {"username": "wang", "password": "wrong"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_repeated_failed_logins_lock_the_account():
    UserFactory(username="li", roles=["clerk"])
    anon = APIClient()
    for _ in range(5):
        anon.post("/api/v1/auth/token/", {"username": "li", "password": "wrong"})
    locked = anon.post("/api/v1/auth/token/", {"username": "li", "password": "pw-12345678"})
    assert locked.status_code in (400, 403, 429)
    assert "token" not in locked.json()


def test_anonymous_requests_are_refused_with_a_code():
    response = APIClient().get("/api/v1/cases/")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "detail"}


def test_case_driven_through_every_state_by_distinct_users():
    crew = Crew.make()
    applicant = ApplicantFactory()
    matter = MatterFactory(inspected=True, code="SP-JY-01", name="食品经营许可")
    created = client_for(applicant.user).post(
        "/api/v1/cases/", {"matter": "SP-JY-01", "title": "好味道饭店", "form_data": {"area": 120}},
        format="json")
    assert created.status_code == 201, created.json()
    case_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["allowed_actions"] == ["submit"]

    seen = []
    for name, key in PATH_WITH_INSPECTION:
        if name in ("start_inspection", "conclude_inspection"):  # done on the task
            case = Case.objects.get(pk=case_id)
            step = inspection.start if name == "start_inspection" else inspection.conclude
            kwargs = {"dispatcher": crew.users["dispatcher"]} if name == "start_inspection" else {}
            step(case, inspectors=crew.inspectors, **kwargs)
            seen.append(Case.objects.get(pk=case_id).status)
            continue
        user = applicant.user if key == "applicant" else crew.users[key]
        slug = name.replace("_case", "").replace("_", "-")
        body = {"note": f"{name} ok", "mode": "video", "tier": "simple"}
        response = client_for(user).post(f"/api/v1/cases/{case_id}/{slug}/", body,
                                         format="json")
        assert response.status_code == 200, (name, response.json())
        seen.append(response.json()["status"])
    assert seen[-1] == CaseStatus.ARCHIVED
    assert len(set(seen)) == len(PATH_WITH_INSPECTION)

    detail = client_for(crew.users["supervisor"]).get(f"/api/v1/cases/{case_id}/").json()
    assert [h["transition"] for h in detail["history"]] == [n for n, _ in PATH_WITH_INSPECTION]
    assert [h["actor_role"] for h in detail["history"]][:3] == ["applicant", "clerk", "reviewer"]
    assert detail["number"].startswith("SP-JY-01-")
    assert matter.pk


def test_same_user_is_refused_at_a_second_stage():
    crew = Crew.make()
    both = UserFactory(roles=["clerk", "reviewer"])
    case = CaseFactory()
    client_for(case.applicant.user).post(f"/api/v1/cases/{case.pk}/submit/")
    assert client_for(both).post(f"/api/v1/cases/{case.pk}/accept/").status_code == 200
    refused = client_for(both).post(f"/api/v1/cases/{case.pk}/start-review/")
    assert refused.status_code == 403
    assert refused.json()["code"] == "separation_of_duties"
    assert "四分离" in refused.json()["detail"]
    ok = client_for(crew.users["reviewer"]).post(f"/api/v1/cases/{case.pk}/start-review/")
    assert ok.status_code == 200


def test_wrong_state_is_409_and_unknown_action_404():
    case = CaseFactory()
    clerk = UserFactory(roles=["clerk"])
    wrong = client_for(clerk).post(f"/api/v1/cases/{case.pk}/accept/")
    assert wrong.status_code == 409 and wrong.json()["code"] == "invalid_transition"
    unknown = client_for(clerk).post(f"/api/v1/cases/{case.pk}/teleport/")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_transition"


def test_role_without_duty_gets_403():
    case = CaseFactory()
    client_for(case.applicant.user).post(f"/api/v1/cases/{case.pk}/submit/")
    archivist = UserFactory(roles=["archivist"])
    refused = client_for(archivist).post(f"/api/v1/cases/{case.pk}/accept/")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"


def test_another_applicant_gets_404_everywhere():
    case = CaseFactory()
    stranger = client_for(ApplicantFactory().user)
    assert stranger.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert stranger.post(f"/api/v1/cases/{case.pk}/submit/").status_code == 404
    assert stranger.post(f"/api/v1/cases/{case.pk}/withdraw/").status_code == 404
    assert case.pk not in [c["id"] for c in stranger.get("/api/v1/cases/").json()["results"]]


def test_lists_mask_id_numbers_and_phones():
    case = CaseFactory()
    clerk = UserFactory(roles=["clerk"])
    row = client_for(clerk).get("/api/v1/cases/").json()["results"][0]
    full_id = case.applicant.id_number
    assert row["applicant"]["id_number"] == full_id[:4] + "*" * 10 + full_id[-4:]
    assert row["applicant"]["phone"] == "139****5678"
    body = client_for(clerk).get(f"/api/v1/cases/{case.pk}/").content.decode()
    assert full_id not in body and case.applicant.phone not in body


@pytest.mark.parametrize("rows", [3, 30])
def test_case_list_query_count_does_not_grow_with_rows(rows, django_assert_max_num_queries):
    matter = MatterFactory()
    for _ in range(rows):
        CaseFactory(matter=matter)
    supervisor = UserFactory(roles=["supervisor"])
    client = client_for(supervisor)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/cases/")
    assert response.status_code == 200 and response.json()["count"] == rows


def test_filter_by_unknown_status_is_a_clear_error():
    response = client_for(UserFactory(roles=["clerk"])).get("/api/v1/cases/?status=lost")
    assert response.status_code == 400 and response.json()["code"] == "invalid_status"


def test_matters_are_listed_with_materials():
    MatterFactory(code="GG-WS-01", name="公共场所卫生许可", instant=True)
    data = client_for(UserFactory(roles=["clerk"])).get("/api/v1/matters/").json()
    assert data["results"][0]["code"] == "GG-WS-01"
    assert data["results"][0]["single_approver"] is True


def test_online_filing_requires_an_applicant_profile():
    MatterFactory(code="X-1")
    refused = client_for(UserFactory(roles=["clerk"])).post("/api/v1/cases/", {"matter": "X-1"})
    assert refused.status_code == 403 and refused.json()["code"] == "not_applicant"
    invalid = client_for(ApplicantFactory().user).post("/api/v1/cases/", {"matter": "NOPE"})
    assert invalid.status_code == 400 and "matter" in invalid.json()["errors"]


def test_schema_and_docs_are_served_offline():
    schema = APIClient().get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/cases/{case_id}/{transition}/" in schema.content
    docs = APIClient().get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()


def test_full_identity_is_revealed_to_staff_and_audited():
    from portal.core.models import AuditEntry

    case = CaseFactory()
    clerk = UserFactory(roles=["clerk"])
    url = f"/api/v1/applicants/{case.applicant.pk}/identity/"
    response = client_for(clerk).get(url + "?purpose=核验身份")
    assert response.json() == {"id_number": case.applicant.id_number,
                               "phone": case.applicant.phone}
    entry = AuditEntry.objects.filter(action="pii.view").get()
    assert entry.actor == clerk and entry.after["purpose"] == "核验身份"
    assert client_for(ApplicantFactory().user).get(url).status_code == 404
    assert AuditEntry.objects.filter(action="pii.view").count() == 1


def test_audit_summaries_keep_their_hash_for_floats_and_decimals():
    from decimal import Decimal

    from portal.core.audit import audit_log, audit_verify_chain
    from portal.core.models import AuditEntry

    audit_log(action="test.numbers", after={"fee": Decimal("12.50"), "ratio": 1e20, "x": 0.1})
    entry = AuditEntry.objects.get(action="test.numbers")
    assert entry.after == {"fee": "12.50", "ratio": "1e+20", "x": "0.1"}
    assert audit_verify_chain() is None


def test_openapi_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/cases/{case_id}/{transition}/" in out.read_text()
