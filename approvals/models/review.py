"""Review records (审查): opinions on each material and overall, and structured returns
(退件) whose reason codes feed the supervisors' return rate (退件率)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnReason(models.TextChoices):
    FORM_DEFECT = "form_defect", _("申请材料不符合法定形式")
    CONDITIONS_NOT_MET = "conditions_not_met", _("不具备许可条件")
    FALSE_MATERIAL = "false_material", _("申请材料虚假或不真实")
    PREREQUISITE_MISSING = "prerequisite_missing", _("缺少前置审批或相关证照")
    NOT_OUR_MATTER = "not_our_matter", _("不属于本事项办理范围")
    APPLICANT_REQUEST = "applicant_request", _("申请人要求退回")
    OTHER = "other", _("其他")


class CaseReturn(models.Model):
    """退件: why a case was returned at review (one per case)."""

    case = models.OneToOneField("approvals.Case", on_delete=models.CASCADE,
                                related_name="case_return")
    reason_code = models.CharField(_("退件原因"), max_length=24, choices=ReturnReason.choices,
                                   db_index=True)
    detail = models.TextField(_("具体说明"))
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    returned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("退件记录")
        verbose_name_plural = _("退件记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.reason_code}"


class ReviewOpinion(models.Model):
    """A reviewer's opinion on one material (or, without a material, on the whole case)."""

    class Verdict(models.TextChoices):
        CONFORMS = "conforms", _("符合要求")
        PROBLEM = "problem", _("存在问题")

    case = models.ForeignKey("approvals.Case", on_delete=models.CASCADE,
                             related_name="opinions")
    material = models.ForeignKey("approvals.CaseMaterial", verbose_name=_("材料"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="opinions")
    verdict = models.CharField(_("结论"), max_length=10, choices=Verdict.choices)
    text = models.TextField(_("审查意见"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审查意见")
        verbose_name_plural = _("审查意见")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.material_id or 'overall'} {self.verdict}"
