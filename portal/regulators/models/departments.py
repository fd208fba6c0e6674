"""Regulator departments (行业主管部门): what they supervise, where their results are
pushed and with which secret, how long they have to claim a result; and their users."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import Role
from portal.regulators.conf import setting


def _default_claim_days() -> int:
    return setting("ONESEAL_REGULATORS_CLAIM_DAYS")


class RegulatorDepartment(models.Model):
    """A department that supervises some matters (by matter or by the matters' industry)."""

    name = models.CharField(_("部门名称"), max_length=100)
    code = models.SlugField(_("部门代码"), max_length=40, unique=True,
                            help_text=_("推送报文中的部门标识，如 amr、health"))
    matters = models.ManyToManyField("approvals.Matter", verbose_name=_("监管事项"),
                                     blank=True, related_name="regulator_departments")
    industries = models.JSONField(_("监管行业"), default=list, blank=True,
                                  help_text=_("与事项“行业”一致的名称列表，如 [\"餐饮\", \"药品零售\"]"))
    endpoint_url = models.CharField(
        _("推送地址"), max_length=300, blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("接收审批结果的 HTTPS 地址；留空则只在门户认领或由部门接口拉取"))
    secret_sealed = models.TextField(_("签名密钥（加密保存）"), blank=True, editable=False)
    secret_fingerprint = models.CharField(_("密钥指纹"), max_length=12, blank=True,
                                          editable=False)
    secret_rotated_at = models.DateTimeField(_("密钥生成时间"), null=True, blank=True,
                                             editable=False)
    previous_secret_sealed = models.TextField(blank=True, editable=False)
    previous_secret_until = models.DateTimeField(_("旧密钥签名截止"), null=True, blank=True,
                                                 editable=False)
    claim_days = models.PositiveSmallIntegerField(
        _("认领时限（工作日）"), default=_default_claim_days,
        help_text=_("审批结果推送后须在该工作日数内认领，逾期预警并督办"))
    contact = models.CharField(_("联系人及电话"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("行业主管部门")
        verbose_name_plural = _("行业主管部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.industries, list) or not all(
                isinstance(i, str) for i in self.industries):
            raise ValidationError({"industries": _("监管行业须为名称列表。")})

    def covers(self, matter) -> bool:
        """Does the department supervise ``matter`` (listed, or of a listed industry)?
        Uses the prefetched ``matters`` where available."""
        if matter.industry and matter.industry in (self.industries or []):
            return True
        return any(m.pk == matter.pk for m in self.matters.all())

    @property
    def previous_secret_active(self) -> bool:
        return bool(self.previous_secret_sealed and self.previous_secret_until
                    and self.previous_secret_until > timezone.now())


class RegulatorMembership(models.Model):
    """A user (role 行业主管部门) acting for one department."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"),
                                on_delete=models.CASCADE, related_name="regulator_membership")
    department = models.ForeignKey(RegulatorDepartment, verbose_name=_("部门"),
                                   on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("部门用户")
        verbose_name_plural = _("部门用户")

    def __str__(self) -> str:
        return f"{self.department} · {self.user}"

    def clean(self) -> None:
        if self.user_id and not self.user.groups.filter(name=Role.REGULATOR).exists():
            raise ValidationError({"user": _("只有“行业主管部门”角色的用户可以加入部门。")})
