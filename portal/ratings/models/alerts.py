"""Risk alerts (内控预警): what a rule of ``portal.ratings.risk`` found about one subject
(a case, a stage clock, a 容缺 promise, an inspector-applicant pair, an expert), assigned
by a supervisor and closed with a note. One open alert per rule and subject."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from approvals.catalogue import RiskLevel


class RiskRule(models.TextChoices):
    FAST_APPROVAL = "fast_approval", _("审批用时异常偏短")
    SAME_INSPECTOR = "same_inspector", _("同一勘验员多次勘验同一申请人")
    PROMISE_OVERDUE = "promise_overdue", _("容缺承诺逾期未补交")
    STAGE_OVERDUE = "stage_overdue", _("环节严重超期")
    EXPERT_DECLINES = "expert_declines", _("专家多次谢绝评审")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ASSIGNED = "assigned", _("核查中")
    CLOSED = "closed", _("已关闭")


class RiskAlert(models.Model):
    number = models.CharField(_("预警编号"), max_length=32, unique=True)
    rule = models.CharField(_("预警规则"), max_length=20, choices=RiskRule.choices)
    level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices,
                             db_index=True)
    subject = models.CharField(_("预警对象"), max_length=100,
                               help_text=_("如 case:12、stage:7、inspector:3/applicant:9"))
    case = models.ForeignKey("approvals.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="risk_alerts")
    description = models.TextField(_("预警内容"))
    details = models.JSONField(_("依据数据"), default=dict, blank=True)
    involved_ids = models.JSONField(_("涉及人员"), default=list, blank=True,
                                    help_text=_("不得核查本预警的工作人员编号"))
    evidence_at = models.DateTimeField(_("最新依据时间"))
    status = models.CharField(_("状态"), max_length=10, choices=AlertStatus.choices,
                              default=AlertStatus.OPEN, db_index=True)
    raised_at = models.DateTimeField(_("预警时间"), auto_now_add=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核查人"), null=True,
                                 blank=True, on_delete=models.PROTECT,
                                 related_name="risk_alerts")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    assign_note = models.CharField(_("分派说明"), max_length=300, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    close_note = models.TextField(_("核查结论"), blank=True)

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["rule", "subject"], condition=~Q(status="closed"),
            name="risk_alert_open_once")]
        indexes = [models.Index(fields=["rule", "subject"])]

    def __str__(self) -> str:
        return self.number
