"""Queries for the expert pages and API: the pool with its filters, an expert's records,
the draws, an expert's own invitations, a draw record with everything it shows. Each
returns a queryset (or a small dataclass) with the joins done, so lists do not grow their
query count with their rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet

from experts.models import (
    DrawRound,
    Expert,
    ExpertDraw,
    ExpertRating,
    Invitation,
    InvitationStatus,
    MeetingStatus,
)

S = InvitationStatus


def pool(*, q: str = "", field_id: int | None = None, industry: str = "",
         active: bool | None = None) -> QuerySet[Expert]:
    qs = Expert.objects.all()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employer__icontains=q) | Q(title__icontains=q))
    if field_id:
        qs = qs.filter(fields__pk=field_id)
    if industry:
        qs = qs.filter(industries__icontains=industry)
    if active is not None:
        qs = qs.filter(active=active)
    return qs.distinct().order_by("pk")


def pool_page_rows(qs: QuerySet[Expert]) -> QuerySet[Expert]:
    """The pool list: fields prefetched and the linked login joined."""
    return qs.select_related("user").prefetch_related("fields")


@dataclass(frozen=True)
class Records:
    invited: int
    accepted: int
    declined: int
    timed_out: int
    on_time: int
    answered: int
    no_shows: int
    participated: int
    rating_avg: float | None
    rating_count: int

    @property
    def on_time_rate(self) -> int | None:
        total = self.answered + self.timed_out
        return round(self.on_time * 100 / total) if total else None


def expert_records(expert: Expert) -> Records:
    counts = expert.invitations.aggregate(
        invited=Count("pk"), accepted=Count("pk", filter=Q(status=S.ACCEPTED)),
        declined=Count("pk", filter=Q(status=S.DECLINED)),
        timed_out=Count("pk", filter=Q(status=S.TIMED_OUT)),
        answered=Count("pk", filter=Q(replied_at__isnull=False)),
        on_time=Count("pk", filter=Q(replied_at__isnull=False,
                                     replied_at__lte=F("reply_due"))),
        no_shows=Count("pk", filter=Q(attended=False)),
        participated=Count("pk", filter=Q(status=S.ACCEPTED,
                                          draw__meeting__status=MeetingStatus.CONCLUDED)
                           & ~Q(attended=False)))
    ratings = expert.ratings.aggregate(avg=Avg("score"), n=Count("pk"))
    return Records(rating_avg=ratings["avg"], rating_count=ratings["n"], **counts)


def expert_invitations(expert: Expert) -> QuerySet[Invitation]:
    return (expert.invitations.select_related("draw__case__matter", "draw__case__applicant",
                                              "draw__meeting", "draw__field")
            .order_by("-invited_at", "-pk"))


def expert_ratings(expert: Expert) -> QuerySet[ExpertRating]:
    return expert.ratings.select_related("rated_by", "meeting__draw").order_by("-rated_at")


def draws(*, status: str = "") -> QuerySet[ExpertDraw]:
    qs = ExpertDraw.objects.select_related("case__matter", "case__applicant", "field",
                                           "requested_by")
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        n_accepted=Count("invitations", filter=Q(invitations__status=S.ACCEPTED)),
        n_pending=Count("invitations", filter=Q(invitations__status=S.PENDING)),
    ).order_by("-requested_at", "-pk")


def draw_detail(draw_id: int) -> ExpertDraw | None:
    return (ExpertDraw.objects.select_related(
        "case__matter", "case__applicant", "field", "requested_by", "cancelled_by",
        "meeting__chair", "meeting__minutes")
        .prefetch_related(
            Prefetch("rounds", queryset=DrawRound.objects.select_related(
                "drawn_by", "trigger__expert").order_by("number")),
            Prefetch("invitations", queryset=Invitation.objects.select_related(
                "expert", "replied_by", "round").order_by("invited_at", "pk")))
        .filter(pk=draw_id).first())


def case_draws(case) -> QuerySet[ExpertDraw]:
    return (ExpertDraw.objects.filter(case=case)
            .select_related("field", "meeting", "meeting__minutes", "meeting__chair")
            .prefetch_related(Prefetch("invitations", queryset=Invitation.objects
                                       .select_related("expert").order_by("pk")))
            .order_by("-requested_at"))
