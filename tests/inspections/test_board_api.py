"""Dispatcher board API (/api/v1/): open requests, tasks (list, create, detail), eligibility,
assign, draw, release, trips and draw records; object-level access and refusal bodies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from inspections.models import AssignmentDraw, ConflictDeclaration, InspectionTask, TaskStatus
from inspections.services import dispatch
from tests.factories import ApplicantFactory, MatterFactory, staff
from tests.factories.inspection import qualify
from tests.inspections.test_dispatch import district, new_task, open_request, requested_case

pytestmark = pytest.mark.django_db

API = "/api/v1"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_open_requests_are_for_bureau_staff_and_show_no_personal_numbers(
        crew, dispatcher, inspected_case):
    body = client_for(dispatcher).get(f"{API}/inspection-requests/open/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["case_number"] == inspected_case.number
    assert row["applicant_name"] == inspected_case.applicant.name
    assert row["tier"] == "general" and row["tier_label"].startswith("快速办")
    assert row["clock"]["level"] == "ok" and row["clock"]["remaining_seconds"] > 0
    text = str(body)
    assert inspected_case.applicant.id_number not in text
    assert inspected_case.applicant.phone not in text
    refused = client_for(inspected_case.applicant.user).get(f"{API}/inspection-requests/open/")
    assert refused.status_code == 403 and set(refused.json()) == {"code", "detail"}
    assert APIClient().get(f"{API}/inspection-requests/open/").status_code in (401, 403)


def test_open_requests_filter_by_tier_and_refuse_nonsense(crew, dispatcher, inspected_matter):
    requested_case(crew, inspected_matter, tier="simple")
    requested_case(crew, inspected_matter, tier="complex")
    api = client_for(dispatcher)
    rows = api.get(f"{API}/inspection-requests/open/", {"tier": "simple"}).json()["results"]
    assert [r["tier"] for r in rows] == ["simple"]
    bad = api.get(f"{API}/inspection-requests/open/", {"tier": "fastest"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_filter"


def test_create_a_task_from_requests_of_one_applicant(crew, dispatcher):
    applicant = ApplicantFactory()
    a = requested_case(crew, MatterFactory(inspected=True), applicant=applicant)
    b = requested_case(crew, MatterFactory(inspected=True), applicant=applicant)
    api = client_for(dispatcher)
    created = api.post(f"{API}/inspection-tasks/",
                       {"requests": [open_request(a).pk, open_request(b).pk]}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "new" and body["status_label"] == "待派员"
    assert {c["id"] for c in body["cases"]} == {a.pk, b.pk}
    assert body["items"]["count"] == 2 and len(body["items"]["shared"]) == 2
    assert body["inspectors"] == [] and body["assignments"] == []


def test_create_refuses_two_applicants_unknown_requests_and_non_dispatchers(
        crew, dispatcher, inspected_matter):
    a = open_request(requested_case(crew, inspected_matter))
    b = open_request(requested_case(crew, inspected_matter))
    api = client_for(dispatcher)
    mixed = api.post(f"{API}/inspection-tasks/", {"requests": [a.pk, b.pk]}, format="json")
    assert mixed.status_code == 400 and mixed.json()["code"] == "different_applicants"
    assert "同一申请人" in mixed.json()["detail"]
    unknown = api.post(f"{API}/inspection-tasks/", {"requests": [a.pk, 999999]}, format="json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_requests"
    empty = api.post(f"{API}/inspection-tasks/", {"requests": []}, format="json")
    assert empty.status_code == 400 and empty.json()["code"] == "invalid"
    reviewer = client_for(crew.users["reviewer"]).post(f"{API}/inspection-tasks/",
                                                       {"requests": [a.pk]}, format="json")
    assert reviewer.status_code == 403 and reviewer.json()["code"] == "permission_denied"
    assert not InspectionTask.objects.exists()


def test_task_list_shows_applicants_their_own_tasks_only(crew, dispatcher, inspected_matter):
    mine = new_task(requested_case(crew, inspected_matter), dispatcher)
    other = new_task(requested_case(crew, inspected_matter), dispatcher)
    staff_rows = client_for(dispatcher).get(f"{API}/inspection-tasks/").json()["results"]
    assert {r["id"] for r in staff_rows} == {mine.pk, other.pk}
    own = client_for(mine.applicant.user).get(f"{API}/inspection-tasks/").json()["results"]
    assert [r["id"] for r in own] == [mine.pk]
    stranger = ApplicantFactory().user
    assert client_for(stranger).get(f"{API}/inspection-tasks/").json()["results"] == []


def test_task_list_filters(crew, dispatcher, inspected_matter, inspectors):
    yanhu, linyi = district("140802", "盐湖区"), district("140821", "临猗县")
    fast = new_task(requested_case(crew, inspected_matter, tier="simple", district=yanhu),
                    dispatcher)
    slow = new_task(requested_case(crew, inspected_matter, tier="complex", district=linyi),
                    dispatcher)
    for inspector in inspectors:
        dispatch.task_assign(task=slow, inspector=inspector, by=dispatcher, reason="就近")
    api = client_for(dispatcher)

    def ids(**params):
        response = api.get(f"{API}/inspection-tasks/", params)
        assert response.status_code == 200, response.json()
        return {r["id"] for r in response.json()["results"]}

    assert ids(tier="simple") == {fast.pk}
    assert ids(district=linyi.pk) == {slow.pk}
    assert ids(status="assigned") == {slow.pk} and ids(status="new") == {fast.pk}
    assert api.get(f"{API}/inspection-tasks/", {"status": "done"}).status_code == 400


def test_task_detail_is_404_for_strangers_and_hides_assignment_reasons_from_applicants(
        crew, dispatcher, assigned_task):
    url = f"{API}/inspection-tasks/{assigned_task.pk}/"
    assert client_for(ApplicantFactory().user).get(url).status_code == 404
    own = client_for(assigned_task.applicant.user).get(url)
    assert own.status_code == 200
    assert own.json()["status"] == "assigned" and len(own.json()["inspectors"]) == 2
    assert own.json()["assignments"] is None
    full = client_for(crew.users["supervisor"]).get(url).json()
    assert [(a["method"], a["reason"]) for a in full["assignments"]] == [
        ("manual", "测试指派"), ("manual", "测试指派")]
    assert client_for(dispatcher).get(f"{API}/inspection-tasks/999999/").status_code == 404


def test_eligibility_lists_every_inspector_with_the_reason(crew, dispatcher, inspected_case,
                                                           inspectors):
    ConflictDeclaration.objects.create(user=inspectors[0], applicant=inspected_case.applicant,
                                       relation="同学")
    task = new_task(inspected_case, dispatcher)
    url = f"{API}/inspection-tasks/{task.pk}/eligibility/"
    rows = {r["inspector"]["id"]: r for r in client_for(dispatcher).get(url).json()}
    assert rows[inspectors[1].pk]["eligible"] and rows[inspectors[1].pk]["reason"] == ""
    assert not rows[inspectors[0].pk]["eligible"]
    assert "回避" in rows[inspectors[0].pk]["reason"]
    assert "未登记勘验资格" in rows[crew.inspectors[0].pk]["reason"]
    assert client_for(task.applicant.user).get(url).status_code == 403
    assert client_for(ApplicantFactory().user).get(url).status_code == 404


def test_assign_draw_release_through_the_api(crew, dispatcher, inspected_case, inspectors,
                                             inspected_matter):
    ConflictDeclaration.objects.create(user=inspectors[0], applicant=inspected_case.applicant,
                                       relation="同学")
    spare = qualify(staff("inspector"), inspected_matter)
    task = new_task(inspected_case, dispatcher)
    api = client_for(dispatcher)
    base = f"{API}/inspection-tasks/{task.pk}"

    excluded = api.post(f"{base}/assign/", {"inspector": inspectors[0].pk, "reason": "熟悉"},
                        format="json")
    assert excluded.status_code == 400 and excluded.json()["code"] == "inspector_excluded"
    assert "回避" in excluded.json()["detail"]
    blank = api.post(f"{base}/assign/", {"inspector": spare.pk, "reason": ""}, format="json")
    assert blank.status_code == 400 and blank.json()["code"] == "reason_required"
    nobody = api.post(f"{base}/assign/", {"inspector": dispatcher.pk, "reason": "x"},
                      format="json")
    assert nobody.status_code == 400 and nobody.json()["code"] == "not_inspector"
    by_applicant = client_for(task.applicant.user).post(
        f"{base}/assign/", {"inspector": spare.pk, "reason": "x"}, format="json")
    assert by_applicant.status_code == 403

    assigned = api.post(f"{base}/assign/", {"inspector": spare.pk, "reason": "熟悉该区域"},
                        format="json")
    assert assigned.status_code == 201
    assert [a["reason"] for a in assigned.json()["assignments"]] == ["熟悉该区域"]

    drawn = api.post(f"{base}/draw/")
    assert drawn.status_code == 201 and drawn.json()["verified"] is True
    assert drawn.json()["chosen"] == [inspectors[1].pk]
    assert str(inspectors[0].pk) in drawn.json()["excluded"]
    assert api.get(base + "/").json()["status"] == "assigned"

    third = api.post(f"{base}/assign/", {"inspector": inspectors[1].pk, "reason": "x"},
                     format="json")
    assert third.status_code == 409
    full = api.post(f"{base}/draw/")
    assert full.status_code == 409 and full.json()["code"] == "task_full"

    released = api.post(f"{base}/release/", {"inspector": spare.pk, "reason": "另有任务"},
                        format="json")
    assert released.status_code == 200 and released.json()["status"] == "new"
    assert [i["id"] for i in released.json()["inspectors"]] == [inspectors[1].pk]
    again = api.post(f"{base}/release/", {"inspector": spare.pk, "reason": "x"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "not_assigned"


def test_draw_record_reports_whether_it_still_verifies(crew, dispatcher, inspected_case,
                                                       inspectors):
    task = new_task(inspected_case, dispatcher)
    draw = dispatch.task_draw(task=task, by=dispatcher)
    url = f"{API}/inspection-draws/{draw.pk}/"
    body = client_for(crew.users["supervisor"]).get(url).json()
    assert body["verified"] is True and body["seed"] == draw.seed
    assert sorted(body["chosen"]) == sorted(u.pk for u in inspectors)
    AssignmentDraw.objects.filter(pk=draw.pk).update(chosen=list(reversed(draw.chosen)))
    assert client_for(dispatcher).get(url).json()["verified"] is False
    AssignmentDraw.objects.filter(pk=draw.pk).update(seed="not-hex")
    assert client_for(dispatcher).get(url).json()["verified"] is False
    assert client_for(task.applicant.user).get(url).status_code == 404


def test_trips_through_the_api(crew, dispatcher, inspected_matter, inspectors):
    yanhu, linyi = district("140802", "盐湖区"), district("140821", "临猗县")
    t1 = new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
    t2 = new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
    t3 = new_task(requested_case(crew, inspected_matter, district=linyi), dispatcher)
    day = (timezone.localdate() + timedelta(days=1)).isoformat()
    api = client_for(dispatcher)

    mixed = api.post(f"{API}/inspection-trips/", {"tasks": [t1.pk, t3.pk], "date": day},
                     format="json")
    assert mixed.status_code == 400 and mixed.json()["code"] == "different_districts"
    single = api.post(f"{API}/inspection-trips/", {"tasks": [t1.pk, t1.pk], "date": day},
                      format="json")
    assert single.status_code == 400 and single.json()["code"] == "too_few_tasks"
    made = api.post(f"{API}/inspection-trips/",
                    {"tasks": [t1.pk, t2.pk], "date": day, "note": "上午"}, format="json")
    assert made.status_code == 201, made.json()
    trip = made.json()
    assert trip["tasks"] == sorted([t1.pk, t2.pk]) and trip["district"] == "盐湖区"

    drawn = api.post(f"{API}/inspection-trips/{trip['id']}/draw/")
    assert drawn.status_code == 201 and len(drawn.json()) == 2
    assert drawn.json()[0]["chosen"] == drawn.json()[1]["chosen"]
    assert all(d["verified"] for d in drawn.json())
    for task in (t1, t2):
        task.refresh_from_db()
        assert task.status == TaskStatus.ASSIGNED
    assert client_for(t1.applicant.user).post(
        f"{API}/inspection-trips/{trip['id']}/draw/").status_code == 404


def test_lists_keep_a_flat_query_count(crew, dispatcher, inspected_matter, inspectors,
                                       django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            requested_case(crew, inspected_matter)
            task = new_task(requested_case(crew, inspected_matter), dispatcher)
            for inspector in inspectors:
                dispatch.task_assign(task=task, inspector=inspector, by=dispatcher,
                                     reason="就近")

    api = client_for(dispatcher)
    add(1)
    counts = {}
    for url in ("inspection-requests/open/", "inspection-tasks/"):
        api.get(f"{API}/{url}")
        with CaptureQueriesContext(connection) as one:
            api.get(f"{API}/{url}")
        counts[url] = len(one.captured_queries)
    add(12)
    for url, n in counts.items():
        with django_assert_max_num_queries(n):
            body = api.get(f"{API}/{url}").json()
        assert body["count"] == 13
