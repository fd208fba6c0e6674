"""Per-transition rules that need the database, run by ``case_transition`` inside the
row lock: guards (may refuse) before the transition, effects (records, notices) after.

- submit / resubmit: the form is complete and every required material is uploaded
  (tolerable ones may still be missing: the clerk decides on 容缺 at acceptance);
- accept: every required material is there, except those tolerated (容缺) with a promise
  date; the acceptance notice is issued;
- request_supplement: the one-time notice lists every missing or defective material;
- reject: the decision not to accept is issued with its reason;
- approve: a 告知承诺 case gets its post-approval verification date;
- archive: the archive package (一事项一存档) is bound in the same transaction, so a case
  is archived with its package or not at all (``archives.services.package_bind``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.formschema import form_clean
from approvals.models import (
    Case,
    CaseMaterial,
    CaseReturn,
    Deficiency,
    MaterialRequirement,
    Notice,
    ReturnReason,
    SupplementItem,
    SupplementRequest,
)
from approvals.services.notices import notice_issue
from approvals.workflow import CaseStatus
from inspections.models import InspectionRequest
from inspections.tiers import Tier, promised_by
from portal.core.calendar import get_calendar
from portal.core.errors import ApplicationError, ConflictError

#: Working days after approval within which a 告知承诺 case is verified on site.
COMMITMENT_VERIFICATION_DAYS = 20


def missing_materials(case: Case, *, include_tolerable: bool) -> list[MaterialRequirement]:
    have = set(CaseMaterial.objects.filter(case=case, is_current=True)
               .values_list("requirement_id", flat=True))
    return [r for r in case.matter.materials.filter(required=True)
            if r.pk not in have and (include_tolerable or not r.tolerable)]


def _names(requirements) -> str:
    return "、".join(r.name for r in requirements)


def guard_submit(case: Case, by, data: dict) -> None:
    """Every problem at once: the incomplete form fields and the missing key materials."""
    _cleaned, errors = form_clean(case.matter.form_schema or [], case.form_data, complete=True)
    missing = missing_materials(case, include_tolerable=False)
    problems = []
    if errors:
        problems.append(_("申请表尚未填写完整：{fields}").format(fields="；".join(errors.values())))
    if missing:
        problems.append(_("尚缺必须提交的材料：{names}").format(names=_names(missing)))
    if problems:
        raise ApplicationError("\n".join(problems),
                               "form_incomplete" if errors else "materials_missing",
                               extra={"errors": errors, "missing": [r.pk for r in missing]})


def _tolerated(case: Case, data: dict) -> dict[int, date]:
    """{requirement id: promise date} from ``data["tolerated"]``, validated."""
    result: dict[int, date] = {}
    for item in data.get("tolerated") or []:
        try:
            requirement = case.matter.materials.get(pk=int(item["requirement"]))
            promise = date.fromisoformat(str(item["promise_date"]))
        except (KeyError, ValueError, TypeError, MaterialRequirement.DoesNotExist):
            raise ApplicationError(_("容缺材料或承诺补交日期填写有误。"), "invalid_tolerated") from None
        if not requirement.tolerable:
            raise ApplicationError(_("“{name}”是关键材料，不允许容缺受理。").format(
                name=requirement.name), "not_tolerable")
        if promise <= timezone.localdate():
            raise ApplicationError(_("承诺补交日期须晚于今天。"), "invalid_promise_date")
        result[requirement.pk] = promise
    return result


def guard_accept(case: Case, by, data: dict) -> None:
    tolerated = _tolerated(case, data)
    missing = [r for r in missing_materials(case, include_tolerable=True)
               if r.pk not in tolerated]
    if missing:
        raise ApplicationError(
            _("材料不齐全，不能受理：{names}。可一次性告知补正，或对可容缺材料容缺受理。").format(
                names=_names(missing)), "materials_missing",
            extra={"missing": [r.pk for r in missing]})


def _supplement_items(case: Case, data: dict) -> list[SupplementItem]:
    items = []
    for raw in data.get("items") or []:
        reason = str(raw.get("reason", "")).strip()
        problem = raw.get("problem", SupplementItem.Problem.MISSING)
        requirement = None
        if raw.get("requirement"):
            requirement = case.matter.materials.filter(pk=raw["requirement"]).first()
        name = requirement.name if requirement else str(raw.get("material_name", "")).strip()
        if not name or not reason or problem not in SupplementItem.Problem.values:
            raise ApplicationError(_("每一项补正都须写明材料名称、问题和具体要求。"),
                                   "invalid_supplement_item")
        items.append(SupplementItem(requirement=requirement, material_name=name[:200],
                                    problem=problem, reason=reason[:500]))
    if not items:
        raise ApplicationError(_("一次性告知须列明需要补正的全部材料。"), "supplement_items_required")
    return items


def guard_request_supplement(case: Case, by, data: dict) -> None:
    _supplement_items(case, data)


def effect_submit(case: Case, by, note: str, data: dict) -> None:
    """Filing fixes the inspection standard the case will be inspected against."""
    from inspections.services.standards import case_standard_pin

    if case.matter.needs_inspection or case.matter.inspection_modes:
        case_standard_pin(case)


def effect_withdraw(case: Case, by, note: str, data: dict) -> None:
    """A withdrawn case is no longer inspected: its open inspection tasks let it go."""
    from inspections.services.dispatch import tasks_release_case

    tasks_release_case(case=case, by=by, reason=_("申请人撤回申请"))


def effect_request_supplement(case: Case, by, note: str, data: dict) -> None:
    request = SupplementRequest.objects.create(case=case, requested_by=by, note=note)
    items = _supplement_items(case, data)
    for item in items:
        item.request = request
    SupplementItem.objects.bulk_create(items)
    notice_issue(case=case, kind=Notice.Kind.SUPPLEMENT, by=by, note=note)


def effect_resubmit(case: Case, by, note: str, data: dict) -> None:
    SupplementRequest.objects.filter(case=case).update(resubmitted_at=timezone.now())


def effect_accept(case: Case, by, note: str, data: dict) -> None:
    for requirement_id, promise in _tolerated(case, data).items():
        Deficiency.objects.create(case=case, requirement_id=requirement_id,
                                  promise_date=promise, created_by=by)
    notice_issue(case=case, kind=Notice.Kind.ACCEPTANCE, by=by, note=note)


def effect_reject(case: Case, by, note: str, data: dict) -> None:
    notice_issue(case=case, kind=Notice.Kind.REJECTION, by=by, note=note,
                 legal_basis=str(data.get("legal_basis", ""))[:300])


def effect_approve(case: Case, by, note: str, data: dict) -> None:
    commitment = getattr(case, "commitment", None)
    if commitment is not None:
        commitment.verification_due = get_calendar().add(timezone.localdate(),
                                                          COMMITMENT_VERIFICATION_DAYS)
        commitment.save(update_fields=["verification_due"])


def guard_request_inspection(case: Case, by, data: dict) -> None:
    """The reviewer chooses a mode the matter allows and a service tier."""
    if data.get("mode") not in case.matter.inspection_modes:
        raise ApplicationError(_("请选择该事项允许的勘验方式。"), "invalid_inspection_mode")
    if data.get("tier") not in Tier.values:
        raise ApplicationError(_("请选择勘验服务档次。"), "invalid_inspection_tier")


def effect_request_inspection(case: Case, by, note: str, data: dict) -> None:
    now = timezone.now()
    local = timezone.localtime(now)
    InspectionRequest.objects.create(
        case=case, mode=data["mode"], tier=data["tier"], note=note, requested_by=by,
        requested_at=now, promised_by=promised_by(data["tier"], local, get_calendar()))


def guard_start_inspection(case: Case, by, data: dict) -> None:
    """Inspection starts from its task: assigned (two inspectors), started by one of them."""
    from inspections.models import InspectionTask, TaskStatus

    task = InspectionTask.objects.filter(cases=case, status=TaskStatus.IN_PROGRESS,
                                         assignments__inspector=by,
                                         assignments__released_at__isnull=True).first()
    if task is None:
        raise ConflictError(_("勘验须在调度员派发的勘验任务中由指派的勘验人员开始。"),
                            "no_inspection_task")


def guard_conclude_inspection(case: Case, by, data: dict) -> None:
    """The case leaves inspection only with a confirmed conclusion and its report."""
    from inspections.models import InspectionTask, TaskStatus

    if not InspectionTask.objects.filter(cases=case, status=TaskStatus.CONCLUDED,
                                         reports__isnull=False).exists():
        raise ConflictError(_("勘验结论须由两名勘验人员确认并生成电子踏勘意见书。"),
                            "inspection_not_concluded")


def guard_return_case(case: Case, by, data: dict) -> None:
    if data.get("reason_code") not in ReturnReason.values:
        raise ApplicationError(_("请选择退件原因。"), "return_reason_required")


def effect_return_case(case: Case, by, note: str, data: dict) -> None:
    CaseReturn.objects.create(case=case, reason_code=data["reason_code"], detail=note,
                              returned_by=by)


def effect_deny(case: Case, by, note: str, data: dict) -> None:
    notice_issue(case=case, kind=Notice.Kind.DENIAL, by=by, note=note,
                 legal_basis=str(data.get("legal_basis", ""))[:300])


def guard_issue(case: Case, by, data: dict) -> None:
    """一业一证: the integrated licence waits until every matter of the bundle is approved."""
    if not _integrated(case):
        return
    pending = [c.matter.name for c in case.group.cases.select_related("matter")
               if c.pk != case.pk and c.status not in (CaseStatus.APPROVED, CaseStatus.ISSUED,
                                                       CaseStatus.ARCHIVED)]
    if pending:
        raise ConflictError(_("行业综合许可证须待一件事中全部事项准予许可后核发，尚未办结：{names}").format(
            names="、".join(pending)), "bundle_not_ready")


def _integrated(case: Case) -> bool:
    return case.group_id is not None and case.group.bundle.integrated_licence


def effect_issue(case: Case, by, note: str, data: dict) -> None:
    from approvals.services.certificates import certificate_issue, certificate_issue_integrated

    years = data.get("valid_years")
    options = {"scope": str(data.get("scope", ""))[:2000],
               "valid_years": int(years) if str(years or "").isdigit() else None}
    if _integrated(case):
        certificate_issue_integrated(case=case, by=by, **options)
    else:
        certificate_issue(case=case, by=by, **options)


def effect_archive(case: Case, by, note: str, data: dict) -> None:
    """一事项一存档: bind the package; a missing or altered file refuses the archiving."""
    from archives.services import package_bind

    package_bind(case=case, by=by)


Hook = Callable[..., None]
GUARDS: dict[str, Hook] = {
    "submit": guard_submit, "resubmit": guard_submit, "accept": guard_accept,
    "request_supplement": guard_request_supplement, "return_case": guard_return_case,
    "issue": guard_issue, "request_inspection": guard_request_inspection,
    "start_inspection": guard_start_inspection,
    "conclude_inspection": guard_conclude_inspection,
}
EFFECTS: dict[str, Hook] = {
    "submit": effect_submit, "withdraw": effect_withdraw,
    "request_supplement": effect_request_supplement, "resubmit": effect_resubmit,
    "accept": effect_accept, "reject": effect_reject, "approve": effect_approve,
    "issue": effect_issue, "return_case": effect_return_case, "deny": effect_deny,
    "request_inspection": effect_request_inspection, "archive": effect_archive,
}
