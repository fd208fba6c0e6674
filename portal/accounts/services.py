"""Account services: revealing an applicant's full personal data is logged every time."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.models import Applicant, User
from portal.accounts.roles import Role
from portal.accounts.validators import validate_applicant_identity, validate_mobile
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError


def may_reveal_identity(*, applicant: Applicant, user: User) -> bool:
    """Bureau staff, or the applicant themself, may see the unmasked ID number and phone."""
    return user.is_authenticated and (user.is_bureau_staff or applicant.user_id == user.pk)


def applicant_identity_reveal(*, applicant: Applicant, by: User, purpose: str = "") -> dict:
    """Full ID number and phone for bureau staff or the applicant themself; audited."""
    if not may_reveal_identity(applicant=applicant, user=by):
        raise ApplicationError(_("申请人不存在。"), "not_found", status=404)
    audit_log(action="pii.view", actor=by, obj=applicant,
              after={"fields": ["id_number", "phone"], "purpose": purpose[:200]})
    return {"id_number": applicant.id_number, "phone": applicant.phone}


def _check_identity(kind: str, id_number: str, phone: str, name: str) -> str:
    errors = {}
    id_number = (id_number or "").strip().upper()
    try:
        validate_applicant_identity(kind, id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages[0]
    try:
        if not (phone or "").strip():
            raise ValidationError(_("请填写联系电话。"))
        validate_mobile(phone.strip())
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
    if not (name or "").strip():
        errors["name"] = _("请填写姓名或单位名称。")
    if errors:
        raise ApplicationError(_("登记信息有误，请按提示修改。"), "invalid", extra={"errors": errors})
    return id_number


def applicant_register(*, username: str, password: str, kind: str, name: str,
                       id_number: str, phone: str, address: str = "",
                       legal_representative: str = "") -> Applicant:
    """Self-registration of a person (resident ID) or an organisation (USCC) with a login.

    A profile created earlier at the counter is linked only when name and phone match it;
    otherwise the applicant is asked to come to the counter (no identity can be claimed).
    """
    id_number = _check_identity(kind, id_number, phone, name)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("该用户名已被使用。"), "username_taken",
                               extra={"errors": {"username": _("该用户名已被使用。")}})
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), "weak_password",
                               extra={"errors": {"password": " ".join(exc.messages)}}) from None
    with transaction.atomic():
        applicant = (Applicant.objects.select_for_update()
                     .filter(kind=kind, id_number=id_number).first())
        if applicant is not None and (applicant.user_id is not None or
                                      applicant.name != name.strip() or
                                      applicant.phone != phone.strip()):
            raise ApplicationError(_("该证件号码已登记。如需开通网上账号，请持证件到综合窗口办理。"),
                                   "identity_registered")
        user = User.objects.create_user(username=username, password=password,
                                        real_name=name.strip()[:50], phone=phone.strip())
        user.groups.add(Group.objects.get_or_create(name=Role.APPLICANT)[0])
        if applicant is None:
            applicant = Applicant.objects.create(
                kind=kind, name=name.strip(), id_number=id_number, phone=phone.strip(),
                address=address.strip(), legal_representative=legal_representative.strip())
        applicant.user = user
        applicant.save(update_fields=["user", "updated_at"])
        audit_log(action="applicant.register", actor=user, obj=applicant,
                  after={"kind": kind, "linked_existing": applicant.created_at < user.date_joined})
    return applicant


def applicant_find_or_create_walk_in(*, by: User, kind: str, name: str, id_number: str,
                                     phone: str, address: str = "") -> Applicant:
    """At the counter: find the applicant by identity, or register them without a login."""
    if not by.has_role(Role.CLERK):
        raise ApplicationError(_("只有综合窗口受理员可以登记来窗申请人。"), "permission_denied",
                               status=403)
    id_number = _check_identity(kind, id_number, phone, name)
    with transaction.atomic():
        applicant, created = Applicant.objects.get_or_create(
            kind=kind, id_number=id_number,
            defaults={"name": name.strip(), "phone": phone.strip(), "address": address.strip()})
        if created:
            audit_log(action="applicant.walk_in", actor=by, obj=applicant, after={"kind": kind})
    return applicant
