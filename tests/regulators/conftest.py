"""Fixtures for 审管互动: a crew, a restaurant matter supervised by the market regulator
(by industry) and a health matter that is not, a regulator department with a user, and
cases driven to a decision through the real services."""

from __future__ import annotations

import itertools

import pytest

from approvals.workflow import CaseStatus
from portal.accounts.roles import Role
from portal.regulators.models import RegulatorMembership
from portal.regulators.services.departments import department_create
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory, UserFactory
from tests.factories.workflow import Crew, drive

_codes = itertools.count(1)


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


@pytest.fixture
def food_matter(db):
    return MatterFactory(name="食品经营许可", industry="餐饮")


@pytest.fixture
def other_matter(db):
    return MatterFactory(name="公共场所卫生许可", industry="卫生")


def make_department(*, endpoint: str = "", industries=("餐饮",), matters=(), name="",
                    claim_days: int = 3):
    n = next(_codes)
    return department_create(name=name or f"市场监督管理局{n}", code=f"dept{n}",
                             endpoint_url=endpoint, industries=list(industries),
                             matters=matters, claim_days=claim_days)


def regulator_of(department, **kwargs):
    user = UserFactory(roles=[Role.REGULATOR], **kwargs)
    RegulatorMembership.objects.create(user=user, department=department)
    return user


@pytest.fixture
def amr(db):
    """(department, secret): supervises the 餐饮 industry, no push endpoint."""
    return make_department(name="运城市市场监督管理局")


@pytest.fixture
def amr_user(amr):
    return regulator_of(amr[0], real_name="沈监管")


def decided_case(crew, matter, until=CaseStatus.DECISION_PENDING, **kwargs):
    applicant = kwargs.pop("applicant", None) or ApplicantFactory()
    return drive(CaseFactory(matter=matter, applicant=applicant, title="好味道饭店", **kwargs),
                 crew, until)
