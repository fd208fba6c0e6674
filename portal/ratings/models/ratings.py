"""A rating of one service step of a case, the rectification item (整改) a bad rating
opens, and the applicant's one appeal (申诉复核) against a dismissal.

Rectification states (``portal.ratings.flow`` holds the allowed moves)::

    open ──assign──▶ assigned ──answer──▶ answered ──callback: satisfied / declined──▶ closed
     ▲                 ▲   (reassign)        │       callback: unreachable × N ─────▶ closed
     │                 └──── callback: unsatisfied (re-rectify, new due date) ◀─┘
     │   dismiss (from open, assigned, answered) ──▶ dismissed ──appeal──▶ appealed
     └────────────────────── overturn (reviewer) ◀───────────────────────────┤
                                                           uphold (reviewer) ─▶ upheld
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.ratings.steps import BAD_LEVELS, Level, RatableStep


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("网上评价")
    PAPER = "paper", _("窗口评价表（代录）")
    PHONE = "phone", _("电话评价（代录）")


class Rating(models.Model):
    """One applicant's rating of one step of one case; one per case and step."""

    case = models.ForeignKey("approvals.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                             related_name="ratings")
    step = models.CharField(_("服务环节"), max_length=12, choices=RatableStep.choices)
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=Level.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    channel = models.CharField(_("评价渠道"), max_length=8, choices=RatingChannel.choices,
                               default=RatingChannel.ONLINE)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"),
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("申请人或代办员本人；代录时为代录的工作人员"))
    on_behalf = models.BooleanField(_("工作人员代录"), default=False)
    staff_ids = models.JSONField(_("被评价环节经办人"), default=list, blank=True,
                                 help_text=_("评价时办理该环节的工作人员编号"))
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="rating_once_per_step"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5),
                                   name="rating_level_1_to_5"),
        ]
        indexes = [models.Index(fields=["level", "created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} {self.level}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待分派")
    ASSIGNED = "assigned", _("整改中")
    ANSWERED = "answered", _("待回访")
    CLOSED = "closed", _("已办结")
    DISMISSED = "dismissed", _("不予整改")
    APPEALED = "appealed", _("申诉复核中")
    UPHELD = "upheld", _("复核维持不予整改")


#: States in which the answer clock runs (the deadline source reads these).
ANSWER_PENDING = (RectificationStatus.OPEN, RectificationStatus.ASSIGNED)
#: States in which the item is finished.
FINISHED = (RectificationStatus.CLOSED, RectificationStatus.UPHELD)


class Rectification(models.Model):
    """整改: what a bad rating opens; answered by a handler who is not the person rated,
    then called back; or dismissed, and the dismissal reviewed once on appeal."""

    number = models.CharField(_("整改编号"), max_length=32, unique=True)
    rating = models.OneToOneField(Rating, verbose_name=_("差评"), on_delete=models.PROTECT,
                                  related_name="rectification")
    case = models.ForeignKey("approvals.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                             related_name="rating_rectifications")
    status = models.CharField(_("状态"), max_length=10, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN, db_index=True)
    due_date = models.DateField(_("答复期限"))
    opened_at = models.DateTimeField(_("立项时间"), auto_now_add=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True,
                                 blank=True, on_delete=models.PROTECT,
                                 related_name="rating_rectifications")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    assign_note = models.CharField(_("分派说明"), max_length=300, blank=True)
    measures = models.TextField(_("整改措施与情况说明"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("回访不满意重新整改次数"), default=0)
    dismiss_reason = models.TextField(_("不予整改理由"), blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(_("不予整改时间"), null=True, blank=True)
    appeal_due = models.DateField(_("申诉期限"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_note = models.CharField(_("办结说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.number


class AppealDecision(models.TextChoices):
    UPHELD = "upheld", _("维持不予整改")
    OVERTURNED = "overturned", _("撤销，重新整改")


class Appeal(models.Model):
    """申诉复核: the applicant's one appeal against a dismissal, decided by a reviewer who is
    not the person who dismissed (nor anyone rated)."""

    rectification = models.OneToOneField(Rectification, on_delete=models.CASCADE,
                                         related_name="appeal")
    reason = models.TextField(_("申诉理由"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申诉人"),
                                 on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("申诉时间"), auto_now_add=True)
    decision = models.CharField(_("复核结论"), max_length=10, choices=AppealDecision.choices,
                                blank=True)
    decision_note = models.TextField(_("复核意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申诉复核")
        verbose_name_plural = _("申诉复核")

    def __str__(self) -> str:
        return f"{self.rectification_id} {self.decision or '-'}"
