"""Read-side queries of the review pages: the work queue of a reviewer or approver, with
the current stage's clock annotated so the list stays one query however many rows."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from approvals import selectors
from approvals.models import Case, CaseStage, StagePause
from approvals.workflow import CaseStatus
from portal.accounts.models import User
from portal.accounts.roles import Role

#: The states each role works on from the queue.
QUEUE_STATES = {
    Role.REVIEWER: (CaseStatus.ACCEPTED, CaseStatus.UNDER_REVIEW),
    Role.APPROVER: (CaseStatus.DECISION_PENDING,),
}


def queue_states(user: User) -> list[str]:
    """The case states ``user`` works on (empty: the queue is not theirs)."""
    return [state for role, states in QUEUE_STATES.items() if user.has_role(role)
            for state in states]


def review_queue(*, user: User, matter_id: int | None = None, status: str = "",
                 district_id: int | None = None) -> QuerySet[Case]:
    """Cases of ``user``'s section (bureau-wide without one) in the states of their role,
    the nearest due date of the running stage first. Rows carry ``stage_name``,
    ``stage_due``, ``stage_limit`` and ``stage_paused``."""
    states = queue_states(user)
    if status:
        states = [s for s in states if s == status]
    qs = selectors.case_list(user=user).filter(status__in=states)
    if user.section_id is not None:
        qs = qs.filter(matter__section_id=user.section_id)
    if matter_id:
        qs = qs.filter(matter_id=matter_id)
    if district_id:
        qs = qs.filter(district_id=district_id)
    running = (CaseStage.objects.filter(case=OuterRef("pk"), ended_at__isnull=True)
               .order_by("-started_at", "-id"))
    paused = StagePause.objects.filter(stage__case=OuterRef("pk"), stage__ended_at__isnull=True,
                                       ended_at__isnull=True)
    return (qs.annotate(stage_name=Subquery(running.values("name")[:1]),
                        stage_due=Subquery(running.values("due_date")[:1]),
                        stage_limit=Subquery(running.values("limit_days")[:1]),
                        stage_paused=Exists(paused))
            .order_by(F("stage_due").asc(nulls_last=True), "accepted_at", "pk"))
