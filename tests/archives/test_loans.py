"""The paper volume: location and binding, lending only when bound, one loan at a time,
due dates within the limit, returns, the overdue list; every step logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from archives import selectors
from archives.models import AccessLog, Loan
from archives.services import PaperLocation, loan_create, loan_return, paper_update
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from tests.archives.conftest import logged_in

pytestmark = pytest.mark.django_db

BOUND = PaperLocation(box_number="2026-003", volume_number="17", shelf_location="一号库 3 列 2 节",
                      binding_status="bound")


def lend(package, by, days: int = 7, **kwargs):
    return loan_create(package=package, by=by, borrower_name="李审查", purpose="复核办件",
                       due_date=timezone.localdate() + timedelta(days=days), **kwargs)


def test_bound_volume_needs_box_and_volume(package, archivist):
    with pytest.raises(ApplicationError) as refused:
        paper_update(package=package, by=archivist,
                     location=PaperLocation(binding_status="bound"))
    assert refused.value.code == "paper_location_required"
    package = paper_update(package=package, by=archivist, location=BOUND)
    assert (package.box_number, package.volume_number, package.binding_status) == (
        "2026-003", "17", "bound")
    assert AccessLog.objects.filter(package=package, action="paper").count() == 1


def test_an_unbound_volume_cannot_be_lent(package, archivist):
    with pytest.raises(ConflictError) as refused:
        lend(package, archivist)
    assert refused.value.code == "archive_not_bound"
    assert not Loan.objects.exists()


def test_one_loan_at_a_time_and_returns(package, archivist):
    paper_update(package=package, by=archivist, location=BOUND)
    loan = lend(package, archivist)
    with pytest.raises(ConflictError) as refused:
        lend(package, archivist)
    assert "李审查" in refused.value.message
    with pytest.raises(ConflictError):
        paper_update(package=package, by=archivist, location=PaperLocation(
            binding_status="unbound"))
    loan = loan_return(loan=loan, by=archivist, note="完好")
    assert loan.returned_at and loan.received_by == archivist
    with pytest.raises(ConflictError):
        loan_return(loan=loan, by=archivist)
    assert lend(package, archivist).is_open
    actions = list(AccessLog.objects.filter(package=package).values_list("action", flat=True))
    assert actions.count("loan") == 2 and actions.count("return") == 1


@pytest.mark.parametrize("days", [-1, 31])
def test_due_date_must_be_within_the_limit(package, archivist, days):
    paper_update(package=package, by=archivist, location=BOUND)
    with pytest.raises(ApplicationError) as refused:
        lend(package, archivist, days=days)
    assert refused.value.code == "invalid_due_date"


def test_overdue_loans_are_listed(package, archivist, supervisor):
    paper_update(package=package, by=archivist, location=BOUND)
    loan = lend(package, archivist)
    assert list(selectors.loans(overdue=True)) == []
    Loan.objects.filter(pk=loan.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    assert list(selectors.loans(overdue=True)) == [loan]
    page = logged_in(supervisor).get(reverse("archives-loans"), {"show": "overdue"})
    assert "逾期" in page.content.decode() and package.number in page.content.decode()
    api = logged_in(supervisor).get(reverse("api-archives-loans"), {"show": "overdue"}).json()
    assert [r["id"] for r in api["results"]] == [loan.pk] and api["results"][0]["overdue"]
    loan_return(loan=loan, by=archivist)
    assert AccessLog.objects.filter(action="return", detail__contains="逾期 3 天").exists()


def test_only_archivists_lend(package, archivist, supervisor):
    paper_update(package=package, by=archivist, location=BOUND)
    with pytest.raises(PermissionRefused):
        lend(package, supervisor)


def test_lending_through_the_page_and_the_api(package, archivist):
    client = logged_in(archivist)
    response = client.post(reverse("archives-paper", args=[package.pk]), {
        "box_number": "1", "volume_number": "", "binding_status": "bound"})
    assert response.status_code == 400 and "盒号和卷号" in response.content.decode()
    assert 'value="1"' in response.content.decode()  # what was typed is kept
    client.post(reverse("archives-paper", args=[package.pk]), {
        "box_number": "1", "volume_number": "2", "binding_status": "bound"})
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(reverse("archives-loan-create", args=[package.pk]), {
        "borrower_name": "赵监督", "purpose": "督查抽查", "due_date": due})
    assert response.status_code == 302
    api = client.post(reverse("api-archive-loans", args=[package.pk]), {
        "borrower_name": "钱某", "purpose": "复印", "due_date": due},
        content_type="application/json")
    assert api.status_code == 409 and api.json()["code"] == "archive_on_loan"
    loan = Loan.objects.get()
    api = client.post(reverse("api-archives-loan-return", args=[loan.pk]), {"note": "完好"},
                      content_type="application/json")
    assert api.status_code == 200 and api.json()["returned_at"]
