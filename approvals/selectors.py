"""Read-side queries for cases and the catalogue; they do the joins so lists stay flat."""

from __future__ import annotations

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from approvals.models import (
    AgentAuthorization,
    Case,
    CaseMaterial,
    CaseStage,
    CaseStatusChange,
    Certificate,
    Deficiency,
    Matter,
    Notice,
    SupplementItem,
)
from approvals.permissions import acts_for_applicant  # noqa: F401 (re-exported for views)
from approvals.workflow import CaseStatus
from portal.accounts.models import User


def matter_list(*, active_only: bool = True, query: str = "",
                section: str = "") -> QuerySet[Matter]:
    """The service guide: matters by name/code/industry search and section code."""
    qs = Matter.objects.select_related("section").prefetch_related("materials")
    if active_only:
        qs = qs.filter(is_active=True)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query)
                       | Q(industry__icontains=query))
    if section:
        qs = qs.filter(section__code=section)
    return qs


def supplement_items(*, case: Case) -> QuerySet[SupplementItem]:
    return SupplementItem.objects.filter(request__case=case).select_related("requirement")


def case_list(*, user: User) -> QuerySet[Case]:
    """Cases ``user`` may see: bureau staff see all; applicants their own; agents those of
    applicants who authorised them (while the authorisation is active)."""
    qs = Case.objects.select_related("matter", "matter__section", "applicant", "district")
    if user.is_bureau_staff:
        return qs
    today = timezone.localdate()
    authorised = AgentAuthorization.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today), agent=user,
        revoked_at__isnull=True).values("applicant_id")
    return qs.filter(Q(applicant__user=user) | Q(applicant_id__in=authorised))


def case_get(*, user: User, case_id: int) -> Case:
    """One case with its history and clocks, or 404 (also for cases of other applicants)."""
    qs = case_list(user=user).prefetch_related(
        Prefetch("history", queryset=CaseStatusChange.objects.order_by("at", "id")),
        Prefetch("stages", queryset=CaseStage.objects.prefetch_related("pauses")),
        Prefetch("materials", queryset=CaseMaterial.objects.filter(is_current=True)
                 .select_related("requirement"), to_attr="current_materials"),
        Prefetch("deficiencies", queryset=Deficiency.objects.select_related("requirement")),
        Prefetch("notices", queryset=Notice.objects.order_by("issued_at", "id")),
    ).select_related("commitment", "supplement_request", "group", "group__bundle")
    try:
        return qs.get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def counter_queue(*, user: User) -> QuerySet[Case]:
    """Submitted cases waiting at the counter, the nearest acceptance deadline first."""
    due = CaseStage.objects.filter(case=OuterRef("pk"), name=CaseStage.Name.ACCEPTANCE,
                                   ended_at__isnull=True).order_by("-started_at")
    return (case_list(user=user).filter(status=CaseStatus.SUBMITTED)
            .annotate(acceptance_due=Subquery(due.values("due_date")[:1]))
            .order_by(F("acceptance_due").asc(nulls_last=True), "submitted_at"))


def material_get(*, user: User, material_id: int) -> CaseMaterial:
    material = CaseMaterial.objects.select_related("case").filter(pk=material_id).first()
    if material is None or not case_list(user=user).filter(pk=material.case_id).exists():
        raise Http404
    return material


def notice_get(*, user: User, notice_id: int) -> Notice:
    notice = Notice.objects.select_related("case").filter(pk=notice_id).first()
    if notice is None or not case_list(user=user).filter(pk=notice.case_id).exists():
        raise Http404
    return notice


def deficiencies_overdue() -> QuerySet[Deficiency]:
    """容缺 promises past their date and not yet fulfilled (supervisors' list)."""
    return (Deficiency.objects.filter(fulfilled_at__isnull=True,
                                      promise_date__lt=timezone.localdate())
            .select_related("case", "case__matter", "case__applicant", "requirement")
            .order_by("promise_date"))


def agent_authorizations(*, user: User) -> QuerySet[AgentAuthorization]:
    qs = AgentAuthorization.objects.select_related("applicant", "agent")
    if user.has_role("clerk", "supervisor"):
        return qs
    return qs.filter(Q(agent=user) | Q(applicant__user=user))


def certificate_list(*, user: User) -> QuerySet[Certificate]:
    """Licences of the cases ``user`` may see."""
    return (Certificate.objects.filter(case__in=case_list(user=user).values("pk"))
            .select_related("case", "case__matter").order_by("-issued_at", "-id"))
