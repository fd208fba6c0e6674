"""Fixtures for the review pages: a crew with one person per duty, logged-in clients, and
cases driven through the real services."""

from __future__ import annotations

import pytest
from django.test import Client

from approvals.models import Certificate
from approvals.services import case_transition
from approvals.workflow import CaseStatus
from tests.factories import CaseFactory, MatterFactory
from tests.factories.workflow import Crew, drive


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def crew(db):
    return Crew.make()


@pytest.fixture
def approved(crew):
    matter = MatterFactory(name="食品经营许可")
    return drive(CaseFactory(matter=matter, title="好味道饭店"), crew, CaseStatus.APPROVED)


@pytest.fixture
def licence(crew, approved) -> Certificate:
    case_transition(case_id=approved.pk, name="issue", by=crew.users["certifier"],
                    data={"scope": "热食类食品制售", "valid_years": 5})
    return Certificate.objects.get(case=approved)
