"""Destruction lists (销毁清册): packages past their review date that an archivist
proposes to destroy, each with a reason; a supervisor (单位负责人) approves or rejects the
list. Only an approved list destroys anything, and the list itself is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DestructionList(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已批准并销毁")
        REJECTED = "rejected", _("未批准")

    number = models.CharField(_("清册编号"), max_length=30, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.PROPOSED, db_index=True)
    reason = models.TextField(_("鉴定意见"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"),
                                    on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("提出时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("档案销毁清册")
        verbose_name_plural = _("档案销毁清册")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PROPOSED


class DestructionItem(models.Model):
    destruction = models.ForeignKey(DestructionList, on_delete=models.CASCADE,
                                    related_name="items")
    package = models.ForeignKey("archives.ArchivePackage", verbose_name=_("案卷"),
                                on_delete=models.PROTECT, related_name="destruction_items")
    reason = models.CharField(_("销毁理由"), max_length=300)
    files_deleted = models.PositiveIntegerField(_("已删除的档案生成文件"), default=0)
    originals_kept = models.PositiveIntegerField(_("保留在原业务系统的原件"), default=0)

    class Meta:
        verbose_name = _("销毁清册条目")
        verbose_name_plural = _("销毁清册条目")
        ordering = ["destruction", "id"]
        constraints = [models.UniqueConstraint(fields=["destruction", "package"],
                                               name="destruction_item_once")]

    def __str__(self) -> str:
        return f"{self.destruction_id}:{self.package_id}"
