"""Intake records (受理): bundle applications, uploaded materials, the one-time supplement
notice, tolerated missing materials (容缺), commitments (告知承诺), agents' authorisations
(帮办代办) and the numbered notices issued to applicants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Applicant


def material_upload_to(instance: CaseMaterial, filename: str) -> str:
    day = timezone.localdate()
    return f"materials/{day:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}{_suffix(instance)}"


def notice_upload_to(instance: Notice, filename: str) -> str:
    day = timezone.localdate()
    return f"notices/{day:%Y/%m}/{instance.kind}-{instance.sha256[:16]}.pdf"


def _suffix(material: CaseMaterial) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg",
            "image/png": ".png"}.get(material.content_type, "")


class CaseGroup(models.Model):
    """一件事: one application (one form, one set of materials) for a bundle's matters."""

    bundle = models.ForeignKey("approvals.Bundle", verbose_name=_("一件事套餐"),
                               on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(Applicant, verbose_name=_("申请人"), on_delete=models.PROTECT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("一件事申请")
        verbose_name_plural = _("一件事申请")

    def __str__(self) -> str:
        return f"{self.bundle} #{self.pk}"


class CaseMaterial(models.Model):
    """One uploaded file for one material requirement; a new upload supersedes the old."""

    case = models.ForeignKey("approvals.Case", on_delete=models.CASCADE,
                             related_name="materials")
    requirement = models.ForeignKey("approvals.MaterialRequirement", verbose_name=_("材料"),
                                    null=True, blank=True, on_delete=models.PROTECT)
    name = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=material_upload_to, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    is_current = models.BooleanField(_("当前版本"), default=True)

    class Meta:
        verbose_name = _("申请材料文件")
        verbose_name_plural = _("申请材料文件")
        ordering = ["requirement__order", "uploaded_at", "id"]
        indexes = [models.Index(fields=["case", "is_current"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.original_name})"


class SupplementRequest(models.Model):
    """一次性告知: the one supplement request a case may receive, listing every problem."""

    case = models.OneToOneField("approvals.Case", on_delete=models.CASCADE,
                                related_name="supplement_request")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)
    resubmitted_at = models.DateTimeField(_("补正提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一次性告知")
        verbose_name_plural = _("一次性告知")

    def __str__(self) -> str:
        return f"{self.case_id}"


class SupplementItem(models.Model):
    class Problem(models.TextChoices):
        MISSING = "missing", _("缺少")
        DEFECTIVE = "defective", _("不符合要求")

    request = models.ForeignKey(SupplementRequest, on_delete=models.CASCADE,
                                related_name="items")
    requirement = models.ForeignKey("approvals.MaterialRequirement", null=True, blank=True,
                                    on_delete=models.PROTECT)
    material_name = models.CharField(_("材料"), max_length=200)
    problem = models.CharField(_("问题"), max_length=10, choices=Problem.choices)
    reason = models.CharField(_("具体要求"), max_length=500)

    class Meta:
        verbose_name = _("补正事项")
        verbose_name_plural = _("补正事项")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.material_name}: {self.reason}"


class Deficiency(models.Model):
    """容缺受理: a tolerated missing material and the date the applicant promised it by."""

    case = models.ForeignKey("approvals.Case", on_delete=models.CASCADE,
                             related_name="deficiencies")
    requirement = models.ForeignKey("approvals.MaterialRequirement", verbose_name=_("材料"),
                                    on_delete=models.PROTECT)
    promise_date = models.DateField(_("承诺补交日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    fulfilled_at = models.DateTimeField(_("补交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("容缺材料")
        verbose_name_plural = _("容缺材料")
        constraints = [models.UniqueConstraint(fields=["case", "requirement"],
                                               name="deficiency_once")]
        indexes = [models.Index(fields=["fulfilled_at", "promise_date"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.requirement_id} → {self.promise_date}"

    @property
    def is_overdue(self) -> bool:
        return self.fulfilled_at is None and self.promise_date < timezone.localdate()


class Commitment(models.Model):
    """告知承诺: the applicant's signed commitment; verified by inspection after approval."""

    case = models.OneToOneField("approvals.Case", on_delete=models.CASCADE,
                                related_name="commitment")
    text = models.TextField(_("承诺书内容"))
    signer_name = models.CharField(_("签署人"), max_length=100)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField(_("签署时间"), auto_now_add=True)
    verification_due = models.DateField(_("事后核查期限"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核查完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("告知承诺书")
        verbose_name_plural = _("告知承诺书")

    def __str__(self) -> str:
        return f"{self.case_id} {self.signer_name}"


class AgentAuthorization(models.Model):
    """帮办代办: an applicant authorises an agent to file and follow cases; revocable."""

    applicant = models.ForeignKey(Applicant, verbose_name=_("申请人"), on_delete=models.CASCADE,
                                  related_name="agent_authorizations")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("代办员"),
                              on_delete=models.PROTECT, related_name="agent_authorizations")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    note = models.CharField(_("授权范围说明"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("代办授权")
        verbose_name_plural = _("代办授权")
        indexes = [models.Index(fields=["agent", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.applicant_id} → {self.agent_id}"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.valid_until is None or self.valid_until >= timezone.localdate()


class Notice(models.Model):
    """A numbered PDF notice issued on a case (受理通知书, 一次性告知书, 不予受理决定书 …)."""

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("受理通知书")
        SUPPLEMENT = "supplement", _("一次性告知书")
        REJECTION = "rejection", _("不予受理决定书")
        DENIAL = "denial", _("不予行政许可决定书")

    case = models.ForeignKey("approvals.Case", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("文书类型"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    file = models.FileField(_("文件"), upload_to=notice_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(_("出具时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return self.number
