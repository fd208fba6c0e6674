"""Draws (随机抽取): make a recorded random draw of experts for a case, redraw after a
decline or a timeout, refill missing places, cancel, and verify a record.

Every random choice is a ``DrawRound``: the eligible experts at that moment (ascending id,
everyone already invited in the draw excluded), the others with the reason, and a seed
from ``secrets.token_hex(32)`` taken inside the locked transaction, written to the round's
row before the choice is made from it. No caller can pass a seed. ``draw_verify``
recomputes every round from its record.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case, CaseParticipant
from approvals.workflow import CaseStatus
from experts.drawing import (
    Candidate,
    DrawContext,
    Eligibility,
    draw_choice,
    eligibility,
    normalise_name,
)
from experts.models import (
    ACTIVE_INVITATION_STATES,
    DrawRound,
    DrawStatus,
    Expert,
    ExpertDraw,
    ExpertField,
    ExpertRelation,
    ExpertUnavailability,
    Invitation,
    InvitationStatus,
    MeetingMode,
    MeetingStatus,
    ReviewMeeting,
)
from experts.notices import notify_invited, notify_meeting_cancelled, notify_shortfall
from experts.permissions import is_dispatcher
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.numbering import next_number

MAX_EXPERTS = 15
#: Case states in which an expert review may be arranged.
DRAWABLE_STATES = (CaseStatus.UNDER_REVIEW, CaseStatus.NEEDS_INSPECTION, CaseStatus.INSPECTING)


def cooling_off_days() -> int:
    return int(getattr(settings, "ONESEAL_EXPERT_COOLING_OFF_DAYS", 180))


def reply_hours() -> int:
    return int(getattr(settings, "ONESEAL_EXPERT_REPLY_HOURS", 24))


def require_dispatcher(by) -> None:
    if not is_dispatcher(by):
        raise PermissionRefused(_("只有勘验调度员可以抽取专家。"), "permission_denied")


# ---------------------------------------------------------------- facts for the rules

def pool_candidates(day) -> list[Candidate]:
    """Every expert of the pool as the rules see them (five queries, whatever the size)."""
    fields: dict[int, set[int]] = {}
    for expert_id, field_id in Expert.fields.through.objects.values_list("expert_id",
                                                                        "expertfield_id"):
        fields.setdefault(expert_id, set()).add(field_id)
    absent: dict[int, list] = {}
    for expert_id, start, end in ExpertUnavailability.objects.filter(
            start__lte=day, end__gte=day).values_list("expert_id", "start", "end"):
        absent.setdefault(expert_id, []).append((start, end))
    relations: dict[int, tuple[set, set, set]] = {}
    for expert_id, applicant_id, code, name, a_code, a_name in ExpertRelation.objects.filter(
            active=True).values_list("expert_id", "applicant_id", "org_code", "org_name",
                                     "applicant__id_number", "applicant__name"):
        ids, codes, names = relations.setdefault(expert_id, (set(), set(), set()))
        if applicant_id:
            ids.add(applicant_id)
        codes.update(c.upper() for c in (code, a_code) if c)
        names.update(normalise_name(n) for n in (name, a_name) if n)
    none = (set(), set(), set())
    return [Candidate(
        id=pk, active=active, field_ids=frozenset(fields.get(pk, ())), employer=employer,
        unavailable=tuple(absent.get(pk, ())),
        relation_applicant_ids=frozenset(relations.get(pk, none)[0]),
        relation_codes=frozenset(relations.get(pk, none)[1]),
        relation_names=frozenset(relations.get(pk, none)[2]), user_id=user_id)
        for pk, active, employer, user_id in Expert.objects.order_by("pk").values_list(
            "pk", "active", "employer", "user_id")]


def draw_context(*, case: Case, field: ExpertField, meeting_at: datetime,
                 exclusions: dict[int, str], draw: ExpertDraw | None = None,
                 days: int | None = None) -> DrawContext:
    days = cooling_off_days() if days is None else days
    since = timezone.now() - timedelta(days=days)
    recent = Invitation.objects.filter(
        draw__case__applicant_id=case.applicant_id, invited_at__gte=since,
        status__in=ACTIVE_INVITATION_STATES).exclude(draw__status=DrawStatus.CANCELLED)
    if draw is not None:
        recent = recent.exclude(draw=draw)
    duties: dict[int, set[str]] = {}
    for user_id, stage in CaseParticipant.objects.filter(case=case).values_list("user_id",
                                                                               "stage"):
        duties.setdefault(user_id, set()).add(stage)
    if case.applicant.user_id:
        duties.setdefault(case.applicant.user_id, set()).add("apply")
    applicant = case.applicant
    return DrawContext(
        field_id=field.pk, field_name=field.name, day=timezone.localdate(meeting_at),
        applicant_id=applicant.pk, applicant_code=applicant.id_number,
        applicant_name=applicant.name,
        applicant_is_organisation=applicant.kind == applicant.Kind.ORGANISATION,
        cooling_off_days=days, recently_drawn=frozenset(recent.values_list("expert_id",
                                                                           flat=True)),
        case_duties={k: frozenset(v) for k, v in duties.items()},
        already_drawn=frozenset(draw.invitations.values_list("expert_id", flat=True)
                                if draw is not None else ()),
        exclusions={int(k): v for k, v in exclusions.items()})


def draw_eligibility(draw: ExpertDraw) -> Eligibility:
    """Who could be drawn for ``draw`` now (for a redraw: not anyone invited already)."""
    ctx = draw_context(case=draw.case, field=draw.field, meeting_at=draw.meeting_at,
                       exclusions=draw.exclusions, draw=draw, days=draw.cooling_off_days)
    return eligibility(pool_candidates(ctx.day), ctx)


def preview_eligibility(*, case: Case, field: ExpertField, meeting_at: datetime,
                        exclusions: dict[int, str] | None = None) -> Eligibility:
    """The eligibility a new draw would see (for the request form)."""
    ctx = draw_context(case=case, field=field, meeting_at=meeting_at,
                       exclusions=exclusions or {})
    return eligibility(pool_candidates(ctx.day), ctx)


# ---------------------------------------------------------------- making a round

def _reply_due(draw: ExpertDraw, now: datetime) -> datetime:
    return max(now, min(now + timedelta(hours=reply_hours()), draw.meeting_at))


def _invite(draw: ExpertDraw, round_: DrawRound, expert: Expert, now: datetime) -> Invitation:
    invitation = Invitation.objects.create(draw=draw, round=round_, expert=expert,
                                           invited_at=now, reply_due=_reply_due(draw, now))
    notify_invited(invitation)
    return invitation


def make_round(draw: ExpertDraw, *, kind: str, k: int, by,
               trigger: Invitation | None = None) -> tuple[DrawRound | None, Eligibility]:
    """Draw ``k`` among the eligible now and invite them (no round when too few are
    eligible), with the eligibility it saw. Call with the draw row locked."""
    found = draw_eligibility(draw)
    if len(found.eligible) < k:
        return None, found
    now = timezone.now()
    number = (draw.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    round_ = DrawRound.objects.create(
        draw=draw, number=number, kind=kind, trigger=trigger,
        seed=secrets.token_hex(32),  # from the OS, now, recorded with the list it applies to
        eligible=found.eligible, excluded={str(i): r for i, r in found.excluded.items()},
        k=k, drawn_by=by, drawn_at=now)
    round_.chosen = draw_choice(round_.eligible, round_.seed, k)
    round_.save(update_fields=["chosen"])
    experts = Expert.objects.in_bulk(round_.chosen)
    for expert_id in round_.chosen:
        _invite(draw, round_, experts[expert_id], now)
    audit_log(action="experts.draw_round", actor=by, obj=draw,
              after={"round": number, "kind": kind, "k": k, "seed": round_.seed,
                     "eligible": [int(i) for i in round_.eligible], "chosen": round_.chosen,
                     "trigger": getattr(trigger, "pk", None)})
    return round_, found


def _not_enough(k: int, found: int) -> ConflictError:
    return ConflictError(
        _("符合条件的专家不足：需要 {k} 人，目前仅 {n} 人符合条件（已排除停用、领域不符、当日不可用、"
          "回避及四分离人员）。请调整评审时间、专业领域或排除名单后重试。").format(k=k, n=found),
        "not_enough_experts")


# ---------------------------------------------------------------- the request

def _check_request(case: Case, field: ExpertField | None, count: int, meeting_at,
                   exclusions: dict) -> None:
    errors = {}
    if not case.matter.needs_expert_review:
        raise ApplicationError(_("该事项未配置专家评审，不能抽取专家。"), "no_expert_review")
    if case.status not in DRAWABLE_STATES:
        raise ConflictError(_("办件当前状态为“{status}”，只有审查或勘验阶段的办件可以组织专家评审。")
                            .format(status=case.get_status_display()), "case_not_drawable")
    if field is None:
        errors["field"] = _("请选择专业领域。")
    if not isinstance(count, int) or not 1 <= count <= MAX_EXPERTS:
        errors["count"] = _("抽取人数须为 1–{n} 人。").format(n=MAX_EXPERTS)
    if meeting_at is None or meeting_at <= timezone.now():
        errors["meeting_at"] = _("评审时间须晚于当前时间。")
    if any(not str(reason or "").strip() for reason in exclusions.values()):
        errors["exclusions"] = _("排除专家须逐一说明理由。")
    if errors:
        raise ApplicationError(next(iter(errors.values())), "invalid", extra={"errors": errors})


def expert_review_clock(case: Case, *, stop: bool) -> None:
    """Expert review time does not count against the time limit (行政许可法 第45条): the
    case's running stage clock stops when experts are drawn and runs again when the
    meeting concludes or the draw is cancelled."""
    from approvals.models import StagePause
    from approvals.services.clocks import stage_pause, stage_resume

    stage = case.stages.filter(ended_at__isnull=True).order_by("-started_at").first()
    if stage is None:
        return
    if stop:
        stage_pause(case, stage.name, StagePause.Reason.EXPERT_REVIEW)
    elif stage.pauses.filter(ended_at__isnull=True,
                             reason=StagePause.Reason.EXPERT_REVIEW).exists():
        stage_resume(case, stage.name)
        case.save(update_fields=["promised_date", "updated_at"])


def draw_create(*, case: Case, field: ExpertField | None, count: int, meeting_at: datetime,
                mode: str = MeetingMode.ONSITE, place: str = "",
                exclusions: dict[int, str] | None = None, note: str = "",
                by) -> ExpertDraw:
    """Record the request, draw ``count`` experts among the eligible, invite them and
    set up the meeting. Too few eligible: nothing is recorded, a Chinese error says why."""
    from experts.services.meetings import meeting_create

    require_dispatcher(by)
    exclusions = {int(k): str(v).strip()[:200] for k, v in (exclusions or {}).items()}
    _check_request(case, field, count, meeting_at, exclusions)
    if mode not in MeetingMode.values:
        raise ApplicationError(_("请选择评审方式。"), "invalid")
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("applicant", "matter") \
            .get(pk=case.pk)
        open_draw = case.expert_draws.filter(status=DrawStatus.OPEN).first()
        if open_draw is not None:
            raise ConflictError(_("本件已有进行中的专家抽取 {number}，如需重新组织请先取消。").format(
                number=open_draw.number), "draw_exists")
        year = timezone.localdate().year
        draw = ExpertDraw.objects.create(
            number=f"ZJ-{year}-{next_number(f'expert-draw:{year}'):05d}", case=case,
            field=field, count=count, meeting_at=meeting_at, mode=mode,
            place=(place or "").strip()[:200], exclusions={str(k): v for k, v in
                                                           sorted(exclusions.items())},
            cooling_off_days=cooling_off_days(), note=(note or "").strip()[:300],
            requested_by=by, requested_at=timezone.now())
        round_, found = make_round(draw, kind=DrawRound.Kind.INITIAL, k=count, by=by)
        if round_ is None:
            raise _not_enough(count, len(found.eligible))
        meeting_create(draw)
        expert_review_clock(case, stop=True)
    return draw


def locked_draw(draw: ExpertDraw) -> ExpertDraw:
    return ExpertDraw.objects.select_for_update(of=("self",)).select_related(
        "case__applicant", "case__matter", "field").get(pk=draw.pk)


def open_places(draw: ExpertDraw) -> int:
    return draw.count - draw.invitations.filter(status__in=ACTIVE_INVITATION_STATES).count()


def redraw_after(invitation: Invitation, *, by) -> DrawRound | None:
    """A place freed by a decline or a timeout is drawn again among the remaining
    eligible; with none left the dispatcher is told. Call with the draw locked."""
    draw = invitation.draw
    if draw.status != DrawStatus.OPEN or open_places(draw) <= 0:
        return None
    round_, _found = make_round(draw, kind=DrawRound.Kind.REDRAW, k=1, by=by,
                                trigger=invitation)
    notify_shortfall(invitation, round_)
    if round_ is None:
        audit_log(action="experts.redraw_short", actor=by, obj=draw,
                  after={"trigger": invitation.pk})
    return round_


def draw_refill(*, draw: ExpertDraw, by) -> DrawRound:
    """Draw for places still open (after a redraw found nobody)."""
    require_dispatcher(by)
    with transaction.atomic():
        draw = locked_draw(draw)
        if draw.status != DrawStatus.OPEN:
            raise ConflictError(_("该抽取已结束或已取消。"), "draw_closed")
        need = open_places(draw)
        if need <= 0:
            raise ConflictError(_("受邀专家人数已满，无需补抽。"), "draw_full")
        round_, found = make_round(draw, kind=DrawRound.Kind.REFILL, k=need, by=by)
        if round_ is None:
            raise _not_enough(need, len(found.eligible))
    return round_


def draw_cancel(*, draw: ExpertDraw, by, reason: str) -> ExpertDraw:
    """Cancel an open draw (e.g. the case was withdrawn): invitations and meeting lapse."""
    require_dispatcher(by)
    if not (reason or "").strip():
        raise ApplicationError(_("取消专家抽取须说明原因。"), "reason_required")
    with transaction.atomic():
        draw = locked_draw(draw)
        if draw.status != DrawStatus.OPEN:
            raise ConflictError(_("该抽取已结束或已取消。"), "draw_closed")
        draw.status, draw.cancelled_at, draw.cancelled_by = (DrawStatus.CANCELLED,
                                                             timezone.now(), by)
        draw.cancel_reason = reason.strip()[:300]
        draw.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
        lapsed = list(draw.invitations.filter(status__in=ACTIVE_INVITATION_STATES)
                      .select_related("expert__user", "draw__case__matter"))
        draw.invitations.filter(pk__in=[i.pk for i in lapsed]).update(
            status=InvitationStatus.CANCELLED)
        ReviewMeeting.objects.filter(draw=draw).update(status=MeetingStatus.CANCELLED)
        for invitation in lapsed:
            notify_meeting_cancelled(invitation, reason=draw.cancel_reason)
        expert_review_clock(draw.case, stop=False)
        audit_log(action="experts.draw_cancel", actor=by, obj=draw,
                  after={"reason": draw.cancel_reason, "invitations": [i.pk for i in lapsed]})
    return draw


# ---------------------------------------------------------------- verification

@dataclass(frozen=True)
class RoundCheck:
    number: int
    recomputed: list[int]
    recorded: list[int]
    invited: list[int]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def round_check(round_: DrawRound, earlier: set[int], invited: list[int],
                logged: dict | None = None) -> RoundCheck:
    """Recompute one round; ``logged`` is the round as the hash-chained audit trail wrote
    it at draw time (so an edit of the draw record itself is caught too)."""
    problems = []
    eligible = [int(i) for i in round_.eligible]
    recorded = [int(i) for i in round_.chosen]
    try:
        recomputed = draw_choice(eligible, round_.seed, round_.k)
    except (ValueError, TypeError):
        recomputed = []
        problems.append(_("记录的种子或候选名单无效，无法重算"))
    if recomputed != recorded:
        problems.append(_("重算结果与记录的抽中专家不一致"))
    if eligible != sorted(set(eligible)):
        problems.append(_("候选名单未按编号排序或有重复"))
    if earlier & set(eligible):
        problems.append(_("候选名单含有此前已被抽中的专家"))
    if sorted(invited) != sorted(recorded):
        problems.append(_("实际邀请的专家与抽中结果不一致"))
    if logged is None:
        problems.append(_("审计日志中没有该轮抽取的记录"))
    elif (logged.get("seed"), logged.get("eligible"), logged.get("chosen"), logged.get("k")) != (
            round_.seed, eligible, recorded, round_.k):
        problems.append(_("抽取记录与审计日志中当时记下的种子、候选名单或结果不一致"))
    return RoundCheck(round_.number, recomputed, recorded, invited, problems)


def draw_verify(draw: ExpertDraw) -> list[RoundCheck]:
    """Recompute every round of ``draw`` from its record (no database writes)."""
    invited: dict[int, list[int]] = {}
    for round_id, expert_id in draw.invitations.values_list("round_id", "expert_id"):
        invited.setdefault(round_id, []).append(expert_id)
    from portal.core.models import AuditEntry

    logged = {e.get("round"): e for e in AuditEntry.objects.filter(
        action="experts.draw_round", object_id=str(draw.pk)).values_list("after", flat=True)}
    checks, earlier = [], set()
    for round_ in draw.rounds.order_by("number"):
        checks.append(round_check(round_, earlier, invited.get(round_.pk, []),
                                  logged.get(round_.number)))
        earlier |= {int(i) for i in round_.chosen}
    return checks


def draw_verified(draw: ExpertDraw) -> bool:
    checks = draw_verify(draw)
    return bool(checks) and all(c.ok for c in checks)
