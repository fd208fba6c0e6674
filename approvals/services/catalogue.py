"""Catalogue services: recorded changes to matters' exceptional settings."""

from __future__ import annotations

from django.db import transaction

from approvals.models import Matter, MatterSettingChange
from portal.accounts.models import User
from portal.core.audit import audit_log


def matter_set_single_approver(*, matter: Matter, enabled: bool, by: User,
                               reason: str = "") -> Matter:
    """Switch the single-approver (独任审批) exception; every change is recorded."""
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter.pk)
        if matter.single_approver == enabled:
            return matter
        MatterSettingChange.objects.create(
            matter=matter, field="single_approver", old_value=str(matter.single_approver),
            new_value=str(enabled), changed_by=by, reason=reason)
        matter.single_approver = enabled
        matter.save(update_fields=["single_approver", "updated_at"])
        audit_log(action="matter.single_approver", actor=by, obj=matter,
                  before={"single_approver": not enabled},
                  after={"single_approver": enabled, "reason": reason})
    return matter
