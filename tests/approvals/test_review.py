"""Review (审查): opinions per material and overall, structured returns, and the denial
decision (不予行政许可决定书) with reasons and remedies."""

from __future__ import annotations

import pytest

from approvals.models import CaseReturn, Notice, ReviewOpinion
from approvals.services import case_transition
from approvals.services.review import review_opinion_add
from approvals.workflow import CaseStatus
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from tests.factories import CaseFactory, UserFactory
from tests.factories.workflow import Crew, drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew():
    return Crew.make()


def test_reviewer_records_opinions_and_becomes_a_reviewer_of_the_case(crew):
    case = drive(CaseFactory(), crew, CaseStatus.UNDER_REVIEW)
    other = UserFactory(roles=["reviewer"])
    opinion = review_opinion_add(case=case, by=other, verdict="conforms", text="材料齐全")
    assert opinion.material is None and case.participants.filter(user=other,
                                                                  stage="review").exists()
    with pytest.raises(ApplicationError) as refused:
        review_opinion_add(case=case, by=other, verdict="problem", text="")
    assert refused.value.code == "reason_required"


def test_acceptor_cannot_write_review_opinions(crew):
    both = UserFactory(roles=["clerk", "reviewer"])
    case = drive(CaseFactory(), crew, CaseStatus.SUBMITTED)
    case_transition(case_id=case.pk, name="accept", by=both)
    case = case_transition(case_id=case.pk, name="start_review", by=crew.users["reviewer"])
    with pytest.raises(PermissionRefused) as refused:
        review_opinion_add(case=case, by=both, verdict="conforms")
    assert refused.value.code == "separation_of_duties"


def test_opinions_only_while_under_review(crew):
    case = drive(CaseFactory(), crew, CaseStatus.ACCEPTED)
    with pytest.raises(ConflictError):
        review_opinion_add(case=case, by=crew.users["reviewer"], verdict="conforms")
    assert not ReviewOpinion.objects.exists()


def test_return_needs_a_reason_code_and_records_it(crew):
    case = drive(CaseFactory(), crew, CaseStatus.UNDER_REVIEW)
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=case.pk, name="return_case", by=crew.users["reviewer"],
                        note="缺前置许可")
    assert refused.value.code == "return_reason_required"
    case = case_transition(case_id=case.pk, name="return_case", by=crew.users["reviewer"],
                           note="缺少环评批复", data={"reason_code": "prerequisite_missing"})
    record = CaseReturn.objects.get(case=case)
    assert record.reason_code == "prerequisite_missing" and record.detail == "缺少环评批复"


def test_denial_issues_the_decision_with_reasons_and_remedies(crew):
    from pypdf import PdfReader

    case = drive(CaseFactory(), crew, CaseStatus.DECISION_PENDING)
    case = case_transition(case_id=case.pk, name="deny", by=crew.users["approver"],
                           note="经营场所与污染源距离不足25米",
                           data={"legal_basis": "《中华人民共和国食品安全法》第三十五条"})
    notice = Notice.objects.get(case=case, kind="denial")
    with notice.file.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(handle).pages)
    assert "不予行政许可决定书" in text and "污染源距离不足25米" in text
    assert "行政复议" in text and "6个月" in text and "食品安全法" in text


def test_opinions_through_the_api_are_staff_only(crew):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def api(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token "
                           + Token.objects.get_or_create(user=user)[0].key)
        return client

    case = drive(CaseFactory(), crew, CaseStatus.UNDER_REVIEW)
    posted = api(crew.users["reviewer"]).post(f"/api/v1/cases/{case.pk}/opinions/",
                                              {"verdict": "problem", "text": "平面图比例不符"})
    assert posted.status_code == 201
    assert api(crew.users["supervisor"]).get(
        f"/api/v1/cases/{case.pk}/opinions/").json()[0]["text"] == "平面图比例不符"
    assert api(case.applicant.user).get(
        f"/api/v1/cases/{case.pk}/opinions/").status_code == 403
