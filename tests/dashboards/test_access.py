"""Who sees the dashboards: supervisors everything, approvers their own section only,
applicants, clerks and others nothing (pages 403, API 403)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.dashboards import selectors
from portal.dashboards.scope import filters_from
from tests.dashboards.conftest import logged_in
from tests.factories import ApplicantFactory, staff

pytestmark = pytest.mark.django_db

MARCH = {"period": "month", "date": "2025-03-15"}
PAGES = ["dashboards-overview", "dashboards-map", "dashboards-cases", "dashboards-export"]
APIS = ["api-dashboards-summary", "api-dashboards-breakdown", "api-dashboards-trend",
        "api-dashboards-stages", "api-dashboards-deadlines", "api-dashboards-workload",
        "api-dashboards-map", "api-dashboards-cases"]


def test_other_roles_are_refused_everywhere(db):
    params = {**MARCH, "metric": "applications"}
    for user in (ApplicantFactory().user, staff("clerk"), staff("reviewer"), staff("inspector")):
        client = logged_in(user)
        for name in PAGES:
            assert client.get(reverse(name), params).status_code == 403, name
        for name in APIS:
            response = client.get(reverse(name), params)
            assert response.status_code == 403, name
            assert response.json()["code"] == "permission_denied"


def test_anonymous_visitors_are_sent_to_log_in(db):
    from django.test import Client

    assert Client().get(reverse("dashboards-overview")).status_code == 302
    assert Client().get(reverse("api-dashboards-summary")).status_code in (401, 403)


def test_an_approver_sees_only_their_section(dated, approver_s1):
    mine = selectors.summary(filters_from(MARCH, approver_s1))
    assert mine["applications"] == 7  # S1: matters A and B
    breakdown = selectors.breakdown(filters_from(MARCH, approver_s1), "section")
    assert [r["key"] for r in breakdown] == ["S1"]
    client = logged_in(approver_s1)
    assert client.get(reverse("dashboards-overview"), {**MARCH, "section": "S2"}).status_code == 403
    response = client.get(reverse("api-dashboards-summary"), {**MARCH, "matter": "C"})
    assert response.status_code == 403 and response.json()["code"] == "out_of_scope"
    listed = client.get(reverse("api-dashboards-cases"), {**MARCH, "metric": "applications"})
    assert listed.json()["count"] == 7
    assert {r["matter"] for r in listed.json()["results"]} == {"A", "B"}


def test_bad_filters_get_a_chinese_message(dated, supervisor):
    client = logged_in(supervisor)
    page = client.get(reverse("dashboards-overview"), {"period": "decade"})
    assert page.status_code == 400 and "统计周期只能是" in page.content.decode()
    api = client.get(reverse("api-dashboards-summary"), {"date": "2025-13-01"})
    assert api.status_code == 400 and api.json()["detail"] == "日期格式应为 YYYY-MM-DD。"
    api = client.get(reverse("api-dashboards-summary"), {"district": "999999"})
    assert api.status_code == 400 and "区划不存在" in api.json()["detail"]
