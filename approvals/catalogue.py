"""The catalogue (事项清单): matters, their materials and bundles (一件事套餐)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Section
from portal.core.models import TimeStampedModel

DEFAULT_STAGE_LIMITS = {"acceptance": 1, "review": 3, "inspection": 3, "decision": 1, "issue": 1}


class RiskLevel(models.TextChoices):
    HIGH = "high", _("重")
    MEDIUM = "medium", _("中")
    LOW = "low", _("轻")


class Matter(TimeStampedModel):
    """An approval matter (审批事项) with its conditions, materials and limits."""

    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    section = models.ForeignKey(Section, verbose_name=_("承办科室"), on_delete=models.PROTECT,
                                related_name="matters")
    industry = models.CharField(_("行业"), max_length=50, blank=True)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    conditions = models.TextField(_("受理条件"), blank=True)
    statutory_days = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"))
    promised_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"))
    stage_limits = models.JSONField(_("环节时限（工作日）"), default=dict, blank=True,
                                    help_text=_("如 {\"acceptance\": 1, \"review\": 3}"))
    fee = models.DecimalField(_("收费（元）"), max_digits=10, decimal_places=2,
                              default=Decimal("0"))
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices,
                                  default=RiskLevel.MEDIUM)
    needs_inspection = models.BooleanField(_("需要现场勘验"), default=False)
    inspection_video = models.BooleanField(_("可视频勘验（云踏勘）"), default=False)
    inspection_onsite = models.BooleanField(_("可现场勘验"), default=False)
    inspection_rectification_only = models.BooleanField(_("可仅补齐补正"), default=False)
    needs_expert_review = models.BooleanField(_("需要专家评审"), default=False)
    commitment_eligible = models.BooleanField(_("可告知承诺"), default=False)
    single_approver = models.BooleanField(
        _("独任审批（即办件）"), default=False,
        help_text=_("勾选后同一人可受理、审查并决定；变更会记入审计日志。"))
    form_schema = models.JSONField(_("申请表字段"), default=list, blank=True)
    is_active = models.BooleanField(_("在办"), default=True)

    class Meta:
        verbose_name = _("审批事项")
        verbose_name_plural = _("审批事项")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def stage_limit(self, stage: str) -> int:
        return int({**DEFAULT_STAGE_LIMITS, **(self.stage_limits or {})}[stage])

    @property
    def inspection_modes(self) -> list[str]:
        """Modes allowed for this matter; an inspected matter with none ticked means on site."""
        modes = [("video", self.inspection_video), ("onsite", self.inspection_onsite),
                 ("rectification", self.inspection_rectification_only)]
        allowed = [m for m, ok in modes if ok]
        return allowed or (["onsite"] if self.needs_inspection else [])


class MaterialRequirement(models.Model):
    """A material a matter asks for: required or optional, and whether 容缺 is allowed."""

    matter = models.ForeignKey(Matter, verbose_name=_("事项"), on_delete=models.CASCADE,
                               related_name="materials")
    name = models.CharField(_("材料名称"), max_length=200)
    description = models.TextField(_("要求说明"), blank=True)
    required = models.BooleanField(_("必须提交"), default=True)
    tolerable = models.BooleanField(_("可容缺"), default=False,
                                    help_text=_("非关键材料，可先受理后补交"))
    copies = models.CharField(_("份数与形式"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    sample = models.FileField(_("样表/模板"), upload_to="catalogue/samples/", blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["matter", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Bundle(TimeStampedModel):
    """一件事套餐: several matters filed with one form and one set of materials."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    matters = models.ManyToManyField(Matter, verbose_name=_("包含事项"), through="BundleItem",
                                     related_name="bundles")
    integrated_licence = models.BooleanField(_("核发行业综合许可证（一业一证）"), default=True)
    is_active = models.BooleanField(_("在办"), default=True)

    class Meta:
        verbose_name = _("一件事套餐")
        verbose_name_plural = _("一件事套餐")

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey(Matter, verbose_name=_("事项"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        verbose_name = _("套餐事项")
        verbose_name_plural = _("套餐事项")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["bundle", "matter"], name="bundle_matter")]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.matter_id}"


class MatterSettingChange(models.Model):
    """Who switched a matter's single-approver flag and when (the exception is recorded)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="setting_changes")
    field = models.CharField(max_length=50)
    old_value = models.CharField(max_length=200)
    new_value = models.CharField(max_length=200)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("事项设置变更")
        verbose_name_plural = _("事项设置变更")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.field}: {self.old_value} → {self.new_value}"
