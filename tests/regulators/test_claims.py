"""Claims (认领): the first claim wins (also when two arrive at once), the same user again
gets the same claim, a colleague is told who claimed it, another department cannot see
it; an unclaimed result raises yellow, red and escalation alerts through the deadline
sweep, once each, to the department's users and (red, escalation) the supervisors."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from approvals.workflow import CaseStatus
from portal.core.calendar import get_calendar
from portal.core.errors import ConflictError
from portal.core.models import AuditEntry
from portal.notifications.deadlines.sweep import deadline_status, deadline_sweep
from portal.notifications.models import DeadlineAlert, Notification
from portal.regulators.models import Claim, OutboxEvent
from portal.regulators.services import claims
from portal.regulators.services.claims import claim_result
from tests.factories.race import race
from tests.regulators.conftest import decided_case, make_department, regulator_of

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def result(crew, food_matter, amr):
    case = decided_case(crew, food_matter, until=CaseStatus.APPROVED)
    return OutboxEvent.objects.get(case=case)


def test_claim_in_the_portal_is_idempotent_and_a_colleague_is_told(result, amr, amr_user):
    url = reverse("regulators-event-claim", args=[result.event_id])
    response = logged_in(amr_user).post(url)
    assert response.status_code == 302
    claim = Claim.objects.get(event=result)
    assert claim.claimed_by == amr_user and claim.via == "portal"
    first_at = claim.claimed_at
    logged_in(amr_user).post(url)
    claim.refresh_from_db()
    assert claim.claimed_at == first_at
    colleague = regulator_of(amr[0])
    page = logged_in(colleague).post(url, follow=True)
    assert "已由沈监管于" in page.content.decode()
    claim.refresh_from_db()
    assert claim.claimed_by == amr_user
    assert AuditEntry.objects.filter(action="regulators.claim").count() == 1


def test_claim_through_the_api_and_scoping(result, amr, amr_user):
    url = reverse("api-regulator-event-claim", args=[result.event_id])
    other_department, _secret = make_department(industries=("餐饮",))
    stranger = regulator_of(other_department)
    assert logged_in(stranger).post(url).status_code == 404
    assert logged_in(stranger).get(
        reverse("regulators-event", args=[result.event_id])).status_code == 404
    ok = logged_in(amr_user).post(url)
    assert ok.status_code == 200 and ok.json()["claimed_by"] == "沈监管"
    assert logged_in(amr_user).post(url).status_code == 200
    clash = logged_in(regulator_of(amr[0])).post(url)
    assert clash.status_code == 409 and clash.json()["code"] == "already_claimed"


def test_of_two_claims_racing_one_wins(result, amr, amr_user, monkeypatch):
    colleague = regulator_of(amr[0])
    stale = Claim.objects.get(event=result)  # both read it unclaimed ...
    claim_result(event=result, by=amr_user)  # ... the first one writes
    monkeypatch.setattr(claims, "_current", lambda event: stale)
    with pytest.raises(ConflictError):
        claim_result(event=result, by=colleague)
    assert Claim.objects.get(event=result).claimed_by == amr_user


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_on_postgres_one_wins(on_postgres, crew, food_matter, amr):
    case = decided_case(crew, food_matter, until=CaseStatus.APPROVED)
    event = OutboxEvent.objects.get(case=case)
    users = [regulator_of(amr[0]) for _ in range(4)]
    results = race(*[lambda u=u: claim_result(event=event, by=u) for u in users])
    assert sorted(kind for kind, _ in results) == ["error"] * 3 + ["ok"]
    assert all(isinstance(value, ConflictError) for kind, value in results if kind == "error")
    winner = next(value for kind, value in results if kind == "ok")
    assert Claim.objects.get(event=event).claimed_by_id == winner.claimed_by_id


def test_an_unclaimed_result_is_alerted_once_per_level(result, amr, amr_user, crew):
    supervisor = crew.users["supervisor"]
    claim = Claim.objects.get(event=result)
    cal = get_calendar()
    labels = [row.label for row in deadline_status(result.case)]
    assert "运城市市场监督管理局认领“准予许可”结果" in labels

    def alerts(level):
        return DeadlineAlert.objects.filter(source="regulators.claim", level=level).count()

    def told(user, event):
        return Notification.objects.filter(recipient=user, event=event,  # not stage clocks
                                           body__contains="认领“准予许可”结果").count()

    deadline_sweep(today=claim.claim_due)
    assert alerts("yellow") == 1 and told(amr_user, "deadline_warning") == 1
    assert told(supervisor, "deadline_warning") == 0
    late = cal.add(claim.claim_due, 1)
    deadline_sweep(today=late)
    deadline_sweep(today=late)
    assert alerts("red") == 1 and told(amr_user, "deadline_overdue") == 1
    assert told(supervisor, "deadline_overdue") == 1
    deadline_sweep(today=cal.add(claim.claim_due, 2))
    assert alerts("escalation") == 1 and told(supervisor, "deadline_escalated") == 1

    claim_result(event=result, by=amr_user)
    deadline_sweep(today=cal.add(claim.claim_due, 5))
    assert DeadlineAlert.objects.filter(source="regulators.claim").count() == 3
    assert all(row.label != "运城市市场监督管理局认领“准予许可”结果"
               for row in deadline_status(result.case))
