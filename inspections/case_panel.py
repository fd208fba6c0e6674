"""What the case page shows about inspection: the standard the case is held to, its
tasks with inspectors, booking, reports and video call recordings (played in the task
page's player)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse

from approvals.models import Case
from inspections.models import Assignment, Booking, InspectionTask
from inspections.services.standards import case_standard
from inspections.video.models import CallRecording


def case_inspection_panel(case: Case) -> dict | None:
    """None for a matter without inspection."""
    if not (case.matter.needs_inspection or case.matter.inspection_modes):
        return None
    tasks = list(InspectionTask.objects.filter(cases=case).prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.filter(released_at__isnull=True)
                 .select_related("inspector"), to_attr="active_assignments"),
        Prefetch("bookings", queryset=Booking.objects.filter(cancelled_at__isnull=True),
                 to_attr="active_bookings"),
        "reports",
        Prefetch("recordings", queryset=CallRecording.objects.exclude(file="")
                 .order_by("started_at", "pk"), to_attr="played_recordings"),
    ).order_by("-created_at"))
    for task in tasks:
        task.page_url = reverse("inspection-task", args=[task.pk])
        task.booking_url = reverse("inspection-booking", args=[task.pk])
        task.report_links = [(r, reverse("inspection-report-download", args=[r.pk]))
                             for r in task.reports.all()]
        task.recording_links = [(r, reverse("inspection-task", args=[task.pk])
                                 + f"#recording-{r.pk}") for r in task.played_recordings]
    return {"standard": case_standard(case),
            "standard_url": reverse("inspection-case-standard", args=[case.pk]),
            "tasks": tasks, "requests": list(case.inspection_requests.all())}
