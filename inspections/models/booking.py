"""Online booking (在线预约): inspectors publish slots (evenings and weekends allowed,
错时/周末), the applicant books, reschedules or cancels within the rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Slot(models.Model):
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("勘验员"),
                                  on_delete=models.CASCADE, related_name="inspection_slots")
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("可预约时段")
        verbose_name_plural = _("可预约时段")
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="slot_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.inspector} {self.starts_at:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    task = models.ForeignKey("inspections.InspectionTask", on_delete=models.CASCADE,
                             related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    booked_at = models.DateTimeField(_("预约时间"))
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by", verbose_name=_("改约自"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("已提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("勘验预约")
        verbose_name_plural = _("勘验预约")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["slot"], condition=Q(cancelled_at__isnull=True),
                                    name="booking_slot_once"),
            models.UniqueConstraint(fields=["task"], condition=Q(cancelled_at__isnull=True),
                                    name="booking_task_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def active(self) -> bool:
        return self.cancelled_at is None
