"""Intake services (受理): saving the form, uploading materials, one-application bundles,
告知承诺 commitments, 帮办代办 authorisations and 即办件 in one sitting."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.formschema import form_clean
from approvals.models import (
    AgentAuthorization,
    Bundle,
    Case,
    CaseGroup,
    CaseMaterial,
    Commitment,
    Deficiency,
    MaterialRequirement,
)
from approvals.permissions import STAGE_PERMISSION, acts_for_applicant, is_case_applicant
from approvals.services.cases import case_create, case_transition
from approvals.workflow import CaseStatus, Stage
from portal.accounts.models import Applicant, User
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.uploads import inspect_upload

EDITABLE = (CaseStatus.DRAFT, CaseStatus.SUPPLEMENT_REQUESTED)


def case_save_form(*, case: Case, by: User, form_data: dict, title: str | None = None,
                   address: str | None = None) -> dict:
    """Save what is valid (partial answers are fine in a draft); return the field errors."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("matter", "applicant") \
            .get(pk=case.pk)
        _require_editor(case, by)
        if case.status not in EDITABLE:
            raise ConflictError(_("只有草稿或待补正的办件可以修改。"), "not_editable")
        cleaned, errors = form_clean(case.matter.form_schema or [], form_data, complete=False)
        case.form_data = {**case.form_data, **cleaned}
        for name, raw in form_data.items():
            if raw is None or str(raw).strip() == "":
                case.form_data.pop(name, None)  # the applicant cleared the field
        if title is not None:
            case.title = title.strip()[:200]
        if address is not None:
            case.address = address.strip()[:200]
        case.save(update_fields=["form_data", "title", "address", "updated_at"])
        audit_log(action="case.save_form", actor=by, obj=case,
                  after={"fields": sorted(cleaned), "errors": sorted(errors)})
    return errors


def _require_editor(case: Case, by: User) -> None:
    """The applicant side (applicant, authorised agent) or, for walk-ins, a counter clerk."""
    if not STAGE_PERMISSION[Stage.APPLY].test(by, case):
        raise ApplicationError(_("办件不存在。"), "not_found", status=404)


def _may_upload(case: Case, by: User, requirement: MaterialRequirement) -> None:
    clerk = by.has_role(Role.CLERK)
    if not (is_case_applicant.test(by, case) or clerk):
        raise ApplicationError(_("办件不存在。"), "not_found", status=404)
    if case.status in EDITABLE:
        if STAGE_PERMISSION[Stage.APPLY].test(by, case):
            return
        raise PermissionRefused(_("网上申报的材料由申请人上传。"), "not_applicant")
    if case.status == CaseStatus.SUBMITTED and clerk:
        return  # scanning paper materials at the counter before deciding
    if Deficiency.objects.filter(case=case, requirement=requirement,
                                 fulfilled_at__isnull=True).exists():
        return  # 容缺: the promised material may come after acceptance
    raise ConflictError(_("当前状态下不能上传或更换材料。"), "not_editable")


def material_upload(*, case: Case, requirement: MaterialRequirement, upload, by: User,
                    ) -> CaseMaterial:
    """Store one checked file for one requirement (bundles: for every case that needs it)."""
    info = inspect_upload(upload)
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("matter", "applicant") \
            .get(pk=case.pk)
        if requirement.matter_id != case.matter_id:
            raise ApplicationError(_("该材料不属于本事项。"), "wrong_requirement")
        _may_upload(case, by, requirement)
        stored, result = None, None
        for target, target_req in _targets(case, requirement):
            material = _store(target, target_req, upload, info, by, stored)
            stored = stored or material.file.name
            if target.pk == case.pk:
                result = material
        audit_log(action="material.upload", actor=by, obj=case,
                  after={"material": requirement.name, "sha256": info.sha256,
                         "size": info.size, "type": info.content_type})
    return result


def _targets(case: Case, requirement: MaterialRequirement):
    """The case itself, and in a bundle every sibling case asking for the same material."""
    yield case, requirement
    if case.group_id is None:
        return
    for sibling in case.group.cases.exclude(pk=case.pk).filter(status__in=EDITABLE):
        same = sibling.matter.materials.filter(name=requirement.name).first()
        if same is not None:
            yield sibling, same


def _store(case, requirement, upload, info, by, stored_name: str | None) -> CaseMaterial:
    CaseMaterial.objects.filter(case=case, requirement=requirement, is_current=True) \
        .update(is_current=False)
    material = CaseMaterial(case=case, requirement=requirement, name=requirement.name,
                            original_name=str(getattr(upload, "name", "") or "")[-255:],
                            content_type=info.content_type, size=info.size,
                            sha256=info.sha256, uploaded_by=by)
    if stored_name:
        material.file.name = stored_name
        material.save()
    else:
        upload.seek(0)
        material.file.save("upload", File(upload), save=True)
    Deficiency.objects.filter(case=case, requirement=requirement, fulfilled_at__isnull=True) \
        .update(fulfilled_at=timezone.now())
    return material


def bundle_apply(*, bundle: Bundle, applicant: Applicant, by: User, form_data: dict,
                 title: str = "", address: str = "", channel: str = Case.Channel.ONLINE,
                 token: UUID | None = None) -> CaseGroup:
    """一件事: one form creates the linked drafts of every matter in the bundle at once."""
    if not bundle.is_active:
        raise ApplicationError(_("该一件事套餐已停止办理。"), "bundle_inactive")
    if token is not None:
        existing = Case.objects.filter(created_by=by, client_token=token).first()
        if existing is not None and existing.group_id:
            return existing.group
    with transaction.atomic():
        group = CaseGroup.objects.create(bundle=bundle, applicant=applicant, created_by=by)
        for index, item in enumerate(bundle.items.select_related("matter")):
            case_create(matter=item.matter, applicant=applicant, by=by, channel=channel,
                        title=title, address=address, form_data=form_data, group=group,
                        token=token if index == 0 else None)
        audit_log(action="bundle.apply", actor=by, obj=group, after={"bundle": bundle.code})
    return group


def bundle_submit(*, group: CaseGroup, by: User) -> list[Case]:
    """Submit every draft of a bundle application together (all or none)."""
    submitted = []
    with transaction.atomic():
        for case in group.cases.filter(status=CaseStatus.DRAFT).select_related("matter") \
                .order_by("pk"):
            try:
                submitted.append(case_transition(case_id=case.pk, name="submit", by=by))
            except ApplicationError as exc:
                raise ApplicationError(f"【{case.matter.name}】{exc.message}", exc.code,
                                       status=exc.status,
                                       extra={**exc.extra, "case": case.pk}) from exc
    return submitted


COMMITMENT_TEXT = gettext_lazy(
    "本人（本单位）申请办理“{matter}”，现作出如下承诺：一、所填写的信息和提交的材料真实、准确、完整；"
    "二、已知晓审批部门告知的全部许可条件，现已具备（或将在承诺期限内具备）许可条件；"
    "三、愿意接受审批部门及行业主管部门的事后核查；四、如有不实承诺或未履行承诺，"
    "愿意承担撤销许可、列入信用记录等法律责任。")
COMMITMENT_OPEN = (CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.SUPPLEMENT_REQUESTED,
                   CaseStatus.ACCEPTED, CaseStatus.UNDER_REVIEW)


def commitment_sign(*, case: Case, by: User, signer_name: str) -> Commitment:
    """告知承诺: record the signed commitment; the case may then be decided on it."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("matter", "applicant") \
            .get(pk=case.pk)
        if not is_case_applicant.test(by, case):
            raise ApplicationError(_("办件不存在。"), "not_found", status=404)
        if not case.matter.commitment_eligible:
            raise ApplicationError(_("该事项不适用告知承诺制。"), "commitment_not_eligible")
        if case.status not in COMMITMENT_OPEN:
            raise ConflictError(_("办件已进入决定环节，不能再签署告知承诺。"), "not_editable")
        if Commitment.objects.filter(case=case).exists():
            raise ConflictError(_("本件已签署告知承诺书。"), "already_signed")
        if not signer_name.strip():
            raise ApplicationError(_("请填写签署人姓名。"), "signer_required")
        commitment = Commitment.objects.create(
            case=case, text=str(COMMITMENT_TEXT).format(matter=case.matter.name),
            signer_name=signer_name.strip()[:100], signed_by=by)
        case.commitment_signed_at = commitment.signed_at
        case.save(update_fields=["commitment_signed_at", "updated_at"])
        audit_log(action="commitment.sign", actor=by, obj=case,
                  after={"signer": commitment.signer_name})
    return commitment


def agent_authorize(*, applicant: Applicant, agent: User, by: User,
                    valid_until: date | None = None, note: str = "") -> AgentAuthorization:
    """The applicant (online) or a clerk (on a signed paper authorisation) appoints an agent."""
    if not (applicant.user_id == by.pk or by.has_role(Role.CLERK)):
        raise PermissionRefused(_("只有申请人本人或窗口受理员可以办理代办授权。"), "not_applicant")
    if not agent.has_role(Role.AGENT):
        raise ApplicationError(_("被授权人不是登记在册的帮办代办员。"), "not_agent")
    if valid_until is not None and valid_until < timezone.localdate():
        raise ApplicationError(_("授权有效期不能早于今天。"), "invalid_valid_until")
    with transaction.atomic():
        authorization = AgentAuthorization.objects.create(
            applicant=applicant, agent=agent, granted_by=by, valid_until=valid_until,
            note=note[:200])
        audit_log(action="agent.authorize", actor=by, obj=applicant,
                  after={"agent": agent.username, "valid_until": valid_until})
    return authorization


def agent_revoke(*, authorization: AgentAuthorization, by: User) -> AgentAuthorization:
    allowed = (authorization.applicant.user_id == by.pk or by.has_role(Role.CLERK)
               or authorization.agent_id == by.pk)
    if not allowed:
        raise PermissionRefused(_("无权撤销该授权。"), "permission_denied")
    with transaction.atomic():
        authorization = AgentAuthorization.objects.select_for_update().get(pk=authorization.pk)
        if authorization.revoked_at is None:
            authorization.revoked_at, authorization.revoked_by = timezone.now(), by
            authorization.save(update_fields=["revoked_at", "revoked_by"])
            audit_log(action="agent.revoke", actor=by, obj=authorization.applicant,
                      after={"agent": authorization.agent.username})
    return authorization


INSTANT_STEPS = ("accept", "start_review", "send_to_decision", "approve")


def case_instant_approve(*, case_id: int, by: User, note: str = "") -> Case:
    """即办件: one clerk accepts, reviews and approves in one sitting; every step recorded."""
    case = Case.objects.select_related("matter").get(pk=case_id)
    if not case.matter.single_approver:
        raise PermissionRefused(_("该事项不是即办件，须按受理、审查、决定分别办理。"),
                                "not_single_approver")
    with transaction.atomic():
        for name in INSTANT_STEPS:
            case = case_transition(case_id=case_id, name=name, by=by, note=note)
    return case


__all__ = ["acts_for_applicant", "agent_authorize", "agent_revoke", "bundle_apply",
           "bundle_submit", "case_instant_approve", "case_save_form", "commitment_sign",
           "material_upload"]
