"""Claiming a result (认领): a user of the department acknowledges it. The first claim
wins (a conditional update, so two concurrent claims cannot both succeed); the same user
claiming again gets the same claim back; a colleague is told who claimed it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.regulators.models import Claim, OutboxEvent
from portal.regulators.permissions import department_of


def _conflict(claim: Claim) -> ConflictError:
    return ConflictError(
        _("该结果已由{who}于{at}认领。").format(
            who=claim.claimed_by, at=timezone.localtime(claim.claimed_at).strftime(
                "%Y-%m-%d %H:%M")),
        "already_claimed", extra={"claimed_by": str(claim.claimed_by),
                                  "claimed_at": claim.claimed_at.isoformat()})


def _current(event: OutboxEvent) -> Claim | None:
    return Claim.objects.filter(event=event).select_related("claimed_by").first()


def claim_result(*, event: OutboxEvent, by: User, via: str = Claim.Via.PORTAL) -> Claim:
    """Claim ``event`` for ``by``'s department (idempotent for the same user)."""
    department = department_of(by)
    if department is None:
        raise PermissionRefused(_("只有行业主管部门的用户可以认领审批结果。"), "not_regulator")
    if event.department_id != department.pk:
        raise ApplicationError(_("审批结果不存在。"), "not_found", status=404)
    claim = _current(event)
    if claim is None:
        raise ApplicationError(_("该事件无需认领。"), "not_claimable")
    if claim.claimed_at is not None:
        if claim.claimed_by_id == by.pk:
            return claim
        raise _conflict(claim)
    now = timezone.now()
    with transaction.atomic():
        won = Claim.objects.filter(pk=claim.pk, claimed_at__isnull=True).update(
            claimed_by=by, claimed_at=now, via=via)
        if won:
            audit_log(action="regulators.claim", actor=by, obj=event,
                      after={"event_id": str(event.event_id), "department": department.code,
                             "via": via, "overdue": timezone.localdate(now) > claim.claim_due})
    claim = Claim.objects.select_related("claimed_by").get(pk=claim.pk)
    if claim.claimed_by_id != by.pk:
        raise _conflict(claim)
    return claim
