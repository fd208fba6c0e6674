"""Doing the inspection: start, record each item with evidence, propose and confirm a
conclusion (both inspectors), rectification without a second visit (补齐补正), and moving
the cases on to the decision with the electronic report.

Rectification goes in rounds: a 限期整改 conclusion opens a round (the clock paused) for
every failure still open; the applicant submits fresh evidence for each (the clock runs
again), the inspectors verify and conclude again, which may open the next round for what
is still failing. A deadline that passes without a submission lets the inspectors
conclude 不合格 (the clock runs again from the day after the deadline).

The case's state changes go through ``approvals.services.case_transition`` (the single
path), called inside the same transaction as the task change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import CaseStage, StagePause
from approvals.permissions import acts_for_applicant
from approvals.services import case_transition
from approvals.services.clocks import stage_pause, stage_resume
from approvals.services.downloads import Download
from approvals.workflow import CaseStatus
from inspections.models import (
    Conclusion,
    InspectionTask,
    ItemEvidence,
    Outcome,
    Result,
    TaskItem,
    TaskStatus,
)
from inspections.services.dispatch import (
    INSPECTORS_PER_TASK,
    active_inspector_ids,
    locked_task,
)
from inspections.tiers import Tier
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.uploads import EVIDENCE, MEDIA, inspect_upload

#: The longest rectification period an inspector may grant, in calendar days.
MAX_RECTIFY_DAYS = 60


def is_task_inspector(user: User, task: InspectionTask) -> bool:
    """An inspector (the role, an active account) with an assignment on ``task`` that has
    not been released."""
    return (user.is_authenticated and user.has_role(Role.INSPECTOR)
            and user.pk in active_inspector_ids(task))


def _require_inspector(user: User, task: InspectionTask) -> None:
    if not is_task_inspector(user, task):
        raise PermissionRefused(_("只有本任务指派的勘验人员可以办理。"), "not_task_inspector")


def _has_pending_conclusion(task: InspectionTask) -> bool:
    """A proposal waits for the other inspector: records and rectification are frozen."""
    return task.conclusions.filter(confirmed_at__isnull=True, withdrawn_at__isnull=True).exists()


def _require_status(task: InspectionTask, *states: str) -> None:
    if task.status not in states:
        raise ConflictError(_("勘验任务当前状态为“{status}”，不能办理此操作。").format(
            status=task.get_status_display()), "invalid_task_state")


# ---------------------------------------------------------------- start

def task_start(*, task: InspectionTask, by: User) -> InspectionTask:
    """Begin the inspection: the task and its cases move to 勘验中."""
    with transaction.atomic():
        task = locked_task(task.pk)
        _require_inspector(by, task)
        _require_status(task, TaskStatus.ASSIGNED, TaskStatus.BOOKED)
        if len(active_inspector_ids(task)) < INSPECTORS_PER_TASK:
            raise ConflictError(_("勘验须由两名勘验人员共同进行，请先完成派员。"), "task_not_staffed")
        task.start()
        task.started_at = timezone.now()
        task.save()
        for case in task.cases.order_by("pk"):
            if case.status == CaseStatus.NEEDS_INSPECTION:
                case_transition(case_id=case.pk, name="start_inspection", by=by,
                                note=_("勘验任务 {n}").format(n=task.number),
                                data={"task": task.number})
        audit_log(action="inspections.task_start", actor=by, obj=task)
    return task


# ---------------------------------------------------------------- items and evidence

def item_record(*, item: TaskItem, result: str, comment: str = "", by: User) -> TaskItem:
    """Record one item's result; a failed item needs a comment saying what is wrong."""
    if result not in Result.values:
        raise ApplicationError(_("请选择勘验结果：符合、不符合或不适用。"), "invalid_result")
    comment = comment.strip()
    if result == Result.FAIL and not comment:
        raise ApplicationError(_("判定“不符合”须写明存在的问题。"), "comment_required")
    if result == Result.NA and item.veto:
        raise ApplicationError(_("否决项不能判定为“不适用”。"), "veto_not_applicable")
    with transaction.atomic():
        task = locked_task(item.task_id)
        _require_inspector(by, task)
        _require_status(task, TaskStatus.IN_PROGRESS)
        if _has_pending_conclusion(task):
            raise ConflictError(_("已有待确认的结论，请先撤回结论再修改勘验记录。"),
                                "conclusion_pending")
        item = TaskItem.objects.select_for_update().get(pk=item.pk)
        before = {"result": item.result, "comment": item.comment}
        item.result, item.comment = result, comment[:2000]
        item.recorded_by, item.recorded_at = by, timezone.now()
        item.save(update_fields=["result", "comment", "recorded_by", "recorded_at"])
        audit_log(action="inspections.item_record", actor=by, obj=task, before=before,
                  after={"item": item.key, "result": result, "comment": item.comment})
    return item


#: A position fix less precise than this (metres) says nothing about where a photo was taken.
MAX_ACCURACY_M = 100_000


def _bad_location(name: str) -> ApplicationError:
    return ApplicationError(_("定位数据无效：{name}").format(name=name), "invalid_location")


def _coordinate(value, low: float, high: float, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
        inside = number.is_finite() and low <= number <= high
    except (ArithmeticError, ValueError):  # not a number, NaN, Infinity
        inside = False
    if not inside:
        raise _bad_location(name)
    return number


def _accuracy(value) -> int | None:
    """Metres, as the device reports them; refused when not a finite number in range."""
    if value in (None, ""):
        return None
    try:
        metres = float(value)
    except (TypeError, ValueError):
        raise _bad_location(_("定位精度")) from None
    if not (math.isfinite(metres) and 0 <= metres <= MAX_ACCURACY_M):
        raise _bad_location(_("定位精度"))
    return int(metres)


def evidence_add(*, item: TaskItem, upload: UploadedFile, by: User,
                 captured_at: datetime | None = None, latitude=None, longitude=None,
                 accuracy_m=None) -> ItemEvidence:
    """Attach a photo or video (inspectors, during the inspection) or rectification
    evidence (the applicant side, on an item that must be rectified)."""
    purpose = _evidence_purpose(by, item.task)
    kinds = MEDIA if purpose == ItemEvidence.Purpose.INSPECTION else EVIDENCE
    info = inspect_upload(upload, kinds=kinds)
    lat = _coordinate(latitude, -90, 90, _("纬度"))
    lon = _coordinate(longitude, -180, 180, _("经度"))
    if (lat is None) != (lon is None):
        raise ApplicationError(_("定位数据不完整。"), "invalid_location")
    accuracy = _accuracy(accuracy_m)
    if captured_at is not None and captured_at > timezone.now() + timedelta(minutes=5):
        raise ApplicationError(_("拍摄时间不能晚于当前时间。"), "invalid_capture_time")
    with transaction.atomic():
        task = locked_task(item.task_id)
        # who the uploader is for this task, again under the lock (an inspector may have
        # been released meanwhile)
        if _evidence_purpose(by, task) != purpose:
            raise PermissionRefused(_("您无权为该勘验项目上传文件。"), "permission_denied")
        if purpose == ItemEvidence.Purpose.INSPECTION:
            _require_status(task, TaskStatus.IN_PROGRESS)
            item = TaskItem.objects.get(pk=item.pk)
        else:
            _require_status(task, TaskStatus.RECTIFYING)
            item = _rectifiable_item(task, item)
        evidence = ItemEvidence(
            item=item, purpose=purpose, original_name=(upload.name or "")[:200],
            content_type=info.content_type, size=info.size, sha256=info.sha256,
            captured_at=captured_at, latitude=lat, longitude=lon, accuracy_m=accuracy,
            uploaded_by=by)
        evidence.file.save(upload.name or "upload", upload, save=False)
        evidence.save()
        audit_log(action="inspections.evidence_add", actor=by, obj=task,
                  after={"item": item.key, "purpose": purpose, "sha256": info.sha256,
                         "size": info.size, "gps": lat is not None})
    return evidence


def _evidence_purpose(user: User, task: InspectionTask) -> str:
    """Inspection photos from the task's inspectors, rectification evidence from the
    applicant side; nobody else uploads."""
    if is_task_inspector(user, task):
        return ItemEvidence.Purpose.INSPECTION
    if acts_for_applicant(user, task.applicant):
        return ItemEvidence.Purpose.RECTIFICATION
    raise PermissionRefused(_("您无权为该勘验项目上传文件。"), "permission_denied")


def evidence_download(*, evidence: ItemEvidence, by: User) -> Download:
    """Hand out one evidence file (it may show people and premises): audited, once, for
    pages and API alike. The caller has checked that ``by`` may see the task."""
    audit_log(action="inspections.evidence_view", actor=by, obj=evidence.item.task,
              after={"evidence": evidence.pk, "item": evidence.item.key,
                     "sha256": evidence.sha256})
    return Download(evidence.file,
                    evidence.original_name or evidence.file.name.rsplit("/", 1)[-1],
                    evidence.content_type)


# ---------------------------------------------------------------- rectification rounds

def rectification_round_start(task: InspectionTask) -> datetime | None:
    """When the current rectification round began: the confirmation of the latest 限期整改
    conclusion (None before any)."""
    return (task.conclusions.filter(outcome=Outcome.RECTIFY, confirmed_at__isnull=False,
                                    withdrawn_at__isnull=True)
            .order_by("-round", "-pk").values_list("confirmed_at", flat=True).first())


def in_current_round(item: TaskItem, round_start: datetime | None) -> bool:
    """Whether ``item`` is rectified (and verified) in the current round: it must be
    rectified and was not verified as made good in an earlier round. (A round starts by
    clearing the verification of every item it covers.)"""
    if not item.rectify_required:
        return False
    if item.rectify_verified is None:
        return True
    return (round_start is not None and item.rectify_verified_at is not None
            and item.rectify_verified_at >= round_start)


def _rectifiable_item(task: InspectionTask, item: TaskItem) -> TaskItem:
    """``item`` locked, if the applicant owes it in the current round."""
    item = TaskItem.objects.select_for_update().get(pk=item.pk, task=task)
    if not item.rectify_required:
        raise ApplicationError(_("该项目无需整改。"), "not_rectifiable")
    if not in_current_round(item, rectification_round_start(task)):
        raise ApplicationError(_("该项目已在上一轮整改中核验通过，无需再次整改。"),
                               "already_verified")
    return item


# ---------------------------------------------------------------- score

@dataclass(frozen=True)
class Score:
    percent: Decimal
    #: failed items not (yet) made good by a verified rectification
    open_failures: list[TaskItem]
    veto_failed: list[TaskItem]
    unanswered: list[TaskItem]
    pass_line: int

    @property
    def passes(self) -> bool:
        return not self.veto_failed and not self.unanswered and self.percent >= self.pass_line


def _made_good(item: TaskItem) -> bool:
    return item.result == Result.PASS or (item.result == Result.FAIL
                                          and item.rectify_verified is True)


def task_score(task: InspectionTask, items: list[TaskItem] | None = None) -> Score:
    """Points of the applicable items that pass (or were rectified), as a percentage."""
    items = items if items is not None else list(task.items.all())
    applicable = [i for i in items if i.result != Result.NA]
    total = sum(i.weight for i in applicable if i.result)
    earned = sum(i.weight for i in applicable if _made_good(i))
    percent = (Decimal(earned * 100) / total if total else Decimal(0)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
    open_failures = [i for i in applicable if i.result == Result.FAIL and not _made_good(i)]
    return Score(percent=percent, open_failures=open_failures,
                 veto_failed=[i for i in open_failures if i.veto],
                 unanswered=[i for i in items if not i.result],
                 pass_line=task_pass_line(task))


def task_pass_line(task: InspectionTask) -> int:
    """The strictest pass line among the standard versions the checklist comes from."""
    from inspections.models import StandardVersion

    lines = StandardVersion.objects.filter(items__in=TaskItem.source_items.through.objects
                                           .filter(taskitem__task=task)
                                           .values("standarditem")).values_list(
        "pass_score", flat=True)
    return max(lines, default=80)


# ---------------------------------------------------------------- conclusion

def _next_round(task: InspectionTask) -> int:
    last = task.conclusions.filter(confirmed_at__isnull=False).order_by("-round").first()
    return (last.round + 1) if last else 1


def conclusion_propose(*, task: InspectionTask, outcome: str, note: str, by: User,
                       rectify_due: date | None = None) -> Conclusion:
    """One inspector proposes the conclusion; it takes effect when the other confirms."""
    note = note.strip()
    if outcome not in Outcome.values:
        raise ApplicationError(_("请选择勘验结论。"), "invalid_outcome")
    if not note:
        raise ApplicationError(_("请填写勘验意见。"), "note_required")
    with transaction.atomic():
        task = locked_task(task.pk)
        _require_inspector(by, task)
        _require_status(task, TaskStatus.IN_PROGRESS, TaskStatus.VERIFYING,
                        TaskStatus.RECTIFYING)
        if task.status == TaskStatus.RECTIFYING:
            _check_overdue_outcome(task, outcome)
        items = list(task.items.all())
        score = task_score(task, items)
        if task.status == TaskStatus.VERIFYING:
            pending = [i.title for i in items if i.rectify_required and i.rectify_verified is None]
            if pending:
                raise ApplicationError(_("尚有整改项目未核验：{names}").format(
                    names="、".join(pending)), "rectification_not_verified")
        if score.unanswered:
            raise ApplicationError(_("尚有勘验项目未记录结果：{names}").format(
                names="、".join(i.title for i in score.unanswered)), "items_unanswered")
        _check_outcome(outcome, score, rectify_due)
        try:
            with transaction.atomic():
                conclusion = Conclusion.objects.create(
                    task=task, round=_next_round(task), outcome=outcome, score=score.percent,
                    note=note[:4000], rectify_due=rectify_due if outcome == Outcome.RECTIFY
                    else None, proposed_by=by, proposed_at=timezone.now())
        except IntegrityError:
            raise ConflictError(_("已有待确认的结论，请先由另一名勘验人员确认或撤回。"),
                                "conclusion_pending") from None
        audit_log(action="inspections.conclusion_propose", actor=by, obj=task,
                  after={"round": conclusion.round, "outcome": outcome,
                         "score": str(score.percent)})
    return conclusion


def rectification_overdue(task: InspectionTask, today: date | None = None) -> bool:
    """整改逾期: the applicant has not submitted the rectification by its deadline."""
    return (task.status == TaskStatus.RECTIFYING and task.rectify_due is not None
            and task.rectify_due < (today or timezone.localdate()))


def _check_overdue_outcome(task: InspectionTask, outcome: str) -> None:
    """While the applicant owes the rectification the inspectors wait; once the deadline
    has passed without a submission they may only conclude 不合格."""
    if not rectification_overdue(task):
        raise ConflictError(_("整改期限尚未届满，请等待申请人提交整改材料后再核验。"),
                            "rectification_not_due")
    if outcome != Outcome.FAIL:
        raise ApplicationError(_("申请人未在整改期限内提交整改，只能判定不合格。"),
                               "rectification_overdue")


def _check_outcome(outcome: str, score: Score, rectify_due: date | None) -> None:
    if outcome == Outcome.PASS and not score.passes:
        if score.veto_failed:
            why = _("否决项不符合：{names}").format(names="、".join(i.title for i in score.veto_failed))
        else:
            why = _("得分率 {p}% 低于合格线 {line}%").format(p=score.percent, line=score.pass_line)
        raise ApplicationError(_("不能判定合格：{why}。可限期整改或判定不合格。").format(why=why),
                               "cannot_pass")
    if outcome == Outcome.RECTIFY:
        if not score.open_failures:
            raise ApplicationError(_("没有不符合的项目，无需整改。"), "nothing_to_rectify")
        today = timezone.localdate()
        if rectify_due is None or rectify_due <= today:
            raise ApplicationError(_("请填写晚于今天的整改期限。"), "invalid_rectify_due")
        if (rectify_due - today).days > MAX_RECTIFY_DAYS:
            raise ApplicationError(_("整改期限不能超过 {n} 天。").format(n=MAX_RECTIFY_DAYS),
                                   "invalid_rectify_due")


def conclusion_withdraw(*, conclusion: Conclusion, by: User, reason: str = "") -> None:
    """The proposer takes back, or the other inspector declines, an unconfirmed proposal."""
    with transaction.atomic():
        task = locked_task(conclusion.task_id)
        _require_inspector(by, task)
        conclusion = Conclusion.objects.select_for_update().get(pk=conclusion.pk)
        if conclusion.confirmed_at or conclusion.withdrawn_at:
            raise ConflictError(_("该结论已确认或已撤回。"), "conclusion_closed")
        conclusion.withdrawn_at = timezone.now()
        conclusion.save(update_fields=["withdrawn_at"])
        audit_log(action="inspections.conclusion_withdraw", actor=by, obj=task,
                  after={"round": conclusion.round, "reason": reason[:300]})


def conclusion_confirm(*, conclusion: Conclusion, by: User) -> Conclusion:
    """The second inspector confirms; the conclusion takes effect."""
    with transaction.atomic():
        task = locked_task(conclusion.task_id)
        _require_inspector(by, task)
        conclusion = Conclusion.objects.select_for_update().get(pk=conclusion.pk)
        if conclusion.confirmed_at or conclusion.withdrawn_at:
            raise ConflictError(_("该结论已确认或已撤回。"), "conclusion_closed")
        if conclusion.proposed_by_id == by.pk:
            raise PermissionRefused(_("结论须由另一名勘验人员确认。"), "same_inspector")
        if conclusion.proposed_by_id not in active_inspector_ids(task):
            raise ConflictError(_("提出该结论的勘验人员已不再承担本任务，请撤回后重新提出。"),
                                "proposer_released")
        _require_status(task, TaskStatus.IN_PROGRESS, TaskStatus.VERIFYING,
                        TaskStatus.RECTIFYING)
        if task.status == TaskStatus.RECTIFYING:
            _check_overdue_outcome(task, conclusion.outcome)
            _end_rectification_pause(task)
        conclusion.confirmed_by, conclusion.confirmed_at = by, timezone.now()
        conclusion.save(update_fields=["confirmed_by", "confirmed_at"])
        audit_log(action="inspections.conclusion_confirm", actor=by, obj=task,
                  after={"round": conclusion.round, "outcome": conclusion.outcome})
        if conclusion.outcome == Outcome.RECTIFY:
            _start_rectification(task, conclusion, by)
        else:
            _finish(task, conclusion, by)
    return conclusion


def _end_rectification_pause(task: InspectionTask) -> None:
    """The deadline passed unused: the clock runs again from the day after it (the
    applicant owed the time until then, the bureau owes what came after)."""
    deadline_end = timezone.make_aware(datetime.combine(task.rectify_due + timedelta(days=1),
                                                        time.min))
    at = min(timezone.now(), deadline_end)
    for case in task.cases.order_by("pk"):
        stage_resume(case, CaseStage.Name.INSPECTION, at=at)
        case.save(update_fields=["promised_date", "updated_at"])


def _start_rectification(task: InspectionTask, conclusion: Conclusion, by: User) -> None:
    """A new round: every open failure is owed again (a failed verification included),
    with what the applicant and the inspectors wrote last round cleared; items made good
    in an earlier round stay verified."""
    score = task_score(task)
    ids = [i.pk for i in score.open_failures]
    TaskItem.objects.filter(pk__in=ids).update(
        rectify_required=True, rectify_verified=None, rectify_note="", rectify_comment="",
        rectify_verified_by=None, rectify_verified_at=None)
    task.require_rectification()
    task.rectify_due = conclusion.rectify_due
    task.rectify_submitted_at = None
    task.save()
    for case in task.cases.order_by("pk"):
        stage_pause(case, CaseStage.Name.INSPECTION, StagePause.Reason.RECTIFICATION)
    transaction.on_commit(lambda: _notify_rectification(task.pk, conclusion.pk))


def _notify_rectification(task_id: int, conclusion_id: int) -> None:
    from portal.notifications.services.transitions import case_context, notify_applicant_side

    task = InspectionTask.objects.get(pk=task_id)
    conclusion = Conclusion.objects.get(pk=conclusion_id)
    case = task.cases.select_related("matter", "applicant", "applicant__user").first()
    items = [f"{i.title}：{i.comment}"
             for i in task.items.filter(rectify_required=True, rectify_verified__isnull=True)]
    with transaction.atomic():
        notify_applicant_side(case=case, event="rectification_required",
                              context=case_context(case) | {
                                  "items": items, "note": conclusion.note,
                                  "due_date": conclusion.rectify_due},
                              key=f"inspection:{task.pk}:rectify:{conclusion.round}")


def _finish(task: InspectionTask, conclusion: Conclusion, by: User) -> None:
    from inspections.services.report import report_create

    task.conclude()
    task.outcome = conclusion.outcome
    task.concluded_at = conclusion.confirmed_at
    task.save()
    report = report_create(conclusion=conclusion)
    for case in task.cases.order_by("pk"):
        if case.status == CaseStatus.INSPECTING:
            case_transition(case_id=case.pk, name="conclude_inspection", by=by,
                            note=conclusion.note,
                            data={"outcome": conclusion.outcome, "report": report.number,
                                  "score": str(conclusion.score)})


# ---------------------------------------------------------------- rectification

def _require_applicant_side(user: User, task: InspectionTask) -> None:
    if not acts_for_applicant(user, task.applicant):
        raise PermissionRefused(_("只有申请人或其授权代办人可以提交整改。"), "permission_denied")


def rectification_note(*, item: TaskItem, note: str, by: User) -> TaskItem:
    """The applicant explains what was done on an item."""
    with transaction.atomic():
        task = locked_task(item.task_id)
        _require_applicant_side(by, task)
        _require_status(task, TaskStatus.RECTIFYING)
        item = _rectifiable_item(task, item)
        item.rectify_note = note.strip()[:2000]
        item.save(update_fields=["rectify_note"])
    return item


def rectification_submit(*, task: InspectionTask, by: User) -> InspectionTask:
    """提交整改: every item owed in this round has evidence uploaded in this round; the
    clock runs again and the inspectors verify online (即时办: at once)."""
    with transaction.atomic():
        task = locked_task(task.pk)
        _require_applicant_side(by, task)
        _require_status(task, TaskStatus.RECTIFYING)
        if _has_pending_conclusion(task):
            raise ConflictError(_("整改期限已过，勘验人员已提出勘验结论，不能再提交整改。"),
                                "conclusion_pending")
        # evidence of this round: what was uploaded for an earlier round does not count
        start = rectification_round_start(task)
        fresh = ItemEvidence.objects.filter(item=OuterRef("pk"),
                                            purpose=ItemEvidence.Purpose.RECTIFICATION)
        if start is not None:
            fresh = fresh.filter(uploaded_at__gte=start)
        owed = [i for i in task.items.filter(rectify_required=True)
                .annotate(has_evidence=Exists(fresh)).order_by("order", "pk")
                if in_current_round(i, start)]
        missing = [i.title for i in owed if not i.has_evidence]
        if missing:
            raise ApplicationError(_("以下整改项目尚未上传整改材料：{names}").format(
                names="、".join(missing)), "evidence_missing")
        now = timezone.now()
        task.submit_rectification()
        task.rectify_submitted_at = now
        if task.tier == Tier.SECOND:
            task.promised_by = now
        task.save()
        for case in task.cases.order_by("pk"):
            stage_resume(case, CaseStage.Name.INSPECTION)
            case.save(update_fields=["promised_date", "updated_at"])
        audit_log(action="inspections.rectification_submit", actor=by, obj=task)
    return task


def rectify_verify(*, item: TaskItem, ok: bool, comment: str, by: User) -> TaskItem:
    """An inspector checks the evidence online: made good, or not."""
    comment = comment.strip()
    if not ok and not comment:
        raise ApplicationError(_("核验不通过须说明原因。"), "comment_required")
    with transaction.atomic():
        task = locked_task(item.task_id)
        _require_inspector(by, task)
        _require_status(task, TaskStatus.VERIFYING)
        item = TaskItem.objects.select_for_update().get(pk=item.pk, task=task)
        if not item.rectify_required:
            raise ApplicationError(_("该项目无需整改。"), "not_rectifiable")
        if not in_current_round(item, rectification_round_start(task)):
            raise ConflictError(_("该项目已在上一轮整改中核验通过。"), "already_verified")
        if _has_pending_conclusion(task):
            raise ConflictError(_("已有待确认的结论，请先撤回结论再修改核验意见。"),
                                "conclusion_pending")
        item.rectify_verified = ok
        item.rectify_comment = comment[:2000]
        item.rectify_verified_by, item.rectify_verified_at = by, timezone.now()
        item.save(update_fields=["rectify_verified", "rectify_comment", "rectify_verified_by",
                                 "rectify_verified_at"])
        audit_log(action="inspections.rectify_verify", actor=by, obj=task,
                  after={"item": item.key, "ok": ok, "comment": item.rectify_comment})
    return item
