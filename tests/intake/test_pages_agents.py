"""Pages for 帮办代办: an applicant authorises an agent by username, the agent sees whom
they act for and files for them from the guide, the applicant revokes and the agent
loses access (404)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from approvals.models import AgentAuthorization, Case
from approvals.services import case_create
from approvals.services.intake import agent_authorize, agent_revoke
from tests.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agent():
    return UserFactory(username="lihelper", real_name="李帮办", roles=["agent"])


def test_authorise_file_for_the_applicant_then_revoke(food_matter, agent):
    applicant = ApplicantFactory(name="好味道餐饮")
    me, helper = logged_in(applicant.user), logged_in(agent)
    response = me.post("/agents/", {"agent": "lihelper", "note": "开店期间代办"}, follow=True)
    assert "已授权“李帮办”代为办理" in response.content.decode()
    authorization = AgentAuthorization.objects.get(applicant=applicant, agent=agent)

    listing = helper.get("/agents/").content.decode()
    assert "好味道餐饮" in listing and applicant.id_number not in listing
    guide = helper.get(f"/guide/{food_matter.code}/").content.decode()
    assert f'name="applicant" value="{applicant.pk}"' in guide
    token = re.search(r'name="token" value="([^"]+)"', guide).group(1)
    filed = helper.post(f"/guide/{food_matter.code}/apply/",
                        {"token": token, "applicant": applicant.pk})
    case = Case.objects.get(applicant=applicant)
    assert filed["Location"] == f"/cases/{case.pk}/edit/" and case.created_by == agent
    assert helper.get(filed["Location"]).status_code == 200
    own = case_create(matter=food_matter, applicant=applicant, by=applicant.user)
    assert helper.get(f"/cases/{own.pk}/").status_code == 200

    me.post(f"/agents/{authorization.pk}/revoke/")
    assert AgentAuthorization.objects.get(pk=authorization.pk).revoked_at is not None
    assert helper.get(f"/cases/{own.pk}/").status_code == 404
    assert helper.get(f"/cases/{own.pk}/edit/").status_code == 404
    assert "已撤销" in helper.get("/agents/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"',
                      me.get(f"/guide/{food_matter.code}/").content.decode()).group(1)
    again = helper.post(f"/guide/{food_matter.code}/apply/",
                        {"token": token, "applicant": applicant.pk}, follow=True)
    assert "经授权的帮办代办员" in again.content.decode()
    assert Case.objects.filter(applicant=applicant).count() == 2


def test_agent_loses_even_the_cases_they_filed_once_revoked(food_matter, agent):
    applicant = ApplicantFactory()
    authorization = agent_authorize(applicant=applicant, agent=agent, by=applicant.user)
    case = case_create(matter=food_matter, applicant=applicant, by=agent)
    agent_revoke(authorization=authorization, by=applicant.user)
    helper = logged_in(agent)
    for url in (f"/cases/{case.pk}/", f"/cases/{case.pk}/edit/"):
        assert helper.get(url).status_code == 404


def test_only_registered_agents_can_be_authorised(food_matter):
    applicant = ApplicantFactory()
    UserFactory(username="notanagent")
    response = logged_in(applicant.user).post("/agents/", {"agent": "notanagent"})
    assert response.status_code == 400
    assert "不是登记在册的帮办代办员" in response.content.decode()
    unknown = logged_in(applicant.user).post("/agents/", {"agent": "nobody"})
    assert "找不到该代办员账号" in unknown.content.decode()
    assert not AgentAuthorization.objects.exists()


def test_another_applicant_cannot_revoke(agent):
    applicant = ApplicantFactory()
    logged_in(applicant.user).post("/agents/", {"agent": "lihelper"})
    authorization = AgentAuthorization.objects.get()
    stranger = logged_in(ApplicantFactory().user)
    assert stranger.post(f"/agents/{authorization.pk}/revoke/").status_code == 404
    assert AgentAuthorization.objects.get().revoked_at is None


def test_agents_page_is_for_applicants_and_agents():
    assert logged_in(UserFactory(roles=["reviewer"])).get("/agents/").status_code == 403


@pytest.mark.parametrize("rows", [1, 12])
def test_agents_page_query_count_is_flat(rows, agent, django_assert_max_num_queries):
    for _ in range(rows):
        applicant = ApplicantFactory()
        agent_authorize(applicant=applicant, agent=agent, by=applicant.user)
    helper = logged_in(agent)
    with django_assert_max_num_queries(7):
        html = helper.get("/agents/").content.decode()
    assert html.count("代为申请") == rows
