"""Consistency checks over generated cases (demo or bulk), read-only.

A case is consistent when its status history is an unbroken chain from ``draft`` to its
current status, every bureau duty in that history is recorded as a participant, the
participants respect the four-way separation, and exactly the stage clock its status
implies is running. ``case_problems`` returns a list of human-readable faults (empty when
all is well); tests and ``seed_bulk --verify`` use it.
"""

from __future__ import annotations

from collections import defaultdict

from approvals.models import Case, CaseParticipant, CaseStage, CaseStatusChange
from approvals.separation import separation_holds
from approvals.workflow import CLOSED, FINAL, TRANSITIONS, CaseStatus, Stage

S = CaseStatus
Name = CaseStage.Name

#: The one clock that runs in each open status.
OPEN_STAGE = {
    S.SUBMITTED: Name.ACCEPTANCE, S.SUPPLEMENT_REQUESTED: Name.ACCEPTANCE,
    S.ACCEPTED: Name.REVIEW, S.UNDER_REVIEW: Name.REVIEW,
    S.NEEDS_INSPECTION: Name.INSPECTION, S.INSPECTING: Name.INSPECTION,
    S.DECISION_PENDING: Name.DECISION, S.APPROVED: Name.ISSUE,
}


def _grouped(rows) -> dict[int, list[tuple]]:
    out = defaultdict(list)
    for case_id, *rest in rows:
        out[case_id].append(tuple(rest))
    return out


def _history_problems(case: Case, history: list[tuple]) -> list[str]:
    if not history:
        return [] if case.status == S.DRAFT else [f"{case.pk}: {case.status} without history"]
    problems, expected = [], S.DRAFT
    for from_status, to_status, _name, _actor in history:
        if from_status != expected:
            problems.append(f"{case.pk}: history jumps from {expected} to {from_status}")
        expected = to_status
    if expected != case.status:
        problems.append(f"{case.pk}: last history {expected} != status {case.status}")
    return problems


def _duty_problems(case: Case, history: list[tuple], duties: set[tuple]) -> list[str]:
    problems = []
    for _from, _to, name, actor in history:
        stage = TRANSITIONS[name].stage
        if stage != Stage.APPLY and (actor, stage) not in duties:
            problems.append(f"{case.pk}: {name} by {actor} not recorded as {stage}")
    by_stage: dict[str, set[int]] = defaultdict(set)
    for user_id, stage in duties:
        by_stage[stage].add(user_id)
    if case.applicant.user_id:
        by_stage[Stage.APPLY].add(case.applicant.user_id)
    if not separation_holds(by_stage, single_approver=case.matter.single_approver):
        problems.append(f"{case.pk}: four-way separation broken {dict(by_stage)}")
    return problems


def _clock_problems(case: Case, open_stages: list[tuple]) -> list[str]:
    names = [name for (name,) in open_stages]
    if case.status in (*CLOSED, *FINAL, S.DRAFT):
        return [f"{case.pk}: {case.status} with running clocks {names}"] if names else []
    if names != [OPEN_STAGE[case.status]]:
        return [f"{case.pk}: {case.status} expects clock {OPEN_STAGE[case.status]}, has {names}"]
    return []


def case_problems(case_ids) -> list[str]:
    """Every inconsistency found in the given cases (empty list: all consistent)."""
    ids = list(case_ids)
    cases = Case.objects.filter(pk__in=ids).select_related("matter", "applicant")
    history = _grouped(CaseStatusChange.objects.filter(case_id__in=ids).order_by("at", "id")
                       .values_list("case_id", "from_status", "to_status", "transition",
                                    "actor_id"))
    duties = _grouped(CaseParticipant.objects.filter(case_id__in=ids)
                      .values_list("case_id", "user_id", "stage"))
    clocks = _grouped(CaseStage.objects.filter(case_id__in=ids, ended_at__isnull=True)
                      .values_list("case_id", "name"))
    problems = []
    for case in cases:
        problems += _history_problems(case, history[case.pk])
        problems += _duty_problems(case, history[case.pk], set(duties[case.pk]))
        problems += _clock_problems(case, clocks[case.pk])
    return problems
