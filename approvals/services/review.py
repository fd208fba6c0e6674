"""Review services (审查): opinions on each material and overall. Sending to inspection,
to decision, or back (退件, with a reason code) are workflow transitions."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from approvals.models import Case, CaseMaterial, CaseParticipant, ReviewOpinion
from approvals.services.cases import duty_check
from approvals.workflow import CaseStatus, Stage
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError


def review_opinion_add(*, case: Case, by, verdict: str, text: str = "",
                       material_id: int | None = None) -> ReviewOpinion:
    """Record a reviewer's opinion while the case is under review (counts as reviewing)."""
    if verdict not in ReviewOpinion.Verdict.values:
        raise ApplicationError(_("请选择审查结论。"), "invalid_verdict")
    if verdict == ReviewOpinion.Verdict.PROBLEM and not text.strip():
        raise ApplicationError(_("存在问题时须写明审查意见。"), "reason_required")
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("matter", "applicant") \
            .get(pk=case.pk)
        if case.status != CaseStatus.UNDER_REVIEW:
            raise ConflictError(_("只有审查中的办件可以填写审查意见。"), "invalid_transition")
        duty_check(case=case, user=by, stage=Stage.REVIEW)
        material = None
        if material_id is not None:
            material = CaseMaterial.objects.filter(case=case, pk=material_id).first()
            if material is None:
                raise ApplicationError(_("该材料不属于本件。"), "wrong_material")
        opinion = ReviewOpinion.objects.create(case=case, material=material, verdict=verdict,
                                               text=text.strip()[:4000], reviewer=by)
        CaseParticipant.objects.get_or_create(case=case, user=by, stage=Stage.REVIEW)
        audit_log(action="review.opinion", actor=by, obj=case,
                  after={"material": material.name if material else "", "verdict": verdict})
    return opinion
