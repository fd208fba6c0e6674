"""Rectification beyond the first round, an overdue rectification, and inspectors taken off
or replaced on a started task: what the services allow, refuse and record.

A second round (限期整改 again after a failed verification) owes only the items still open:
evidence from the earlier round does not count, items made good earlier are neither
re-opened nor re-verified. Once the deadline passes unused the inspectors may only
conclude 不合格, and the paused clock runs again from the day after the deadline. A released
inspector can no longer act; a replacement completes the pair."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from approvals.models import CaseStage, StagePause
from approvals.workflow import CaseStatus
from inspections.models import (
    InspectionReport,
    ItemEvidence,
    Outcome,
    Result,
    TaskStatus,
)
from inspections.services import conduct, dispatch
from portal.accounts.roles import Role
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from tests.factories import staff
from tests.factories.inspection import qualify
from tests.factories.workflow import Crew
from tests.inspections.test_conduct import (
    PLAIN_KEY,
    VETO_KEY,
    item_of,
    png_upload,
    rectifying,
    started,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


def _pauses(task):
    return StagePause.objects.filter(stage__case__in=task.cases.all(),
                                     stage__name=CaseStage.Name.INSPECTION,
                                     reason=StagePause.Reason.RECTIFICATION).order_by("pk")


def second_round(crew: Crew):
    """Both items failed; round 1 made the veto item good but not the plain one; both
    inspectors confirmed 限期整改 again: the task is RECTIFYING in round 2."""
    task = started(crew)
    first, second = crew.inspectors
    applicant = task.applicant.user
    for key in (VETO_KEY, PLAIN_KEY):
        conduct.item_record(item=item_of(task, key), result=Result.FAIL, comment="不符合",
                            by=first)
    due = timezone.localdate() + timedelta(days=7)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.RECTIFY, note="整改",
                                          rectify_due=due, by=first)
    conduct.conclusion_confirm(conclusion=proposal, by=second)
    for key in (VETO_KEY, PLAIN_KEY):
        conduct.rectification_note(item=item_of(task, key), note=f"{key} 已整改", by=applicant)
        conduct.evidence_add(item=item_of(task, key), upload=png_upload(f"{key}.png"),
                             by=applicant)
    conduct.rectification_submit(task=task, by=applicant)
    conduct.rectify_verify(item=item_of(task, VETO_KEY), ok=True, comment="", by=first)
    conduct.rectify_verify(item=item_of(task, PLAIN_KEY), ok=False, comment="证件仍过期",
                           by=first)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.RECTIFY, note="再次整改",
                                          rectify_due=due, by=second)
    assert proposal.round == 2
    conduct.conclusion_confirm(conclusion=proposal, by=first)
    task.refresh_from_db()
    assert task.status == TaskStatus.RECTIFYING
    return task


# ---------------------------------------------------------------- a second round

def test_a_second_round_reopens_only_the_item_still_failing(crew):
    task = second_round(crew)
    veto, plain = item_of(task, VETO_KEY), item_of(task, PLAIN_KEY)
    assert veto.rectify_verified is True and veto.rectify_note == f"{VETO_KEY} 已整改"
    assert plain.rectify_required and plain.rectify_verified is None
    assert (plain.rectify_note, plain.rectify_comment) == ("", "")
    assert plain.rectify_verified_by is None and plain.rectify_verified_at is None
    # the clock: round 1's pause ended at the submission, round 2's is open
    pauses = list(_pauses(task))
    assert len(pauses) == 2 and pauses[0].ended_at is not None and pauses[1].ended_at is None


def test_evidence_of_the_first_round_does_not_satisfy_the_second(crew):
    task = second_round(crew)
    applicant = task.applicant.user
    with pytest.raises(ApplicationError) as exc:
        conduct.rectification_submit(task=task, by=applicant)
    assert exc.value.code == "evidence_missing"
    assert "从业人员健康证明" in exc.value.message and "经营场所布局" not in exc.value.message
    task.refresh_from_db()
    assert task.status == TaskStatus.RECTIFYING

    conduct.evidence_add(item=item_of(task, PLAIN_KEY), upload=png_upload("new.png"),
                         by=applicant)
    conduct.rectification_submit(task=task, by=applicant)
    task.refresh_from_db()
    assert task.status == TaskStatus.VERIFYING


def test_an_item_made_good_earlier_is_neither_reopened_nor_reverified(crew):
    task = second_round(crew)
    applicant = task.applicant.user
    before = item_of(task, VETO_KEY).evidence.count()
    with pytest.raises(ApplicationError) as exc:
        conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(), by=applicant)
    assert exc.value.code == "already_verified"
    with pytest.raises(ApplicationError):
        conduct.rectification_note(item=item_of(task, VETO_KEY), note="改", by=applicant)
    assert item_of(task, VETO_KEY).evidence.count() == before

    conduct.evidence_add(item=item_of(task, PLAIN_KEY), upload=png_upload(), by=applicant)
    conduct.rectification_submit(task=task, by=applicant)
    first, second = crew.inspectors
    with pytest.raises(ConflictError) as exc:
        conduct.rectify_verify(item=item_of(task, VETO_KEY), ok=False, comment="再看", by=first)
    assert exc.value.code == "already_verified"
    assert item_of(task, VETO_KEY).rectify_verified is True
    # within the round an inspector may still change their mind before concluding
    conduct.rectify_verify(item=item_of(task, PLAIN_KEY), ok=False, comment="模糊", by=first)
    conduct.rectify_verify(item=item_of(task, PLAIN_KEY), ok=True, comment="", by=second)
    assert conduct.task_score(task).percent == Decimal("100.0")
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="整改合格",
                                          by=first)
    assert proposal.round == 3
    conduct.conclusion_confirm(conclusion=proposal, by=second)
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED and task.outcome == Outcome.PASS
    assert task.cases.get().status == CaseStatus.DECISION_PENDING
    assert all(p.ended_at is not None for p in _pauses(task))


def test_the_second_round_notice_names_only_the_items_still_owed(
        crew, django_capture_on_commit_callbacks):
    from portal.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        task = second_round(crew)
    notices = Notification.objects.filter(event="rectification_required",
                                          recipient=task.applicant.user).order_by("pk")
    assert notices.count() == 2
    last = notices.last()
    text = f"{last.title} {last.body}"
    assert "从业人员健康证明" in text and "经营场所布局" not in text


# ---------------------------------------------------------------- an overdue rectification

def _overdue(task, days: int = 1):
    task.__class__.objects.filter(pk=task.pk).update(
        rectify_due=timezone.localdate() - timedelta(days=days))
    _pauses(task).update(started_at=timezone.now() - timedelta(days=days + 7))
    task.refresh_from_db()
    return task


def test_before_the_deadline_the_inspectors_wait(crew):
    task = rectifying(crew)
    with pytest.raises(ConflictError) as exc:
        conduct.conclusion_propose(task=task, outcome=Outcome.FAIL, note="不合格",
                                   by=crew.inspectors[0])
    assert exc.value.code == "rectification_not_due"
    assert not task.conclusions.filter(confirmed_at__isnull=True).exists()


@pytest.mark.parametrize("outcome", [Outcome.PASS, Outcome.RECTIFY])
def test_after_the_deadline_only_fail_may_be_proposed(crew, outcome):
    task = _overdue(rectifying(crew))
    with pytest.raises(ApplicationError) as exc:
        conduct.conclusion_propose(task=task, outcome=outcome, note="结论", by=crew.inspectors[0],
                                   rectify_due=timezone.localdate() + timedelta(days=5))
    assert exc.value.code == "rectification_overdue"


def test_an_unused_deadline_ends_in_fail_and_the_clock_runs_from_the_day_after(crew):
    task = _overdue(rectifying(crew))
    first, second = crew.inspectors
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.FAIL,
                                          note="逾期未整改", by=first)
    applicant = task.applicant.user
    conduct.evidence_add(item=item_of(task, PLAIN_KEY), upload=png_upload(), by=applicant)
    with pytest.raises(ConflictError) as exc:  # too late once the inspectors concluded
        conduct.rectification_submit(task=task, by=applicant)
    assert exc.value.code == "conclusion_pending"

    conduct.conclusion_confirm(conclusion=proposal, by=second)
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED and task.outcome == Outcome.FAIL
    case = task.cases.get()
    assert case.status == CaseStatus.DECISION_PENDING
    assert InspectionReport.objects.filter(task=task, conclusion=proposal).exists()
    pause = _pauses(task).get()
    assert pause.ended_at == timezone.make_aware(
        datetime.combine(timezone.localdate(), time.min))
    inspection = case.stages.get(name=CaseStage.Name.INSPECTION)
    assert inspection.ended_at is not None and inspection.paused_days >= 0


# ---------------------------------------------------------------- inspectors taken off

def test_an_inspector_released_mid_task_loses_every_action_and_a_replacement_concludes(crew):
    task = started(crew)
    first, second = crew.inspectors
    dispatcher = crew.users[Role.DISPATCHER]
    for item in task.items.all():
        conduct.item_record(item=item, result=Result.PASS, by=first)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格",
                                          by=first)

    dispatch.task_release(task=task, inspector=first, by=dispatcher, reason="病假")
    proposal.refresh_from_db()
    assert proposal.withdrawn_at is not None  # the released one's proposal lapses
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    with pytest.raises(PermissionRefused):
        conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.NA, by=first)
    with pytest.raises(PermissionRefused):
        conduct.evidence_add(item=item_of(task, PLAIN_KEY), upload=png_upload(), by=first)
    with pytest.raises(PermissionRefused):
        conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格", by=first)
    assert not ItemEvidence.objects.filter(item__task=task).exists()

    # alone, the other inspector may propose but nobody can confirm
    again = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格",
                                       by=second)
    with pytest.raises(PermissionRefused):
        conduct.conclusion_confirm(conclusion=again, by=first)

    replacement = qualify(staff(Role.INSPECTOR), task.cases.get().matter)
    dispatch.task_assign(task=task, inspector=replacement, by=dispatcher, reason="顶岗")
    conduct.conclusion_confirm(conclusion=again, by=replacement)
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED and task.outcome == Outcome.PASS


def test_a_third_inspector_cannot_join_a_started_task_with_a_full_pair(crew):
    task = started(crew)
    extra = qualify(staff(Role.INSPECTOR), task.cases.get().matter)
    with pytest.raises(ConflictError) as exc:
        dispatch.task_assign(task=task, inspector=extra, by=crew.users[Role.DISPATCHER],
                             reason="加派")
    assert exc.value.code == "task_full"


def test_a_proposal_whose_proposer_left_cannot_be_confirmed(crew):
    task = started(crew)
    first, second = crew.inspectors
    for item in task.items.all():
        conduct.item_record(item=item, result=Result.PASS, by=first)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格",
                                          by=first)
    # taken off by other means than task_release (e.g. an administrator's correction)
    task.assignments.filter(inspector=first).update(released_at=timezone.now())
    with pytest.raises(ConflictError) as exc:
        conduct.conclusion_confirm(conclusion=proposal, by=second)
    assert exc.value.code == "proposer_released"
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


def test_an_assigned_user_who_is_no_longer_an_inspector_cannot_act(crew):
    task = started(crew)
    first = crew.inspectors[0]
    first.groups.remove(Group.objects.get(name=Role.INSPECTOR))
    first = type(first).objects.get(pk=first.pk)  # a fresh request: roles read again
    with pytest.raises(PermissionRefused):
        conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.PASS, by=first)
    assert item_of(task, PLAIN_KEY).result == ""


def test_a_finished_task_keeps_its_inspectors(crew):
    task = _overdue(rectifying(crew))
    first, second = crew.inspectors
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.FAIL, note="逾期",
                                          by=first)
    conduct.conclusion_confirm(conclusion=proposal, by=second)
    with pytest.raises(ConflictError) as exc:
        dispatch.task_release(task=task, inspector=first, by=crew.users[Role.DISPATCHER],
                              reason="调整")
    assert exc.value.code == "task_not_assignable"


# ---------------------------------------------------------------- bad positions

@pytest.mark.parametrize("lat, lon, accuracy", [
    ("NaN", "10", None), ("Infinity", "10", None), ("10", "-Infinity", None),
    ("10", "10", "1e300"), ("10", "10", "inf"), ("10", "10", "-5"), ("10", "10", "abc"),
])
def test_positions_that_are_not_finite_numbers_in_range_are_refused(crew, lat, lon, accuracy):
    task = started(crew)
    with pytest.raises(ApplicationError) as exc:
        conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(),
                             by=crew.inspectors[0], latitude=lat, longitude=lon,
                             accuracy_m=accuracy)
    assert exc.value.code == "invalid_location" and "定位" in exc.value.message
    assert not ItemEvidence.objects.exists()


def test_the_dispatch_page_replaces_an_inspector_of_a_started_task(crew):
    from django.test import Client
    from django.urls import reverse

    task = started(crew)
    first = crew.inspectors[0]
    client = Client()
    client.force_login(crew.users[Role.DISPATCHER])
    page = reverse("inspection-board-task", args=[task.pk])
    assert reverse("inspection-board-task-release", args=[task.pk]) in \
        client.get(page).content.decode()
    response = client.post(reverse("inspection-board-task-release", args=[task.pk]),
                           {"inspector_id": str(first.pk),
                            f"release-{first.pk}-inspector": str(first.pk),
                            f"release-{first.pk}-reason": "病假"})
    assert response.status_code == 302
    assert first.pk not in dispatch.active_inspector_ids(task)
    html = client.get(page).content.decode()
    assert reverse("inspection-board-task-assign", args=[task.pk]) in html  # a free place
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
