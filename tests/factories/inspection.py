"""Inspection steps of the happy path, through the real inspection services: a standard
for the matter, a task, two qualified inspectors, all items pass, both confirm."""

from __future__ import annotations

from approvals.models import Case, Matter
from inspections.models import InspectionTask, InspectorProfile, Outcome, Result
from inspections.services import conduct, dispatch
from inspections.services.standards import current_version, standard_publish
from portal.accounts.models import User

SIMPLE_ITEMS = [
    {"key": "premises-layout", "category": "premises", "title": "经营场所布局",
     "requirement": "布局合理，生熟分开", "method": "现场查看", "weight": 60, "veto": True,
     "guidance": "请提前清理场所"},
    {"key": "staff-health-certificates", "category": "staff", "title": "从业人员健康证明",
     "requirement": "从业人员持有效健康证明", "method": "查验证件", "weight": 40, "veto": False,
     "guidance": "请备齐健康证"},
]


def ensure_standard(matter: Matter):
    return current_version(matter) or standard_publish(matter=matter, items=SIMPLE_ITEMS,
                                                       note="测试")


def qualify(user: User, *matters: Matter) -> User:
    profile, _ = InspectorProfile.objects.get_or_create(user=user)
    profile.matters.add(*matters)
    return user


def open_task(case: Case, *, dispatcher: User, inspectors: list[User]) -> InspectionTask:
    """Dispatch the case's open request and assign the two inspectors by hand."""
    ensure_standard(case.matter)
    task = case.inspection_tasks.exclude(status="cancelled").first()
    if task is None:
        task = dispatch.task_create(requests=list(case.inspection_requests.filter(
            task__isnull=True)), by=dispatcher)
    for inspector in inspectors:
        qualify(inspector, case.matter)
        if inspector.pk not in dispatch.active_inspector_ids(task):
            dispatch.task_assign(task=task, inspector=inspector, by=dispatcher,
                                 reason="测试指派")
    return task


def start(case: Case, *, dispatcher: User, inspectors: list[User]) -> InspectionTask:
    task = open_task(case, dispatcher=dispatcher, inspectors=inspectors)
    return conduct.task_start(task=task, by=inspectors[0])


def record_all(task: InspectionTask, by: User, result: str = Result.PASS) -> None:
    for item in task.items.all():
        conduct.item_record(item=item, result=result, comment="" if result == Result.PASS
                            else "不符合要求", by=by)


def conclude(case: Case, *, inspectors: list[User], outcome: str = Outcome.PASS) -> InspectionTask:
    """All items pass (or fail), the first inspector proposes, the second confirms."""
    task = case.inspection_tasks.get(status="in_progress")
    record_all(task, inspectors[0], Result.PASS if outcome == Outcome.PASS else Result.FAIL)
    proposal = conduct.conclusion_propose(task=task, outcome=outcome, note="勘验意见",
                                          by=inspectors[0])
    conduct.conclusion_confirm(conclusion=proposal, by=inspectors[1])
    task.refresh_from_db()
    return task
