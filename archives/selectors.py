"""Archive queries: the search (by case number, applicant, matter, closing dates,
licence number), cases waiting to be archived, packages due for destruction review,
loans and destruction lists. Each returns a queryset with its joins done, so a list
page's query count does not grow with its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from approvals.models import Case
from approvals.workflow import CLOSED
from archives.models import (
    ArchiveDocument,
    ArchivePackage,
    DestructionItem,
    DestructionList,
    DocumentKind,
    Loan,
)


@dataclass(frozen=True)
class SearchFilters:
    case_number: str = ""
    applicant: str = ""
    matter: str = ""
    closed_from: date | None = None
    closed_to: date | None = None
    certificate: str = ""
    number: str = ""


def package_search(filters: SearchFilters) -> QuerySet[ArchivePackage]:
    qs = ArchivePackage.objects.select_related("case__matter", "case__applicant")
    f = filters
    if f.number:
        qs = qs.filter(number__icontains=f.number.strip())
    if f.case_number:
        qs = qs.filter(case__number__icontains=f.case_number.strip())
    if f.applicant:
        qs = qs.filter(case__applicant__name__icontains=f.applicant.strip())
    if f.matter:
        text = f.matter.strip()
        qs = qs.filter(Q(case__matter__code__iexact=text) | Q(case__matter__name__icontains=text))
    if f.closed_from:
        qs = qs.filter(closed_on__gte=f.closed_from)
    if f.closed_to:
        qs = qs.filter(closed_on__lte=f.closed_to)
    if f.certificate:
        qs = qs.filter(Exists(ArchiveDocument.objects.filter(
            package=OuterRef("pk"), kind=DocumentKind.CERTIFICATE,
            doc_number__icontains=f.certificate.strip())))
    return qs.order_by("-closed_on", "-id")


def package_detail(package_id: int) -> ArchivePackage | None:
    return (ArchivePackage.objects.select_related("case__matter", "case__applicant",
                                                  "bound_by", "destruction")
            .filter(pk=package_id).first())


def cases_to_archive() -> QuerySet[Case]:
    """Closed cases not archived yet, longest closed first."""
    return (Case.objects.filter(status__in=list(CLOSED))
            .select_related("matter", "applicant").order_by("closed_at", "pk"))


def packages_due(*, today: date | None = None) -> QuerySet[ArchivePackage]:
    """Packages past their review date, not destroyed and not on a pending list."""
    today = today or timezone.localdate()
    pending = DestructionItem.objects.filter(package=OuterRef("pk"),
                                             destruction__status=DestructionList.Status.PROPOSED)
    return (ArchivePackage.objects.filter(status=ArchivePackage.Status.BOUND,
                                          retention_review_date__lte=today)
            .exclude(Exists(pending))
            .select_related("case__matter", "case__applicant")
            .order_by("retention_review_date", "id"))


def loans(*, overdue: bool = False, open_only: bool = False) -> QuerySet[Loan]:
    qs = Loan.objects.select_related("package__case", "lent_by", "received_by")
    if overdue:
        qs = qs.filter(returned_at__isnull=True, due_date__lt=timezone.localdate())
    elif open_only:
        qs = qs.filter(returned_at__isnull=True)
    return qs.order_by("due_date" if overdue or open_only else "-lent_at", "id")


def destruction_lists() -> QuerySet[DestructionList]:
    return DestructionList.objects.select_related("proposed_by", "decided_by").order_by(
        "-proposed_at", "-id")
