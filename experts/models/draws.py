"""Draws (随机抽取): the dispatcher's request for a case, every random choice made for it
(the first draw, redraws after a decline or a timeout, refills) with the eligible list
snapshot, the exclusions with reasons, the seed and the result, and the invitations the
chosen experts answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingMode(models.TextChoices):
    ONSITE = "onsite", _("现场评审会")
    ONLINE = "online", _("云评审")


class DrawStatus(models.TextChoices):
    OPEN = "open", _("邀请中")
    CLOSED = "closed", _("评审已结束")
    CANCELLED = "cancelled", _("已取消")


class ExpertDraw(models.Model):
    """A draw request for one case and what became of it."""

    number = models.CharField(_("抽取编号"), max_length=32, unique=True)
    case = models.ForeignKey("approvals.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                             related_name="expert_draws")
    field = models.ForeignKey("experts.ExpertField", verbose_name=_("专业领域"),
                              on_delete=models.PROTECT, related_name="draws")
    count = models.PositiveSmallIntegerField(_("抽取人数"))
    meeting_at = models.DateTimeField(_("评审时间"))
    mode = models.CharField(_("评审方式"), max_length=8, choices=MeetingMode.choices)
    place = models.CharField(_("评审地点/会议链接"), max_length=200, blank=True)
    exclusions = models.JSONField(_("申请排除的专家及理由"), default=dict, blank=True)
    cooling_off_days = models.PositiveSmallIntegerField(_("同一申请人回避期（天）"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DrawStatus.choices,
                              default=DrawStatus.OPEN, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽取人"),
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("抽取时间"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("专家抽取")
        verbose_name_plural = _("专家抽取")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class DrawRound(models.Model):
    """One random choice. ``eligible`` is sorted by expert id (the canonical order);
    ``chosen`` = ``experts.drawing.draw_choice(eligible, seed, k)``. The seed comes from
    ``secrets`` at draw time and is stored in the same row as the list it applies to."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("首次抽取")
        REDRAW = "redraw", _("补抽（谢绝或超时）")
        REFILL = "refill", _("补足人数")

    draw = models.ForeignKey(ExpertDraw, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    trigger = models.ForeignKey("experts.Invitation", verbose_name=_("触发补抽的邀请"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    seed = models.CharField(_("随机种子"), max_length=64)
    eligible = models.JSONField(_("符合条件的专家（按编号排序）"))
    excluded = models.JSONField(_("排除的专家及原因"), default=dict)
    k = models.PositiveSmallIntegerField(_("本轮抽取人数"))
    chosen = models.JSONField(_("抽中专家"), default=list)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("空：系统按超时规则自动补抽"))
    drawn_at = models.DateTimeField(_("抽取时间"))

    class Meta:
        verbose_name = _("专家抽取轮次")
        verbose_name_plural = _("专家抽取轮次")
        ordering = ["draw", "number"]
        constraints = [models.UniqueConstraint(fields=["draw", "number"],
                                               name="draw_round_number_once")]

    def __str__(self) -> str:
        return f"{self.draw_id}#{self.number}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("待答复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")
    TIMED_OUT = "timed_out", _("超时未答复")
    CANCELLED = "cancelled", _("已取消")


#: Invitations that hold a place in the meeting.
ACTIVE_INVITATION_STATES = (InvitationStatus.PENDING, InvitationStatus.ACCEPTED)


class Invitation(models.Model):
    draw = models.ForeignKey(ExpertDraw, on_delete=models.CASCADE, related_name="invitations")
    round = models.ForeignKey(DrawRound, on_delete=models.PROTECT, related_name="invitations")
    expert = models.ForeignKey("experts.Expert", verbose_name=_("专家"),
                               on_delete=models.PROTECT, related_name="invitations")
    status = models.CharField(_("状态"), max_length=10, choices=InvitationStatus.choices,
                              default=InvitationStatus.PENDING, db_index=True)
    invited_at = models.DateTimeField(_("邀请时间"))
    reply_due = models.DateTimeField(_("答复期限"), db_index=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   help_text=_("专家本人，或代为登记电话答复的调度员"))
    decline_reason = models.CharField(_("谢绝理由"), max_length=300, blank=True)
    attended = models.BooleanField(_("到会"), null=True, blank=True)
    attendance_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    attendance_at = models.DateTimeField(_("到会登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家邀请")
        verbose_name_plural = _("专家邀请")
        ordering = ["draw", "invited_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["draw", "expert"],
                                               name="invitation_expert_once_per_draw")]

    def __str__(self) -> str:
        return f"{self.draw_id}:{self.expert_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_INVITATION_STATES

    @property
    def no_show(self) -> bool:
        return self.attended is False

    @property
    def on_time(self) -> bool | None:
        """Answered before the reply deadline (None while pending or cancelled)."""
        if self.status == InvitationStatus.TIMED_OUT:
            return False
        if self.replied_at is None:
            return None
        return self.replied_at <= self.reply_due
