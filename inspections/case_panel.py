"""What the case page shows about inspection: the standard the case is held to, its
tasks with inspectors, booking and reports."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse

from approvals.models import Case
from inspections.models import Assignment, Booking, InspectionTask
from inspections.services.standards import case_standard


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def case_inspection_panel(case: Case) -> dict | None:
    """None for a matter without inspection."""
    if not (case.matter.needs_inspection or case.matter.inspection_modes):
        return None
    tasks = list(InspectionTask.objects.filter(cases=case).prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.filter(released_at__isnull=True)
                 .select_related("inspector"), to_attr="active_assignments"),
        Prefetch("bookings", queryset=Booking.objects.filter(cancelled_at__isnull=True),
                 to_attr="active_bookings"),
        "reports").order_by("-created_at"))
    for task in tasks:
        task.page_url = _url("inspection-task", task.pk)
        task.booking_url = _url("inspection-booking", task.pk)
        task.report_links = [(r, _url("inspection-report-download", r.pk))
                             for r in task.reports.all()]
    return {"standard": case_standard(case), "standard_url": _url("inspection-case-standard", case.pk),
            "tasks": tasks, "requests": list(case.inspection_requests.all())}
