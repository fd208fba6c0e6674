"""Dispatch services (勘验调度): tasks from requests of one applicant (并联踏勘), who may be
assigned (qualification, availability, 回避, 四分离), manual assignment and the recorded
random draw, release, trips of one district (合并勘验), and re-running a draw."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from approvals.models import CaseParticipant
from approvals.services import case_transition
from approvals.workflow import CaseStatus, Stage
from inspections.models import (
    Assignment,
    AssignmentDraw,
    ConflictDeclaration,
    InspectorAbsence,
    TaskStatus,
)
from inspections.services import dispatch
from inspections.services.standards import standard_publish
from portal.accounts.models import District
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.models import AuditEntry
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory, staff
from tests.factories.inspection import ensure_standard, qualify
from tests.factories.workflow import drive

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- helpers (used by the board tests too)

def requested_case(crew, matter, *, applicant=None, district=None, tier="general",
                   mode="onsite", address="运城市盐湖区解放路100号"):
    """A case of ``matter`` the reviewer sent to inspection with ``mode`` and ``tier``."""
    ensure_standard(matter)
    kwargs = {"matter": matter, "address": address, "district": district}
    if applicant is not None:
        kwargs["applicant"] = applicant
    case = drive(CaseFactory(**kwargs), crew, CaseStatus.UNDER_REVIEW)
    case_transition(case_id=case.pk, name="request_inspection", by=crew.users["reviewer"],
                    note="请安排勘验", data={"mode": mode, "tier": tier})
    case.refresh_from_db()
    assert case.status == CaseStatus.NEEDS_INSPECTION
    return case


def open_request(case):
    return case.inspection_requests.get(task__isnull=True)


def new_task(case, dispatcher):
    return dispatch.task_create(requests=[open_request(case)], by=dispatcher)


def district(code="140802", name="盐湖区"):
    return District.objects.get_or_create(code=code, defaults={"name": name})[0]


def active_ids(task) -> set[int]:
    return set(dispatch.active_inspector_ids(task))


# ---------------------------------------------------------------- tasks


def test_requests_of_one_applicant_become_one_task_with_one_merged_checklist(crew, dispatcher):
    food, hygiene = MatterFactory(inspected=True), MatterFactory(inspected=True)
    ensure_standard(food)  # two items: premises-layout and staff-health-certificates
    standard_publish(matter=hygiene, items=[
        {"key": "premises-layout", "category": "premises", "title": "场所布局",
         "requirement": "通风良好", "method": "现场查看", "weight": 70, "veto": False},
        {"key": "disinfection", "category": "equipment", "title": "消毒设施",
         "requirement": "配备消毒设施", "method": "现场查看", "weight": 30, "veto": False}])
    applicant = ApplicantFactory()
    a = requested_case(crew, food, applicant=applicant, tier="complex")
    b = requested_case(crew, hygiene, applicant=applicant, tier="simple", mode="video")

    task = dispatch.task_create(requests=[open_request(a), open_request(b)], by=dispatcher)

    assert set(task.cases.all()) == {a, b} and task.status == TaskStatus.NEW
    assert task.tier == "simple"  # the nearest promise sets the pace
    assert task.mode == "onsite"  # on site covers video
    items = {i.key: i for i in task.items.all()}
    assert set(items) == {"premises-layout", "staff-health-certificates", "disinfection"}
    assert set(items["premises-layout"].cases.all()) == {a, b}
    assert items["premises-layout"].weight == 70 and items["premises-layout"].veto
    assert not a.inspection_requests.filter(task__isnull=True).exists()
    assert AuditEntry.objects.filter(action="inspections.task_create",
                                     object_id=str(task.pk)).exists()


def test_merging_requests_of_two_applicants_is_refused(crew, dispatcher, inspected_matter):
    a = requested_case(crew, inspected_matter)
    b = requested_case(crew, inspected_matter)
    with pytest.raises(ApplicationError) as exc:
        dispatch.task_create(requests=[open_request(a), open_request(b)], by=dispatcher)
    assert exc.value.code == "different_applicants"
    assert "同一申请人" in exc.value.message
    assert not a.inspection_tasks.exists() and not b.inspection_tasks.exists()


def test_only_a_dispatcher_creates_tasks(crew, inspected_case):
    with pytest.raises(PermissionRefused):
        dispatch.task_create(requests=[open_request(inspected_case)],
                             by=crew.users["reviewer"])


def test_a_request_is_dispatched_once(dispatcher, inspected_case):
    request = open_request(inspected_case)
    dispatch.task_create(requests=[request], by=dispatcher)
    with pytest.raises(ConflictError) as exc:
        dispatch.task_create(requests=[request], by=dispatcher)
    assert exc.value.code == "already_dispatched"


# ---------------------------------------------------------------- assignment


def test_manual_assignment_of_an_excluded_inspector_is_refused_with_the_reason(
        crew, dispatcher, inspected_case, inspectors):
    task = new_task(inspected_case, dispatcher)
    related = inspectors[0]
    ConflictDeclaration.objects.create(user=related, applicant=inspected_case.applicant,
                                       relation="亲属")
    with pytest.raises(ApplicationError) as exc:
        dispatch.task_assign(task=task, inspector=related, by=dispatcher, reason="熟悉业务")
    assert exc.value.code == "inspector_excluded"
    assert "回避：已申报与申请人存在利害关系" in exc.value.message
    assert str(related) in exc.value.message or related.username in exc.value.message
    assert not Assignment.objects.filter(task=task).exists()


def test_an_inspector_who_reviewed_the_case_is_excluded_by_the_separation(
        crew, dispatcher, inspected_case, inspected_matter):
    both = staff("inspector")
    qualify(both, inspected_matter)
    CaseParticipant.objects.create(case=inspected_case, user=both, stage=Stage.REVIEW)
    task = new_task(inspected_case, dispatcher)
    eligibility = dispatch.inspector_eligibility(task)
    assert both not in eligibility.eligible
    assert "四分离" in eligibility.excluded[both.pk]
    with pytest.raises(ApplicationError, match="四分离"):
        dispatch.task_assign(task=task, inspector=both, by=dispatcher, reason="人手不足")


def test_a_third_assignment_is_refused(dispatcher, inspected_case, inspectors,
                                       inspected_matter):
    task = new_task(inspected_case, dispatcher)
    for inspector in inspectors:
        dispatch.task_assign(task=task, inspector=inspector, by=dispatcher, reason="就近安排")
    third = qualify(staff("inspector"), inspected_matter)
    with pytest.raises(ConflictError) as exc:
        dispatch.task_assign(task=task, inspector=third, by=dispatcher, reason="加派")
    assert exc.value.code == "task_full"
    with pytest.raises(ConflictError):
        dispatch.task_draw(task=task, by=dispatcher)
    assert active_ids(task) == {u.pk for u in inspectors}


def test_every_assignment_records_method_reason_and_an_audit_entry(
        dispatcher, inspected_case, inspectors, inspected_matter):
    qualify(staff("inspector"), inspected_matter)
    task = new_task(inspected_case, dispatcher)
    manual = dispatch.task_assign(task=task, inspector=inspectors[0], by=dispatcher,
                                  reason="  熟悉该区域  ")
    draw = dispatch.task_draw(task=task, by=dispatcher)
    rows = list(task.assignments.order_by("pk"))
    assert [(a.method, a.reason) for a in rows] == [
        ("manual", "熟悉该区域"), ("draw", f"随机抽取（第 {draw.pk} 号抽取记录）")]
    assert rows[0].pk == manual.pk and rows[1].draw_id == draw.pk
    assert all(a.assigned_by_id == dispatcher.pk for a in rows)
    audits = list(AuditEntry.objects.filter(action="inspections.assign",
                                            object_id=str(task.pk)).order_by("seq"))
    assert [(e.after["inspector"], e.after["method"]) for e in audits] == [
        (a.inspector_id, a.method) for a in rows]
    assert all(e.after["reason"] for e in audits)
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED
    # the inspectors now hold the inspection duty on the case (四分离 reads this)
    assert set(CaseParticipant.objects.filter(case=inspected_case, stage=Stage.INSPECT)
               .values_list("user_id", flat=True)) == {a.inspector_id for a in rows}


def test_assignment_needs_a_reason(dispatcher, inspected_case, inspectors):
    task = new_task(inspected_case, dispatcher)
    with pytest.raises(ApplicationError) as exc:
        dispatch.task_assign(task=task, inspector=inspectors[0], by=dispatcher, reason="  ")
    assert exc.value.code == "reason_required"


def test_release_before_start_returns_the_task_to_waiting_for_inspectors(
        dispatcher, assigned_task, inspectors):
    with pytest.raises(ApplicationError) as exc:
        dispatch.task_release(task=assigned_task, inspector=inspectors[0], by=dispatcher,
                              reason="")
    assert exc.value.code == "reason_required"

    dispatch.task_release(task=assigned_task, inspector=inspectors[0], by=dispatcher,
                          reason="临时外出培训")

    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.NEW
    assert active_ids(assigned_task) == {inspectors[1].pk}
    released = assigned_task.assignments.get(inspector=inspectors[0])
    assert released.release_reason == "临时外出培训" and released.released_by == dispatcher
    assert AuditEntry.objects.filter(action="inspections.release",
                                     object_id=str(assigned_task.pk)).exists()
    # the released inspector may be assigned again
    dispatch.task_assign(task=assigned_task, inspector=inspectors[0], by=dispatcher,
                         reason="培训取消")
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.ASSIGNED


def test_draw_needs_enough_eligible_inspectors(crew, dispatcher, inspected_case,
                                               inspected_matter):
    qualify(staff("inspector"), inspected_matter)  # only one qualified
    task = new_task(inspected_case, dispatcher)
    with pytest.raises(ConflictError) as exc:
        dispatch.task_draw(task=task, by=dispatcher)
    assert exc.value.code == "not_enough_inspectors"
    assert str(crew.inspectors[0].pk) in exc.value.extra["excluded"]
    assert not AssignmentDraw.objects.filter(task=task).exists()


# ---------------------------------------------------------------- verifying a draw


@pytest.fixture
def drawn(dispatcher, inspected_case, inspected_matter, inspectors):
    for _ in range(3):
        qualify(staff("inspector"), inspected_matter)
    task = new_task(inspected_case, dispatcher)
    return dispatch.task_draw(task=task, by=dispatcher)


def test_draw_verify_holds_for_an_untouched_record_and_fails_once_chosen_is_changed(drawn):
    assert dispatch.draw_verify(drawn)
    assert drawn.chosen == dispatch.draw_choice(drawn.eligible, drawn.seed, 2)
    others = [i for i in drawn.eligible if i not in drawn.chosen]
    AssignmentDraw.objects.filter(pk=drawn.pk).update(chosen=[others[0], drawn.chosen[1]])
    drawn.refresh_from_db()
    assert not dispatch.draw_verify(drawn)


def test_verify_command_exits_0_for_an_untouched_record_and_1_for_a_tampered_one(
        drawn, capsys):
    # returns normally (exit status 0) when the record follows from its seed
    call_command("inspections_verify_draw", str(drawn.pk))
    assert "复核一致" in capsys.readouterr().out

    AssignmentDraw.objects.filter(pk=drawn.pk).update(chosen=list(reversed(drawn.chosen)))
    with pytest.raises(CommandError, match="不符") as bad:
        call_command("inspections_verify_draw", str(drawn.pk))
    assert bad.value.returncode == 1

    # a shortened result no longer follows: the number drawn is recorded too
    AssignmentDraw.objects.filter(pk=drawn.pk).update(chosen=drawn.chosen[:1])
    assert not dispatch.draw_verify(AssignmentDraw.objects.get(pk=drawn.pk))
    with pytest.raises(CommandError, match="不符"):
        call_command("inspections_verify_draw", str(drawn.pk))

    # the assignments made from the draw must match it as well
    AssignmentDraw.objects.filter(pk=drawn.pk).update(chosen=drawn.chosen)
    Assignment.objects.filter(draw=drawn).first().delete()
    with pytest.raises(CommandError, match="实际指派的人员"):
        call_command("inspections_verify_draw", str(drawn.pk))

    with pytest.raises(CommandError):
        call_command("inspections_verify_draw", "999999")


def test_a_consistent_but_rewritten_draw_record_is_caught_by_the_audit_trail(drawn):
    """Someone with database access rewrites seed and result consistently (a different
    pair that also follows from the new seed): the record no longer matches the log."""
    draw = AssignmentDraw.objects.get(pk=drawn.pk)
    for n in range(1000):
        seed = f"{n:064x}"
        other = dispatch.draw_choice(draw.eligible, seed, draw.needed)
        if other != draw.chosen:
            break
    AssignmentDraw.objects.filter(pk=draw.pk).update(seed=seed, chosen=other)
    rows = list(Assignment.objects.filter(draw=draw).order_by("pk"))
    Assignment.objects.filter(draw=draw).update(released_at=timezone.now())  # step aside
    for assignment, user_id in zip(rows, other, strict=True):
        Assignment.objects.filter(pk=assignment.pk).update(inspector_id=user_id)
    Assignment.objects.filter(draw=draw).update(released_at=None)
    assert not dispatch.draw_verify(AssignmentDraw.objects.get(pk=draw.pk))


# ---------------------------------------------------------------- trips (合并勘验)


def trip_day(tasks):
    """The latest day that keeps every task's promise."""
    return min(timezone.localdate(t.promised_by) for t in tasks)


def test_a_trip_may_not_break_a_task_promise(crew, dispatcher, inspected_matter):
    yanhu = district()
    tasks = [new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
             for _ in range(2)]
    with pytest.raises(ApplicationError) as late:
        dispatch.trip_create(tasks=tasks, day=trip_day(tasks) + timedelta(days=1),
                             by=dispatcher)
    assert late.value.code == "trip_breaks_promise" and tasks[0].number in late.value.message
    with pytest.raises(ApplicationError) as dup:
        dispatch.trip_create(tasks=[tasks[0], tasks[0]], day=trip_day(tasks), by=dispatcher)
    assert dup.value.code == "too_few_tasks"
    assert dispatch.trip_create(tasks=tasks, day=trip_day(tasks), by=dispatcher).pk


def test_a_trip_groups_tasks_of_one_district_only(crew, dispatcher, inspected_matter):
    yanhu, linyi = district("140802", "盐湖区"), district("140821", "临猗县")
    t1 = new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
    t2 = new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
    t3 = new_task(requested_case(crew, inspected_matter, district=linyi), dispatcher)
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ApplicationError) as exc:
        dispatch.trip_create(tasks=[t1, t3], day=tomorrow, by=dispatcher)
    assert exc.value.code == "different_districts" and "同一区划" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        dispatch.trip_create(tasks=[t1, t2], day=timezone.localdate() - timedelta(days=1),
                             by=dispatcher)
    assert exc.value.code == "invalid_date"

    trip = dispatch.trip_create(tasks=[t1, t2], day=tomorrow, by=dispatcher, note="上午")
    assert set(trip.tasks.all()) == {t1, t2} and trip.district == yanhu
    with pytest.raises(ConflictError):  # a task joins one trip only
        dispatch.trip_create(tasks=[t2, new_task(requested_case(
            crew, inspected_matter, district=yanhu), dispatcher)], day=tomorrow, by=dispatcher)


def test_a_trip_draw_gives_every_task_the_same_pair(crew, dispatcher, inspected_matter,
                                                    inspectors):
    yanhu = district()
    tasks = [new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
             for _ in range(2)]
    qualify(staff("inspector"), inspected_matter)
    trip = dispatch.trip_create(tasks=tasks, day=timezone.localdate() + timedelta(days=1),
                                by=dispatcher)
    draws = dispatch.trip_draw(trip=trip, by=dispatcher)
    assert len(draws) == 2 and draws[0].chosen == draws[1].chosen
    assert all(dispatch.draw_verify(d) for d in draws)
    for task in tasks:
        task.refresh_from_db()
        assert task.status == TaskStatus.ASSIGNED
        assert active_ids(task) == set(draws[0].chosen)
    with pytest.raises(ConflictError):
        dispatch.trip_draw(trip=trip, by=dispatcher)


def test_an_inspector_absent_on_the_trip_day_is_not_drawn(crew, dispatcher, inspected_matter,
                                                          inspectors):
    yanhu = district()
    tasks = [new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
             for _ in range(2)]
    day = trip_day(tasks)
    spare = qualify(staff("inspector"), inspected_matter)
    InspectorAbsence.objects.create(user=inspectors[0], start=day, end=day, reason="年休假")
    trip = dispatch.trip_create(tasks=tasks, day=day, by=dispatcher)
    draws = dispatch.trip_draw(trip=trip, by=dispatcher)
    assert set(draws[0].chosen) == {inspectors[1].pk, spare.pk}
    assert "当日不可用" in draws[0].excluded[str(inspectors[0].pk)]
