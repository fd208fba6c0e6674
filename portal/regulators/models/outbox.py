"""The regulator outbox: one row per event per department, written in the transaction of
the decision or licence change it reports, delivered by HTTP with retries; and the
department's claim (认领) of a result with its working-day deadline."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    APPROVED = "decision.approved", _("准予许可")
    DENIED = "decision.denied", _("不予许可")
    ISSUED = "licence.issued", _("证照核发")
    CHANGED = "licence.changed", _("证照变更")
    RENEWED = "licence.renewed", _("证照延续")
    CANCELLED = "licence.cancelled", _("证照注销")
    REVOKED = "licence.revoked", _("证照撤销")
    REQUEST_ANSWERED = "request.answered", _("监管请求处理结果")


#: Results a department must claim (an answer to its own request needs no claim).
CLAIMABLE = frozenset(EventKind.values) - {EventKind.REQUEST_ANSWERED}


class OutboxEvent(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待推送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("推送失败")
        PULL_ONLY = "pull_only", _("未配置推送地址")

    event_id = models.UUIDField(_("事件编号"), unique=True, default=uuid.uuid4, editable=False)
    department = models.ForeignKey("regulators.RegulatorDepartment", verbose_name=_("部门"),
                                   on_delete=models.PROTECT, related_name="events")
    case = models.ForeignKey("approvals.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                             related_name="regulator_events")
    certificate = models.ForeignKey("approvals.Certificate", verbose_name=_("证照"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey("regulators.RegulatorRequest", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="answers")
    kind = models.CharField(_("事件"), max_length=24, choices=EventKind.choices)
    payload = models.JSONField(_("报文"))
    occurred_at = models.DateTimeField(_("发生时间"))
    created_at = models.DateTimeField(_("写入时间"), auto_now_add=True, db_index=True)
    status = models.CharField(_("推送状态"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("本轮尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("审管推送事件")
        verbose_name_plural = _("审管推送事件")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"]),
                   models.Index(fields=["department", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.event_id}"


class Claim(models.Model):
    """A department's acknowledgement of a result: due within its claim limit."""

    class Via(models.TextChoices):
        PORTAL = "portal", _("门户")
        API = "api", _("接口")

    event = models.OneToOneField(OutboxEvent, on_delete=models.CASCADE, related_name="claim")
    claim_due = models.DateField(_("认领期限"))
    limit_days = models.PositiveSmallIntegerField(_("认领时限（工作日）"))
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认领人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    via = models.CharField(_("认领方式"), max_length=8, choices=Via.choices, blank=True)

    class Meta:
        verbose_name = _("结果认领")
        verbose_name_plural = _("结果认领")
        indexes = [models.Index(fields=["claimed_at", "claim_due"])]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.claim_due}"
