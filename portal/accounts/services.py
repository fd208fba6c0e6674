"""Account services: revealing an applicant's full personal data is logged every time."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.accounts.models import Applicant, User
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError


def applicant_identity_reveal(*, applicant: Applicant, by: User, purpose: str = "") -> dict:
    """Full ID number and phone for bureau staff or the applicant themself; audited."""
    if not (by.is_authenticated and (by.is_bureau_staff or applicant.user_id == by.pk)):
        raise ApplicationError(_("申请人不存在。"), "not_found", status=404)
    audit_log(action="pii.view", actor=by, obj=applicant,
              after={"fields": ["id_number", "phone"], "purpose": purpose[:200]})
    return {"id_number": applicant.id_number, "phone": applicant.phone}
