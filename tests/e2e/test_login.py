"""In a real browser: the portal opens in Chinese, a clerk logs in and acts on a case."""

from __future__ import annotations

import pytest

from approvals.models import Case
from approvals.workflow import CaseStatus
from tests.factories import CaseFactory, UserFactory
from tests.factories.workflow import Crew, drive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def login(page, site, username, password="pw-12345678"):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) button[type=submit]")


def test_clerk_logs_in_and_accepts_a_case_in_the_browser(page, site):
    crew = Crew.make()
    case = drive(CaseFactory(title="浏览器测试项目"), crew, CaseStatus.SUBMITTED)
    page.goto(f"{site}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    login(page, site, crew.users["clerk"].username)
    page.wait_for_url(f"{site}/")
    page.goto(f"{site}/cases/{case.pk}/")
    page.locator("form[action$='/act/accept/'] button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert "已完成" in page.content()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_wrong_password_shows_a_chinese_error(page, site):
    UserFactory(username="wangwu", roles=["clerk"])
    login(page, site, "wangwu", "wrong-password")
    assert "用户名" in page.content() and page.url.endswith("/accounts/login/")
