"""Read side of 审管互动: the departments that supervise a case, their users, the
department's results with claims, requests for the bureau and the outbox monitor. Lists
join what their rows show, so their query count does not grow with the rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from approvals.models import Case, Matter
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.regulators.models import (
    OutboxEvent,
    RegulatorDepartment,
    RegulatorRequest,
    RequestStatus,
)

#: The claim filters of a department's inbox.
CLAIM_STATES = ("unclaimed", "claimed", "overdue")


def departments_covering(matters: Iterable[Matter]) -> list[RegulatorDepartment]:
    """Active departments that supervise any of ``matters``."""
    matters = list(matters)
    departments = RegulatorDepartment.objects.filter(is_active=True).prefetch_related(
        Prefetch("matters", queryset=Matter.objects.only("pk")))
    return [d for d in departments if any(d.covers(m) for m in matters)]


def case_matters(case: Case) -> list[Matter]:
    """The case's matter, and for a bundle application (一件事) its siblings' matters."""
    if case.group_id is None:
        return [case.matter]
    return [c.matter for c in Case.objects.filter(group_id=case.group_id)
            .select_related("matter")]


def department_users(department: RegulatorDepartment) -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=Role.REGULATOR,
                                    regulator_membership__department=department)
                .distinct().order_by("pk"))


def supervisors() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=Role.SUPERVISOR)
                .distinct().order_by("pk"))


def _events() -> QuerySet[OutboxEvent]:
    return OutboxEvent.objects.select_related(
        "department", "case__matter", "case__applicant", "certificate", "claim__claimed_by")


def department_events(*, department: RegulatorDepartment, state: str = "",
                      since=None, today: date | None = None) -> QuerySet[OutboxEvent]:
    """The department's events, newest first; ``state`` filters claimable results."""
    qs = _events().filter(department=department)
    today = today or timezone.localdate()
    if state == "unclaimed":
        qs = qs.filter(claim__isnull=False, claim__claimed_at__isnull=True)
    elif state == "claimed":
        qs = qs.filter(claim__claimed_at__isnull=False)
    elif state == "overdue":
        qs = qs.filter(claim__claimed_at__isnull=True, claim__claim_due__lt=today)
    if since is not None:
        qs = qs.filter(created_at__gt=since)
    return qs.order_by("-created_at", "-id")


def event_get(event_id) -> OutboxEvent | None:
    return _events().filter(event_id=event_id).first()


def _requests() -> QuerySet[RegulatorRequest]:
    return RegulatorRequest.objects.select_related(
        "department", "case__matter", "case__applicant", "certificate", "handler",
        "submitted_by")


def requests_visible(*, user: User, department: RegulatorDepartment | None,
                     status: str = "") -> QuerySet[RegulatorRequest]:
    """A department's own requests for its users; for bureau staff, all requests (an
    approver with a section: those on the section's matters)."""
    qs = _requests()
    if department is not None:
        qs = qs.filter(department=department)
    elif user.has_role(Role.APPROVER) and not user.has_role(Role.SUPERVISOR) \
            and user.section_id is not None:
        qs = qs.filter(case__matter__section_id=user.section_id)
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    elif status == "active":
        qs = qs.filter(status__in=[RequestStatus.OPEN, RequestStatus.ACCEPTED])
    return qs.prefetch_related("attachments").order_by("-received_at", "-id")


def request_get(pk: int) -> RegulatorRequest | None:
    return _requests().prefetch_related("attachments").filter(pk=pk).first()


def outbox_monitor(*, status: str = "", department_id: int | None = None
                   ) -> QuerySet[OutboxEvent]:
    qs = OutboxEvent.objects.select_related("department", "case")
    if status in OutboxEvent.Status.values:
        qs = qs.filter(status=status)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("-created_at", "-id")


def outbox_counts() -> dict[str, int]:
    rows = OutboxEvent.objects.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def case_requests(case: Case) -> list[RegulatorRequest]:
    return list(_requests().filter(case=case).order_by("-received_at", "-id"))


def case_events(case: Case) -> list[OutboxEvent]:
    return list(_events().filter(case=case).order_by("created_at", "id"))


def department_covers_case(department: RegulatorDepartment, case: Case) -> bool:
    matters = case_matters(case)
    covered = set(department.matters.filter(pk__in=[m.pk for m in matters])
                  .values_list("pk", flat=True))
    return bool(covered) or any(m.industry and m.industry in (department.industries or [])
                                for m in matters)


def unclaimed_count(department: RegulatorDepartment) -> int:
    return OutboxEvent.objects.filter(department=department, claim__claimed_at__isnull=True,
                                      claim__isnull=False).count()

