"""Callbacks (回访): the daily random sample of completed cases with its recorded seed,
the callback tasks it makes, and the call records of callbacks, whether for a sampled case
or for a rectification item."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CallbackSample(models.Model):
    """One day's draw. ``chosen`` = ``portal.ratings.sampling.sample_choice(population,
    seed, rate)``: anyone can recompute it from this row."""

    day = models.DateField(_("办结日期"), unique=True)
    rate = models.DecimalField(_("抽样比例"), max_digits=5, decimal_places=4)
    seed = models.CharField(_("随机种子"), max_length=64)
    population = models.JSONField(_("当日办结办件（按编号排序）"))
    chosen = models.JSONField(_("抽中办件"))
    created_at = models.DateTimeField(_("抽样时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回访抽样")
        verbose_name_plural = _("回访抽样")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} {len(self.chosen)}/{len(self.population)}"


class CallbackTaskStatus(models.TextChoices):
    PENDING = "pending", _("待回访")
    DONE = "done", _("已回访")
    UNREACHABLE = "unreachable", _("无法联系")


class CallbackTask(models.Model):
    sample = models.ForeignKey(CallbackSample, on_delete=models.PROTECT, related_name="tasks")
    case = models.ForeignKey("approvals.Case", verbose_name=_("办件"), on_delete=models.PROTECT,
                             related_name="callback_tasks")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回访人"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=CallbackTaskStatus.choices,
                              default=CallbackTaskStatus.PENDING, db_index=True)
    outcome = models.CharField(_("回访结果"), max_length=12, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("回访任务")
        verbose_name_plural = _("回访任务")
        ordering = ["status", "-sample__day", "id"]
        constraints = [models.UniqueConstraint(fields=["sample", "case"],
                                               name="callback_task_once")]

    def __str__(self) -> str:
        return f"{self.sample_id}:{self.case_id}"


class CallChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    VISIT = "visit", _("上门")


class CallOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("未联系上")
    DECLINED = "declined", _("拒绝回访")


#: Outcomes in which the applicant was reached.
REACHED = (CallOutcome.SATISFIED, CallOutcome.UNSATISFIED, CallOutcome.DECLINED)


class CallRecord(models.Model):
    """One callback attempt: of a rectification item or of a sampled case."""

    rectification = models.ForeignKey("ratings.Rectification", null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="calls")
    task = models.ForeignKey(CallbackTask, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="calls")
    channel = models.CharField(_("回访方式"), max_length=6, choices=CallChannel.choices)
    outcome = models.CharField(_("回访结果"), max_length=12, choices=CallOutcome.choices)
    response = models.TextField(_("申请人反馈"), blank=True)
    called_at = models.DateTimeField(_("回访时间"))
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回访人"),
                                  on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["called_at", "id"]
        constraints = [models.CheckConstraint(
            condition=(Q(rectification__isnull=False, task__isnull=True)
                       | Q(rectification__isnull=True, task__isnull=False)),
            name="call_record_one_subject")]

    def __str__(self) -> str:
        return f"{self.called_at:%Y-%m-%d} {self.outcome}"

    @property
    def satisfied(self) -> bool | None:
        if self.outcome == CallOutcome.SATISFIED:
            return True
        if self.outcome == CallOutcome.UNSATISFIED:
            return False
        return None
