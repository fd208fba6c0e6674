"""Demo steps that happen on an inspection task rather than on the case: the dispatcher
makes the task and assigns a pair, an inspector starts, both conclude. All through the
real inspection services, so the demo board, checklists and reports are real records."""

from __future__ import annotations

from django.db.models import Q

from approvals.models import Case, Matter
from inspections.models import InspectionTask, InspectorProfile, Outcome, Result
from inspections.services import conduct, dispatch
from portal.accounts.models import User
from portal.accounts.roles import Role

#: Who inspects with whom in the demo.
PARTNER = {"inspector": "inspector2", "inspector2": "inspector", "inspector3": "inspector4",
           "inspector4": "inspector3"}


def qualify_demo_inspectors() -> int:
    """Every demo inspector is qualified for every matter that needs inspection."""
    matters = list(Matter.objects.filter(Q(needs_inspection=True) | Q(inspection_video=True)
                                         | Q(inspection_onsite=True)))
    count = 0
    for user in User.objects.filter(groups__name=Role.INSPECTOR):
        profile, created = InspectorProfile.objects.get_or_create(user=user)
        missing = [m for m in matters if m not in set(profile.matters.all())]
        if missing:
            profile.matters.add(*missing)
        count += int(created or bool(missing))
    return count


def _task(case: Case) -> InspectionTask | None:
    return case.inspection_tasks.exclude(status="cancelled").first()


def dispatch_case(case: Case, inspector: User | None = None) -> InspectionTask:
    """The dispatcher makes the task and assigns ``inspector`` and their partner."""
    dispatcher = User.objects.get(username="dispatcher")
    task = _task(case) or dispatch.task_create(
        requests=list(case.inspection_requests.filter(task__isnull=True)), by=dispatcher)
    if inspector is not None:
        for user in (inspector, User.objects.get(username=PARTNER[inspector.username])):
            if user.pk not in dispatch.active_inspector_ids(task):
                dispatch.task_assign(task=task, inspector=user, by=dispatcher,
                                     reason="演示：按片区轮值指派")
    return task


def start(case: Case, inspector: User) -> None:
    task = dispatch_case(case, inspector)
    conduct.task_start(task=task, by=inspector)


def conclude(case: Case, inspector: User, note: str, outcome: str = Outcome.PASS) -> None:
    """``inspector`` records every item, proposes the conclusion, the partner confirms."""
    task = _task(case)
    for item in task.items.all():
        conduct.item_record(item=item, result=Result.PASS, comment="", by=inspector)
    proposal = conduct.conclusion_propose(task=task, outcome=outcome, note=note or "符合要求",
                                          by=inspector)
    partner = User.objects.get(username=PARTNER[inspector.username])
    conduct.conclusion_confirm(conclusion=proposal, by=partner)
