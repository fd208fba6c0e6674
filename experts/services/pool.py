"""The pool (专家库): keep experts, their declared relations (回避) and unavailable dates,
the bureau's ratings, and hand out contact data only on an audited request.

Pool managers (dispatchers, supervisors) edit everything; an expert edits their own
unavailable dates and may declare relations. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from experts.models import Expert, ExpertField, ExpertRating, ExpertRelation, ExpertUnavailability
from experts.permissions import can_view_expert, expert_of, is_pool_manager
from portal.accounts.models import Applicant
from portal.accounts.roles import Role
from portal.accounts.validators import is_valid_uscc, validate_mobile
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused

User = get_user_model()
EDITABLE = ("name", "fields", "industries", "employer", "title", "qualifications", "phone",
            "email", "active", "note", "user")
LIMITS = {"name": 50, "employer": 100, "title": 50, "qualifications": 200, "note": 200}


def require_manager(by) -> None:
    if not is_pool_manager(by):
        raise PermissionRefused(_("只有勘验调度员或督查人员可以管理专家库。"), "permission_denied")


def _require_self_or_manager(by, expert: Expert) -> None:
    own = expert_of(by)
    if not is_pool_manager(by) and (own is None or own.pk != expert.pk):
        raise PermissionRefused(_("只能维护本人的专家信息。"), "permission_denied")


def split_list(value) -> list[str]:
    """"a；b;c、d" or a list → ["a", "b", "c", "d"] (blank parts dropped, order kept)."""
    if isinstance(value, list | tuple):
        parts = [str(v) for v in value]
    else:
        parts = str(value or "").replace("；", ";").replace("、", ";").replace("，", ";") \
            .replace(",", ";").split(";")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _text_errors(values: dict, errors: dict) -> None:
    for name, limit in LIMITS.items():
        value = values.get(name, "")
        if len(value) > limit:
            errors[name] = _("不能超过 {n} 个字。").format(n=limit)
    if not values.get("name"):
        errors["name"] = _("请填写姓名。")
    if not values.get("employer"):
        errors["employer"] = _("请填写工作单位。")


def _contact_errors(values: dict, errors: dict, instance: Expert | None) -> None:
    phone = values.get("phone", "")
    try:
        if not phone:
            raise ValidationError(_("请填写手机号。"))
        validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
    else:
        taken = Expert.objects.filter(phone=phone).exclude(pk=getattr(instance, "pk", None))
        if taken.exists():
            errors["phone"] = _("该手机号已登记为其他专家（编号 {id}）。").format(
                id=taken.values_list("pk", flat=True).first())
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = _("电子邮箱格式不正确。")


def _user_errors(values: dict, errors: dict, instance: Expert | None) -> None:
    user = values.get("user")
    if user is None:
        return
    if not user.has_role(Role.EXPERT):
        errors["user"] = _("登录账号须具有“评审专家”角色。")
    elif Expert.objects.filter(user=user).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["user"] = _("该登录账号已关联其他专家。")


def clean_expert(values: dict, *, instance: Expert | None = None) -> dict:
    """Normalise and check an expert's data; every problem is reported at once."""
    values = dict(values)
    for name in ("name", "employer", "title", "qualifications", "phone", "email", "note"):
        if name in values:
            values[name] = str(values[name] or "").strip()
    if "industries" in values:
        values["industries"] = split_list(values["industries"])
    errors: dict[str, str] = {}
    _text_errors(values, errors)
    _contact_errors(values, errors, instance)
    _user_errors(values, errors, instance)
    fields = list(values.get("fields") or [])
    if not fields:
        errors["fields"] = _("请至少选择一个专业领域。")
    if errors:
        raise ApplicationError(_("专家信息有误，请按提示修改。"), "invalid",
                               extra={"errors": errors})
    values["fields"] = fields
    values["active"] = bool(values.get("active", True))
    return values


def _snapshot(expert: Expert) -> dict:
    return {"name": expert.name, "employer": expert.employer, "title": expert.title,
            "qualifications": expert.qualifications, "active": expert.active,
            "industries": list(expert.industries), "note": expert.note,
            "user": expert.user_id, "email_set": bool(expert.email),
            "fields": sorted(f.name for f in expert.fields.all())}


def _current(expert: Expert) -> dict:
    return {**{n: getattr(expert, n) for n in EDITABLE if n != "fields"},
            "fields": list(expert.fields.all())}


def expert_check(*, values: dict, expert: Expert | None = None) -> dict:
    """``values`` merged over ``expert`` and checked, without saving anything."""
    merged = {**(_current(expert) if expert else {}), **values}
    return clean_expert({k: merged.get(k) for k in EDITABLE}, instance=expert)


def expert_save(*, by, values: dict, expert: Expert | None = None,
                audit: bool = True) -> tuple[Expert, bool]:
    """Create ``expert`` or bring it to ``values`` (missing keys keep their value).
    Returns the expert and whether anything changed (nothing is saved when nothing did)."""
    cleaned = expert_check(values=values, expert=expert)
    fields = cleaned.pop("fields")
    with transaction.atomic():
        if expert is None:
            before, contact_changed = {}, True
            expert = Expert.objects.create(**cleaned)
            expert.fields.set(fields)
        else:
            before = _snapshot(expert)
            diff = [n for n, v in cleaned.items() if getattr(expert, n) != v]
            fields_differ = ({f.pk for f in expert.fields.all()} != {f.pk for f in fields})
            if not diff and not fields_differ:
                return expert, False
            contact_changed = bool({"phone", "email"} & set(diff))
            for name in diff:
                setattr(expert, name, cleaned[name])
            expert.save()
            if fields_differ:
                expert.fields.set(fields)
        if audit:
            audit_log(action="experts.expert_save", actor=by, obj=expert, before=before,
                      after=_snapshot(expert) | {"contact_changed": contact_changed})
    return expert, True


def expert_create(*, by, **values) -> Expert:
    require_manager(by)
    return expert_save(by=by, values=values)[0]


def expert_update(*, expert: Expert, by, **values) -> Expert:
    require_manager(by)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ApplicationError(_("不能修改：{names}").format(names="、".join(sorted(unknown))))
    return expert_save(by=by, values=values, expert=expert)[0]


def expert_delete(*, expert: Expert, by) -> None:
    """Only an expert never drawn may be deleted; others are deactivated (records stay)."""
    require_manager(by)
    if expert.invitations.exists():
        raise ConflictError(_("该专家已有抽取记录，不能删除；如不再抽取请改为停用。"),
                            "expert_has_records")
    audit_log(action="experts.expert_delete", actor=by, obj=expert, before=_snapshot(expert))
    expert.delete()


def may_reveal_contact(*, expert: Expert, user) -> bool:
    return user.is_authenticated and can_view_expert(user, expert)


def expert_contact_reveal(*, expert: Expert, by, purpose: str = "") -> dict:
    """Full phone and e-mail for pool managers or the expert themself; audited."""
    if not may_reveal_contact(expert=expert, user=by):
        raise ApplicationError(_("专家不存在。"), "not_found", status=404)
    audit_log(action="pii.view", actor=by, obj=expert,
              after={"fields": ["phone", "email"], "purpose": purpose[:200]})
    return {"phone": expert.phone, "email": expert.email}


def fields_by_name(names: Sequence[str]) -> tuple[list[ExpertField], list[str]]:
    """The known fields named, and the names that are not known."""
    known = {f.name: f for f in ExpertField.objects.filter(name__in=list(names))}
    return [known[n] for n in names if n in known], [n for n in names if n not in known]


# ---------------------------------------------------------------- relations (回避)

def relation_declare(*, expert: Expert, by, relation: str, applicant: Applicant | None = None,
                     org: str = "") -> ExpertRelation:
    """Declare a relation with ``applicant``, or with an organisation named by ``org``
    (its USCC or its name)."""
    _require_self_or_manager(by, expert)
    relation, org = (relation or "").strip(), (org or "").strip()
    if not relation:
        raise ApplicationError(_("请说明与申请人的关系。"), "invalid",
                               extra={"errors": {"relation": _("请说明与申请人的关系。")}})
    if applicant is None and not org:
        raise ApplicationError(_("请填写需回避的单位名称或统一社会信用代码。"), "invalid",
                               extra={"errors": {"org": _("请填写单位名称或统一社会信用代码。")}})
    code = org.upper() if org and is_valid_uscc(org) else ""
    row = ExpertRelation.objects.create(
        expert=expert, applicant=applicant, org_code=code,
        org_name="" if code or applicant else org[:100], relation=relation[:100])
    audit_log(action="experts.relation_declare", actor=by, obj=expert,
              after={"relation": row.pk, "applicant": getattr(applicant, "pk", None),
                     "org": code or row.org_name, "kind": relation[:100]})
    return row


def relation_withdraw(*, relation: ExpertRelation, by) -> None:
    require_manager(by)
    if relation.active:
        relation.active = False
        relation.save(update_fields=["active"])
        audit_log(action="experts.relation_withdraw", actor=by, obj=relation.expert,
                  after={"relation": relation.pk})


# ---------------------------------------------------------------- availability, ratings

def unavailability_add(*, expert: Expert, by, start: date, end: date,
                       reason: str = "") -> ExpertUnavailability:
    _require_self_or_manager(by, expert)
    if start is None or end is None:
        raise ApplicationError(_("请填写开始和结束日期。"), "invalid")
    if end < start:
        raise ApplicationError(_("结束日期不能早于开始日期。"), "invalid",
                               extra={"errors": {"end": _("结束日期不能早于开始日期。")}})
    row = ExpertUnavailability.objects.create(expert=expert, start=start, end=end,
                                              reason=(reason or "").strip()[:100])
    audit_log(action="experts.unavailable_add", actor=by, obj=expert,
              after={"start": start, "end": end})
    return row


def unavailability_remove(*, period: ExpertUnavailability, by) -> None:
    _require_self_or_manager(by, period.expert)
    audit_log(action="experts.unavailable_remove", actor=by, obj=period.expert,
              before={"start": period.start, "end": period.end})
    period.delete()


def rating_add(*, expert: Expert, by, score: int, comment: str = "",
               meeting=None) -> ExpertRating:
    """The bureau's quality rating (1–5) of an expert's work."""
    require_manager(by)
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ApplicationError(_("质量评价须为 1–5 分。"), "invalid",
                               extra={"errors": {"score": _("质量评价须为 1–5 分。")}})
    if meeting is not None and not meeting.draw.invitations.filter(expert=expert).exists():
        raise ApplicationError(_("该专家未受邀参加这次评审会。"), "invalid")
    rating = ExpertRating.objects.create(expert=expert, meeting=meeting, score=score,
                                         comment=(comment or "").strip()[:300], rated_by=by)
    audit_log(action="experts.rate", actor=by, obj=expert,
              after={"score": score, "meeting": getattr(meeting, "pk", None)})
    return rating
