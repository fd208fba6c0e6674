"""The facts behind the dashboards: kept current case by case after each commit, and equal
to what the set-based rebuild computes from scratch."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from approvals.models import Case
from approvals.services import case_transition
from approvals.workflow import CaseStatus
from portal.dashboards.facts import fact_refresh
from portal.dashboards.models import CaseFact, DailyDuty, DailyTally, MonthlyDuty, MonthlyTally
from portal.dashboards.rebuild import rebuild
from tests.dashboards.conftest import date_cases
from tests.factories import CaseFactory
from tests.factories.workflow import drive

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    def rows(model, key):
        return sorted((tuple(sorted((k, str(v)) for k, v in model_to_dict(r).items()
                                    if k != "id")) for r in model.objects.all()), key=key)
    return {
        "facts": rows(CaseFact, str),
        "daily": rows(DailyTally, str), "monthly": rows(MonthlyTally, str),
        "daily_duty": rows(DailyDuty, str), "monthly_duty": rows(MonthlyDuty, str),
    }


def test_incremental_facts_equal_the_full_rebuild(world):
    # ``world`` refreshed each case's fact as its transactions committed
    incremental = snapshot()
    assert len(incremental["facts"]) == 11 and incremental["daily_duty"]
    rebuild()
    assert snapshot() == incremental


def test_refresh_after_dates_change_equals_rebuild(world):
    duties = snapshot()["daily_duty"]
    date_cases(world)  # dates move without signals …
    for case in Case.objects.all():
        fact_refresh(case.pk)  # … and each refresh moves the tallies by the difference
    refreshed = snapshot()
    # a duty, once performed, is never changed (participants are append-only): the test
    # moved their dates by hand, so only the rebuild sees the new ones
    assert refreshed.pop("daily_duty") == duties
    refreshed.pop("monthly_duty")
    rebuild()
    rebuilt = snapshot()
    assert rebuilt.pop("daily_duty") != duties
    rebuilt.pop("monthly_duty")
    assert rebuilt == refreshed


def test_a_transition_moves_the_case_between_tallies(world, django_capture_on_commit_callbacks):
    case = world.cases["c9"]  # accepted, open
    fact_refresh(case.pk)
    before = sum(DailyTally.objects.values_list("completed", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        drive(case, world.crew, CaseStatus.ISSUED)
    fact = CaseFact.objects.get(pk=case.pk)
    assert fact.outcome == "issued" and fact.due_date is None and fact.on_time is True
    assert sum(DailyTally.objects.values_list("completed", flat=True)) == before + 1


def test_drafts_have_no_fact_and_rolled_back_changes_leave_none(
        world, django_capture_on_commit_callbacks):
    draft = world.cases["c12"]
    fact_refresh(draft.pk)
    assert not CaseFact.objects.filter(pk=draft.pk).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = CaseFactory(matter=world.a)
        case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    assert callbacks  # the refresh waits for the commit, which never comes here
    assert not CaseFact.objects.filter(pk=case.pk).exists()
