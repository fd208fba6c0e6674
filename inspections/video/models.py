"""Records of a video inspection: the recording of the call, uploaded in chunks while it
runs and assembled into one file with its SHA-256, and the applicant's browser position
(精准定位).

These models belong to the ``inspections`` app; ``inspections/models/__init__.py``
imports them so Django loads them at start-up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def recording_upload_to(instance: CallRecording, filename: str) -> str:
    return f"inspections/recordings/{instance.task_id}/{instance.pk}-{instance.sha256}.webm"


def chunk_upload_to(instance: RecordingChunk, filename: str) -> str:
    recording = instance.recording
    return (f"inspections/recordings/{recording.task_id}/{recording.pk}/"
            f"{instance.seq:06d}-{instance.sha256[:16]}.part")


class CallRecording(models.Model):
    """即时录制: one MediaRecorder run in an inspector's browser."""

    class Status(models.TextChoices):
        RECORDING = "recording", _("录制中")
        COMPLETE = "complete", _("已完成")
        ABANDONED = "abandoned", _("中断（已保存已上传部分）")

    task = models.ForeignKey("inspections.InspectionTask", verbose_name=_("勘验任务"),
                             on_delete=models.PROTECT, related_name="recordings")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录制人"),
                                   on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    last_chunk_at = models.DateTimeField(_("最后上传时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.RECORDING, db_index=True)
    chunk_count = models.PositiveIntegerField(_("分段数"), default=0)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    missing_chunks = models.JSONField(_("缺失分段"), default=list, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    file = models.FileField(_("录像文件"), upload_to=recording_upload_to, max_length=255,
                            blank=True)

    class Meta:
        verbose_name = _("视频勘验录像")
        verbose_name_plural = _("视频勘验录像")
        ordering = ["task", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.RECORDING


class RecordingChunk(models.Model):
    """One MediaRecorder timeslice as uploaded; kept until the recording is assembled."""

    recording = models.ForeignKey(CallRecording, on_delete=models.CASCADE,
                                  related_name="chunks")
    seq = models.PositiveIntegerField(_("序号"))
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("分段文件"), upload_to=chunk_upload_to, max_length=255,
                            blank=True)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("录像分段")
        verbose_name_plural = _("录像分段")
        ordering = ["recording", "seq"]
        constraints = [models.UniqueConstraint(fields=["recording", "seq"],
                                               name="recording_chunk_seq_once")]

    def __str__(self) -> str:
        return f"{self.recording_id}/{self.seq}"


class CallLocation(models.Model):
    """A position the applicant side's browser reported during the call."""

    task = models.ForeignKey("inspections.InspectionTask", verbose_name=_("勘验任务"),
                             on_delete=models.CASCADE, related_name="call_locations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    accuracy_m = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    captured_at = models.DateTimeField(_("定位时间（设备）"), null=True, blank=True)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    #: Great-circle distance to the task's premises coordinates when the position arrived
    #: (None when the premises had no coordinates then).
    distance_m = models.PositiveIntegerField(_("距经营场所（米）"), null=True, blank=True)

    class Meta:
        verbose_name = _("视频勘验定位")
        verbose_name_plural = _("视频勘验定位")
        ordering = ["task", "received_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.latitude},{self.longitude}"


class CallFallback(models.Model):
    """A video call that could not be completed, and what was done instead: the call is
    held again later (改期) or the inspectors go on site (转现场勘验). Whatever was recorded
    until then is kept (``recordings``: the ids closed from their received chunks)."""

    class Kind(models.TextChoices):
        RESCHEDULE = "reschedule", _("改期重新视频勘验")
        ONSITE = "onsite", _("转为现场勘验")

    task = models.ForeignKey("inspections.InspectionTask", verbose_name=_("勘验任务"),
                             on_delete=models.CASCADE, related_name="call_fallbacks")
    kind = models.CharField(_("处理方式"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("原因"), max_length=300)
    resume_at = models.DateTimeField(_("约定继续时间"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"),
                           on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("处理时间"), auto_now_add=True)
    recordings = models.JSONField(_("已保存的录像"), default=list, blank=True)
    cancelled_booking = models.ForeignKey("inspections.Booking", verbose_name=_("取消的预约"),
                                          null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")

    class Meta:
        verbose_name = _("视频勘验未完成处理")
        verbose_name_plural = _("视频勘验未完成处理")
        ordering = ["task", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"
