"""Dispatch: turn review's requests into tasks (merging one applicant's cases into one
checklist), assign two inspectors by hand or by a recorded random draw, group tasks of
one district and day into a trip (合并勘验).

Who may be assigned is decided in one place, ``inspector_eligibility``: qualified for every
matter of the task, on duty and not absent that day, no declared relation with the
applicant and no inspection of the same applicant within the cooling-off period (回避),
and no other duty on any of the task's cases (四分离).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import separation
from approvals.models import Case, CaseParticipant
from approvals.workflow import CaseStatus, Stage
from inspections.models import (
    OPEN_TASK_STATES,
    Assignment,
    AssignmentDraw,
    Conclusion,
    ConflictDeclaration,
    InspectionRequest,
    InspectionTask,
    InspectorAbsence,
    InspectorProfile,
    TaskItem,
    TaskStatus,
    Trip,
)
from inspections.permissions import is_dispatcher
from inspections.services.standards import case_standard_pin, merged_checklist
from inspections.tiers import Mode
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.numbering import next_number

INSPECTORS_PER_TASK = 2


def _require_dispatcher(user: User) -> None:
    if not is_dispatcher(user):
        raise PermissionRefused(_("只有勘验调度员可以派发勘验任务。"), "permission_denied")


def locked_task(task_id: int) -> InspectionTask:
    """The task, row-locked for the rest of the transaction (every service that changes a
    task takes this lock first, then checks the state)."""
    return InspectionTask.objects.select_for_update().select_related("applicant").get(
        pk=task_id)


# ---------------------------------------------------------------- tasks

def _mode_for(requests: Sequence[InspectionRequest]) -> str:
    """On site covers video covers rectification-only: the most thorough mode wins."""
    modes = {r.mode for r in requests}
    for mode in (Mode.ONSITE, Mode.VIDEO, Mode.RECTIFICATION):
        if mode in modes:
            return mode
    return Mode.ONSITE


def task_create(*, requests: Sequence[InspectionRequest], by: User) -> InspectionTask:
    """One task for one or more open requests of one applicant (并联踏勘)."""
    _require_dispatcher(by)
    if not requests:
        raise ApplicationError(_("请选择至少一个勘验申请。"), "no_requests")
    with transaction.atomic():
        ids = sorted({r.pk for r in requests})
        locked = list(InspectionRequest.objects.select_for_update()
                      .filter(pk__in=ids).order_by("pk"))
        rows = list(InspectionRequest.objects.filter(pk__in=ids)
                    .select_related("case__matter", "case__applicant", "case__district"))
        if len(locked) != len(ids) or any(r.task_id for r in locked):
            raise ConflictError(_("所选勘验申请已派发或不存在，请刷新后重试。"), "already_dispatched")
        cases = [r.case for r in rows]
        if len({c.applicant_id for c in cases}) != 1:
            raise ApplicationError(_("只有同一申请人的办件可以合并为一个勘验任务（并联踏勘）。"),
                                   "different_applicants")
        if any(c.status != CaseStatus.NEEDS_INSPECTION for c in cases):
            raise ConflictError(_("所选办件不在待勘验状态。"), "case_not_waiting")
        pairs = []
        for case in cases:
            version = case_standard_pin(case)
            if version is None:
                raise ApplicationError(_("“{matter}”尚未发布踏勘标准，请先发布标准再派发。").format(
                    matter=case.matter.name), "no_standard")
            pairs.append((case, version))
        first = min(rows, key=lambda r: r.promised_by)
        task = InspectionTask.objects.create(
            number=_task_number(), applicant=cases[0].applicant, mode=_mode_for(rows),
            tier=first.tier, promised_by=first.promised_by,
            address=cases[0].address or cases[0].applicant.address or "",
            premises_latitude=cases[0].applicant.premises_latitude,
            premises_longitude=cases[0].applicant.premises_longitude,
            district=cases[0].district, created_by=by)
        task.cases.set(cases)
        InspectionRequest.objects.filter(pk__in=ids).update(task=task)
        for order, line in enumerate(merged_checklist(pairs), start=1):
            item = TaskItem.objects.create(
                task=task, key=line.key, category=line.category, title=line.title,
                requirement=line.requirement, method=line.method, weight=line.weight,
                veto=line.veto, order=order)
            item.source_items.set(line.source_items)
            item.cases.set(line.cases)
        audit_log(action="inspections.task_create", actor=by, obj=task,
                  after={"cases": [c.pk for c in cases], "mode": task.mode, "tier": task.tier})
    return task


def _task_number() -> str:
    year = timezone.localdate().year
    return f"KY-{year}-{next_number(f'inspection-task:{year}'):06d}"


# ---------------------------------------------------------------- eligibility

@dataclass(frozen=True)
class Eligibility:
    eligible: list[User]
    #: user id -> why the user may not be assigned
    excluded: dict[int, str]


def task_day(task: InspectionTask) -> date:
    """The day the inspection happens: the trip's, the booking's, or the promised one."""
    if task.trip_id:
        return task.trip.date
    booking = task.bookings.filter(cancelled_at__isnull=True).first()
    moment = booking.starts_at if booking else task.promised_by
    return timezone.localdate(moment)


def cooling_off_days() -> int:
    return int(getattr(settings, "ONESEAL_INSPECTOR_COOLING_OFF_DAYS", 180))


def active_inspector_ids(task: InspectionTask) -> list[int]:
    return list(task.assignments.filter(released_at__isnull=True)
                .values_list("inspector_id", flat=True))


def inspector_eligibility(task: InspectionTask, *, day: date | None = None) -> Eligibility:
    """Every inspector, split into eligible (by id) and excluded with the reason."""
    day = day or task_day(task)
    cases = list(task.cases.select_related("matter", "applicant"))
    matter_ids = {c.matter_id for c in cases}
    candidates = list(User.objects.filter(groups__name=Role.INSPECTOR, is_active=True)
                      .order_by("pk").distinct())
    profiles = {p.user_id: p for p in InspectorProfile.objects
                .filter(user__in=candidates).prefetch_related("matters")}
    absent = set(InspectorAbsence.objects.filter(start__lte=day, end__gte=day)
                 .values_list("user_id", flat=True))
    declared = set(ConflictDeclaration.objects.filter(applicant_id=task.applicant_id,
                                                      active=True)
                   .values_list("user_id", flat=True))
    since = timezone.now() - timedelta(days=cooling_off_days())
    recent = set(Assignment.objects.filter(
        task__applicant_id=task.applicant_id, assigned_at__gte=since, released_at__isnull=True)
        .exclude(task=task).exclude(task__status=TaskStatus.CANCELLED)
        .values_list("inspector_id", flat=True))
    duties: dict[int, set[str]] = {}
    for user_id, stage in CaseParticipant.objects.filter(case__in=cases).values_list(
            "user_id", "stage"):
        duties.setdefault(user_id, set()).add(stage)
    for case in cases:
        if case.applicant.user_id:
            duties.setdefault(case.applicant.user_id, set()).add(Stage.APPLY)
    assigned = set(active_inspector_ids(task))
    single = any(c.matter.single_approver for c in cases)
    eligible, excluded = [], {}
    for user in candidates:
        reason = _exclusion(user, profiles.get(user.pk), matter_ids, absent, declared, recent,
                            duties.get(user.pk, set()), assigned, single)
        if reason:
            excluded[user.pk] = reason
        else:
            eligible.append(user)
    return Eligibility(eligible, excluded)


def _exclusion(user, profile, matter_ids, absent, declared, recent, held, assigned,
               single) -> str:
    if user.pk in assigned:
        return _("已指派本任务")
    if profile is None or not profile.active:
        return _("未登记勘验资格或不在岗")
    if not matter_ids <= {m.pk for m in profile.matters.all()}:
        return _("不具备本任务全部事项的勘验资格")
    if user.pk in absent:
        return _("当日不可用（请假或另有安排）")
    if user.pk in declared:
        return _("回避：已申报与申请人存在利害关系")
    if user.pk in recent:
        return _("回避：{days}日内勘验过该申请人").format(days=cooling_off_days())
    other = {s for s in held if s != Stage.INSPECT}
    conflict = separation.separation_conflict(stage=Stage.INSPECT, user_stages=other,
                                              single_approver=single)
    if conflict:
        return _("四分离：已在本件承担“{duty}”职责").format(
            duty=separation.STAGE_LABEL[conflict])
    return ""


# ---------------------------------------------------------------- assignment

def _add(task: InspectionTask, inspector: User, *, by: User, method: str, reason: str,
         draw: AssignmentDraw | None = None) -> Assignment:
    assignment = Assignment.objects.create(
        task=task, inspector=inspector, method=method, reason=reason, draw=draw,
        assigned_by=by, assigned_at=timezone.now())
    for case in task.cases.all():
        CaseParticipant.objects.get_or_create(case=case, user=inspector, stage=Stage.INSPECT)
    audit_log(action="inspections.assign", actor=by, obj=task,
              after={"inspector": inspector.pk, "method": method, "reason": reason,
                     "draw": draw.pk if draw else None})
    return assignment


def _after_assignment(task: InspectionTask) -> None:
    if task.status == TaskStatus.NEW and len(active_inspector_ids(task)) >= INSPECTORS_PER_TASK:
        task.assign()
        task.save()


def _check_open_for_assignment(task: InspectionTask) -> None:
    """Inspectors are assigned until the task ends: before the start, and to replace one
    who was taken off a started task (an inspection or a rectification may take weeks)."""
    if task.status not in OPEN_TASK_STATES:
        raise ConflictError(_("任务已办结或已取消，不能再调整勘验人员。"), "task_not_assignable")
    if len(active_inspector_ids(task)) >= INSPECTORS_PER_TASK:
        raise ConflictError(_("本任务已有两名勘验人员；如需调整，请先撤换。"), "task_full")


def task_assign(*, task: InspectionTask, inspector: User, by: User,
                reason: str) -> Assignment:
    """Assign ``inspector`` by hand; the reason is recorded, the exclusions still apply."""
    _require_dispatcher(by)
    if not reason.strip():
        raise ApplicationError(_("指派勘验人员须说明理由。"), "reason_required")
    with transaction.atomic():
        task = locked_task(task.pk)
        _check_open_for_assignment(task)
        eligibility = inspector_eligibility(task)
        if inspector.pk not in {u.pk for u in eligibility.eligible}:
            why = eligibility.excluded.get(inspector.pk, _("不是勘验员"))
            raise ApplicationError(_("不能指派{name}：{why}。").format(name=inspector, why=why),
                "inspector_excluded")
        assignment = _add(task, inspector, by=by, method=Assignment.Method.MANUAL,
                          reason=reason.strip()[:300])
        _after_assignment(task)
    return assignment


def draw_choice(eligible_ids: Sequence[int], seed: str, k: int) -> list[int]:
    """The draw itself: a uniform choice of ``k`` among ``eligible_ids`` (canonical order)
    driven by ``seed``. Pure, so a recorded draw can be recomputed."""
    return random.Random(int(seed, 16)).sample(sorted(eligible_ids), k)


def task_draw(*, task: InspectionTask, by: User) -> AssignmentDraw:
    """Fill the free places by a random draw among the eligible, recorded with its seed."""
    _require_dispatcher(by)
    with transaction.atomic():
        task = locked_task(task.pk)
        _check_open_for_assignment(task)
        need = INSPECTORS_PER_TASK - len(active_inspector_ids(task))
        eligibility = inspector_eligibility(task)
        eligible_ids = sorted(u.pk for u in eligibility.eligible)
        if len(eligible_ids) < need:
            raise ConflictError(
                _("符合条件的勘验人员不足（需要 {need} 人，符合条件 {n} 人），请调整日期或人工指派。").format(
                    need=need, n=len(eligible_ids)), "not_enough_inspectors",
                extra={"excluded": {str(k): v for k, v in eligibility.excluded.items()}})
        seed = secrets.token_hex(32)  # taken now, from the OS, before anything is chosen
        chosen = draw_choice(eligible_ids, seed, need)
        draw = AssignmentDraw.objects.create(
            task=task, seed=seed, eligible=eligible_ids,
            excluded={str(k): v for k, v in sorted(eligibility.excluded.items())},
            needed=need, chosen=chosen, drawn_by=by, drawn_at=timezone.now())
        _log_draw(draw, by)
        by_id = {u.pk: u for u in eligibility.eligible}
        for user_id in chosen:
            _add(task, by_id[user_id], by=by, method=Assignment.Method.DRAW,
                 reason=_("随机抽取（第 {n} 号抽取记录）").format(n=draw.pk), draw=draw)
        _after_assignment(task)
    return draw


def _log_draw(draw: AssignmentDraw, by: User) -> None:
    """The draw as the hash-chained audit trail keeps it (checked by ``draw_verify``)."""
    audit_log(action="inspections.draw", actor=by, obj=draw,
              after=_draw_fingerprint(draw))


def _draw_fingerprint(draw: AssignmentDraw) -> dict:
    return {"task": draw.task_id, "seed": draw.seed,
            "eligible": [int(i) for i in draw.eligible], "needed": draw.needed,
            "chosen": [int(i) for i in draw.chosen]}


def draw_logs(draws) -> dict[int, dict]:
    """{draw id: the draw as logged at draw time}, in one query."""
    from portal.core.models import AuditEntry

    ids = [str(d.pk) for d in draws]
    return {int(object_id): after for object_id, after in AuditEntry.objects.filter(
        action="inspections.draw", object_id__in=ids).values_list("object_id", "after")}


def draw_verify(draw: AssignmentDraw, logged: dict | None = None) -> bool:
    """Recompute ``draw`` from its record (eligible snapshot, seed, number needed): True if
    the recorded result follows, the assignments made from it match, and the record is
    what the audit trail logged at draw time (``logged``: from ``draw_logs``)."""
    if logged is None:
        logged = draw_logs([draw]).get(draw.pk)
    try:
        expected = draw_choice(draw.eligible, draw.seed, draw.needed)
    except (TypeError, ValueError):  # a damaged record
        return False
    assigned = sorted(a.inspector_id for a in draw.assignments.all())  # prefetch-friendly
    return (list(draw.chosen) == expected and assigned == sorted(expected)
            and logged == _draw_fingerprint(draw))


def task_release(*, task: InspectionTask, inspector: User, by: User,
                 reason: str) -> None:
    """Take an inspector off an open task. Before the start the booking, if any, lapses
    and the task waits for its pair again; on a started task the other inspector keeps
    the records, a proposal the released one made and nobody confirmed is withdrawn, and
    nothing can be concluded until a replacement is assigned (conclusions need two)."""
    _require_dispatcher(by)
    if not reason.strip():
        raise ApplicationError(_("撤换勘验人员须说明理由。"), "reason_required")
    with transaction.atomic():
        task = locked_task(task.pk)
        if task.status not in OPEN_TASK_STATES:
            raise ConflictError(_("任务已办结或已取消，不能撤换勘验人员。"), "task_not_assignable")
        assignment = task.assignments.filter(inspector=inspector,
                                             released_at__isnull=True).first()
        if assignment is None:
            raise ApplicationError(_("该人员未指派本任务。"), "not_assigned")
        assignment.released_at = timezone.now()
        assignment.released_by = by
        assignment.release_reason = reason.strip()[:300]
        assignment.save(update_fields=["released_at", "released_by", "release_reason"])
        if task.status == TaskStatus.BOOKED:
            from inspections.services.booking import booking_lapse
            booking_lapse(task=task, by=by, reason=_("勘验人员调整，请重新预约"))
        if task.status == TaskStatus.ASSIGNED:
            task.unassign()
            task.save()
        withdrawn = list(task.conclusions.filter(
            proposed_by=inspector, confirmed_at__isnull=True, withdrawn_at__isnull=True)
            .values_list("pk", flat=True))
        if withdrawn:
            Conclusion.objects.filter(pk__in=withdrawn).update(withdrawn_at=timezone.now())
        audit_log(action="inspections.release", actor=by, obj=task,
                  after={"inspector": inspector.pk, "reason": assignment.release_reason,
                         "conclusions_withdrawn": withdrawn})


# ---------------------------------------------------------------- trips (合并勘验)

def trip_create(*, tasks: Sequence[InspectionTask], day: date, by: User,
                note: str = "") -> Trip:
    """Group open, not yet started tasks of one district into one visit on ``day``."""
    _require_dispatcher(by)
    ids = sorted({t.pk for t in tasks})
    if len(ids) < 2:
        raise ApplicationError(_("合并勘验至少需要两个任务。"), "too_few_tasks")
    if day < timezone.localdate():
        raise ApplicationError(_("勘验日期不能早于今天。"), "invalid_date")
    with transaction.atomic():
        locked = list(InspectionTask.objects.select_for_update()
                      .filter(pk__in=ids).order_by("pk"))
        if len(locked) != len(ids):
            raise ApplicationError(_("所选任务不存在，请刷新后重试。"), "not_found", status=404)
        if len({t.district_id for t in locked}) != 1 or locked[0].district_id is None:
            raise ApplicationError(_("只有同一区划的任务可以合并为一次勘验。"), "different_districts")
        if any(t.status not in (TaskStatus.NEW, TaskStatus.ASSIGNED) or t.trip_id
               for t in locked):
            raise ConflictError(_("已预约、已开始或已合并的任务不能再合并。"), "task_not_mergeable")
        late = [t.number for t in locked if timezone.localdate(t.promised_by) < day]
        if late:
            raise ApplicationError(_("合并后的勘验日期晚于承诺勘验时间：{tasks}。请选择更早的日期。").format(
                tasks="、".join(late)), "trip_breaks_promise")
        absent = set(InspectorAbsence.objects.filter(start__lte=day, end__gte=day)
                     .values_list("user_id", flat=True))
        busy = [t.number for t in locked if absent & set(active_inspector_ids(t))]
        if busy:
            raise ApplicationError(_("已指派的勘验人员当日不可用：{tasks}。请先撤换或另选日期。").format(
                tasks="、".join(busy)), "inspector_absent")
        year = day.year
        trip = Trip.objects.create(number=f"HB-{year}-{next_number(f'trip:{year}'):05d}",
                                   district_id=locked[0].district_id, date=day, note=note,
                                   created_by=by)
        InspectionTask.objects.filter(pk__in=[t.pk for t in locked]).update(trip=trip)
        audit_log(action="inspections.trip_create", actor=by, obj=trip,
                  after={"tasks": [t.pk for t in locked], "date": day.isoformat()})
    return trip


def trip_draw(*, trip: Trip, by: User) -> list[AssignmentDraw]:
    """One pair for the whole trip: drawn among those eligible for every task."""
    _require_dispatcher(by)
    with transaction.atomic():
        tasks = list(InspectionTask.objects.select_for_update().filter(trip=trip)
                     .exclude(status=TaskStatus.CANCELLED).order_by("pk"))
        for task in tasks:
            if active_inspector_ids(task):
                raise ConflictError(_("行程中已有任务指派了人员，请先撤换后再统一抽取。"),
                                    "trip_partly_assigned")
            if task.status != TaskStatus.NEW:
                raise ConflictError(_("行程中有任务已开始或已结束，不能统一抽取。"),
                                    "task_not_assignable")
        eligible_sets, excluded = [], {}
        for task in tasks:
            e = inspector_eligibility(task)
            eligible_sets.append({u.pk for u in e.eligible})
            for k, v in e.excluded.items():
                excluded.setdefault(str(k), f"{task.number}：{v}")
        eligible_ids = sorted(set.intersection(*eligible_sets)) if eligible_sets else []
        if len(eligible_ids) < INSPECTORS_PER_TASK:
            raise ConflictError(_("同时符合行程内全部任务条件的勘验人员不足两人，请人工指派。"),
                                "not_enough_inspectors")
        seed = secrets.token_hex(32)
        chosen = draw_choice(eligible_ids, seed, INSPECTORS_PER_TASK)
        users = {u.pk: u for u in User.objects.filter(pk__in=chosen)}
        draws = []
        for task in tasks:
            draw = AssignmentDraw.objects.create(
                task=task, seed=seed, eligible=eligible_ids, excluded=excluded,
                needed=INSPECTORS_PER_TASK, chosen=chosen, drawn_by=by, drawn_at=timezone.now())
            _log_draw(draw, by)
            for user_id in chosen:
                _add(task, users[user_id], by=by, method=Assignment.Method.DRAW,
                     reason=_("合并勘验 {trip} 随机抽取").format(trip=trip.number), draw=draw)
            _after_assignment(task)
            draws.append(draw)
    return draws


def task_inspectors(task: InspectionTask) -> list[User]:
    return [a.inspector for a in task.assignments.filter(released_at__isnull=True)
            .select_related("inspector")]


def open_requests():
    """Requests review has sent that no task covers yet (for the dispatcher board)."""
    return (InspectionRequest.objects.filter(task__isnull=True,
                                             case__status=CaseStatus.NEEDS_INSPECTION)
            .select_related("case__matter", "case__applicant", "case__district")
            .order_by("promised_by", "pk"))


def cases_of(task: InspectionTask) -> list[Case]:
    return list(task.cases.select_related("matter", "applicant").order_by("pk"))


def tasks_release_case(*, case: Case, by: User, reason: str) -> list[InspectionTask]:
    """A case left inspection without a conclusion (withdrawn): its open tasks stop covering
    it; a task left with no open case is cancelled, its booking lapses. Returns the tasks
    cancelled. Runs inside the caller's transaction (the case transition)."""
    from inspections.services.booking import booking_lapse

    cancelled = []
    for task in (InspectionTask.objects.select_for_update()
                 .filter(cases=case, status__in=OPEN_TASK_STATES).order_by("pk")):
        others = task.cases.exclude(pk=case.pk).filter(
            status__in=(CaseStatus.NEEDS_INSPECTION, CaseStatus.INSPECTING))
        if others.exists():
            task.cases.remove(case)
            for item in task.items.filter(cases=case):
                item.cases.remove(case)
                if not item.cases.exists() and not item.result:
                    item.delete()
            audit_log(action="inspections.task_case_removed", actor=by, obj=task,
                      after={"case": case.pk, "reason": reason})
            continue
        if task.status == TaskStatus.BOOKED:
            booking_lapse(task=task, by=by, reason=reason)
        task.cancel()
        task.save()
        cancelled.append(task)
        audit_log(action="inspections.task_cancel", actor=by, obj=task,
                  after={"case": case.pk, "reason": reason})
    return cancelled
