"""Server-rendered pages: Chinese login, the case list and detail, actions through the
same service as the API, object-level 404s, masking and flat query counts."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from approvals.models import Case
from approvals.workflow import CaseStatus
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory, UserFactory
from tests.factories.workflow import Crew, drive

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_login_page_is_chinese_by_default():
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html and "登录" in html


def test_browser_language_does_not_override_chinese_first():
    response = Client(headers={"accept-language": "en-US,en"}).get("/accounts/login/")
    assert 'lang="zh-hans"' in response.content.decode()


def test_language_switch_to_english_sticks():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html or "Sign in" in html or "Login" in html


@override_settings(ONESEAL_DEMO=True)
def test_demo_login_page_lists_the_demo_accounts():
    html = Client().get("/accounts/login/").content.decode()
    assert "oneseal-demo" in html and "clerk" in html and "审查员" in html


def test_demo_accounts_are_not_listed_outside_demo_mode():
    assert "oneseal-demo" not in Client().get("/accounts/login/").content.decode()


def test_login_with_password_reaches_the_case_list():
    UserFactory(username="zhao", roles=["clerk"])
    client = Client()
    response = client.post("/accounts/login/", {"username": "zhao", "password": "pw-12345678"},
                           follow=True)
    assert response.status_code == 200 and "办件工作台" in response.content.decode()


def test_anonymous_is_sent_to_login():
    response = Client().get("/cases/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_clerk_accepts_from_the_case_page():
    crew = Crew.make()
    case = drive(CaseFactory(), crew, CaseStatus.SUBMITTED)
    client = logged_in(crew.users["clerk"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/act/accept/" in page
    response = client.post(f"/cases/{case.pk}/act/accept/", {"note": "材料齐全"}, follow=True)
    assert "已完成“受理”" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_refusal_is_shown_as_a_message_and_changes_nothing():
    crew = Crew.make()
    both = UserFactory(roles=["clerk", "reviewer"])
    case = drive(CaseFactory(), crew, CaseStatus.SUBMITTED)
    logged_in(both).post(f"/cases/{case.pk}/act/accept/")
    response = logged_in(both).post(f"/cases/{case.pk}/act/start-review/", follow=True)
    assert "四分离" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_actions_not_allowed_to_the_user_are_not_offered():
    crew = Crew.make()
    case = drive(CaseFactory(), crew, CaseStatus.SUBMITTED)
    page = logged_in(crew.users["reviewer"]).get(f"/cases/{case.pk}/").content.decode()
    assert "/act/" not in page


def test_other_applicants_case_page_is_404():
    case = CaseFactory()
    stranger = logged_in(ApplicantFactory().user)
    assert stranger.get(f"/cases/{case.pk}/").status_code == 404
    assert stranger.post(f"/cases/{case.pk}/act/submit/").status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT


def test_case_pages_mask_personal_data():
    case = CaseFactory()
    client = logged_in(UserFactory(roles=["clerk"]))
    for url in ("/cases/", f"/cases/{case.pk}/"):
        html = client.get(url).content.decode()
        assert case.applicant.id_number not in html
        assert case.applicant.phone not in html
        assert case.applicant.id_number[-4:] in html


@pytest.mark.parametrize("rows", [2, 25])
def test_case_list_page_query_count_is_flat(rows, django_assert_max_num_queries):
    matter = MatterFactory()
    for _ in range(rows):
        CaseFactory(matter=matter)
    client = logged_in(UserFactory(roles=["supervisor"]))
    with django_assert_max_num_queries(12):
        assert client.get("/cases/").status_code == 200


def test_revealing_identity_on_the_case_page_is_audited():
    from portal.core.models import AuditEntry

    case = CaseFactory()
    clerk = UserFactory(roles=["clerk"])
    html = logged_in(clerk).post(f"/cases/{case.pk}/identity/").content.decode()
    assert case.applicant.id_number in html
    assert AuditEntry.objects.filter(action="pii.view", actor=clerk).count() == 1
    stranger = logged_in(ApplicantFactory().user)
    assert stranger.post(f"/cases/{case.pk}/identity/").status_code == 404


def test_healthz_answers_without_login():
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_timeline_names_each_step_and_the_role_not_the_person():
    crew = Crew.make()
    case = drive(CaseFactory(), crew, CaseStatus.ACCEPTED)
    html = logged_in(case.applicant.user).get(f"/cases/{case.pk}/").content.decode()
    assert "提交申请" in html and "受理" in html and "综合窗口受理员" in html
    assert crew.users["clerk"].real_name not in html


def test_case_page_shows_remaining_working_days():
    crew = Crew.make()
    case = drive(CaseFactory(), crew, CaseStatus.ACCEPTED)
    html = logged_in(case.applicant.user).get(f"/cases/{case.pk}/").content.decode()
    assert "个工作日" in html and "到期日" in html


def test_reviewer_returns_a_case_from_the_page_with_a_reason_code():
    from approvals.models import CaseReturn

    crew = Crew.make()
    case = drive(CaseFactory(), crew, CaseStatus.UNDER_REVIEW)
    client = logged_in(crew.users["reviewer"])
    assert 'name="reason_code"' in client.get(f"/cases/{case.pk}/").content.decode()
    client.post(f"/cases/{case.pk}/act/return/", {"note": "不具备条件",
                                                   "reason_code": "conditions_not_met",
                                                   "confirm": "1"})
    assert CaseReturn.objects.get(case=case).reason_code == "conditions_not_met"


def test_reviewer_sends_to_inspection_choosing_mode_and_tier():
    from inspections.models import InspectionRequest
    from tests.factories import MatterFactory

    crew = Crew.make()
    case = drive(CaseFactory(matter=MatterFactory(inspected=True)), crew,
                 CaseStatus.UNDER_REVIEW)
    client = logged_in(crew.users["reviewer"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="mode"' in page and "极速办" in page
    client.post(f"/cases/{case.pk}/act/request-inspection/", {"mode": "video", "tier": "simple",
                                                               "note": "请视频勘验"})
    request = InspectionRequest.objects.get(case=case)
    assert (request.mode, request.tier) == ("video", "simple")
    assert request.promised_by - request.requested_at <= __import__("datetime").timedelta(hours=1)
