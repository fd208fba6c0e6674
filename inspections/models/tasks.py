"""Inspection tasks: what the dispatcher makes of review's requests, who inspects, the
checklist being filled in, the conclusion both inspectors confirm, and the report.

A task covers one applicant's premises and one or more of its cases (并联踏勘: one merged
checklist, one conclusion, one report). A trip (合并勘验) groups tasks of one district on
one day for the same pair of inspectors.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from inspections.models.standards import Category
from inspections.tiers import Mode, Tier


class TaskStatus(models.TextChoices):
    NEW = "new", _("待派员")
    ASSIGNED = "assigned", _("待预约")
    BOOKED = "booked", _("已预约")
    IN_PROGRESS = "in_progress", _("勘验中")
    RECTIFYING = "rectifying", _("整改中")
    VERIFYING = "verifying", _("整改待核验")
    CONCLUDED = "concluded", _("已办结")
    CANCELLED = "cancelled", _("已取消")


T = TaskStatus
OPEN_TASK_STATES = (T.NEW, T.ASSIGNED, T.BOOKED, T.IN_PROGRESS, T.RECTIFYING, T.VERIFYING)


class Outcome(models.TextChoices):
    PASS = "pass", _("合格")
    RECTIFY = "rectify", _("限期整改")
    FAIL = "fail", _("不合格")


class Trip(models.Model):
    """合并勘验: several tasks in one district visited on one day by the same pair."""

    number = models.CharField(_("编号"), max_length=32, unique=True)
    district = models.ForeignKey("accounts.District", verbose_name=_("区划"),
                                 on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("勘验日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("合并勘验行程")
        verbose_name_plural = _("合并勘验行程")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.number


class InspectionTask(ConcurrentTransitionMixin, models.Model):
    number = models.CharField(_("任务编号"), max_length=32, unique=True)
    applicant = models.ForeignKey("accounts.Applicant", verbose_name=_("申请人"),
                                  on_delete=models.PROTECT, related_name="inspection_tasks")
    cases = models.ManyToManyField("approvals.Case", verbose_name=_("办件"),
                                   related_name="inspection_tasks")
    mode = models.CharField(_("勘验方式"), max_length=16, choices=Mode.choices)
    tier = models.CharField(_("服务档次"), max_length=10, choices=Tier.choices)
    promised_by = models.DateTimeField(_("承诺勘验时间"))
    address = models.CharField(_("勘验地址"), max_length=200)
    #: Coordinates of the premises (精准定位 compares the applicant's position with them);
    #: copied from the applicant's registered premises when the task is made.
    premises_latitude = models.DecimalField(_("经营场所纬度"), max_digits=9, decimal_places=6,
                                            null=True, blank=True)
    premises_longitude = models.DecimalField(_("经营场所经度"), max_digits=9,
                                             decimal_places=6, null=True, blank=True)
    district = models.ForeignKey("accounts.District", verbose_name=_("区划"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    trip = models.ForeignKey(Trip, verbose_name=_("合并勘验行程"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="tasks")
    status = FSMField(_("状态"), default=T.NEW, choices=T.choices, protected=True,
                      db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始勘验时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.CharField(_("勘验结论"), max_length=10, choices=Outcome.choices,
                               blank=True)
    rectify_due = models.DateField(_("整改期限"), null=True, blank=True)
    rectify_submitted_at = models.DateTimeField(_("整改提交时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("勘验任务")
        verbose_name_plural = _("勘验任务")
        ordering = ["promised_by", "id"]
        indexes = [models.Index(fields=["status", "promised_by"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATES

    @property
    def has_premises_position(self) -> bool:
        return self.premises_latitude is not None and self.premises_longitude is not None

    # Transitions only change fields; ``inspections.services`` checks and records.
    @transition(field=status, source=T.NEW, target=T.ASSIGNED)
    def assign(self) -> None:
        pass

    @transition(field=status, source=[T.ASSIGNED, T.BOOKED], target=T.NEW)
    def unassign(self) -> None:
        pass

    @transition(field=status, source=T.ASSIGNED, target=T.BOOKED)
    def book(self) -> None:
        pass

    @transition(field=status, source=T.BOOKED, target=T.ASSIGNED)
    def unbook(self) -> None:
        pass

    @transition(field=status, source=[T.ASSIGNED, T.BOOKED], target=T.IN_PROGRESS)
    def start(self) -> None:
        pass

    @transition(field=status, source=[T.IN_PROGRESS, T.VERIFYING], target=T.RECTIFYING)
    def require_rectification(self) -> None:
        pass

    @transition(field=status, source=T.RECTIFYING, target=T.VERIFYING)
    def submit_rectification(self) -> None:
        pass

    @transition(field=status, source=[T.IN_PROGRESS, T.RECTIFYING, T.VERIFYING],
                target=T.CONCLUDED)
    def conclude(self) -> None:
        pass

    @transition(field=status, source=list(OPEN_TASK_STATES), target=T.CANCELLED)
    def cancel(self) -> None:
        pass


class InspectorProfile(models.Model):
    """What an inspector is qualified for; an inspector without a profile is never drawn."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="inspector_profile")
    matters = models.ManyToManyField("approvals.Matter", verbose_name=_("具备资格的事项"),
                                     blank=True, related_name="qualified_inspectors")
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("勘验员资格")
        verbose_name_plural = _("勘验员资格")

    def __str__(self) -> str:
        return str(self.user)


class InspectorAbsence(models.Model):
    """Leave, training or other duty: the inspector is not available on these days."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="inspector_absences")
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    reason = models.CharField(_("原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("勘验员不可用日期")
        verbose_name_plural = _("勘验员不可用日期")
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")),
                                              name="absence_end_after_start")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.start}–{self.end}"


class ConflictDeclaration(models.Model):
    """回避: a declared relation between a staff member and an applicant."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="conflict_declarations")
    applicant = models.ForeignKey("accounts.Applicant", verbose_name=_("申请人"),
                                  on_delete=models.CASCADE, related_name="conflict_declarations")
    relation = models.CharField(_("关系"), max_length=100)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")

    def __str__(self) -> str:
        return f"{self.user_id} / {self.applicant_id}: {self.relation}"


class AssignmentDraw(models.Model):
    """A random draw of inspectors: the candidates, exclusions, seed and result, recorded."""

    task = models.ForeignKey(InspectionTask, on_delete=models.CASCADE, related_name="draws")
    seed = models.CharField(_("随机种子"), max_length=64)
    eligible = models.JSONField(_("候选人（按编号排序）"))
    excluded = models.JSONField(_("排除人员及原因"), default=dict)
    needed = models.PositiveSmallIntegerField(_("抽取人数"))
    chosen = models.JSONField(_("抽中人员"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"))

    class Meta:
        verbose_name = _("勘验员随机抽取")
        verbose_name_plural = _("勘验员随机抽取")
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.task_id} #{self.pk}"


class Assignment(models.Model):
    class Method(models.TextChoices):
        MANUAL = "manual", _("指派")
        DRAW = "draw", _("随机抽取")

    task = models.ForeignKey(InspectionTask, on_delete=models.CASCADE,
                             related_name="assignments")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("勘验员"),
                                  on_delete=models.PROTECT, related_name="inspection_assignments")
    method = models.CharField(_("方式"), max_length=8, choices=Method.choices)
    reason = models.CharField(_("理由"), max_length=300)
    draw = models.ForeignKey(AssignmentDraw, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    assigned_at = models.DateTimeField(_("指派时间"))
    released_at = models.DateTimeField(_("撤换时间"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    release_reason = models.CharField(_("撤换理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("勘验员指派")
        verbose_name_plural = _("勘验员指派")
        ordering = ["assigned_at", "id"]
        constraints = [models.UniqueConstraint(
            fields=["task", "inspector"], condition=Q(released_at__isnull=True),
            name="assignment_active_once")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.inspector_id}"


class Result(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不适用")


class TaskItem(models.Model):
    """One line of a task's checklist: a copy of the standard item (so later versions
    cannot change it), traced to the standard items and cases it stands for."""

    task = models.ForeignKey(InspectionTask, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("通用项编码"), max_length=60)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    title = models.CharField(_("勘验项目"), max_length=200)
    requirement = models.TextField(_("标准要求"))
    method = models.TextField(_("核查方法"), blank=True)
    weight = models.PositiveSmallIntegerField(_("分值"))
    veto = models.BooleanField(_("否决项"), default=False)
    order = models.PositiveSmallIntegerField(_("序号"))
    source_items = models.ManyToManyField("inspections.StandardItem", related_name="+")
    cases = models.ManyToManyField("approvals.Case", related_name="+")
    result = models.CharField(_("结果"), max_length=4, choices=Result.choices, blank=True)
    comment = models.TextField(_("勘验意见"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)
    # rectification of a failed item (补齐补正)
    rectify_required = models.BooleanField(_("须整改"), default=False)
    rectify_note = models.TextField(_("整改说明"), blank=True)
    rectify_verified = models.BooleanField(_("整改核验通过"), null=True, blank=True)
    rectify_comment = models.TextField(_("核验意见"), blank=True)
    rectify_verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    rectify_verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("勘验记录项")
        verbose_name_plural = _("勘验记录项")
        ordering = ["task", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "key"],
                                               name="task_item_key_once")]

    def __str__(self) -> str:
        return self.title


def evidence_upload_to(instance: ItemEvidence, filename: str) -> str:
    task_id = instance.item.task_id
    suffix = {"image/jpeg": ".jpg", "image/png": ".png", "video/mp4": ".mp4",
              "video/webm": ".webm", "application/pdf": ".pdf"}.get(instance.content_type, "")
    return f"inspections/tasks/{task_id}/{instance.sha256}{suffix}"


class ItemEvidence(models.Model):
    """A photo, video or document attached to a checklist item, by an inspector during the
    inspection or by the applicant as rectification evidence."""

    class Purpose(models.TextChoices):
        INSPECTION = "inspection", _("勘验取证")
        RECTIFICATION = "rectification", _("整改材料")

    item = models.ForeignKey(TaskItem, on_delete=models.CASCADE, related_name="evidence")
    purpose = models.CharField(_("用途"), max_length=14, choices=Purpose.choices)
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=60)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    captured_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    accuracy_m = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("勘验影像/整改材料")
        verbose_name_plural = _("勘验影像/整改材料")
        ordering = ["item", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.sha256

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")


class Conclusion(models.Model):
    """A conclusion proposed by one inspector and confirmed by the other; only a confirmed
    conclusion takes effect. Rounds count re-conclusions after rectification."""

    task = models.ForeignKey(InspectionTask, on_delete=models.CASCADE,
                             related_name="conclusions")
    round = models.PositiveSmallIntegerField(_("轮次"))
    outcome = models.CharField(_("结论"), max_length=10, choices=Outcome.choices)
    score = models.DecimalField(_("得分率"), max_digits=5, decimal_places=1)
    note = models.TextField(_("意见"))
    rectify_due = models.DateField(_("整改期限"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField(_("提出时间"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("勘验结论")
        verbose_name_plural = _("勘验结论")
        ordering = ["task", "round", "id"]
        constraints = [models.UniqueConstraint(
            fields=["task", "round"], condition=Q(withdrawn_at__isnull=True),
            name="conclusion_round_once")]

    def __str__(self) -> str:
        return f"{self.task_id} #{self.round} {self.outcome}"


def report_upload_to(instance: InspectionReport, filename: str) -> str:
    return f"inspections/reports/{instance.task_id}/{instance.sha256}.pdf"


class InspectionReport(models.Model):
    """电子踏勘意见书: the PDF made from a final, confirmed conclusion."""

    task = models.ForeignKey(InspectionTask, on_delete=models.CASCADE, related_name="reports")
    conclusion = models.OneToOneField(Conclusion, on_delete=models.PROTECT,
                                      related_name="report")
    number = models.CharField(_("意见书编号"), max_length=40, unique=True)
    file = models.FileField(_("文件"), upload_to=report_upload_to, max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("电子踏勘意见书")
        verbose_name_plural = _("电子踏勘意见书")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number
