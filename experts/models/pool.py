"""The expert pool (专家库): fields of expertise, experts with their employer, title and
contact, the dates they cannot serve, the relations they declared (回避), the bureau's
quality ratings, and the record of every spreadsheet import."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.accounts import validators
from portal.core.models import TimeStampedModel


class ExpertField(models.Model):
    """A field of expertise (专业领域), the unit a draw is made in. ``matters`` are the
    matters whose reviews usually draw from this field (the draw form's suggestion)."""

    name = models.CharField(_("专业领域"), max_length=50, unique=True)
    industry = models.CharField(_("所属行业"), max_length=50, blank=True)
    matters = models.ManyToManyField("approvals.Matter", verbose_name=_("对应事项"),
                                     blank=True, related_name="expert_fields")

    class Meta:
        verbose_name = _("专家专业领域")
        verbose_name_plural = _("专家专业领域")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Expert(TimeStampedModel):
    name = models.CharField(_("姓名"), max_length=50)
    fields = models.ManyToManyField(ExpertField, verbose_name=_("专业领域"),
                                    related_name="experts")
    industries = models.JSONField(_("行业"), default=list, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100,
                                help_text=_("与申请人名称相同时自动回避"))
    title = models.CharField(_("职称"), max_length=50, blank=True)
    qualifications = models.CharField(_("资格资质"), max_length=200, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, unique=True,
                             validators=[validators.validate_mobile])
    email = models.EmailField(_("电子邮箱"), blank=True)
    active = models.BooleanField(_("在库可抽取"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("登录账号"),
                                null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="expert_profile")

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        from portal.accounts.masking import mask_phone

        return mask_phone(self.phone)


class ExpertUnavailability(models.Model):
    """Days the expert cannot serve (set by the expert in the portal, or imported)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="unavailable")
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    reason = models.CharField(_("原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("专家不可用日期")
        verbose_name_plural = _("专家不可用日期")
        ordering = ["start", "pk"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")),
                                              name="expert_unavailable_end_after_start")]

    def __str__(self) -> str:
        return f"{self.start}~{self.end}"


class ExpertRelation(models.Model):
    """回避: a relation the expert declared with an applicant, named by the applicant
    record, or (for an organisation not yet an applicant) by its USCC or its name."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="relations")
    applicant = models.ForeignKey("accounts.Applicant", verbose_name=_("申请人"), null=True,
                                  blank=True, on_delete=models.CASCADE, related_name="+")
    org_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    org_name = models.CharField(_("单位名称"), max_length=100, blank=True)
    relation = models.CharField(_("关系"), max_length=100)
    active = models.BooleanField(_("有效"), default=True)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家回避申报")
        verbose_name_plural = _("专家回避申报")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.applicant_id:
            return self.applicant.name
        return self.org_name or self.org_code


class ExpertRating(models.Model):
    """The bureau's rating of an expert's work (1–5), usually after a meeting."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="ratings")
    meeting = models.ForeignKey("experts.ReviewMeeting", verbose_name=_("评审会"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("质量评价"), choices=[(i, str(i)) for i in
                                                                   range(1, 6)])
    comment = models.CharField(_("评价说明"), max_length=300, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    rated_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家质量评价")
        verbose_name_plural = _("专家质量评价")
        ordering = ["-rated_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5),
                                              name="expert_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.expert_id}:{self.score}"


class ExpertImport(models.Model):
    """One spreadsheet import and its row-by-row report (kept: no row is lost)."""

    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝"), default=0)
    skipped = models.PositiveIntegerField(_("空行"), default=0)
    report = models.JSONField(_("逐行报告"), default=list)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家导入记录")
        verbose_name_plural = _("专家导入记录")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.filename
