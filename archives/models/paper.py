"""Paper archive lending (借阅) and the access log: every view, download, export,
verification, loan and change of a package, searchable by package, person and action."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Loan(models.Model):
    """A loan of a package's paper volume; at most one open loan per package."""

    package = models.ForeignKey("archives.ArchivePackage", verbose_name=_("案卷"),
                                on_delete=models.PROTECT, related_name="loans")
    borrower_name = models.CharField(_("借阅人"), max_length=50)
    borrower_unit = models.CharField(_("借阅单位/科室"), max_length=100, blank=True)
    borrower = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("借阅人账号"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    purpose = models.CharField(_("借阅目的"), max_length=300)
    lent_at = models.DateTimeField(_("借出时间"))
    due_date = models.DateField(_("应还日期"), db_index=True)
    lent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办档案员"),
                                on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    return_note = models.CharField(_("归还情况"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("档案借阅")
        verbose_name_plural = _("档案借阅")
        ordering = ["-lent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["package"],
                                               condition=Q(returned_at__isnull=True),
                                               name="archive_one_open_loan")]

    def __str__(self) -> str:
        return f"{self.package_id} → {self.borrower_name}"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None

    @property
    def is_overdue(self) -> bool:
        return self.returned_at is None and self.due_date < timezone.localdate()


class AccessLog(models.Model):
    """One access to an archive package (also appended to the audit chain)."""

    class Action(models.TextChoices):
        BIND = "bind", _("归档")
        VIEW = "view", _("查阅")
        DOWNLOAD = "download", _("下载卷内文件")
        CATALOGUE = "catalogue", _("下载卷内目录")
        EXPORT = "export", _("导出档案包")
        VERIFY = "verify", _("核验")
        PAPER = "paper", _("登记纸质档案")
        LOAN = "loan", _("借出")
        RETURN = "return", _("归还")
        DESTROY = "destroy", _("销毁")

    package = models.ForeignKey("archives.ArchivePackage", verbose_name=_("案卷"),
                                on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"),
                             on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices, db_index=True)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("档案利用记录")
        verbose_name_plural = _("档案利用记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.package_id} {self.action} {self.user_id}"
