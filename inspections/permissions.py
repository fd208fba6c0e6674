"""Who may see an inspection task. What a person may do on it is decided by the services
(dispatcher for dispatch, the assigned inspectors for the inspection, the applicant side
for booking and rectification)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from approvals.permissions import acts_for_applicant
from inspections.models import InspectionTask
from portal.accounts.roles import Role


def can_view_task(user, task: InspectionTask) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_bureau_staff or acts_for_applicant(user, task.applicant)


def is_dispatcher(user) -> bool:
    """A dispatcher (勘验调度员) with an active account (an inactive one has no roles)."""
    return user.is_authenticated and user.has_role(Role.DISPATCHER)


def visible_tasks(user) -> QuerySet[InspectionTask]:
    """Tasks ``user`` may list: all for bureau staff, the applicant side's own otherwise."""
    qs = InspectionTask.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.is_bureau_staff:
        return qs
    own = Q(applicant__user=user)
    if not user.has_role(Role.AGENT):  # as ``acts_for_applicant``: agents act as agents only
        return qs.filter(own)
    from django.utils import timezone

    today = timezone.localdate()
    return qs.filter(
        own
        | Q(applicant__agent_authorizations__agent=user,
            applicant__agent_authorizations__revoked_at__isnull=True)
        & (Q(applicant__agent_authorizations__valid_until__isnull=True)
           | Q(applicant__agent_authorizations__valid_until__gte=today))).distinct()
