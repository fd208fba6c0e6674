"""The case (办件) and its records: duties, status history, stage clocks and pauses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.catalogue import (  # noqa: F401  (models registered with this app)
    Bundle,
    BundleItem,
    MaterialRequirement,
    Matter,
    MatterSettingChange,
    RiskLevel,
)
from approvals.workflow import CaseStatus, CaseWorkflow, Stage
from portal.accounts.models import Applicant, District
from portal.accounts.roles import Role


class Case(CaseWorkflow):
    """One application for one matter (办件)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上申报")
        COUNTER = "counter", _("窗口申报")

    number = models.CharField(_("办件编号"), max_length=32, unique=True, null=True, blank=True)
    matter = models.ForeignKey("approvals.Matter", verbose_name=_("事项"),
                               on_delete=models.PROTECT, related_name="cases")
    applicant = models.ForeignKey(Applicant, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                  related_name="cases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申报人"),
                                   on_delete=models.PROTECT, related_name="filed_cases")
    channel = models.CharField(_("申报渠道"), max_length=10, choices=Channel.choices,
                               default=Channel.ONLINE)
    title = models.CharField(_("项目名称"), max_length=200, blank=True)
    address = models.CharField(_("经营/项目地址"), max_length=200, blank=True)
    district = models.ForeignKey(District, verbose_name=_("所在区划"), null=True, blank=True,
                                 on_delete=models.PROTECT)
    form_data = models.JSONField(_("申请表"), default=dict, blank=True)
    group = models.ForeignKey("approvals.CaseGroup", verbose_name=_("一件事申请"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="cases")
    client_token = models.UUIDField(_("防重复提交令牌"), null=True, blank=True, editable=False)
    promised_date = models.DateField(_("承诺办结日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "promised_date"])]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "client_token"],
                                    name="case_client_token_once"),
        ]

    def __str__(self) -> str:
        return self.number or f"{_('草稿')} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status not in (
            CaseStatus.REJECTED, CaseStatus.RETURNED, CaseStatus.DENIED, CaseStatus.ISSUED,
            CaseStatus.WITHDRAWN, CaseStatus.ARCHIVED)


class CaseParticipant(models.Model):
    """Who performed which duty on a case; the record the separation rule reads."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="case_duties")
    stage = models.CharField(_("职责"), max_length=10, choices=Stage.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办件经办人")
        verbose_name_plural = _("办件经办人")
        indexes = [models.Index(fields=["user", "stage", "created_at"],
                                name="participant_duty_time")]  # staff workload
        constraints = [
            models.UniqueConstraint(fields=["case", "user", "stage"], name="participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.stage} {self.user_id}"


class CaseStatusChange(models.Model):
    """Append-only status history of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("原状态"), max_length=24, choices=CaseStatus.choices,
                                   blank=True)
    to_status = models.CharField(_("新状态"), max_length=24, choices=CaseStatus.choices)
    transition = models.CharField(_("动作"), max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"),
                              on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(_("经办角色"), max_length=20, blank=True, choices=Role.choices)
    note = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("状态记录")
        verbose_name_plural = _("状态记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.from_status} → {self.to_status}"

    @property
    def action_label(self) -> str:
        """The step's name (提交申请, 补正后重新提交 …), as the workflow labels it."""
        from approvals.workflow import TRANSITIONS

        spec = TRANSITIONS.get(self.transition)
        return str(spec.label) if spec else self.transition


class CaseStage(models.Model):
    """One stage's clock: started, due (working days), paused while the applicant owes."""

    class Name(models.TextChoices):
        ACCEPTANCE = "acceptance", _("受理")
        REVIEW = "review", _("审查")
        INSPECTION = "inspection", _("勘验")
        DECISION = "decision", _("决定")
        ISSUE = "issue", _("出证")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("环节"), max_length=12, choices=Name.choices)
    started_at = models.DateTimeField(_("开始时间"))
    start_date = models.DateField(_("起算日"))
    limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    paused_days = models.PositiveSmallIntegerField(_("暂停工作日"), default=0)
    due_date = models.DateField(_("到期日"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    calendar_uncertain = models.BooleanField(
        _("节假日安排未录入"), default=False,
        help_text=_("到期日跨入尚未录入节假日安排的年份，仅按周末推算"))

    class Meta:
        verbose_name = _("环节时限")
        verbose_name_plural = _("环节时限")
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["ended_at", "due_date"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.name} → {self.due_date}"

    @property
    def is_overdue(self) -> bool:
        return self.ended_at is None and self.due_date < timezone.localdate()


class StagePause(models.Model):
    """A stop of a stage's clock (补正, 整改, 容缺承诺, expert review where the law says so)."""

    class Reason(models.TextChoices):
        SUPPLEMENT = "supplement", _("补正材料")
        RECTIFICATION = "rectification", _("整改")
        EXPERT_REVIEW = "expert_review", _("专家评审")

    stage = models.ForeignKey(CaseStage, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("原因"), max_length=20, choices=Reason.choices)
    started_at = models.DateTimeField(_("暂停时间"))
    ended_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("计时暂停")
        verbose_name_plural = _("计时暂停")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.stage_id} {self.reason}"
