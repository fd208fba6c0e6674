"""Licences (证照): the signed PDF issued on an approved case, its versions (变更, 延续),
its end (注销, 撤销) and its delivery (统一窗口出件). The public verification page reads
these rows."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_verify_code() -> str:
    return secrets.token_urlsafe(12)


def licence_upload_to(instance: Certificate, filename: str) -> str:
    return f"licences/{instance.issued_at:%Y/%m}/{instance.number}-v{instance.version}.pdf"


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        SUPERSEDED = "superseded", _("已变更（旧版）")
        CANCELLED = "cancelled", _("已注销")
        REVOKED = "revoked", _("已撤销")

    class Delivery(models.TextChoices):
        PENDING = "", _("待出件")
        PICKUP = "pickup", _("窗口领取")
        DOWNLOAD = "download", _("电子下载")
        POST = "post", _("邮寄送达")

    case = models.ForeignKey("approvals.Case", on_delete=models.PROTECT,
                             related_name="certificates")
    group = models.ForeignKey("approvals.CaseGroup", verbose_name=_("一件事申请"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="certificates",
                              help_text=_("行业综合许可证（一业一证）覆盖该申请的全部事项"))
    number = models.CharField(_("证书编号"), max_length=40, db_index=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="next_version")
    verify_code = models.CharField(_("核验码"), max_length=32, unique=True,
                                   default=new_verify_code)
    holder_name = models.CharField(_("持证人"), max_length=100)
    holder_id = models.CharField(_("证件号码（证面）"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    matters = models.JSONField(_("许可事项"), default=list)
    scope = models.TextField(_("许可范围"), blank=True)
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices,
                              default=Status.VALID, db_index=True)
    status_reason = models.CharField(_("状态说明"), max_length=500, blank=True)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    file = models.FileField(_("证照文件"), upload_to=licence_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    delivery = models.CharField(_("出件方式"), max_length=10, choices=Delivery.choices,
                                blank=True, default=Delivery.PENDING)
    delivery_note = models.CharField(_("出件记录"), max_length=200, blank=True,
                                     help_text=_("领取人姓名或邮寄单号"))
    delivered_at = models.DateTimeField(_("出件时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证照")
        verbose_name_plural = _("证照")
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["number", "version"],
                                               name="certificate_version_once")]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"

    @property
    def public_status(self) -> str:
        """valid / superseded / cancelled / revoked / expired, as the verification page says."""
        if self.status == self.Status.VALID and self.valid_until is not None \
                and self.valid_until < timezone.localdate():
            return "expired"
        return self.status
