"""Two concurrent transitions on one case: exactly one wins, the other is refused with 409,
and nothing is half-written. Real PostgreSQL, two real connections (threads)."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from approvals.models import Case, CaseParticipant, CaseStatusChange
from approvals.services import case_transition
from approvals.workflow import CaseStatus
from portal.core.audit import audit_verify_chain
from portal.core.errors import ApplicationError
from tests.factories import CaseFactory
from tests.factories.race import race
from tests.factories.workflow import Crew, drive

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted_case(on_postgres):
    crew = Crew.make()
    clerk2 = Crew.make().users["clerk"]
    case = drive(CaseFactory(), crew, CaseStatus.SUBMITTED)
    return case, crew.users["clerk"], clerk2


def test_accept_and_reject_at_once_exactly_one_wins(submitted_case):
    case, clerk, clerk2 = submitted_case
    results = race(
        lambda: case_transition(case_id=case.pk, name="accept", by=clerk),
        lambda: case_transition(case_id=case.pk, name="reject", by=clerk2, note="不属于本机关职权范围"),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ApplicationError) and error.status == 409

    case = Case.objects.get(pk=case.pk)
    assert case.status in (CaseStatus.ACCEPTED, CaseStatus.REJECTED)
    changes = CaseStatusChange.objects.filter(case=case).exclude(transition="submit")
    assert changes.count() == 1 and changes.get().to_status == case.status
    assert CaseParticipant.objects.filter(case=case, stage="accept").count() == 1
    assert audit_verify_chain() is None


def test_same_transition_twice_at_once_runs_once(submitted_case):
    case, clerk, clerk2 = submitted_case
    results = race(
        lambda: case_transition(case_id=case.pk, name="accept", by=clerk),
        lambda: case_transition(case_id=case.pk, name="accept", by=clerk2),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    assert CaseStatusChange.objects.filter(case_id=case.pk, transition="accept").count() == 1
    assert Case.objects.get(pk=case.pk).stages.filter(name="review").count() == 1


def test_two_api_clients_racing_get_200_and_409(submitted_case):
    case, clerk, clerk2 = submitted_case

    def post(user, slug):
        client = APIClient()
        token = Token.objects.get_or_create(user=user)[0]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        body = {"note": "并发", "items": [{"material_name": "营业执照", "reason": "不清晰"}]}
        response = client.post(f"/api/v1/cases/{case.pk}/{slug}/", body, format="json")
        return response.status_code, response.json()

    results = race(lambda: post(clerk, "accept"), lambda: post(clerk2, "request-supplement"))
    assert all(kind == "ok" for kind, _ in results), results
    codes = sorted(value[0] for _, value in results)
    assert codes == [200, 409], results
    refused = next(value[1] for _, value in results if value[0] == 409)
    assert set(refused) >= {"code", "detail"}
    assert connection.vendor == "postgresql"
