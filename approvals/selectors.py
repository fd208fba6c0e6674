"""Read-side queries for cases and the catalogue; they do the joins so lists stay flat."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from approvals.models import Case, CaseStage, CaseStatusChange, Matter
from portal.accounts.models import User


def matter_list(*, active_only: bool = True) -> QuerySet[Matter]:
    qs = Matter.objects.select_related("section").prefetch_related("materials")
    return qs.filter(is_active=True) if active_only else qs


def case_list(*, user: User) -> QuerySet[Case]:
    """Cases ``user`` may see: bureau staff see all, others only their own."""
    qs = Case.objects.select_related("matter", "matter__section", "applicant", "district")
    if user.is_bureau_staff:
        return qs
    return qs.filter(Q(applicant__user=user) | Q(created_by=user))


def case_get(*, user: User, case_id: int) -> Case:
    """One case with its history and clocks, or 404 (also for cases of other applicants)."""
    qs = case_list(user=user).prefetch_related(
        Prefetch("history", queryset=CaseStatusChange.objects.order_by("at", "id")),
        Prefetch("stages", queryset=CaseStage.objects.prefetch_related("pauses")),
    )
    try:
        return qs.get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
