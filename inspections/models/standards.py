"""Inspection standards (踏勘标准): a versioned checklist per matter.

A version is immutable once created: editing a standard creates the next version, and
cases and tasks keep the version they were pinned to (the applicant sees exactly that one
from filing onward, "开卷考试").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    SYSTEM = "system", _("制度")
    STAFF = "staff", _("人员")
    PREMISES = "premises", _("场所")
    EQUIPMENT = "equipment", _("设备")
    MANAGEMENT = "management", _("管理")


class Standard(models.Model):
    """The standard of one matter; its content lives in versions."""

    matter = models.OneToOneField("approvals.Matter", verbose_name=_("事项"),
                                  on_delete=models.PROTECT, related_name="inspection_standard")
    code = models.CharField(_("标准码"), max_length=40, unique=True)
    title = models.CharField(_("标准名称"), max_length=200)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("踏勘标准")
        verbose_name_plural = _("踏勘标准")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class StandardVersion(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    pass_score = models.PositiveSmallIntegerField(
        _("合格分数线（百分制）"), default=80,
        help_text=_("适用项得分率达到此分数且无否决项不合格，方可判定合格"))
    note = models.TextField(_("修订说明"), blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("踏勘标准版本")
        verbose_name_plural = _("踏勘标准版本")
        ordering = ["standard", "-number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"],
                                               name="standard_version_number_once")]

    def __str__(self) -> str:
        return f"{self.standard.code} v{self.number}"

    @property
    def label(self) -> str:
        return f"{self.standard.code}-V{self.number}"


class StandardItem(models.Model):
    """One checklist item. ``key`` names the requirement across matters: items with the
    same key in several standards are one item in a merged (并联) checklist."""

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("通用项编码"), max_length=60)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    title = models.CharField(_("勘验项目"), max_length=200)
    requirement = models.TextField(_("标准要求"))
    method = models.TextField(_("核查方法"), blank=True)
    weight = models.PositiveSmallIntegerField(_("分值"), default=10)
    veto = models.BooleanField(_("否决项"), default=False,
                               help_text=_("该项不合格即判定勘验不通过或须整改"))
    guidance = models.TextField(_("申请人指引"), blank=True)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        verbose_name = _("勘验项目")
        verbose_name_plural = _("勘验项目")
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"],
                                               name="standard_item_key_once")]

    def __str__(self) -> str:
        return self.title


def guidance_upload_to(instance: GuidanceMedia, filename: str) -> str:
    return f"inspections/guidance/{instance.sha256[:2]}/{instance.sha256}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower()[:8] if dot > 0 else ""


class GuidanceMedia(models.Model):
    """An image or short video that shows the applicant what an item expects."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("图片")
        VIDEO = "video", _("视频")

    item = models.ForeignKey(StandardItem, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=guidance_upload_to, max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=60)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("指引图片/视频")
        verbose_name_plural = _("指引图片/视频")
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class CaseStandard(models.Model):
    """The standard version a case will be inspected against, pinned when it is filed."""

    case = models.OneToOneField("approvals.Case", on_delete=models.CASCADE,
                                related_name="inspection_standard")
    version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, related_name="cases")
    pinned_at = models.DateTimeField(_("确定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办件适用踏勘标准")
        verbose_name_plural = _("办件适用踏勘标准")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.version_id}"
