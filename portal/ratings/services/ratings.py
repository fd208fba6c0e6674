"""Ratings (好差评): the applicant side rates a step once it has happened, online from its
own account; a counter clerk or a supervisor may record a paper or telephone rating on the
applicant's behalf (marked as such), never about a step they performed themselves. One
rating per case and step, enforced by a unique constraint: of two concurrent submissions
one is stored and the other is refused with 409. A bad rating opens a rectification item in
the same transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from approvals.models import Case, CaseParticipant, CaseStatusChange
from portal.accounts.models import User
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.ratings.models import Rating, RatingChannel
from portal.ratings.permissions import is_applicant_side, may_record_on_behalf
from portal.ratings.steps import STEP_DUTIES, STEP_TRANSITIONS, Level, RatableStep, is_bad

MAX_COMMENT = 1000


def case_steps_done(case: Case) -> list[str]:
    """The ratable steps that have happened on ``case`` (in step order)."""
    from portal.ratings.steps import steps_done

    names = set(CaseStatusChange.objects.filter(case=case).values_list("transition", flat=True))
    return steps_done(names)


def step_staff_ids(case: Case, step: str) -> list[int]:
    """Who a rating of ``step`` is about: who ran its transitions or holds its duties."""
    actors = set(CaseStatusChange.objects.filter(
        case=case, transition__in=STEP_TRANSITIONS[step]).values_list("actor_id", flat=True))
    duties = set(CaseParticipant.objects.filter(
        case=case, stage__in=STEP_DUTIES[step]).values_list("user_id", flat=True))
    return sorted(actors | duties)


def _clean(step: str, level, comment: str, channel: str) -> tuple[int, str]:
    if step not in RatableStep.values:
        raise ApplicationError(_("未知的服务环节。"), "invalid_step")
    if channel not in RatingChannel.values:
        raise ApplicationError(_("未知的评价渠道。"), "invalid_channel")
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in Level.values:
        raise ApplicationError(_("请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意。"),
                               "level_required")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ApplicationError(_("评价意见不能超过 {n} 字。").format(n=MAX_COMMENT),
                               "comment_too_long")
    if is_bad(level) and not comment:
        raise ApplicationError(_("请写明不满意的原因，以便我们核实整改。"), "comment_required")
    return level, comment


def _check_rater(case: Case, step: str, by: User, channel: str, staff_ids: list[int]) -> None:
    if channel == RatingChannel.ONLINE:
        if is_applicant_side(by, case):
            return
        if by.is_authenticated and by.is_bureau_staff:
            raise PermissionRefused(_("工作人员不能以申请人身份评价；代录纸质或电话评价请选择评价渠道。"),
                                    "permission_denied")
        raise ApplicationError(_("办件不存在。"), "not_found", status=404)
    if not may_record_on_behalf(by):
        raise PermissionRefused(_("只有综合窗口受理员或督查人员可以代录评价。"), "permission_denied")
    if by.pk in staff_ids:
        raise PermissionRefused(_("您办理了该环节，不能代录对本环节的评价。"), "own_service")


def rating_submit(*, case: Case, step: str, level, by: User, comment: str = "",
                  channel: str = RatingChannel.ONLINE) -> Rating:
    """Record the rating of ``step`` of ``case``; a bad one opens a rectification item."""
    from portal.ratings.services.rectifications import rectification_open

    level, comment = _clean(step, level, comment, channel)
    staff_ids = step_staff_ids(case, step)
    _check_rater(case, step, by, channel, staff_ids)
    if step not in case_steps_done(case):
        raise ConflictError(_("“{step}”环节尚未办理，暂不能评价。").format(
            step=RatableStep(step).label), "step_not_done")
    already = ConflictError(_("该办件的“{step}”环节已评价，每个环节只能评价一次。").format(
        step=RatableStep(step).label), "already_rated")
    if Rating.objects.filter(case=case, step=step).exists():
        raise already
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                case=case, step=step, level=level, comment=comment, channel=channel,
                rated_by=by, on_behalf=channel != RatingChannel.ONLINE, staff_ids=staff_ids)
            audit_log(action="ratings.rating_submit", actor=by, obj=rating,
                      after={"case": case.pk, "step": step, "level": level,
                             "channel": channel, "on_behalf": rating.on_behalf})
            if rating.is_bad:
                rectification_open(rating=rating)
    except IntegrityError:
        raise already from None
    return rating
