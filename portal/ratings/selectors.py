"""Read-side queries for ratings, rectification items, callbacks and alerts. They do the
joins, so lists stay at a fixed number of queries whatever their length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from approvals.catalogue import RiskLevel
from approvals.models import AgentAuthorization
from portal.accounts.models import User
from portal.ratings.models import (
    AlertStatus,
    CallbackSample,
    CallbackTask,
    Rating,
    Rectification,
    RiskAlert,
)
from portal.ratings.permissions import (
    is_alert_staff,
    is_callback_staff,
    is_rectify_staff,
    may_see_all_ratings,
)
from portal.ratings.steps import BAD_LEVELS, Level

CASE_JOINS = ("case__matter__section", "case__applicant")


def applicant_side_cases(user: User) -> Q:
    """Cases ``user`` acts for as the applicant side (own, or as an authorised agent);
    unlike ``case_list``, bureau staff get no bureau-wide view here."""
    today = timezone.localdate()
    authorised = AgentAuthorization.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today), agent=user,
        revoked_at__isnull=True).values("applicant_id")
    return Q(case__applicant__user=user) | Q(case__applicant_id__in=authorised)


def _aware(day: date, *, end: bool = False) -> datetime:
    day = day + timedelta(days=1) if end else day
    return timezone.make_aware(datetime.combine(day, time.min))


def ratings(*, user: User, mine: bool = False, step: str = "", level: int | None = None, channel: str = "",
            section: int | None = None, matter: int | None = None,
            date_from: date | None = None, date_to: date | None = None) -> QuerySet[Rating]:
    """All ratings for supervisors (filtered); the applicant side's own for others (and
    for anyone with ``mine``)."""
    qs = Rating.objects.select_related(*CASE_JOINS, "rectification")
    if mine or not may_see_all_ratings(user):
        qs = qs.filter(applicant_side_cases(user))
    if step:
        qs = qs.filter(step=step)
    if level:
        qs = qs.filter(level=level)
    if channel:
        qs = qs.filter(channel=channel)
    if section:
        qs = qs.filter(case__matter__section_id=section)
    if matter:
        qs = qs.filter(case__matter_id=matter)
    if date_from:
        qs = qs.filter(created_at__gte=_aware(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_aware(date_to, end=True))
    return qs


@dataclass(frozen=True)
class LevelShare:
    level: int
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class RatingStats:
    total: int
    levels: list[LevelShare]
    #: share of 非常满意 + 满意 + 基本满意
    satisfied_percent: float
    bad: int


def rating_stats(qs: QuerySet[Rating]) -> RatingStats:
    """The share of each level in ``qs`` (one query)."""
    counts = dict(qs.order_by().values_list("level").annotate(n=Count("pk")))
    total = sum(counts.values())

    def pct(n: int) -> float:
        return round(100 * n / total, 1) if total else 0.0

    bad = sum(counts.get(level, 0) for level in BAD_LEVELS)
    return RatingStats(total, [LevelShare(level, str(label), counts.get(level, 0),
                                          pct(counts.get(level, 0)))
                               for level, label in Level.choices],
                       pct(total - bad), bad)


def rectifications(*, user: User, status: str = "", overdue: bool = False,
                   today: date | None = None) -> QuerySet[Rectification]:
    """Supervisors see all items; a handler the items assigned to them."""
    qs = Rectification.objects.select_related("rating", *CASE_JOINS, "assignee", "appeal")
    if not is_rectify_staff(user):
        qs = qs.filter(assignee=user)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        from portal.ratings.models.ratings import ANSWER_PENDING

        qs = qs.filter(status__in=ANSWER_PENDING,
                       due_date__lt=today or timezone.localdate())
    return qs


def applicant_rectifications(*, user: User) -> QuerySet[Rectification]:
    return (Rectification.objects.select_related("rating", *CASE_JOINS, "appeal")
            .filter(applicant_side_cases(user)))


def rectification_detail(item_id: int) -> Rectification | None:
    return (Rectification.objects
            .select_related("rating__rated_by", *CASE_JOINS, "case__applicant__user",
                            "assignee", "assigned_by", "answered_by", "dismissed_by",
                            "appeal__filed_by", "appeal__decided_by")
            .prefetch_related("calls__called_by").filter(pk=item_id).first())


def callback_tasks(*, user: User, status: str = "", day: date | None = None
                   ) -> QuerySet[CallbackTask]:
    qs = CallbackTask.objects.select_related("sample", *CASE_JOINS, "assignee") \
        .annotate(n_calls=Count("calls"))
    if not is_callback_staff(user):
        qs = qs.filter(assignee=user)
    if status:
        qs = qs.filter(status=status)
    if day:
        qs = qs.filter(sample__day=day)
    return qs.order_by("status", "-sample__day", "pk")


def callback_task_detail(task_id: int) -> CallbackTask | None:
    return (CallbackTask.objects.select_related("sample", *CASE_JOINS, "assignee")
            .prefetch_related("calls__called_by").filter(pk=task_id).first())


def samples() -> QuerySet[CallbackSample]:
    return CallbackSample.objects.annotate(
        n_tasks=Count("tasks"),
        n_done=Count("tasks", filter=~Q(tasks__status="pending"))).order_by("-day")


def _alerts(*, user: User, level: str = "", status: str = "", rule: str = ""
            ) -> QuerySet[RiskAlert]:
    qs = RiskAlert.objects.select_related("case__matter", "assignee")
    if not is_alert_staff(user):
        qs = qs.filter(assignee=user)
    if level:
        qs = qs.filter(level=level)
    if status == "active":
        qs = qs.exclude(status=AlertStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if rule:
        qs = qs.filter(rule=rule)
    return qs


def alerts(*, user: User, level: str = "", status: str = "", rule: str = ""
           ) -> QuerySet[RiskAlert]:
    """The alert role sees all alerts; others the alerts assigned to them. Open first,
    then by level (重, 中, 轻), newest first."""
    rank = Case(When(level=RiskLevel.HIGH, then=Value(0)),
                When(level=RiskLevel.MEDIUM, then=Value(1)),
                default=Value(2), output_field=IntegerField())
    closed = Case(When(status=AlertStatus.CLOSED, then=Value(1)), default=Value(0),
                  output_field=IntegerField())
    return (_alerts(user=user, level=level, status=status, rule=rule)
            .annotate(level_rank=rank, is_closed=closed)
            .order_by("is_closed", "level_rank", "-raised_at", "-pk"))


def alert_counts(*, user: User) -> dict[str, int]:
    """Active (not closed) alerts per level, for the list's tabs."""
    qs = _alerts(user=user, status="active").order_by()
    return dict(qs.values_list("level").annotate(n=Count("pk")))


def alert_detail(alert_id: int) -> RiskAlert | None:
    return (RiskAlert.objects.select_related("case__matter", "case__applicant", "assignee",
                                             "assigned_by", "closed_by")
            .filter(pk=alert_id).first())
