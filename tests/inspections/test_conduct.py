"""Doing the inspection through ``inspections.services.conduct``: start, record each item
with evidence, propose and confirm the conclusion (two inspectors), rectification without a
second visit (补齐补正) with the stage clock paused while the applicant owes it.

The checklist comes from ``tests.factories.inspection.SIMPLE_ITEMS``: 经营场所布局 (veto,
60 points) and 从业人员健康证明 (40 points). The helpers here are shared with the page and
API tests of the task page."""

from __future__ import annotations

import hashlib
import struct
import zlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.models import CaseStage, StagePause
from approvals.workflow import CaseStatus
from inspections.models import (
    InspectionReport,
    InspectionTask,
    ItemEvidence,
    Outcome,
    Result,
    TaskItem,
    TaskStatus,
)
from inspections.services import conduct
from portal.core.calendar import get_calendar
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.workdays import due_date
from tests.factories import CaseFactory, MatterFactory, staff
from tests.factories.inspection import ensure_standard, open_task
from tests.factories.workflow import Crew, drive

pytestmark = pytest.mark.django_db

VETO_KEY = "premises-layout"
PLAIN_KEY = "staff-health-certificates"


# ---------------------------------------------------------------- shared helpers

def png_bytes(width: int = 4, height: int = 3, rgb: tuple = (200, 40, 30)) -> bytes:
    """A real, complete PNG image (IHDR, IDAT, IEND with CRCs)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def png_upload(name: str = "photo.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def fake_image(name: str = "photo.jpg") -> SimpleUploadedFile:
    """Named and typed like a photo, but the bytes are text."""
    return SimpleUploadedFile(name, b"this is not an image at all" * 10,
                              content_type="image/jpeg")


def make_task(crew: Crew) -> InspectionTask:
    """A case of a matter with the simple two-item standard, driven to 待勘验, and its task
    with the crew's two inspectors assigned (status ASSIGNED)."""
    matter = MatterFactory(inspected=True)
    ensure_standard(matter)
    case = drive(CaseFactory(matter=matter), crew, CaseStatus.NEEDS_INSPECTION)
    task = open_task(case, dispatcher=crew.users["dispatcher"], inspectors=crew.inspectors)
    task.refresh_from_db()
    return task


def item_of(task: InspectionTask, key: str) -> TaskItem:
    return task.items.get(key=key)


def started(crew: Crew) -> InspectionTask:
    task = make_task(crew)
    return conduct.task_start(task=task, by=crew.inspectors[0])


def rectifying(crew: Crew) -> InspectionTask:
    """In progress, the plain item failed, both confirm 限期整改: the task is RECTIFYING."""
    task = started(crew)
    first, second = crew.inspectors
    conduct.item_record(item=item_of(task, VETO_KEY), result=Result.PASS, by=first)
    conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.FAIL,
                        comment="两名员工健康证过期", by=first)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.RECTIFY, note="限期整改",
                                          rectify_due=timezone.localdate() + timedelta(days=7),
                                          by=first)
    conduct.conclusion_confirm(conclusion=proposal, by=second)
    task.refresh_from_db()
    assert task.status == TaskStatus.RECTIFYING
    return task


def submitted(crew: Crew) -> InspectionTask:
    """Rectifying, the applicant uploaded evidence on the failed item and submitted."""
    task = rectifying(crew)
    applicant = task.applicant.user
    item = item_of(task, PLAIN_KEY)
    conduct.evidence_add(item=item, upload=png_upload("cert.png"), by=applicant)
    conduct.rectification_submit(task=task, by=applicant)
    task.refresh_from_db()
    assert task.status == TaskStatus.VERIFYING
    return task


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


# ---------------------------------------------------------------- start and record

def test_assigned_inspector_starts_and_cases_move_to_inspecting(crew):
    task = make_task(crew)
    assert task.status == TaskStatus.ASSIGNED
    conduct.task_start(task=task, by=crew.inspectors[1])
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.started_at is not None
    assert {c.status for c in task.cases.all()} == {CaseStatus.INSPECTING}


def test_unassigned_inspector_can_neither_start_nor_record(crew):
    task = make_task(crew)
    outsider = staff("inspector")
    with pytest.raises(PermissionRefused) as exc:
        conduct.task_start(task=task, by=outsider)
    assert exc.value.status == 403
    conduct.task_start(task=task, by=crew.inspectors[0])
    with pytest.raises(PermissionRefused):
        conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.PASS, by=outsider)
    assert item_of(task, PLAIN_KEY).result == ""


def test_recording_before_the_start_is_refused(crew):
    task = make_task(crew)
    with pytest.raises(ConflictError):
        conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.PASS,
                            by=crew.inspectors[0])


def test_fail_without_a_comment_is_refused_and_nothing_is_recorded(crew):
    task = started(crew)
    with pytest.raises(ApplicationError) as exc:
        conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.FAIL, comment="  ",
                            by=crew.inspectors[0])
    assert exc.value.code == "comment_required"
    assert item_of(task, PLAIN_KEY).result == ""


def test_not_applicable_on_a_veto_item_is_refused(crew):
    task = started(crew)
    with pytest.raises(ApplicationError) as exc:
        conduct.item_record(item=item_of(task, VETO_KEY), result=Result.NA,
                            by=crew.inspectors[0])
    assert exc.value.code == "veto_not_applicable"
    conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.NA, by=crew.inspectors[0])
    assert item_of(task, PLAIN_KEY).result == Result.NA


def test_the_running_score_counts_applicable_weights(crew):
    task = started(crew)
    first = crew.inspectors[0]
    score = conduct.task_score(task)
    assert len(score.unanswered) == 2 and score.percent == Decimal("0.0")
    conduct.item_record(item=item_of(task, VETO_KEY), result=Result.PASS, by=first)
    conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.FAIL, comment="缺证",
                        by=first)
    score = conduct.task_score(task)
    assert score.percent == Decimal("60.0") and not score.unanswered
    assert [i.key for i in score.open_failures] == [PLAIN_KEY] and not score.veto_failed
    assert not score.passes  # 60 % is below the pass line


# ---------------------------------------------------------------- evidence

def test_evidence_stores_the_bytes_hash_capture_time_uploader_and_position(crew):
    task = started(crew)
    data = png_bytes(6, 5)
    taken = timezone.now() - timedelta(minutes=3)
    evidence = conduct.evidence_add(
        item=item_of(task, VETO_KEY), upload=SimpleUploadedFile("site.png", data),
        by=crew.inspectors[1], captured_at=taken, latitude="35.026412", longitude=111.007529,
        accuracy_m="12.7")
    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.size == len(data) and evidence.content_type == "image/png"
    assert evidence.purpose == ItemEvidence.Purpose.INSPECTION
    assert evidence.uploaded_by == crew.inspectors[1] and evidence.captured_at == taken
    assert (evidence.latitude, evidence.longitude) == (Decimal("35.026412"),
                                                       Decimal("111.007529"))
    assert evidence.accuracy_m == 12
    with evidence.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == evidence.sha256


def test_evidence_without_a_position_is_kept_without_one(crew):
    task = started(crew)
    evidence = conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(),
                                    by=crew.inspectors[0])
    assert evidence.latitude is None and evidence.captured_at is None


@pytest.mark.parametrize("lat, lon", [("91", "10"), ("10", None), ("abc", "10")])
def test_a_broken_position_is_refused(crew, lat, lon):
    task = started(crew)
    with pytest.raises(ApplicationError) as exc:
        conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(),
                             by=crew.inspectors[0], latitude=lat, longitude=lon)
    assert exc.value.code == "invalid_location"
    assert not ItemEvidence.objects.exists()


def test_a_fake_image_is_rejected(crew):
    task = started(crew)
    with pytest.raises(ApplicationError) as exc:
        conduct.evidence_add(item=item_of(task, VETO_KEY), upload=fake_image(),
                             by=crew.inspectors[0])
    assert exc.value.code == "unsupported_file_type"
    assert not ItemEvidence.objects.exists()


def test_a_stranger_cannot_add_evidence(crew):
    task = started(crew)
    with pytest.raises(PermissionRefused):
        conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(),
                             by=staff("inspector"))


# ---------------------------------------------------------------- conclusion

def test_full_pass_flow_concludes_the_task_moves_cases_on_and_makes_the_report(crew):
    task = started(crew)
    first, second = crew.inspectors
    for item in task.items.all():
        conduct.item_record(item=item, result=Result.PASS, by=first)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="符合要求",
                                          by=first)
    assert proposal.score == Decimal("100.0") and proposal.round == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS  # nothing takes effect before the second
    conduct.conclusion_confirm(conclusion=proposal, by=second)
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED and task.outcome == Outcome.PASS
    assert task.concluded_at is not None
    assert {c.status for c in task.cases.all()} == {CaseStatus.DECISION_PENDING}
    report = InspectionReport.objects.get(task=task)
    assert report.conclusion == proposal and report.sha256


def test_the_proposer_cannot_confirm_their_own_proposal(crew):
    task = started(crew)
    first = crew.inspectors[0]
    for item in task.items.all():
        conduct.item_record(item=item, result=Result.PASS, by=first)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="符合",
                                          by=first)
    with pytest.raises(PermissionRefused) as exc:
        conduct.conclusion_confirm(conclusion=proposal, by=first)
    assert exc.value.code == "same_inspector"
    proposal.refresh_from_db()
    assert proposal.confirmed_at is None


def test_a_proposal_needs_every_item_recorded(crew):
    task = started(crew)
    conduct.item_record(item=item_of(task, VETO_KEY), result=Result.PASS,
                        by=crew.inspectors[0])
    with pytest.raises(ApplicationError) as exc:
        conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="符合",
                                   by=crew.inspectors[0])
    assert exc.value.code == "items_unanswered" and "从业人员健康证明" in exc.value.message


def test_pass_is_refused_while_a_veto_item_failed(crew):
    task = started(crew)
    first = crew.inspectors[0]
    conduct.item_record(item=item_of(task, VETO_KEY), result=Result.FAIL, comment="生熟混放",
                        by=first)
    conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.PASS, by=first)
    with pytest.raises(ApplicationError) as exc:
        conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格", by=first)
    assert exc.value.code == "cannot_pass" and "经营场所布局" in exc.value.message
    assert not task.conclusions.exists()


def test_records_are_frozen_while_a_proposal_waits_and_free_again_after_withdrawal(crew):
    task = started(crew)
    first, second = crew.inspectors
    for item in task.items.all():
        conduct.item_record(item=item, result=Result.PASS, by=first)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格",
                                          by=first)
    with pytest.raises(ConflictError):
        conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.NA, by=second)
    with pytest.raises(ConflictError):
        conduct.conclusion_propose(task=task, outcome=Outcome.FAIL, note="不合格", by=second)
    conduct.conclusion_withdraw(conclusion=proposal, by=second, reason="健康证需再核")
    proposal.refresh_from_db()
    assert proposal.withdrawn_at is not None
    with pytest.raises(ConflictError):
        conduct.conclusion_confirm(conclusion=proposal, by=second)
    conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.NA, by=second)
    again = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格", by=second)
    assert again.round == 1 and again.pk != proposal.pk


@pytest.mark.parametrize("days", [0, -1, conduct.MAX_RECTIFY_DAYS + 1])
def test_rectify_needs_a_due_date_after_today_within_the_limit(crew, days):
    task = started(crew)
    first = crew.inspectors[0]
    conduct.item_record(item=item_of(task, VETO_KEY), result=Result.PASS, by=first)
    conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.FAIL, comment="缺证",
                        by=first)
    with pytest.raises(ApplicationError) as exc:
        conduct.conclusion_propose(task=task, outcome=Outcome.RECTIFY, note="整改", by=first,
                                   rectify_due=timezone.localdate() + timedelta(days=days))
    assert exc.value.code == "invalid_rectify_due"


# ---------------------------------------------------------------- rectification

def _inspection_pauses(task: InspectionTask):
    case = task.cases.get()
    return StagePause.objects.filter(stage__case=case, stage__name=CaseStage.Name.INSPECTION,
                                     reason=StagePause.Reason.RECTIFICATION)


def test_rectification_pauses_the_clock_and_marks_only_the_failed_items(crew):
    task = rectifying(crew)
    assert task.rectify_due == timezone.localdate() + timedelta(days=7)
    assert list(task.items.filter(rectify_required=True).values_list("key", flat=True)) == [
        PLAIN_KEY]
    pause = _inspection_pauses(task).get()
    assert pause.ended_at is None
    assert task.cases.get().status == CaseStatus.INSPECTING


def test_the_applicant_cannot_upload_on_an_item_that_needs_no_rectification(crew):
    task = rectifying(crew)
    with pytest.raises(ApplicationError) as exc:
        conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(),
                             by=task.applicant.user)
    assert exc.value.code == "not_rectifiable"
    with pytest.raises(ApplicationError):
        conduct.rectification_note(item=item_of(task, VETO_KEY), note="已整改",
                                   by=task.applicant.user)
    assert not ItemEvidence.objects.filter(purpose=ItemEvidence.Purpose.RECTIFICATION).exists()


def test_inspectors_cannot_submit_the_applicants_rectification(crew):
    task = rectifying(crew)
    with pytest.raises(PermissionRefused):
        conduct.rectification_submit(task=task, by=crew.inspectors[0])


def test_submit_is_refused_with_the_items_still_lacking_evidence(crew):
    task = rectifying(crew)
    applicant = task.applicant.user
    conduct.rectification_note(item=item_of(task, PLAIN_KEY), note="已办理新健康证",
                               by=applicant)
    with pytest.raises(ApplicationError) as exc:
        conduct.rectification_submit(task=task, by=applicant)
    assert exc.value.code == "evidence_missing" and "从业人员健康证明" in exc.value.message
    task.refresh_from_db()
    assert task.status == TaskStatus.RECTIFYING
    assert _inspection_pauses(task).get().ended_at is None


def test_rectification_evidence_may_be_a_pdf_but_not_a_fake(crew):
    task = rectifying(crew)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    evidence = conduct.evidence_add(item=item_of(task, PLAIN_KEY),
                                    upload=SimpleUploadedFile("cert.pdf", pdf),
                                    by=task.applicant.user)
    assert evidence.content_type == "application/pdf"
    assert evidence.purpose == ItemEvidence.Purpose.RECTIFICATION
    with pytest.raises(ApplicationError):
        conduct.evidence_add(item=item_of(task, PLAIN_KEY), upload=fake_image(),
                             by=task.applicant.user)


def test_submitting_ends_the_pause_and_pushes_the_stage_due_date_back(crew):
    task = rectifying(crew)
    case = task.cases.get()
    stage = case.stages.get(name=CaseStage.Name.INSPECTION, ended_at__isnull=True)
    # The inspection began two weeks ago and the rectification took ten days.
    start = stage.start_date - timedelta(days=14)
    cal = get_calendar()
    stage.start_date, stage.due_date = start, due_date(cal, start, stage.limit_days)
    stage.save(update_fields=["start_date", "due_date"])
    unpaused_due = stage.due_date
    _inspection_pauses(task).update(started_at=timezone.now() - timedelta(days=10))
    applicant = task.applicant.user
    conduct.evidence_add(item=item_of(task, PLAIN_KEY), upload=png_upload(), by=applicant)
    conduct.rectification_submit(task=task, by=applicant)
    task.refresh_from_db()
    assert task.status == TaskStatus.VERIFYING and task.rectify_submitted_at is not None
    pause = _inspection_pauses(task).get()
    assert pause.ended_at is not None
    stage.refresh_from_db()
    assert stage.paused_days > 0
    assert stage.due_date > unpaused_due


def test_verified_rectification_then_pass_moves_the_case_to_decision(crew):
    task = submitted(crew)
    first, second = crew.inspectors
    item = item_of(task, PLAIN_KEY)
    with pytest.raises(ApplicationError):  # the round-2 conclusion waits for verification
        conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="整改合格", by=second)
    conduct.rectify_verify(item=item, ok=True, comment="", by=second)
    assert conduct.task_score(task).percent == Decimal("100.0")
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="整改合格",
                                          by=second)
    assert proposal.round == 2
    conduct.conclusion_confirm(conclusion=proposal, by=first)
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED and task.outcome == Outcome.PASS
    assert task.cases.get().status == CaseStatus.DECISION_PENDING
    assert InspectionReport.objects.filter(task=task, conclusion=proposal).exists()


def test_rejected_rectification_then_fail_concludes_as_fail(crew):
    task = submitted(crew)
    first, second = crew.inspectors
    item = item_of(task, PLAIN_KEY)
    with pytest.raises(ApplicationError) as exc:
        conduct.rectify_verify(item=item, ok=False, comment="", by=first)
    assert exc.value.code == "comment_required"
    conduct.rectify_verify(item=item, ok=False, comment="健康证仍为过期证件", by=first)
    with pytest.raises(ApplicationError):
        conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格", by=first)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.FAIL,
                                          note="整改不到位", by=first)
    conduct.conclusion_confirm(conclusion=proposal, by=second)
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED and task.outcome == Outcome.FAIL
    assert task.cases.get().status == CaseStatus.DECISION_PENDING


def test_only_the_task_inspectors_verify(crew):
    task = submitted(crew)
    with pytest.raises(PermissionRefused):
        conduct.rectify_verify(item=item_of(task, PLAIN_KEY), ok=True, comment="",
                               by=task.applicant.user)
    with pytest.raises(PermissionRefused):
        conduct.rectify_verify(item=item_of(task, PLAIN_KEY), ok=True, comment="",
                               by=staff("inspector"))
