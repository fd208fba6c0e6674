"""Archive packages (案卷): one per ended case, with its class, retention period, seal and
paper location; its documents (卷内文件) each with a SHA-256; and the retention rules an
administrator may edit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from archives.retention import Outcome, Retention, Rule

__all__ = ["ArchiveDocument", "ArchivePackage", "DocumentKind", "Outcome", "Retention",
           "RetentionRule"]


class RetentionRule(models.Model):
    """Overrides the default class and period (``archives.retention``) for a matter, an
    industry keyword or all matters, for one outcome or any."""

    matter = models.ForeignKey("approvals.Matter", verbose_name=_("事项"), null=True,
                               blank=True, on_delete=models.CASCADE, related_name="+",
                               help_text=_("留空则按行业关键词或适用于全部事项"))
    keyword = models.CharField(_("行业关键词"), max_length=50, blank=True,
                               help_text=_("事项的行业或名称包含该词时适用，如“危险化学品”"))
    outcome = models.CharField(_("办理结果"), max_length=12, choices=Outcome.choices,
                               blank=True, help_text=_("留空则适用于全部办理结果"))
    classification_code = models.CharField(_("分类号"), max_length=20, blank=True,
                                           help_text=_("留空则沿用默认分类，如 XK01"))
    classification_name = models.CharField(_("类目名称"), max_length=60, blank=True)
    retention = models.CharField(_("保管期限"), max_length=10, choices=Retention.choices)
    note = models.CharField(_("依据"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("分类与保管期限规则")
        verbose_name_plural = _("分类与保管期限规则")
        ordering = ["matter", "keyword", "outcome", "id"]

    def __str__(self) -> str:
        scope = self.matter or self.keyword or _("全部事项")
        return f"{scope} · {self.get_outcome_display() or _('全部结果')} → " \
               f"{self.get_retention_display()}"

    def as_rule(self) -> Rule:
        return Rule(id=self.pk, retention=self.retention, matter_id=self.matter_id,
                    keyword=self.keyword.strip(), outcome=self.outcome,
                    code=self.classification_code.strip(),
                    name=self.classification_name.strip())


class ArchivePackage(models.Model):
    """案卷: the bound archive of one ended case (一事项一存档)."""

    class Status(models.TextChoices):
        BOUND = "bound", _("已归档")
        DESTROYED = "destroyed", _("已销毁")

    class Binding(models.TextChoices):
        UNBOUND = "unbound", _("未装订")
        BOUND = "bound", _("已装订")

    case = models.OneToOneField("approvals.Case", verbose_name=_("办件"),
                                on_delete=models.PROTECT, related_name="archive_package")
    number = models.CharField(_("档号"), max_length=40, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.BOUND, db_index=True)
    outcome = models.CharField(_("办理结果"), max_length=12, choices=Outcome.choices)
    closing_status = models.CharField(_("办结状态"), max_length=24)
    closed_on = models.DateField(_("办结日期"), db_index=True)
    classification_code = models.CharField(_("分类号"), max_length=20)
    classification_name = models.CharField(_("类目名称"), max_length=60)
    retention = models.CharField(_("保管期限"), max_length=10, choices=Retention.choices)
    retention_review_date = models.DateField(_("到期鉴定日期"), null=True, blank=True,
                                             db_index=True,
                                             help_text=_("永久保存的案卷为空"))
    seal = models.CharField(_("目录封存哈希"), max_length=64,
                            help_text=_("归档时卷内目录（清单）的 SHA-256，用于核验"))
    catalogue_name = models.CharField(_("卷内目录文件"), max_length=255, blank=True)
    catalogue_sha256 = models.CharField(_("卷内目录 SHA-256"), max_length=64, blank=True)
    document_count = models.PositiveIntegerField(_("件数"), default=0)
    page_count = models.PositiveIntegerField(_("页数"), default=0)
    bound_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("归档人"),
                                 on_delete=models.PROTECT, related_name="+")
    bound_at = models.DateTimeField(_("归档时间"))
    # paper archive (纸质档案)
    box_number = models.CharField(_("盒号"), max_length=30, blank=True)
    volume_number = models.CharField(_("卷号"), max_length=30, blank=True)
    shelf_location = models.CharField(_("存放位置"), max_length=100, blank=True,
                                      help_text=_("库房、密集架、列、节、层"))
    binding_status = models.CharField(_("装订状态"), max_length=10, choices=Binding.choices,
                                      default=Binding.UNBOUND)
    paper_updated_at = models.DateTimeField(_("纸质档案更新时间"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)
    destruction = models.ForeignKey("archives.DestructionList", verbose_name=_("销毁清册"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="destroyed_packages")

    class Meta:
        verbose_name = _("档案（案卷）")
        verbose_name_plural = _("档案（案卷）")
        ordering = ["-bound_at", "-id"]
        indexes = [models.Index(fields=["status", "retention_review_date"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_destroyed(self) -> bool:
        return self.status == self.Status.DESTROYED


class DocumentKind(models.TextChoices):
    """The kinds of file in a package, in catalogue order (卷内文件排列顺序)."""

    FORM = "form", _("申请表")
    MATERIAL = "material", _("申请材料")
    NOTICE = "notice", _("文书")
    OPINION = "opinion", _("审查意见")
    INSPECTION_REPORT = "inspection_report", _("电子踏勘意见书")
    EVIDENCE = "evidence", _("勘验影像与整改材料")
    MINUTES = "minutes", _("专家评审会议纪要")
    CERTIFICATE = "certificate", _("证照")
    HISTORY = "history", _("办理过程记录")
    AUDIT = "audit", _("审计记录")


class ArchiveDocument(models.Model):
    """One file of a package (卷内文件): a stored original it references (materials,
    notices, reports, media, minutes, licences), or a document generated at binding and
    owned by the package (form snapshot, opinions, history, audit entries)."""

    package = models.ForeignKey(ArchivePackage, on_delete=models.PROTECT,
                                related_name="documents")
    seq = models.PositiveIntegerField(_("件号"))
    kind = models.CharField(_("类别"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("题名"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True, db_index=True)
    doc_date = models.DateField(_("日期"))
    pages = models.PositiveIntegerField(_("页数"), default=0)
    content_type = models.CharField(_("文件类型"), max_length=60)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(_("存储位置"), max_length=255)
    path = models.CharField(_("包内路径"), max_length=200)
    source_type = models.CharField(_("来源"), max_length=60, blank=True)
    source_id = models.CharField(_("来源编号"), max_length=40, blank=True)
    owned = models.BooleanField(_("档案生成文件"), default=False,
                                help_text=_("归档时生成并由档案保存；其余为引用原件"))
    destroyed_at = models.DateTimeField(_("销毁时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("卷内文件")
        verbose_name_plural = _("卷内文件")
        ordering = ["package", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["package", "seq"], name="archive_document_seq"),
            models.UniqueConstraint(fields=["package", "path"], name="archive_document_path"),
        ]

    def __str__(self) -> str:
        return f"{self.package_id}#{self.seq} {self.title}"
