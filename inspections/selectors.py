"""Read side of the inspections app.

- Object lookups shared by the pages and the API (``task_get``, ``task_item_get``,
  ``conclusion_get``, ``evidence_get``, ``booking_task_get``, ``booking_get``): the object
  if the user may see it, 404 otherwise (its existence is not revealed), and always
  within the task named in the URL when there is one.
- The dispatcher board (勘验调度), functions named ``board_*``: open requests and open tasks
  with everything a row shows fetched up front (the query count does not grow with rows),
  one task or trip with its assignments, draws and checklist, and the remaining-time clock
  of a promise. The rules (who may be assigned, how a draw is made) stay in
  ``inspections.services.dispatch``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case
from inspections.models import (
    OPEN_TASK_STATES,
    Assignment,
    AssignmentDraw,
    Booking,
    Conclusion,
    InspectionRequest,
    InspectionTask,
    ItemEvidence,
    TaskItem,
    Trip,
)
from inspections.permissions import can_view_task, visible_tasks
from inspections.services import booking as booking_services
from inspections.services import dispatch
from inspections.tiers import Tier
from portal.accounts.models import User

#: Tiers by urgency: the board groups them in this order.
TIER_ORDER = (Tier.SIMPLE, Tier.SECOND, Tier.GENERAL, Tier.COMPLEX)
#: Less than this share of the promised time left: the row turns amber.
AMBER_SHARE = 0.25
SORTS = ("promised", "tier")


# ---------------------------------------------------------------- object lookups

def _first_or_404(qs):
    try:
        obj = qs.first()
    except (ValueError, TypeError):
        obj = None
    if obj is None:
        raise Http404
    return obj


def task_get(user: User, task_id: int) -> InspectionTask:
    """The task if ``user`` may see it (bureau staff, the applicant side); otherwise 404."""
    task = _first_or_404(InspectionTask.objects.select_related("applicant", "district")
                         .filter(pk=task_id))
    if not can_view_task(user, task):
        raise Http404
    return task


def task_item_get(user: User, item_id: int, *, task: InspectionTask | None = None
                  ) -> TaskItem:
    """A checklist item of a task ``user`` may see (of ``task``, when given); else 404."""
    qs = TaskItem.objects.select_related("task__applicant").filter(pk=item_id)
    if task is not None:
        qs = qs.filter(task=task)
    item = _first_or_404(qs)
    if task is not None:
        item.task = task
    elif not can_view_task(user, item.task):
        raise Http404
    return item


def conclusion_get(user: User, conclusion_id: int, *, task: InspectionTask | None = None
                   ) -> Conclusion:
    """A conclusion of a task ``user`` may see (of ``task``, when given); proposals are the
    inspectors' business, so 404 for anyone outside the bureau."""
    if not (user.is_authenticated and user.is_bureau_staff):
        raise Http404
    qs = Conclusion.objects.select_related("task__applicant").filter(pk=conclusion_id)
    if task is not None:
        qs = qs.filter(task=task)
    conclusion = _first_or_404(qs)
    if task is not None:
        conclusion.task = task
    return conclusion


def evidence_get(user: User, evidence_id: int) -> ItemEvidence:
    """A photo, video or document of a task ``user`` may see; otherwise 404."""
    evidence = _first_or_404(ItemEvidence.objects.select_related("item__task__applicant")
                             .filter(pk=evidence_id))
    if not can_view_task(user, evidence.item.task):
        raise Http404
    return evidence


def booking_task_get(user: User, task_id: int) -> InspectionTask:
    """A task whose booking ``user`` may manage (the applicant side, a dispatcher); 404
    for anyone else."""
    task = _first_or_404(InspectionTask.objects.select_related("applicant").filter(pk=task_id))
    if not booking_services.may_book(user, task):
        raise Http404
    return task


def booking_get(user: User, booking_id: int) -> Booking:
    """A booking ``user`` may see (the applicant side, a dispatcher, the task's
    inspectors); 404 for anyone else."""
    booking = _first_or_404(Booking.objects.select_related("task__applicant")
                            .filter(pk=booking_id))
    if not booking_services.may_see_booking(user, booking):
        raise Http404
    return booking


# ---------------------------------------------------------------- the clock

@dataclass(frozen=True)
class BoardClock:
    """How much of a promise is left: ``level`` is "overdue", "amber" or "ok"."""

    due: datetime
    remaining: timedelta
    level: str

    @property
    def label(self) -> str:
        left = abs(self.remaining)
        days, rest = divmod(int(left.total_seconds()), 86400)
        hours, rest = divmod(rest, 3600)
        minutes = rest // 60
        if days:
            span = _("{d} 天 {h} 小时").format(d=days, h=hours)
        elif hours:
            span = _("{h} 小时 {m} 分钟").format(h=hours, m=minutes)
        else:
            span = _("{m} 分钟").format(m=minutes)
        if self.level == "overdue":
            return _("已超时 {span}").format(span=span)
        return _("剩余 {span}").format(span=span)


def board_clock(*, start: datetime | None, due: datetime, now: datetime | None = None
                ) -> BoardClock:
    """Overdue once ``due`` has passed; amber when less than a quarter of the time from
    ``start`` to ``due`` is left (a promise with no time at all, 即时办, is amber at once)."""
    now = now or timezone.now()
    remaining = due - now
    if remaining < timedelta(0):
        level = "overdue"
    else:
        total = due - start if start else timedelta(0)
        level = "amber" if total <= timedelta(0) or remaining < total * AMBER_SHARE else "ok"
    return BoardClock(due=due, remaining=remaining, level=level)


def _tier_rank():
    return SqlCase(*[When(tier=t, then=Value(n)) for n, t in enumerate(TIER_ORDER)],
                   default=Value(len(TIER_ORDER)), output_field=IntegerField())


def board_tier_groups(rows) -> list[tuple[str, str, list]]:
    """``rows`` (requests or tasks, already ordered) as (tier, label, rows) in tier order."""
    labels = dict(Tier.choices)
    groups: dict[str, list] = {t: [] for t in TIER_ORDER}
    for row in rows:
        groups.setdefault(row.tier, []).append(row)
    return [(t, labels.get(t, t), items) for t, items in groups.items() if items]


# ---------------------------------------------------------------- lists

def board_open_requests(*, tier: str = "", district_id: int | None = None,
                        sort: str = "promised") -> QuerySet[InspectionRequest]:
    """Requests no task covers yet, the nearest promise first (or by tier, then promise)."""
    qs = dispatch.open_requests()
    if tier:
        qs = qs.filter(tier=tier)
    if district_id:
        qs = qs.filter(case__district_id=district_id)
    if sort == "tier":
        qs = qs.annotate(tier_rank=_tier_rank()).order_by("tier_rank", "promised_by", "pk")
    return qs


def _with_rows(qs: QuerySet[InspectionTask]) -> QuerySet[InspectionTask]:
    """What a task row shows, fetched in a fixed number of queries."""
    # the request that set the task's promise (the nearest one, as task_create chose it)
    first_request = (InspectionRequest.objects.filter(task=OuterRef("pk"))
                     .order_by("promised_by", "requested_at").values("requested_at")[:1])
    return (qs.select_related("applicant", "district", "trip")
            .prefetch_related(
                Prefetch("assignments", to_attr="active_assignments",
                         queryset=Assignment.objects.filter(released_at__isnull=True)
                         .select_related("inspector", "assigned_by")
                         .order_by("assigned_at", "pk")),
                Prefetch("cases", queryset=Case.objects.select_related("matter").order_by("pk")))
            .annotate(requested_from=Subquery(first_request)))


def board_tasks(*, user: User, status: str = "", tier: str = "", district_id: int | None = None,
                sort: str = "promised", open_only: bool = True) -> QuerySet[InspectionTask]:
    """Tasks ``user`` may see (all for staff, the applicant side's own otherwise), open ones
    only unless ``open_only`` is false."""
    qs = visible_tasks(user)
    if open_only:
        qs = qs.filter(status__in=OPEN_TASK_STATES)
    if status:
        qs = qs.filter(status=status)
    if tier:
        qs = qs.filter(tier=tier)
    if district_id:
        qs = qs.filter(district_id=district_id)
    qs = _with_rows(qs)
    if sort == "tier":
        return qs.annotate(tier_rank=_tier_rank()).order_by("tier_rank", "promised_by", "pk")
    return qs.order_by("promised_by", "pk")


def board_task_clock(task: InspectionTask, *, now: datetime | None = None) -> BoardClock:
    start = getattr(task, "requested_from", None) or task.created_at
    return board_clock(start=start, due=task.promised_by, now=now)


# ---------------------------------------------------------------- one task

def board_task_get(*, user: User, task_id: int) -> InspectionTask:
    """One task for its dispatch page, with its checklist, assignment history and draws;
    404 for anyone outside the bureau (and for a task that does not exist)."""
    if not (user.is_authenticated and user.is_bureau_staff):
        raise Http404
    qs = _with_rows(InspectionTask.objects.all()).select_related("created_by").prefetch_related(
        Prefetch("items", queryset=TaskItem.objects.prefetch_related(
            Prefetch("cases", queryset=Case.objects.select_related("matter").order_by("pk")))),
        Prefetch("assignments", to_attr="all_assignments",
                 queryset=Assignment.objects.select_related(
                     "inspector", "assigned_by", "released_by").order_by("assigned_at", "pk")),
        Prefetch("draws", queryset=AssignmentDraw.objects.select_related("drawn_by")
                 .prefetch_related("assignments").order_by("drawn_at", "pk")),
        Prefetch("requests", queryset=InspectionRequest.objects.select_related("case")
                 .order_by("requested_at", "pk")))
    try:
        return qs.get(pk=task_id)
    except (InspectionTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class SharedItem:
    item: TaskItem
    matters: list[str]


@dataclass(frozen=True)
class ChecklistSummary:
    count: int
    veto: int
    #: items that stand for the standards of several matters (merged by 并联踏勘)
    shared: list[SharedItem]


def board_checklist_summary(task: InspectionTask) -> ChecklistSummary:
    """The merged checklist at a glance (uses the prefetched items of ``board_task_get``)."""
    items = list(task.items.all())
    shared = []
    for item in items:
        matters = sorted({c.matter.name for c in item.cases.all()})
        if len(matters) > 1:
            shared.append(SharedItem(item, matters))
    return ChecklistSummary(count=len(items), veto=sum(1 for i in items if i.veto),
                            shared=shared)


def board_draw_verified(draw: AssignmentDraw, logged: dict | None = None) -> bool:
    """``dispatch.draw_verify``, where a record too damaged to recompute counts as false."""
    try:
        return dispatch.draw_verify(draw, logged)
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class DrawRow:
    draw: AssignmentDraw
    verified: bool
    chosen: list[User | int]
    eligible: list[User | int]
    excluded: list[tuple[User | int, str]]


def board_draw_rows(draws: list[AssignmentDraw]) -> list[DrawRow]:
    """Draw records with the people behind the recorded ids (one query for all) and whether
    the recorded result follows from the seed (``dispatch.draw_verify``)."""
    ids: set[int] = set()
    for draw in draws:
        ids.update(int(i) for i in draw.eligible)
        ids.update(int(i) for i in draw.chosen)
        ids.update(int(i) for i in draw.excluded)
    people = User.objects.in_bulk(ids) if ids else {}
    logs = dispatch.draw_logs(draws) if draws else {}

    def who(pk) -> User | int:
        return people.get(int(pk), int(pk))

    return [DrawRow(draw=d, verified=board_draw_verified(d, logs.get(d.pk, {})),
                    chosen=[who(i) for i in d.chosen], eligible=[who(i) for i in d.eligible],
                    excluded=[(who(k), v) for k, v in sorted(d.excluded.items(),
                                                             key=lambda kv: int(kv[0]))])
            for d in draws]


@dataclass(frozen=True)
class EligibilityRow:
    inspector: User
    eligible: bool
    reason: str


def board_eligibility(task: InspectionTask) -> list[EligibilityRow]:
    """Every inspector for ``task``: the eligible first, then the excluded with the reason."""
    result = dispatch.inspector_eligibility(task)
    excluded = User.objects.in_bulk(list(result.excluded)) if result.excluded else {}
    rows = [EligibilityRow(u, True, "") for u in result.eligible]
    rows += [EligibilityRow(excluded[pk], False, reason)
             for pk, reason in sorted(result.excluded.items()) if pk in excluded]
    return rows


# ---------------------------------------------------------------- trips and draws

def board_trip_get(*, user: User, trip_id: int) -> Trip:
    """One trip with its tasks (rows as on the board); 404 outside the bureau."""
    if not (user.is_authenticated and user.is_bureau_staff):
        raise Http404
    qs = Trip.objects.select_related("district", "created_by").prefetch_related(
        Prefetch("tasks", queryset=_with_rows(InspectionTask.objects.all())
                 .order_by("promised_by", "pk")))
    try:
        return qs.get(pk=trip_id)
    except (Trip.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def board_trip_draws(trip: Trip) -> list[AssignmentDraw]:
    return list(AssignmentDraw.objects.filter(task__trip=trip).select_related("task", "drawn_by")
                .prefetch_related("assignments").order_by("drawn_at", "pk"))


def board_draw_get(*, user: User, draw_id: int) -> AssignmentDraw:
    """A draw record for bureau staff; 404 for anyone else."""
    if not (user.is_authenticated and user.is_bureau_staff):
        raise Http404
    try:
        return AssignmentDraw.objects.select_related("task", "drawn_by").get(pk=draw_id)
    except (AssignmentDraw.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
