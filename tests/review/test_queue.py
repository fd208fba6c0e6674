"""The review work queue (/review/): who sees which cases (role, section, state), the
order by the running stage's due date, the yellow and red warnings, the filters with
their htmx partial, and a flat query count however many rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import Case, CaseStage
from approvals.workflow import CaseStatus
from portal.accounts.models import District
from tests.factories import CaseFactory, MatterFactory, SectionFactory, staff
from tests.factories.workflow import drive
from tests.review.conftest import logged_in

pytestmark = pytest.mark.django_db


def make_case(crew, matter, status, **kwargs) -> Case:
    return drive(CaseFactory(matter=matter, **kwargs), crew, status)


def set_due(case: Case, days: int) -> None:
    CaseStage.objects.filter(case=case, ended_at__isnull=True).update(
        due_date=timezone.localdate() + timedelta(days=days))


@pytest.fixture
def sections(crew):
    food, health = SectionFactory(name="食品科"), SectionFactory(name="卫生科")
    return {"food": MatterFactory(name="食品经营许可", section=food),
            "health": MatterFactory(name="公共场所卫生许可", section=health)}


def test_reviewer_sees_own_sections_cases_awaiting_review_only(crew, sections):
    mine = make_case(crew, sections["food"], CaseStatus.ACCEPTED)
    reviewing = make_case(crew, sections["food"], CaseStatus.UNDER_REVIEW)
    deciding = make_case(crew, sections["food"], CaseStatus.DECISION_PENDING)
    other = make_case(crew, sections["health"], CaseStatus.ACCEPTED)
    reviewer = staff("reviewer", section=sections["food"].section)
    html = logged_in(reviewer).get("/review/").content.decode()
    assert mine.number in html and reviewing.number in html
    assert deciding.number not in html and other.number not in html


def test_reviewer_without_section_sees_the_whole_bureau(crew, sections):
    cases = [make_case(crew, sections[key], CaseStatus.ACCEPTED) for key in sections]
    html = logged_in(crew.users["reviewer"]).get("/review/").content.decode()
    assert all(case.number in html for case in cases)


def test_approver_sees_cases_pending_decision_only(crew, sections):
    accepted = make_case(crew, sections["food"], CaseStatus.ACCEPTED)
    deciding = make_case(crew, sections["food"], CaseStatus.DECISION_PENDING)
    approver = staff("approver", section=sections["food"].section)
    html = logged_in(approver).get("/review/").content.decode()
    assert deciding.number in html and accepted.number not in html


@pytest.mark.parametrize("role", ["clerk", "certifier", "applicant"])
def test_other_roles_are_refused_the_queue(role):
    assert logged_in(staff(role)).get("/review/").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/review/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_queue_is_ordered_by_the_running_stages_due_date(crew, sections):
    late, soon, middle = (make_case(crew, sections["food"], CaseStatus.ACCEPTED)
                          for _ in range(3))
    for case, days in ((late, 30), (soon, 3), (middle, 10)):
        set_due(case, days)
    html = logged_in(crew.users["reviewer"]).get("/review/").content.decode()
    assert html.index(soon.number) < html.index(middle.number) < html.index(late.number)


def test_overdue_stage_is_red_and_near_due_is_yellow(crew, sections):
    overdue, near, calm = (make_case(crew, sections["food"], CaseStatus.ACCEPTED)
                           for _ in range(3))
    set_due(overdue, -14)
    set_due(near, 0)
    set_due(calm, 40)
    response = logged_in(crew.users["reviewer"]).get("/review/")
    rows = {case.clock.due: case.clock for case in response.context["page"]}
    today = timezone.localdate()
    assert rows[today - timedelta(days=14)].warning == "red"
    assert rows[today - timedelta(days=14)].remaining < 0
    assert rows[today].warning == "yellow"
    assert rows[today + timedelta(days=40)].warning == ""
    html = response.content.decode()
    assert 'data-warning="red"' in html and "已超期" in html
    assert 'data-warning="yellow"' in html and "今日到期" in html
    assert "is-overdue" in html


def test_filters_by_matter_state_and_district(crew, sections):
    district = District.objects.create(code="140802", name="盐湖区")
    food = make_case(crew, sections["food"], CaseStatus.ACCEPTED)
    reviewing = make_case(crew, sections["food"], CaseStatus.UNDER_REVIEW)
    health = make_case(crew, sections["health"], CaseStatus.ACCEPTED)
    Case.objects.filter(pk=health.pk).update(district=district)
    client = logged_in(crew.users["reviewer"])

    def shown(query: str) -> set[str]:
        page = client.get(f"/review/?{query}").context["page"]
        return {case.number for case in page}

    assert shown(f"matter={sections['health'].pk}") == {health.number}
    assert shown("status=under_review") == {reviewing.number}
    assert shown(f"district={district.pk}") == {health.number}
    assert shown("status=decision_pending") == {food.number, reviewing.number, health.number}


def test_htmx_filter_returns_the_results_partial_only(crew, sections):
    case = make_case(crew, sections["food"], CaseStatus.ACCEPTED)
    response = logged_in(crew.users["reviewer"]).get(
        f"/review/?matter={sections['food'].pk}", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="queue-results"') and case.number in html
    assert "<html" not in html and "HX-Request" in response["Vary"]


def test_queue_paginates(crew, sections):
    for _ in range(3):
        make_case(crew, sections["food"], CaseStatus.ACCEPTED)
    from portal.review import views

    views.PAGE_SIZE, original = 2, views.PAGE_SIZE
    try:
        client = logged_in(crew.users["reviewer"])
        first = client.get("/review/")
        second = client.get("/review/?page=2")
    finally:
        views.PAGE_SIZE = original
    assert len(first.context["page"]) == 2 and len(second.context["page"]) == 1
    assert "第 1 / 2 页" in first.content.decode()


#: session, user, roles, count, page, unread badge, matter and district options.
QUERY_LIMIT = 8


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/review/").status_code == 200
    return len(captured)


def test_query_count_is_flat_in_the_number_of_rows(crew, sections, django_assert_max_num_queries):
    reviewer = crew.users["reviewer"]
    matter = sections["food"]
    for _ in range(3):
        make_case(crew, matter, CaseStatus.ACCEPTED)
    client = logged_in(reviewer)
    client.get("/review/")  # warm the calendar
    with django_assert_max_num_queries(QUERY_LIMIT):
        few = _queue_queries(client)
    for _ in range(22):
        make_case(crew, matter, CaseStatus.ACCEPTED)
    with django_assert_max_num_queries(QUERY_LIMIT):
        many = _queue_queries(client)
    assert len(client.get("/review/").context["page"]) == 25
    assert few == many
