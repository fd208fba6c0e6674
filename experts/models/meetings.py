"""Review meetings (现场评审会 / 云评审): the items scored (a copy of the case's standard,
or the default items), one independent score sheet per expert, the chair's conclusion and
the signed minutes attached to the case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待评审")
    CONCLUDED = "concluded", _("已形成结论")
    CANCELLED = "cancelled", _("已取消")


class MeetingOutcome(models.TextChoices):
    PASS = "pass", _("通过")
    AMEND = "amend", _("修改完善后通过")
    FAIL = "fail", _("不通过")


class ReviewMeeting(models.Model):
    draw = models.OneToOneField("experts.ExpertDraw", on_delete=models.CASCADE,
                                related_name="meeting")
    status = models.CharField(_("状态"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED, db_index=True)
    standard_version = models.ForeignKey("inspections.StandardVersion",
                                         verbose_name=_("评审标准"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    chair = models.ForeignKey("experts.Expert", verbose_name=_("专家组组长"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("评审结论"), max_length=8, choices=MeetingOutcome.choices,
                               blank=True)
    conclusion = models.TextField(_("评审意见"), blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    concluded_at = models.DateTimeField(_("结论时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评审会")
        verbose_name_plural = _("专家评审会")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return str(self.draw)

    @property
    def is_open(self) -> bool:
        return self.status == MeetingStatus.SCHEDULED


class MeetingItem(models.Model):
    """One scored item, copied when the meeting is made (later standards cannot change it)."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("编码"), max_length=60)
    category = models.CharField(_("类别"), max_length=20, blank=True)
    title = models.CharField(_("评审项目"), max_length=200)
    requirement = models.TextField(_("评审要求"), blank=True)
    weight = models.PositiveSmallIntegerField(_("分值"))
    veto = models.BooleanField(_("否决项"), default=False)
    order = models.PositiveSmallIntegerField(_("序号"))

    class Meta:
        verbose_name = _("评审项目")
        verbose_name_plural = _("评审项目")
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "key"],
                                               name="meeting_item_key_once")]

    def __str__(self) -> str:
        return self.title


class ScoreSheet(models.Model):
    """One expert's scores: ``scores`` maps item key to {"score": "8.5", "comment": ""}.
    A draft until ``submitted_at``; a submitted sheet is final."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="sheets")
    expert = models.ForeignKey("experts.Expert", on_delete=models.PROTECT,
                               related_name="score_sheets")
    scores = models.JSONField(_("各项评分"), default=dict)
    opinion = models.TextField(_("总体意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   help_text=_("专家本人，或代录纸质评分表的调度员"))
    updated_at = models.DateTimeField(_("保存时间"), auto_now=True)

    class Meta:
        verbose_name = _("专家评分表")
        verbose_name_plural = _("专家评分表")
        ordering = ["meeting", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "expert"],
                                               name="score_sheet_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.expert_id}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


def minutes_upload_to(instance: MeetingMinutes, filename: str) -> str:
    day = timezone.localdate()
    return f"experts/minutes/{day:%Y/%m}/{instance.number}-{instance.sha256[:16]}.pdf"


class MeetingMinutes(models.Model):
    """The signed minutes (评审会议纪要) of a concluded meeting, attached to the case."""

    meeting = models.OneToOneField(ReviewMeeting, on_delete=models.CASCADE,
                                   related_name="minutes")
    case = models.ForeignKey("approvals.Case", on_delete=models.PROTECT,
                             related_name="expert_minutes")
    number = models.CharField(_("纪要编号"), max_length=32, unique=True)
    file = models.FileField(_("文件"), upload_to=minutes_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家评审会议纪要")
        verbose_name_plural = _("专家评审会议纪要")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number
