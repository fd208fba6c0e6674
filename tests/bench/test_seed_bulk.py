"""``manage.py seed_bulk``: volume that respects the workflow's rules."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max, Min
from django.test import override_settings

from approvals.demo.checks import case_problems
from approvals.models import Case, CaseParticipant, CaseStatusChange
from approvals.separation import separation_holds
from approvals.workflow import Stage
from portal.accounts.models import Applicant, User
from portal.accounts.validators import is_valid_resident_id, is_valid_uscc

pytestmark = pytest.mark.django_db


def run_bulk(cases: int, **options) -> str:
    out = io.StringIO()
    with override_settings(ONESEAL_DEMO=True):
        call_command("seed_bulk", cases=cases, batch=120, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def bulk():
    return run_bulk(300)


def duties_by_case() -> dict[int, dict[str, set[int]]]:
    out: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for case_id, user_id, stage in CaseParticipant.objects.values_list("case_id", "user_id",
                                                                        "stage"):
        out[case_id][stage].add(user_id)
    return out


def test_seed_bulk_refuses_outside_demo_settings_without_i_know():
    with pytest.raises(CommandError, match="--i-know"):
        call_command("seed_bulk", cases=10, stdout=io.StringIO())
    assert not Case.objects.exists()


def test_seed_bulk_without_a_catalogue_outside_demo_settings_is_refused_even_with_i_know():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_bulk", cases=10, i_know=True, stdout=io.StringIO())


def test_creates_the_requested_cases_and_reports_rate(bulk):
    assert Case.objects.count() == 300
    numbers = list(Case.objects.exclude(number=None).values_list("number", flat=True))
    assert all(n.startswith("BULK-") for n in numbers) and len(set(numbers)) == len(numbers)
    assert "300 件办件" in bulk and "行/秒" in bulk


def test_bulk_cases_have_consistent_history_clocks_and_participants(bulk):
    assert case_problems(Case.objects.values_list("pk", flat=True)) == []
    last = {}
    for case_id, to_status in (CaseStatusChange.objects.order_by("at", "id")
                               .values_list("case_id", "to_status")):
        last[case_id] = to_status
    for case_id, status in Case.objects.values_list("pk", "status"):
        assert last.get(case_id, "draft") == status


def test_no_user_holds_two_separated_duties_on_a_bulk_case(bulk):
    dual = User.objects.filter(groups__name="reviewer").filter(groups__name="inspector")
    assert dual.exists()  # the generator really has to keep people apart
    single = dict(Case.objects.values_list("pk", "matter__single_approver"))
    applicant_user = dict(Case.objects.values_list("pk", "applicant__user_id"))
    for case_id, duties in duties_by_case().items():
        if applicant_user[case_id]:
            duties[Stage.APPLY].add(applicant_user[case_id])
        assert separation_holds(duties, single_approver=single[case_id]), case_id


def test_bulk_cases_spread_over_statuses_matters_districts_and_months(bulk):
    assert Case.objects.values("status").distinct().count() >= 5
    assert Case.objects.values("matter").distinct().count() >= 8
    assert Case.objects.values("district").distinct().count() >= 5
    span = Case.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert (span["last"] - span["first"]).days >= 300
    assert Case.objects.filter(channel="counter").exists()
    assert Case.objects.filter(channel="online").exists()


def test_bulk_applicants_carry_valid_identity_numbers(bulk):
    for kind, id_number in Applicant.objects.values_list("kind", "id_number"):
        valid = is_valid_resident_id if kind == "person" else is_valid_uscc
        assert valid(id_number), id_number


def test_a_second_run_adds_cases_and_continues_the_numbering(bulk):
    run_bulk(40, seed=7)
    assert Case.objects.count() == 340
    numbers = list(Case.objects.exclude(number=None).values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert case_problems(Case.objects.values_list("pk", flat=True)) == []


def test_copy_writer_on_postgres_writes_consistent_cases(on_postgres):
    output = run_bulk(150, writer="copy", verify=True)
    assert "写入方式 copy" in output and "一致性检查通过" in output
    assert Case.objects.count() == 150
