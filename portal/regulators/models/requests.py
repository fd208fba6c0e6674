"""Requests from regulator departments (撤销许可建议, 监管发现): received through the API
(idempotent by the department's own request id), landing on the case for the bureau."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    REVOCATION = "revocation_request", _("撤销许可建议")
    FINDING = "supervision_finding", _("监管发现")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予采纳")
    HANDLED = "handled", _("已办结")


class RegulatorRequest(models.Model):
    department = models.ForeignKey("regulators.RegulatorDepartment", verbose_name=_("部门"),
                                   on_delete=models.PROTECT, related_name="requests")
    request_id = models.CharField(_("部门请求编号"), max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"),
                                     on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=24, choices=RequestKind.choices)
    case = models.ForeignKey("approvals.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                             related_name="regulator_requests")
    certificate = models.ForeignKey("approvals.Certificate", verbose_name=_("证照"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("内容"))
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now, db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.OPEN)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    response_note = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("监管请求")
        verbose_name_plural = _("监管请求")
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["department", "request_id"],
                                               name="regulator_request_once")]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.department} {self.request_id}"

    @property
    def is_open(self) -> bool:
        return self.status in (RequestStatus.OPEN, RequestStatus.ACCEPTED)


def attachment_upload_to(instance: RequestAttachment, filename: str) -> str:
    day = timezone.localdate()
    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg",
              "image/png": ".png"}.get(instance.content_type, "")
    return f"regulators/{day:%Y/%m}/{instance.sha256}{suffix}"


class RequestAttachment(models.Model):
    request = models.ForeignKey(RegulatorRequest, on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("监管请求附件")
        verbose_name_plural = _("监管请求附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
