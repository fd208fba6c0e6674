"""Notification records: in-app messages, per-user channel choices, the e-mail/SMS outbox
(which is also the log of everything sent) and the deadline alerts already raised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.notifications.events import EVENTS

EVENT_CHOICES = [(e.code, e.label) for e in EVENTS.values()]


class Notification(models.Model):
    """One in-app message for one user. ``dedupe_key`` makes creating it idempotent."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"),
                                  on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(_("事件"), max_length=40, choices=EVENT_CHOICES)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True, null=True,
                                  blank=True, editable=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"]),
                   models.Index(fields=["recipient", "id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice of channels for one event (in-app is always on)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    event = models.CharField(_("事件"), max_length=40, choices=EVENT_CHOICES)
    email = models.BooleanField(_("电子邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [models.UniqueConstraint(fields=["user", "event"],
                                               name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event}"


class OutboxMessage(models.Model):
    """An e-mail or SMS to send. Written in the transaction that decided to send it and
    delivered by the outbox sweep, so a broker outage or a worker crash loses nothing."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    event = models.CharField(_("事件"), max_length=40, choices=EVENT_CHOICES)
    address = models.CharField(_("地址"), max_length=254)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    dedupe_key = models.CharField(_("去重键"), max_length=200, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    last_error = models.TextField(_("最近错误"), blank=True)
    provider_id = models.CharField(_("网关回执号"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}: {self.subject or self.body[:30]}"


class DeadlineAlert(models.Model):
    """A yellow, red or escalation alert raised once for one deadline of one object.

    The unique constraint is what makes the sweep idempotent: a second sweep, or two at
    once, cannot raise (and so notify) the same alert twice. A deadline that moves (a
    pause pushed it back) has a new date and may be alerted again.
    """

    class Level(models.TextChoices):
        YELLOW = "yellow", _("预警")
        RED = "red", _("超期")
        ESCALATION = "escalation", _("升级督办")

    source = models.CharField(_("时限类型"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    due_date = models.DateField(_("到期日"))
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    remaining = models.IntegerField(_("剩余工作日"))
    label = models.CharField(_("说明"), max_length=200)
    case = models.ForeignKey("approvals.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    recipients = models.PositiveIntegerField(_("通知人数"), default=0)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("时限预警")
        verbose_name_plural = _("时限预警")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["source", "object_id", "due_date", "level"], name="deadline_alert_once")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.label}"
