"""Drill-down: the list behind a number holds exactly the cases the number counts, page by
page with keyset cursors, with a flat number of queries, on the page and in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.core.errors import ApplicationError
from portal.dashboards import drill as drills
from portal.dashboards import selectors
from portal.dashboards.scope import filters_from
from tests.dashboards.conftest import logged_in

pytestmark = pytest.mark.django_db

MARCH = {"period": "month", "date": "2025-03-15"}

EXPECTED = {
    "applications": ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10"],
    "accepted": ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"],
    "completed": ["c1", "c2", "c3", "c5"],
    "on_time": ["c1", "c3", "c5"],
    "late": ["c2"],
    "returned": ["c4"],
    "closed": ["c1", "c2", "c3", "c4", "c5"],
    "inspected": ["c5", "c6", "c7"],
    "first_pass": ["c5"],
    "rectified": ["c6"],
    "overdue": ["c6", "c7", "c8", "c11"],
    "near_due": ["c9"],
    "stage_review": ["c1", "c2", "c3", "c5"],
    "stage_inspection": ["c5"],
    "stage_issue": ["c1", "c2", "c5"],
}


def listed(viewer, **params) -> tuple[list[int], int]:
    f = filters_from({**MARCH, **params}, viewer)
    d = drills.drill_from({**MARCH, **params}, f)
    return [r.case.pk for r in drills.drill_all(d, chunk=3)], drills.drill_count(d)


def test_the_list_behind_every_number_is_exactly_its_cases(dated, supervisor):
    figures = selectors.summary(filters_from(MARCH, supervisor))
    for metric, names in EXPECTED.items():
        ids, count = listed(supervisor, metric=metric)
        assert sorted(ids) == sorted(dated.ids(*names)), metric
        assert len(ids) == len(set(ids)) == count, metric  # pages neither repeat nor skip
        assert count == figures[metric], metric


def test_filtered_lists_match_their_breakdown_cells(dated, supervisor):
    ids, count = listed(supervisor, metric="applications", district="140821")
    assert sorted(ids) == sorted(dated.ids("c3", "c4", "c6")) and count == 3
    ids, _count = listed(supervisor, metric="on_time", industry="餐饮服务")
    assert sorted(ids) == sorted(dated.ids("c1", "c3"))


def test_workload_lists_the_duties_of_one_person(dated, supervisor, crew):
    reviewer = crew.users["reviewer"]
    ids, count = listed(supervisor, metric="workload", user=str(reviewer.pk), stage="review")
    assert sorted(ids) == sorted(dated.ids(*[f"c{i}" for i in range(1, 9)])) and count == 8


def test_lists_run_newest_first_and_overdue_most_urgent_first(dated, supervisor):
    ids, _count = listed(supervisor, metric="completed")
    assert ids == [dated.cases[n].pk for n in ("c5", "c2", "c3", "c1")]  # 21st, 20th, 14th, 5th
    ids, _count = listed(supervisor, metric="overdue")
    assert ids[:2] == [dated.cases[n].pk for n in ("c6", "c7")]  # due 28 March 2025


def test_bad_metric_and_cursor_are_refused_in_chinese(dated, supervisor):
    f = filters_from(MARCH, supervisor)
    with pytest.raises(ApplicationError, match="未知的统计指标"):
        drills.drill_from({"metric": "nonsense"}, f)
    with pytest.raises(ApplicationError, match="翻页参数无效"):
        drills.drill_page(drills.drill_from({"metric": "applications"}, f), "garbage")


def test_cases_page_lists_with_masked_ids_links_and_flat_queries(
        dated, supervisor, django_assert_max_num_queries):
    client = logged_in(supervisor)
    url = reverse("dashboards-cases")
    with django_assert_max_num_queries(20):
        small = client.get(url, {**MARCH, "metric": "completed"})
    with django_assert_max_num_queries(20):
        large = client.get(url, {**MARCH, "metric": "applications"})
    assert small.status_code == large.status_code == 200
    html = large.content.decode()
    case = dated.cases["c1"]
    assert reverse("case-detail", args=[case.pk]) in html
    assert case.applicant.id_number not in html
    assert case.applicant.id_number[:4] in html and "****" in html
    assert "共 10 件" in html


def test_cases_api_pages_with_a_cursor(dated, supervisor):
    client = logged_in(supervisor)
    url = reverse("api-dashboards-cases")
    first = client.get(url, {**MARCH, "metric": "applications"}).json()
    assert first["count"] == 10 and len(first["results"]) == 10 and first["next_cursor"] is None
    assert all("*" in r["applicant_id_number"] for r in first["results"])
    bad = client.get(url, {**MARCH, "metric": "applications", "cursor": "x"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"
