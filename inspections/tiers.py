"""Inspection modes and service tiers (seed 001), and when each tier promises to act.
Pure: the calendar is passed in."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.workdays import WorkCalendar


class Mode(models.TextChoices):
    VIDEO = "video", _("视频勘验（云踏勘）")
    ONSITE = "onsite", _("现场勘验")
    RECTIFICATION = "rectification", _("仅补齐补正（线上核验）")


class Tier(models.TextChoices):
    SIMPLE = "simple", _("极速办（1小时内）")
    GENERAL = "general", _("快速办（1个工作日）")
    SECOND = "second", _("即时办（整改材料上传即办）")
    COMPLEX = "complex", _("兜底办（3个工作日内现场）")


def promised_by(tier: str, requested_at: datetime, cal: WorkCalendar) -> datetime:
    """When the inspection is promised: 1 hour, 1 or 3 working days, or at once."""
    if tier == Tier.SIMPLE:
        return requested_at + timedelta(hours=1)
    if tier == Tier.SECOND:
        return requested_at
    days = 1 if tier == Tier.GENERAL else 3
    due = cal.add(requested_at.date(), days)
    return requested_at.replace(year=due.year, month=due.month, day=due.day)
