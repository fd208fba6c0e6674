"""Accounts: users with roles, the bureau's organisation, and applicants (persons, organisations)."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.accounts import validators
from portal.accounts.roles import STAFF_ROLES, Role
from portal.core.models import TimeStampedModel


class District(models.Model):
    """A county-level district or a township (service points, dashboards, the e-map)."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Bureau(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True,
                            validators=[validators.validate_uscc])
    district = models.ForeignKey(District, verbose_name=_("所在区划"), null=True, blank=True,
                                 on_delete=models.PROTECT)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("审批局")
        verbose_name_plural = _("审批局")

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A section (科室) of the bureau: approval sections own matters."""

    bureau = models.ForeignKey(Bureau, verbose_name=_("审批局"), on_delete=models.PROTECT,
                               related_name="sections")
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = _("科室")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """A counter window of the combined hall (综合窗口) or the out-window (出件窗口)."""

    bureau = models.ForeignKey(Bureau, verbose_name=_("审批局"), on_delete=models.PROTECT,
                               related_name="windows")
    number = models.CharField(_("窗口号"), max_length=10)
    name = models.CharField(_("名称"), max_length=50)
    district = models.ForeignKey(District, verbose_name=_("服务点区划"), null=True, blank=True,
                                 on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        constraints = [models.UniqueConstraint(fields=["bureau", "number"], name="window_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class User(AbstractUser):
    """A person who logs in. Roles are groups named by ``Role`` codes."""

    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True,
                             validators=[validators.validate_mobile])
    employer = models.CharField(_("工作单位"), max_length=100, blank=True,
                                help_text=_("用于回避判断"))
    bureau = models.ForeignKey(Bureau, verbose_name=_("审批局"), null=True, blank=True,
                               on_delete=models.PROTECT)
    section = models.ForeignKey(Section, verbose_name=_("科室"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="staff")
    window = models.ForeignKey(Window, verbose_name=_("窗口"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="staff")

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.real_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return any(r in self.role_codes for r in roles)

    @property
    def is_bureau_staff(self) -> bool:
        return bool(self.role_codes & STAFF_ROLES)

    @property
    def primary_role(self) -> str:
        for role in Role.values:
            if role in self.role_codes:
                return role
        return ""


class Applicant(TimeStampedModel):
    """Who a case is for: a natural person (resident ID) or an organisation (USCC).

    An applicant may have a login (``user``) or be created at the counter for a walk-in.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("自然人")
        ORGANISATION = "organisation", _("法人或其他组织")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("名称/姓名"), max_length=100)
    id_number = models.CharField(_("证件号码"), max_length=18,
                                 help_text=_("自然人为居民身份证号，组织为统一社会信用代码"))
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, validators=[validators.validate_mobile])
    address = models.CharField(_("住所/经营场所"), max_length=200, blank=True)
    #: The registered premises' coordinates (WGS-84), for the location check of a video
    #: inspection (精准定位).
    premises_latitude = models.DecimalField(_("经营场所纬度"), max_digits=9, decimal_places=6,
                                            null=True, blank=True)
    premises_longitude = models.DecimalField(_("经营场所经度"), max_digits=9,
                                             decimal_places=6, null=True, blank=True)
    district = models.ForeignKey(District, verbose_name=_("所在区划"), null=True, blank=True,
                                 on_delete=models.PROTECT)
    industry = models.CharField(_("行业"), max_length=50, blank=True)
    user = models.OneToOneField(User, verbose_name=_("登录账号"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="applicant")

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")
        constraints = [
            models.UniqueConstraint(fields=["kind", "id_number"], name="applicant_identity"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        validators.validate_applicant_identity(self.kind, self.id_number)

    @property
    def masked_id_number(self) -> str:
        from portal.accounts.masking import mask_id_number

        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        from portal.accounts.masking import mask_phone

        return mask_phone(self.phone)
