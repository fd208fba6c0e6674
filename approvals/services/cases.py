"""Case services: create and edit drafts, and run every workflow transition.

``case_transition`` is the single path by which a case changes state: it locks the row,
checks the duty permission and the separation of duties, runs the django-fsm transition,
updates the clocks, appends the status history and the audit trail, and queues side
effects on commit.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import django.dispatch
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from approvals import separation
from approvals.formschema import form_clean
from approvals.models import Case, CaseParticipant, CaseStatusChange, Matter
from approvals.permissions import STAGE_PERMISSION, STAGE_ROLE, acts_for_applicant, can_view_case
from approvals.services import hooks
from approvals.services.clocks import clocks_apply
from approvals.workflow import TRANSITIONS, CaseStatus, Stage, refusal_reason
from portal.accounts.models import Applicant, User
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.numbering import next_number

#: Sent after the transaction that changed a case commits: (sender=Case, case_id, transition).
case_transitioned = django.dispatch.Signal()
#: Sent INSIDE the transaction that changed a case, after its history is recorded:
#: (sender=Case, case, transition, by, note, data). Receivers that write rows (an outbox)
#: commit or roll back with the change itself.
case_transition_recorded = django.dispatch.Signal()


def case_create(*, matter: Matter, applicant: Applicant, by: User,
                channel: str = Case.Channel.ONLINE, title: str = "", address: str = "",
                form_data: dict | None = None, district=None, token: UUID | None = None,
                group=None) -> Case:
    """Create a draft for ``applicant`` (by the applicant, their agent, or a clerk at the
    counter). With a ``token`` the call is idempotent: a repeat returns the first draft."""
    if token is not None:
        existing = Case.objects.filter(created_by=by, client_token=token).first()
        if existing is not None:
            if (existing.matter_id, existing.applicant_id) != (matter.pk, applicant.pk):
                raise ConflictError(_("该防重复提交令牌已用于另一申请，请刷新页面后重试。"),
                                    "idempotency_key_reused")
            return existing
    _check_filer(matter=matter, applicant=applicant, by=by, channel=channel)
    cleaned, _errors = form_clean(matter.form_schema or [], form_data or {}, complete=False)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                matter=matter, applicant=applicant, created_by=by, channel=channel,
                title=title, address=address or applicant.address,
                district=district or applicant.district, form_data=cleaned,
                client_token=token, group=group)
            audit_log(action="case.create", actor=by, obj=case,
                      after={"matter": matter.code, "channel": channel})
    except IntegrityError:
        if token is None:
            raise
        return Case.objects.get(created_by=by, client_token=token)
    return case


def _check_filer(*, matter: Matter, applicant: Applicant, by: User, channel: str) -> None:
    if not matter.is_active:
        raise ApplicationError(_("该事项已停止办理。"), "matter_inactive")
    if channel == Case.Channel.ONLINE and not acts_for_applicant(by, applicant):
        raise PermissionRefused(_("只能以本人、本单位或已授权代办的申请人名义网上申报。"),
                                "not_applicant")
    if channel == Case.Channel.COUNTER and not by.has_role("clerk"):
        raise PermissionRefused(_("窗口申报须由综合窗口受理员录入。"), "not_clerk")


def case_update_draft(*, case: Case, by: User, title: str | None = None,
                      address: str | None = None, form_data: dict | None = None) -> Case:
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status not in (CaseStatus.DRAFT, CaseStatus.SUPPLEMENT_REQUESTED):
            raise ConflictError(_("只有草稿或待补正的办件可以修改。"), "not_editable")
        _require(by, Stage.APPLY, case)
        before = {"title": case.title, "address": case.address}
        for field, value in (("title", title), ("address", address), ("form_data", form_data)):
            if value is not None:
                setattr(case, field, value)
        case.save(update_fields=["title", "address", "form_data", "updated_at"])
        audit_log(action="case.update_draft", actor=by, obj=case, before=before,
                  after={"title": case.title, "address": case.address})
    return case


def case_number_for(case: Case) -> str:
    """Case number: matter code, year and a gap-free per-matter-year sequence."""
    year = timezone.localdate().year
    seq = next_number(f"case:{case.matter.code}:{year}")
    return f"{case.matter.code}-{year}-{seq:06d}"


def _require(user: User, stage: str, case: Case) -> None:
    if not user.is_authenticated or not user.is_active:
        raise PermissionRefused(_("请先登录。"), "not_authenticated")
    if not STAGE_PERMISSION[stage].test(user, case):
        raise PermissionRefused(
            _("您没有在本件办理“{stage}”环节的权限。").format(
                stage=separation.STAGE_LABEL.get(stage, stage)),
            "permission_denied")


def _user_stages(case: Case, user: User) -> set[str]:
    held = set(CaseParticipant.objects.filter(case=case, user=user)
               .values_list("stage", flat=True))
    if case.applicant.user_id == user.pk:
        held.add(Stage.APPLY)
    return held


def duty_check(*, case: Case, user: User, stage: str) -> None:
    """Refuse unless ``user`` may perform ``stage`` on ``case`` (role and separation)."""
    _require(user, stage, case)
    _check_separation(case, user, stage)


def _check_separation(case: Case, user: User, stage: str) -> None:
    held = separation.separation_conflict(
        stage=stage, user_stages=_user_stages(case, user),
        single_approver=case.matter.single_approver)
    if held is not None:
        raise PermissionRefused(separation.separation_message(stage, held),
                                "separation_of_duties")


def case_transition(*, case_id: int, name: str, by: User, note: str = "",
                    data: dict[str, Any] | None = None) -> Case:
    """Run transition ``name`` on the case as ``by``; the one path for status changes."""
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise ApplicationError(_("未知的办理动作。"), "unknown_transition", status=404)
    try:
        with transaction.atomic():
            case = (Case.objects.select_for_update(of=("self",))
                    .select_related("matter", "applicant").get(pk=case_id))
            return _run(case, spec, by, note, data or {})
    except Case.DoesNotExist:
        raise ApplicationError(_("办件不存在。"), "not_found", status=404) from None
    except (IntegrityError, ConcurrentTransition) as exc:  # a concurrent writer won
        raise ConflictError(_("案件已被他人办理或状态已变化，请刷新后重试。"), "conflict") from exc


def _run(case: Case, spec, by: User, note: str, data: dict) -> Case:
    if not can_view_case.test(by, case):
        raise ApplicationError(_("办件不存在。"), "not_found", status=404)
    _require(by, spec.stage, case)
    reason = refusal_reason(case, spec.name)
    if reason:
        raise ConflictError(reason, "invalid_transition")
    _check_separation(case, by, spec.stage)
    if spec.needs_reason and not note.strip():
        raise ApplicationError(_("“{action}”须书面说明理由，请填写意见。").format(action=spec.label),
                               "reason_required")
    if spec.name in hooks.GUARDS:
        hooks.GUARDS[spec.name](case, by, data)
    before = case.status
    getattr(case, spec.name)()
    if spec.name == "submit" and not case.number:
        case.number = case_number_for(case)
    clocks_apply(case, spec.name)
    case.save()
    if spec.name in hooks.EFFECTS:
        hooks.EFFECTS[spec.name](case, by, note, data)
    _record(case, spec, by, before, note, data)
    case_transition_recorded.send(sender=Case, case=case, transition=spec.name, by=by,
                                  note=note, data=data)
    transaction.on_commit(lambda: case_transitioned.send(
        sender=Case, case_id=case.pk, transition=spec.name))
    return case


def _record(case: Case, spec, by: User, before: str, note: str, data: dict) -> None:
    staff_filing = spec.stage == Stage.APPLY and by.is_bureau_staff
    if not staff_filing:
        CaseParticipant.objects.get_or_create(case=case, user=by, stage=spec.stage)
    role = by.primary_role if staff_filing else STAGE_ROLE[spec.stage]
    CaseStatusChange.objects.create(case=case, from_status=before, to_status=case.status,
                                    transition=spec.name, actor=by, actor_role=role,
                                    note=note, data=data)
    audit_log(action=f"case.{spec.name}", actor=by, obj=case,
              before={"status": before}, after={"status": case.status, "note": note, **data})


#: Transitions run by the inspection task (its page and API), never offered on the case.
TASK_DRIVEN = frozenset({"start_inspection", "conclude_inspection"})


def case_allowed_transitions(*, case: Case, user: User) -> list:
    """The transitions ``user`` may run on ``case`` now (for buttons and the API)."""
    held = _user_stages(case, user)
    allowed = []
    for t in case.get_available_status_transitions():
        if t.name in TASK_DRIVEN:
            continue
        spec = TRANSITIONS[t.name]
        if not STAGE_PERMISSION[spec.stage].test(user, case):
            continue
        if separation.separation_conflict(stage=spec.stage, user_stages=held,
                                          single_approver=case.matter.single_approver):
            continue
        allowed.append(spec)
    order = list(TRANSITIONS)
    return sorted(allowed, key=lambda spec: order.index(spec.name))
