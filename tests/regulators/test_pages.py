"""Pages and lists of 审管互动: the regulator's inbox with its filters, the request form,
the bureau's request pages with handling and audited attachments, the outbox monitor with
retry, the pull API, the case-page panel and the admin's show-once secret. Lists keep a
fixed number of queries however many rows they show."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approvals.workflow import CaseStatus
from portal.accounts.roles import Role
from portal.core.models import AuditEntry
from portal.regulators import secretbox
from portal.regulators.case_panel import case_regulator_panel
from portal.regulators.models import (
    Claim,
    EventKind,
    OutboxEvent,
    RegulatorDepartment,
    RegulatorRequest,
)
from portal.regulators.services.events import event_write
from portal.regulators.services.requests import regulator_request_submit
from tests.factories import CaseFactory, UserFactory
from tests.regulators.conftest import decided_case, make_department, regulator_of
from tests.regulators.test_requests import PDF

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def numbered_case(matter):
    return CaseFactory(matter=matter, number=f"TEST-2026-{next(_numbers):06d}",
                       status=CaseStatus.ISSUED)


def results(department, matter, n: int) -> list[OutboxEvent]:
    return [event_write(department=department, case=numbered_case(matter),
                        kind=EventKind.APPROVED, decision={"result": "approved"})
            for _ in range(n)]


def findings(department, user, matter, n: int) -> list[RegulatorRequest]:
    return [regulator_request_submit(
        by=user, request_id=f"F-{next(_numbers)}", kind="supervision_finding",
        case_number=numbered_case(matter).number, content="发现问题",
        attachments=[SimpleUploadedFile("记录.pdf", PDF, "application/pdf")])[0]
        for _ in range(n)]


def test_inbox_filters_and_stays_within_a_fixed_number_of_queries(
        amr, amr_user, food_matter, django_assert_max_num_queries):
    department = amr[0]
    events = results(department, food_matter, 2)
    other, _secret = make_department()
    foreign = results(other, food_matter, 1)[0]
    client = logged_in(amr_user)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("regulators-inbox")).content.decode()
    assert all(str(e.event_id) in page for e in events) and str(foreign.event_id) not in page
    results(department, food_matter, 10)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("regulators-inbox")).status_code == 200

    Claim.objects.filter(event=events[0]).update(claimed_by=amr_user, claimed_at=timezone.now())
    Claim.objects.filter(event=events[1]).update(
        claim_due=timezone.localdate() - timedelta(days=7))
    claimed = client.get(reverse("regulators-inbox") + "?state=claimed").content.decode()
    assert str(events[0].event_id) in claimed and str(events[1].event_id) not in claimed
    overdue = client.get(reverse("regulators-inbox") + "?state=overdue").content.decode()
    assert str(events[1].event_id) in overdue and str(events[0].event_id) not in overdue
    assert 'class="overdue"' in overdue


def test_who_may_open_the_inbox(amr, crew):
    assert logged_in(crew.users["approver"]).get(reverse("regulators-inbox")).url == \
        reverse("regulators-requests")
    applicant = UserFactory(roles=[Role.APPLICANT])
    assert logged_in(applicant).get(reverse("regulators-inbox")).status_code == 403
    unattached = UserFactory(roles=[Role.REGULATOR])
    assert logged_in(unattached).get(reverse("regulators-inbox")).status_code == 403


def test_pull_api_lists_the_department_events_with_fixed_queries(
        amr, amr_user, food_matter, crew, django_assert_max_num_queries):
    department = amr[0]
    first = results(department, food_matter, 2)
    client = logged_in(amr_user)
    url = reverse("api-regulator-events")
    with django_assert_max_num_queries(7):
        body = client.get(url).json()
    assert body["count"] == 2 and body["results"][0]["payload"]["kind"] == "decision.approved"
    assert body["results"][0]["claim"]["claimed_at"] is None
    later = results(department, food_matter, 8)
    with django_assert_max_num_queries(7):
        assert client.get(url).json()["count"] == 10
    OutboxEvent.objects.filter(pk__in=[e.pk for e in later]).update(
        created_at=timezone.now() + timedelta(hours=1))
    since = (timezone.now() + timedelta(minutes=30)).isoformat()
    assert client.get(url, {"since": since}).json()["count"] == 8
    assert client.get(url, {"since": "yesterday"}).json()["code"] == "invalid_since"
    assert client.get(url, {"state": "claimed"}).json()["count"] == 0
    assert logged_in(crew.users["approver"]).get(url).status_code == 403
    assert first[0].payload == client.get(url).json()["results"][-1]["payload"]


def test_request_pages_handle_and_audit_downloads(
        amr, amr_user, food_matter, crew, django_assert_max_num_queries):
    department = amr[0]
    made = findings(department, amr_user, food_matter, 2)
    approver = logged_in(crew.users["approver"])
    with django_assert_max_num_queries(9):
        page = approver.get(reverse("regulators-requests")).content.decode()
    assert page.count("data-request=") == 2
    findings(department, amr_user, food_matter, 8)
    with django_assert_max_num_queries(9):
        assert approver.get(reverse("regulators-requests")).content.decode() \
            .count("data-request=") == 10
    with django_assert_max_num_queries(7):
        assert approver.get(reverse("api-regulator-requests")).json()["count"] == 10

    item = made[0]
    detail = approver.get(reverse("regulators-request", args=[item.pk])).content.decode()
    assert "发现问题" in detail and 'value="accept"' in detail
    approver.post(reverse("regulators-request-handle", args=[item.pk]), {"action": "accept"})
    item.refresh_from_db()
    assert item.status == "accepted"
    refused = approver.post(reverse("regulators-request-handle", args=[item.pk]),
                            {"action": "reject"}, follow=True)
    assert "请填写处理意见。" in refused.content.decode()

    attachment = item.attachments.get()
    url = reverse("regulators-request-attachment", args=[item.pk, attachment.pk])
    response = approver.get(url)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="regulators.attachment_view").count() == 1
    stranger = regulator_of(make_department()[0])
    assert logged_in(stranger).get(url).status_code == 404
    assert logged_in(stranger).get(reverse("regulators-request", args=[item.pk])) \
        .status_code == 404
    own = logged_in(amr_user).get(reverse("regulators-requests") + "?status=all")
    assert own.content.decode().count("data-request=") == 10
    assert 'value="accept"' not in logged_in(amr_user).get(
        reverse("regulators-request", args=[item.pk])).content.decode()


def test_request_form_submits_once_and_refuses_out_of_scope(amr, amr_user, food_matter,
                                                            other_matter):
    client = logged_in(amr_user)
    form = client.get(reverse("regulators-request-new")).content.decode()
    assert 'name="token"' in form
    case = numbered_case(food_matter)
    data = {"token": "5f7d1f0e-8a38-4a0e-a3c2-6b7d3e1f0a11", "kind": "supervision_finding",
            "case_number": case.number, "content": "门头招牌与许可名称不一致"}
    first = client.post(reverse("regulators-request-new"), data)
    second = client.post(reverse("regulators-request-new"), data)
    assert first.url == second.url and RegulatorRequest.objects.count() == 1
    outside = numbered_case(other_matter)
    refused = client.post(reverse("regulators-request-new"),
                          data | {"token": "0b2b6f7a-1c44-4a55-9f0e-3c1d2e4f5a66",
                                  "case_number": outside.number})
    assert refused.status_code == 403 and "该办件不属于本部门监管的事项。" in refused.content.decode()
    empty = client.post(reverse("regulators-request-new"), {"kind": "supervision_finding",
                                                            "content": "x"})
    assert empty.status_code == 400 and "请填写办件编号或证书编号。" in empty.content.decode()


def test_outbox_monitor_lists_and_retries(amr, food_matter, crew,
                                          django_assert_max_num_queries):
    department, _secret = make_department(endpoint="http://127.0.0.1:9/none")
    failed = results(department, food_matter, 2)
    OutboxEvent.objects.filter(pk__in=[e.pk for e in failed]).update(status="failed",
                                                                     attempts=24)
    supervisor = logged_in(crew.users["supervisor"])
    with django_assert_max_num_queries(9):
        page = supervisor.get(reverse("regulators-outbox")).content.decode()
    assert page.count("data-event=") == 2
    more = results(department, food_matter, 8)
    OutboxEvent.objects.filter(pk__in=[e.pk for e in more]).update(status="failed")
    with django_assert_max_num_queries(9):
        assert supervisor.get(reverse("regulators-outbox")).content.decode() \
            .count("data-event=") == 10
    assert logged_in(crew.users["clerk"]).get(reverse("regulators-outbox")).status_code == 403
    response = supervisor.post(reverse("regulators-outbox-retry"),
                               {"event": [str(failed[0].pk)]})
    assert response.status_code == 302
    failed[0].refresh_from_db()
    assert failed[0].status == "pending" and failed[0].attempts == 0


def test_case_panel_shows_events_and_requests_to_bureau_staff(crew, food_matter, amr,
                                                              amr_user):
    case = decided_case(crew, food_matter, until=CaseStatus.APPROVED)
    regulator_request_submit(by=amr_user, request_id="R-1", kind="supervision_finding",
                             case_number=case.number, content="发现问题")
    panel = case_regulator_panel(case, crew.users["approver"])
    assert [e.kind for e in panel["events"]] == [EventKind.APPROVED]
    assert panel["open_requests"] == 1 and panel["requests"][0].can_handle
    html = render_to_string("regulators/case_panel.html", {"regulators": panel})
    assert "运城市市场监督管理局" in html and "1 项监管请求待处理" in html
    assert case_regulator_panel(case, crew.users["clerk"])["requests"][0].can_handle is False
    assert case_regulator_panel(case, case.applicant.user) is None
    assert case_regulator_panel(case, amr_user) is None
    quiet = decided_case(crew, food_matter)
    assert case_regulator_panel(quiet, crew.users["approver"]) is None


def test_event_page_for_the_department_and_the_bureau(crew, food_matter, amr, amr_user):
    case = decided_case(crew, food_matter, until=CaseStatus.APPROVED)
    event = OutboxEvent.objects.get(case=case)
    url = reverse("regulators-event", args=[event.event_id])
    mine = logged_in(amr_user).get(url).content.decode()
    assert case.number in mine and "认领" in mine and reverse("case-detail", args=[case.pk]) \
        not in mine
    bureau = logged_in(crew.users["supervisor"]).get(url).content.decode()
    assert reverse("case-detail", args=[case.pk]) in bureau
    assert logged_in(case.applicant.user).get(url).status_code == 404


def test_admin_shows_a_new_secret_once_and_keeps_it_encrypted(db, food_matter):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = logged_in(admin_user)
    response = client.post(reverse("admin:regulators_regulatordepartment_add"), {
        "name": "运城市卫生健康委员会", "code": "health", "industries": '["卫生"]',
        "endpoint_url": "https://health.example.gov.cn/oneseal", "claim_days": 3,
        "is_active": "on", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert response.status_code == 200, response.content.decode()[:2000]
    department = RegulatorDepartment.objects.get(code="health")
    secret = response.context["secret"]
    assert "no-store" in response["Cache-Control"] and secret in response.content.decode()
    assert secret not in department.secret_sealed
    assert secretbox.unseal(department.secret_sealed) == secret
    assert department.secret_fingerprint == secretbox.fingerprint(secret)
    change = client.get(reverse("admin:regulators_regulatordepartment_change",
                                args=[department.pk])).content.decode()
    assert secret not in change and department.secret_fingerprint in change
    rotate = reverse("admin:regulators_regulatordepartment_rotate", args=[department.pk])
    assert client.get(rotate).context["secret"] is None
    new = client.post(rotate).context["secret"]
    department.refresh_from_db()
    assert new != secret and secretbox.unseal(department.secret_sealed) == new
    assert secretbox.unseal(department.previous_secret_sealed) == secret
    assert department.previous_secret_active


def test_only_regulator_users_can_join_a_department(db, amr):
    from django.core.exceptions import ValidationError

    from portal.regulators.models import RegulatorMembership

    clerk = UserFactory(roles=[Role.CLERK])
    with pytest.raises(ValidationError):
        RegulatorMembership(user=clerk, department=amr[0]).full_clean()
    clerk.groups.add(Group.objects.get_or_create(name=Role.REGULATOR)[0])
    RegulatorMembership(user=clerk, department=amr[0]).full_clean()


def test_openapi_schema_has_the_regulator_endpoints_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out),
                 "--urlconf", "tests.regulators.schema_urls")
    text = out.read_text()
    for path in ("/api/v1/regulators/events/", "/api/v1/regulators/events/{event_id}/claim/",
                 "/api/v1/regulators/requests/",
                 "/api/v1/regulators/requests/{request_id}/handle/"):
        assert f"{path}:" in text
