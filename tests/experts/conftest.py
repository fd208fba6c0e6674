"""Fixtures for the expert tests: a matter that needs an expert review with a field of
expertise, a case of an organisation under review (driven through the real services), a
crew (dispatcher included), experts with and without logins, and a draw."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from approvals.workflow import CaseStatus
from experts.models import Expert, ExpertField, MeetingMode
from experts.services.draws import draw_create
from portal.accounts.roles import Role
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory, UserFactory
from tests.factories.workflow import Crew, drive

_phones = itertools.count(1)


@pytest.fixture(autouse=True)
def _expert_urls(settings):
    settings.ROOT_URLCONF = "tests.experts.urls"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def expert_user(**kwargs):
    return UserFactory(roles=[Role.EXPERT], **kwargs)


def make_expert(*fields, name: str = "", login: bool = False, **kwargs) -> Expert:
    n = next(_phones)
    values = {"name": name or f"专家{n}", "employer": f"测试单位{n}",
              "phone": f"1390{n:07d}", "title": "高级工程师"} | kwargs
    if login:
        values["user"] = expert_user(real_name=values["name"])
    expert = Expert.objects.create(**values)
    expert.fields.set(fields)
    return expert


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


@pytest.fixture
def dispatcher(crew):
    return crew.users[Role.DISPATCHER]


@pytest.fixture
def matter(db):
    return MatterFactory(needs_expert_review=True, name="放射诊疗许可")


@pytest.fixture
def field(matter):
    field = ExpertField.objects.create(name="放射卫生", industry="医疗卫生")
    field.matters.add(matter)
    return field


@pytest.fixture
def applicant(db):
    return ApplicantFactory(organisation=True, name="运城市康宁医院有限公司")


@pytest.fixture
def case(crew, matter, applicant):
    return drive(CaseFactory(matter=matter, applicant=applicant, title="放射科新建项目"), crew,
                 CaseStatus.UNDER_REVIEW)


@pytest.fixture
def pool(field):
    """Five experts in the field; the first three can log in."""
    return [make_expert(field, login=i < 3, name=f"专家{chr(65 + i)}") for i in range(5)]


def meeting_time(days: int = 3):
    return timezone.now() + timedelta(days=days)


def new_draw(case, field, dispatcher, count=3, **kwargs):
    return draw_create(case=case, field=field, count=count, meeting_at=meeting_time(),
                       mode=MeetingMode.ONSITE, place="审批局三楼评审室", by=dispatcher,
                       **kwargs)


@pytest.fixture
def draw(case, field, dispatcher, pool):
    return new_draw(case, field, dispatcher)
