"""Inspection records. ``InspectionRequest`` is what review sends (mode, tier, promise);
dispatching, booking, scoring and reports build on it (issue 5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from inspections.tiers import Mode, Tier


class InspectionRequest(models.Model):
    case = models.ForeignKey("approvals.Case", on_delete=models.CASCADE,
                             related_name="inspection_requests")
    mode = models.CharField(_("勘验方式"), max_length=16, choices=Mode.choices)
    tier = models.CharField(_("服务档次"), max_length=10, choices=Tier.choices)
    note = models.TextField(_("勘验要求"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("提请时间"))
    promised_by = models.DateTimeField(_("承诺勘验时间"))
    task = models.ForeignKey("inspections.InspectionTask", verbose_name=_("勘验任务"),
                             null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="requests")

    class Meta:
        verbose_name = _("勘验申请")
        verbose_name_plural = _("勘验申请")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.mode}/{self.tier}"
