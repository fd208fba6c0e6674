"""Four-way separation (受理、审查、勘验、出证) and duty permissions on one case."""

from __future__ import annotations

import pytest

from approvals.separation import separation_conflict, separation_holds
from approvals.services import case_transition, matter_set_single_approver
from approvals.workflow import CaseStatus, Stage
from portal.core.errors import ApplicationError, PermissionRefused
from tests.factories import (
    CaseFactory,
    MatterFactory,
    SectionFactory,
    UserFactory,
    inspection,
    staff,
)
from tests.factories.workflow import Crew, drive

S = CaseStatus


@pytest.fixture
def crew(db):
    return Crew.make()


def _multi(*roles):
    return UserFactory(roles=list(roles))


def _refused_for_separation(case, name, user):
    with pytest.raises(PermissionRefused) as refused:
        case_transition(case_id=case.pk, name=name, by=user)
    assert refused.value.code == "separation_of_duties"
    assert "四分离" in refused.value.message
    return refused.value


@pytest.mark.django_db
def test_clerk_who_accepted_cannot_review_the_same_case(crew):
    both = _multi("clerk", "reviewer")
    case = drive(CaseFactory(), crew, S.SUBMITTED)
    case = case_transition(case_id=case.pk, name="accept", by=both)
    error = _refused_for_separation(case, "start_review", both)
    assert "受理" in error.message and "审查" in error.message


@pytest.mark.django_db
def test_reviewer_cannot_decide_case_they_reviewed(crew):
    both = _multi("reviewer", "approver")
    case = drive(CaseFactory(), crew, S.ACCEPTED)
    case = case_transition(case_id=case.pk, name="start_review", by=both)
    case = case_transition(case_id=case.pk, name="send_to_decision", by=both)
    _refused_for_separation(case, "approve", both)


@pytest.mark.django_db
def test_inspector_cannot_issue_certificate_for_case_they_inspected(crew):
    both = _multi("inspector", "certifier")
    case = drive(CaseFactory(matter=MatterFactory(inspected=True)), crew, S.NEEDS_INSPECTION)
    pair = [both, crew.users["inspector2"]]
    inspection.start(case, dispatcher=crew.users["dispatcher"], inspectors=pair)
    inspection.conclude(case, inspectors=pair)
    case = case_transition(case_id=case.pk, name="approve", by=crew.users["approver"])
    _refused_for_separation(case, "issue", both)
    case = case_transition(case_id=case.pk, name="issue", by=crew.users["certifier"])
    assert case.status == S.ISSUED


@pytest.mark.django_db
def test_acceptor_cannot_inspect_the_case_they_accepted(crew):
    both = _multi("clerk", "inspector")
    case = drive(CaseFactory(matter=MatterFactory(inspected=True)), crew, S.SUBMITTED)
    case = case_transition(case_id=case.pk, name="accept", by=both)
    case = drive(case, crew, S.NEEDS_INSPECTION)
    _refused_for_separation(case, "start_inspection", both)


@pytest.mark.django_db
def test_second_reviewer_may_continue_a_review(crew):
    case = drive(CaseFactory(), crew, S.UNDER_REVIEW)
    other = staff("reviewer")
    assert case_transition(case_id=case.pk, name="send_to_decision", by=other).status == \
        S.DECISION_PENDING


@pytest.mark.django_db
def test_staff_member_cannot_act_on_their_own_application(crew):
    case = CaseFactory()
    applicant_user = case.applicant.user
    applicant_user.groups.add(*UserFactory(roles=["clerk"]).groups.all())
    applicant_user.__dict__.pop("role_codes", None)
    case = case_transition(case_id=case.pk, name="submit", by=applicant_user)
    _refused_for_separation(case, "accept", applicant_user)


@pytest.mark.django_db
def test_single_approver_clerk_accepts_reviews_and_approves_in_one_sitting(crew):
    admin = UserFactory(is_superuser=True, is_staff=True)
    matter = matter_set_single_approver(matter=MatterFactory(), enabled=True, by=admin,
                                        reason="即办件")
    clerk = crew.users["clerk"]
    case = drive(CaseFactory(matter=matter), crew, S.SUBMITTED)
    for name in ("accept", "start_review", "send_to_decision", "approve"):
        case = case_transition(case_id=case.pk, name=name, by=clerk)
    assert case.status == S.APPROVED
    assert case.history.filter(actor=clerk).count() == 4
    # issuing stays separate even for 即办件
    with pytest.raises(PermissionRefused):
        case_transition(case_id=case.pk, name="issue", by=clerk)
    assert matter.setting_changes.get().changed_by == admin


@pytest.mark.django_db
def test_clerk_cannot_review_a_matter_not_flagged_single_approver(crew):
    clerk = crew.users["clerk"]
    case = drive(CaseFactory(), crew, S.SUBMITTED)
    case = case_transition(case_id=case.pk, name="accept", by=clerk)
    with pytest.raises(PermissionRefused) as refused:
        case_transition(case_id=case.pk, name="start_review", by=clerk)
    assert refused.value.code == "permission_denied"


@pytest.mark.django_db
def test_reviewer_of_another_section_cannot_review(crew):
    case = drive(CaseFactory(), crew, S.ACCEPTED)
    outsider = staff("reviewer", section=SectionFactory())
    with pytest.raises(PermissionRefused):
        case_transition(case_id=case.pk, name="start_review", by=outsider)
    insider = staff("reviewer", section=case.matter.section)
    assert case_transition(case_id=case.pk, name="start_review", by=insider).status == \
        S.UNDER_REVIEW


@pytest.mark.django_db
def test_another_applicant_cannot_touch_a_case(crew):
    case = CaseFactory()
    stranger = CaseFactory().applicant.user
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=case.pk, name="submit", by=stranger)
    assert refused.value.status == 404


@pytest.mark.django_db
def test_inactive_user_has_no_duties(crew):
    clerk = crew.users["clerk"]
    clerk.is_active = False
    clerk.save()
    case = drive(CaseFactory(), crew, S.SUBMITTED)
    clerk.__dict__.pop("role_codes", None)
    with pytest.raises(ApplicationError):
        case_transition(case_id=case.pk, name="accept", by=clerk)


def test_pure_rule_allows_single_approver_group_only_when_flagged():
    held = {Stage.ACCEPT}
    assert separation_conflict(stage=Stage.REVIEW, user_stages=held, single_approver=False)
    assert separation_conflict(stage=Stage.REVIEW, user_stages=held, single_approver=True) is None
    assert separation_conflict(stage=Stage.ISSUE, user_stages=held, single_approver=True)
    assert separation_conflict(stage=Stage.ARCHIVE, user_stages=held, single_approver=False) is None
    assert separation_conflict(stage=Stage.ACCEPT, user_stages={Stage.APPLY},
                               single_approver=True) == Stage.APPLY


def test_pure_invariant_detects_shared_people():
    ok = {Stage.ACCEPT: {1}, Stage.REVIEW: {2}, Stage.INSPECT: {3, 4}, Stage.ISSUE: {5}}
    assert separation_holds(ok, single_approver=False)
    assert not separation_holds({**ok, Stage.ISSUE: {3}}, single_approver=False)
    shared = {Stage.ACCEPT: {1}, Stage.REVIEW: {1}, Stage.DECIDE: {1}}
    assert separation_holds(shared, single_approver=True)
    assert not separation_holds(shared, single_approver=False)
