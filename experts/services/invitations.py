"""Invitations: the drawn expert accepts or declines (with a reason) before the reply
deadline; a decline or a timeout frees the place and a recorded redraw fills it from the
remaining eligible. The dispatcher may record an answer given by telephone (recorded as
theirs) and marks who did not come (no-show).

Timeouts are found by a beat-scheduled sweep (``experts.tasks.invitation_timeouts``):
each invitation is re-read under a row lock, so two sweeps never redraw twice.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import DrawRound, DrawStatus, Invitation, InvitationStatus
from experts.permissions import expert_of, is_dispatcher
from experts.services.draws import locked_draw, redraw_after
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused

S = InvitationStatus


def may_answer(user, invitation: Invitation) -> bool:
    own = expert_of(user)
    return (own is not None and own.pk == invitation.expert_id) or is_dispatcher(user)


def _locked(invitation: Invitation) -> Invitation:
    """Lock the draw first, then the invitation (one order everywhere: no deadlock)."""
    locked_draw(invitation.draw)
    return (Invitation.objects.select_for_update(of=("self",))
            .select_related("draw__case__applicant", "draw__case__matter", "draw__field",
                            "draw__requested_by", "expert__user")
            .get(pk=invitation.pk))


def _check_answerable(invitation: Invitation, by, now: datetime) -> None:
    if not may_answer(by, invitation):
        raise PermissionRefused(_("只能答复发给本人的邀请。"), "permission_denied")
    if invitation.draw.status != DrawStatus.OPEN:
        raise ConflictError(_("该评审已取消或已结束。"), "draw_closed")
    if invitation.status != S.PENDING:
        raise ConflictError(_("该邀请已答复（{status}），不能再次答复。").format(
            status=invitation.get_status_display()), "already_answered")
    if now > invitation.reply_due:
        raise ConflictError(_("已超过答复期限，邀请已失效。"), "reply_overdue")


def invitation_accept(*, invitation: Invitation, by) -> Invitation:
    now = timezone.now()
    with transaction.atomic():
        invitation = _locked(invitation)
        _check_answerable(invitation, by, now)
        invitation.status, invitation.replied_at, invitation.replied_by = S.ACCEPTED, now, by
        invitation.save(update_fields=["status", "replied_at", "replied_by"])
        audit_log(action="experts.invitation_accept", actor=by, obj=invitation.draw,
                  after={"invitation": invitation.pk, "expert": invitation.expert_id,
                         "on_behalf": by.pk != invitation.expert.user_id})
    return invitation


def invitation_decline(*, invitation: Invitation, by, reason: str) -> tuple[Invitation,
                                                                            DrawRound | None]:
    """Decline with a reason; the place is redrawn at once (the new round, or None)."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("谢绝邀请须说明理由。"), "reason_required",
                               extra={"errors": {"reason": _("请填写谢绝理由。")}})
    now = timezone.now()
    with transaction.atomic():
        invitation = _locked(invitation)
        _check_answerable(invitation, by, now)
        invitation.status, invitation.replied_at, invitation.replied_by = S.DECLINED, now, by
        invitation.decline_reason = reason[:300]
        invitation.save(update_fields=["status", "replied_at", "replied_by", "decline_reason"])
        audit_log(action="experts.invitation_decline", actor=by, obj=invitation.draw,
                  after={"invitation": invitation.pk, "expert": invitation.expert_id,
                         "reason": invitation.decline_reason,
                         "on_behalf": by.pk != invitation.expert.user_id})
        round_ = redraw_after(invitation, by=by)
    return invitation, round_


def invitation_expire(*, invitation: Invitation, now: datetime | None = None
                      ) -> DrawRound | None:
    """Time out one unanswered invitation past its deadline and redraw (idempotent)."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _locked(invitation)
        if invitation.status != S.PENDING or invitation.reply_due >= now:
            return None
        invitation.status = S.TIMED_OUT
        invitation.save(update_fields=["status"])
        audit_log(action="experts.invitation_timeout", actor=None, obj=invitation.draw,
                  after={"invitation": invitation.pk, "expert": invitation.expert_id,
                         "reply_due": invitation.reply_due})
        return redraw_after(invitation, by=None)


def invitation_expire_due(*, now: datetime | None = None) -> int:
    """Every pending invitation past its reply deadline: timed out and redrawn."""
    now = now or timezone.now()
    ids = list(Invitation.objects.filter(status=S.PENDING, reply_due__lt=now,
                                         draw__status=DrawStatus.OPEN)
               .order_by("reply_due", "pk").values_list("pk", flat=True))
    expired = 0
    for invitation in Invitation.objects.filter(pk__in=ids).select_related("draw"):
        before = invitation.status
        invitation_expire(invitation=invitation, now=now)
        invitation.refresh_from_db(fields=["status"])
        expired += before == S.PENDING and invitation.status == S.TIMED_OUT
    return expired


def invitation_attendance(*, invitation: Invitation, by, attended: bool) -> Invitation:
    """The dispatcher records whether an expert who accepted came (no-shows are tracked)."""
    if not is_dispatcher(by):
        raise PermissionRefused(_("只有勘验调度员可以登记专家到会情况。"), "permission_denied")
    with transaction.atomic():
        invitation = _locked(invitation)
        if invitation.status != S.ACCEPTED:
            raise ConflictError(_("只有已接受邀请的专家才能登记到会情况。"), "not_accepted")
        if invitation.draw.status != DrawStatus.OPEN:
            raise ConflictError(_("该评审已取消或已形成结论，不能再登记到会情况。"), "draw_closed")
        if timezone.now() < invitation.draw.meeting_at:
            raise ConflictError(_("评审尚未开始，不能登记到会情况。"), "meeting_not_started")
        sheet = invitation.draw.meeting.sheets.filter(expert_id=invitation.expert_id).first()
        if not attended and sheet is not None and sheet.submitted:
            raise ConflictError(_("该专家已提交评分，不能登记为缺席。"), "sheet_submitted")
        invitation.attended, invitation.attendance_by = bool(attended), by
        invitation.attendance_at = timezone.now()
        invitation.save(update_fields=["attended", "attendance_by", "attendance_at"])
        audit_log(action="experts.attendance", actor=by, obj=invitation.draw,
                  after={"invitation": invitation.pk, "expert": invitation.expert_id,
                         "attended": bool(attended)})
    return invitation
