"""Who reaches what, by page and by API, when the ids in a request belong to another task
(IDOR), and lists whose query count must not grow with their rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from approvals.models import AgentAuthorization
from inspections.models import ItemEvidence, Outcome, Result
from inspections.services import booking as bookings
from inspections.services import conduct
from portal.accounts.roles import Role
from portal.core.models import AuditEntry
from tests.factories import UserFactory, staff
from tests.factories.workflow import Crew
from tests.inspections.test_conduct import (
    PLAIN_KEY,
    VETO_KEY,
    item_of,
    make_task,
    png_upload,
    rectifying,
    started,
    submitted,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# ---------------------------------------------------------------- ids of another task

def test_an_item_of_another_task_is_404_through_this_tasks_pages(crew):
    mine, other = started(crew), started(crew)
    client = page_client(crew.inspectors[0])  # assigned to both tasks
    foreign = item_of(other, PLAIN_KEY)
    for name, data in (("inspection-item-result", {"result": "pass"}),
                       ("inspection-item-evidence", {"file": png_upload()}),
                       ("inspection-item-verify", {"ok": "1"}),
                       ("inspection-item-rectify", {"note": "x"})):
        response = client.post(reverse(name, args=[mine.pk, foreign.pk]), data)
        assert response.status_code == 404, name
    foreign.refresh_from_db()
    assert foreign.result == "" and not ItemEvidence.objects.exists()


def test_a_conclusion_of_another_task_is_404_through_this_tasks_pages(crew):
    mine, other = started(crew), started(crew)
    first, second = crew.inspectors
    for item in other.items.all():
        conduct.item_record(item=item, result=Result.PASS, by=first)
    proposal = conduct.conclusion_propose(task=other, outcome=Outcome.PASS, note="合格",
                                          by=first)
    client = page_client(second)
    for name in ("inspection-conclusion-confirm", "inspection-conclusion-withdraw"):
        assert client.post(reverse(name, args=[mine.pk, proposal.pk]),
                           {"reason": "x"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.confirmed_at is None and proposal.withdrawn_at is None


def test_the_applicant_of_another_task_gets_404_from_every_api_id(crew):
    task = submitted(crew)
    item = item_of(task, PLAIN_KEY)
    evidence = item.evidence.get()
    outsider = api_client(make_task(crew).applicant.user)  # an applicant with a task
    posts = [(f"inspection-task-items/{item.pk}/result/", {"result": "pass"}),
             (f"inspection-task-items/{item.pk}/rectification-note/", {"note": "改"}),
             (f"inspection-task-items/{item.pk}/verify/", {"ok": True}),
             (f"inspection-tasks/{task.pk}/rectification/submit/", {}),
             (f"inspection-tasks/{task.pk}/start/", {})]
    for url, data in posts:
        response = outsider.post(f"{API}/{url}", data, format="json")
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    upload = outsider.post(f"{API}/inspection-task-items/{item.pk}/evidence/",
                           {"file": png_upload()}, format="multipart")
    assert upload.status_code == 404
    for url in (f"inspection-evidence/{evidence.pk}/download/",
                f"inspection-tasks/{task.pk}/items/", f"inspection-tasks/{task.pk}/"):
        assert outsider.get(f"{API}/{url}").status_code == 404, url
    assert item.evidence.count() == 1
    assert not AuditEntry.objects.filter(action="inspections.evidence_view").exists()


def test_an_applicant_never_reaches_a_proposal_by_id(crew):
    task = started(crew)
    first = crew.inspectors[0]
    for item in task.items.all():
        conduct.item_record(item=item, result=Result.PASS, by=first)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格",
                                          by=first)
    own = api_client(task.applicant.user)
    for action in ("confirm", "withdraw"):
        response = own.post(f"{API}/inspection-conclusions/{proposal.pk}/{action}/", {},
                            format="json")
        assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.confirmed_at is None and proposal.withdrawn_at is None


def test_an_unassigned_inspector_reads_but_is_refused_403_by_the_api(crew):
    task = started(crew)
    outsider = api_client(staff(Role.INSPECTOR))
    assert outsider.get(f"{API}/inspection-tasks/{task.pk}/items/").status_code == 200
    response = outsider.post(f"{API}/inspection-task-items/{item_of(task, VETO_KEY).pk}/result/",
                             {"result": "pass"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_task_inspector"
    assert item_of(task, VETO_KEY).result == ""


def test_api_evidence_downloads_are_audited(crew):
    task = started(crew)
    evidence = conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(),
                                    by=crew.inspectors[0])
    response = api_client(task.applicant.user).get(
        f"{API}/inspection-evidence/{evidence.pk}/download/")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.get(action="inspections.evidence_view")
    assert entry.actor == task.applicant.user and entry.after["sha256"] == evidence.sha256


def test_a_bad_accuracy_from_the_api_is_a_400_in_chinese_not_a_500(crew):
    task = started(crew)
    response = api_client(crew.inspectors[0]).post(
        f"{API}/inspection-task-items/{item_of(task, VETO_KEY).pk}/evidence/",
        {"file": png_upload(), "latitude": "35.1", "longitude": "111.2",
         "accuracy_m": "1e300"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_location" and "定位精度" in response.json()["detail"]
    assert not ItemEvidence.objects.exists()


# ---------------------------------------------------------------- links and lists

def test_the_booking_link_goes_only_to_who_may_open_the_booking_page(crew):
    task = make_task(crew)
    booking_url = reverse("inspection-booking", args=[task.pk])
    for user, shown in ((task.applicant.user, True), (crew.users[Role.DISPATCHER], True),
                        (crew.inspectors[0], False)):
        html = page_client(user).get(reverse("inspection-task", args=[task.pk])) \
            .content.decode()
        assert (booking_url in html) is shown, user
        # and where the link is shown, it opens
        assert (page_client(user).get(booking_url).status_code == 200) is shown


def test_an_agent_without_the_agent_role_no_longer_lists_the_task(crew):
    task = make_task(crew)
    agent = UserFactory(roles=[Role.AGENT])
    AgentAuthorization.objects.create(applicant=task.applicant, agent=agent,
                                      granted_by=task.applicant.user)
    url = reverse("inspection-task-list")
    assert task.number in page_client(agent).get(url).content.decode()
    assert api_client(agent).get(f"{API}/inspection-tasks/").json()["count"] == 1

    agent.groups.remove(Group.objects.get(name=Role.AGENT))
    agent = type(agent).objects.get(pk=agent.pk)
    assert task.number not in page_client(agent).get(url).content.decode()
    assert api_client(agent).get(f"{API}/inspection-tasks/").json()["count"] == 0
    assert page_client(agent).get(reverse("inspection-task", args=[task.pk])).status_code == 404


def test_the_task_list_query_count_does_not_grow_with_tasks(crew, django_assert_max_num_queries):
    make_task(crew)
    viewer = crew.users[Role.DISPATCHER]
    client = page_client(viewer)
    url = reverse("inspection-task-list")
    client.get(url)
    few = count_queries(client, url)
    for _ in range(3):
        make_task(crew)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 4


def test_the_checklist_api_query_count_does_not_grow_with_evidence(
        crew, django_assert_max_num_queries):
    task = started(crew)
    first = crew.inspectors[0]
    conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(), by=first)
    client = api_client(first)
    url = f"{API}/inspection-tasks/{task.pk}/items/"
    client.get(url)
    few = count_queries(client, url)
    for key in (VETO_KEY, PLAIN_KEY, PLAIN_KEY):
        conduct.evidence_add(item=item_of(task, key), upload=png_upload(), by=first)
    with django_assert_max_num_queries(few):
        body = client.get(url).json()
    assert sum(len(i["evidence"]) for i in body["items"]) == 4


def test_slot_apis_keep_a_flat_query_count(crew, django_assert_max_num_queries):
    task = make_task(crew)
    inspector = crew.inspectors[0]

    def publish(hours):
        start = (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
        return bookings.slot_publish(inspector=inspector, starts_at=start,
                                     ends_at=start + timedelta(hours=1), by=inspector)

    bookings.booking_create(task=task, slot=publish(30), by=task.applicant.user)
    bookings.booking_cancel(booking=task.bookings.get(), by=task.applicant.user)
    publish(50)
    own, booker = api_client(inspector), api_client(task.applicant.user)
    urls = {own: f"{API}/inspection-slots/",
            booker: f"{API}/inspection-tasks/{task.pk}/bookable-slots/"}
    counts = {}
    for client, url in urls.items():
        client.get(url)
        counts[url] = count_queries(client, url)
    for hours in (70, 90, 110):
        publish(hours)
    other = make_task(crew)
    bookings.booking_create(task=other, slot=publish(130), by=other.applicant.user)
    for client, url in urls.items():
        with django_assert_max_num_queries(counts[url]):
            body = client.get(url).json()
        rows = body["results"] if isinstance(body, dict) else body
        assert len(rows) >= 5, url


def test_standard_apis_keep_a_flat_query_count(crew, django_assert_max_num_queries):
    from tests.factories import MatterFactory
    from tests.factories.inspection import ensure_standard

    ensure_standard(MatterFactory(inspected=True))
    client = api_client(crew.users[Role.DISPATCHER])
    url = f"{API}/inspection-standards/"
    client.get(url)
    few = count_queries(client, url)
    for _ in range(3):
        ensure_standard(MatterFactory(inspected=True))
    with django_assert_max_num_queries(few):
        body = client.get(url).json()
    assert body["count"] >= 4


def test_rectifying_page_for_the_applicant_hides_forms_of_items_made_good_earlier(crew):
    from tests.inspections.test_rounds_and_replacements import second_round

    task = second_round(crew)
    veto, plain = item_of(task, VETO_KEY), item_of(task, PLAIN_KEY)
    html = page_client(task.applicant.user).get(reverse("inspection-task", args=[task.pk])) \
        .content.decode()
    assert reverse("inspection-item-rectify", args=[task.pk, plain.pk]) in html
    assert reverse("inspection-item-rectify", args=[task.pk, veto.pk]) not in html
    assert "已核验通过" in html


def test_the_overdue_rectification_page_offers_only_fail(crew):
    task = rectifying(crew)
    type(task).objects.filter(pk=task.pk).update(
        rectify_due=timezone.localdate() - timedelta(days=1))
    client = page_client(crew.inspectors[0])
    html = client.get(reverse("inspection-task", args=[task.pk])).content.decode()
    assert reverse("inspection-conclusion-propose", args=[task.pk]) in html
    assert 'value="fail"' in html and 'value="pass"' not in html
    refused = client.post(reverse("inspection-conclusion-propose", args=[task.pk]),
                          {"outcome": "pass", "note": "看过了"})
    assert refused.status_code == 400 and "只能判定不合格" in refused.content.decode()
    assert "看过了" in refused.content.decode()  # what was typed is kept
    done = client.post(reverse("inspection-conclusion-propose", args=[task.pk]),
                       {"outcome": "fail", "note": "逾期未整改"})
    assert done.status_code == 302
    assert task.conclusions.filter(confirmed_at__isnull=True, outcome=Outcome.FAIL).exists()
