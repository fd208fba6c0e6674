"""Fixtures for inspection tests: a case waiting for inspection (its matter has a published
standard, pinned when the case was submitted), a dispatcher, two qualified inspectors and
a task those two are assigned to. Every object got there through the real services."""

from __future__ import annotations

import pytest

from approvals.workflow import CaseStatus
from inspections.models import InspectionTask, InspectorProfile, TaskStatus
from inspections.services.dispatch import task_assign, task_create
from inspections.services.standards import standard_publish
from portal.accounts.roles import Role
from tests.factories import CaseFactory, MatterFactory, staff
from tests.factories.workflow import Crew, drive

STANDARD_ITEMS = [{"key": "a", "category": "premises", "title": "场所", "requirement": "要求",
                   "method": "查看", "weight": 100, "veto": False, "guidance": ""}]


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


@pytest.fixture
def inspected_matter(db):
    matter = MatterFactory(inspected=True)
    standard_publish(matter=matter, items=STANDARD_ITEMS)
    return matter


def make_inspected_case(crew: Crew, matter, **case_kwargs):
    """A case of ``matter`` driven to 待勘验 (the standard must be published already)."""
    return drive(CaseFactory(matter=matter, **case_kwargs), crew, CaseStatus.NEEDS_INSPECTION)


@pytest.fixture
def inspected_case(crew, inspected_matter):
    return make_inspected_case(crew, inspected_matter)


@pytest.fixture
def dispatcher(crew):
    return crew.users[Role.DISPATCHER]


def make_inspector(*matters, **kwargs):
    """A staff inspector on duty and qualified for ``matters``."""
    user = staff(Role.INSPECTOR, **kwargs)
    profile = InspectorProfile.objects.create(user=user)
    profile.matters.set(matters)
    return user


@pytest.fixture
def inspectors(inspected_matter):
    return [make_inspector(inspected_matter, real_name="周勘验"),
            make_inspector(inspected_matter, real_name="吴勘验")]


def make_assigned_task(cases, dispatcher, inspectors) -> InspectionTask:
    """One task for ``cases`` (their open requests) with both ``inspectors`` assigned."""
    requests = [r for case in cases for r in case.inspection_requests.filter(task__isnull=True)]
    task = task_create(requests=requests, by=dispatcher)
    for inspector in inspectors:
        task_assign(task=task, inspector=inspector, by=dispatcher, reason="测试指派")
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED
    return task


@pytest.fixture
def assigned_task(inspected_case, dispatcher, inspectors) -> InspectionTask:
    return make_assigned_task([inspected_case], dispatcher, inspectors)
