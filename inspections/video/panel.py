"""What the task page and the case page show of a video inspection: the way into the
call, the premises' coordinates and the applicant's reported position with its distance,
the recordings (played in the page), and calls given up (改期/转现场)."""

from __future__ import annotations

from django.urls import reverse

from inspections.models import InspectionTask, TaskStatus
from inspections.permissions import is_dispatcher
from inspections.services.conduct import is_task_inspector
from inspections.tiers import Mode
from inspections.video.access import call_is_open, call_role
from inspections.video.forms import FallbackForm, PremisesForm
from inspections.video.models import CallLocation, CallRecording
from inspections.video.services import location_off_premises

CLOSED = (TaskStatus.CONCLUDED, TaskStatus.CANCELLED)


def recordings_with_urls(recordings) -> list[CallRecording]:
    for recording in recordings:
        recording.play_url = (reverse("inspection-recording-file", args=[recording.pk])
                              if recording.file else "")
    return list(recordings)


def video_panel(user, task: InspectionTask, bound: dict | None = None) -> dict | None:
    """None for a task that never was a video inspection (nothing to show)."""
    bound = bound or {}
    recordings = list(task.recordings.select_related("started_by").order_by("started_at",
                                                                           "pk"))
    fallbacks = list(task.call_fallbacks.select_related("by").order_by("at", "pk"))
    if task.mode != Mode.VIDEO and not recordings and not fallbacks:
        return None
    manager = is_dispatcher(user) or is_task_inspector(user, task)
    latest: CallLocation | None = task.call_locations.order_by("-received_at", "-pk").first()
    open_call = call_is_open(task)
    return {
        "call_url": (reverse("inspection-call", args=[task.pk])
                     if open_call and call_role(user, task) else ""),
        "open": open_call,
        "location": latest,
        "location_off": bool(latest and location_off_premises(latest)),
        "location_count": task.call_locations.count(),
        "recordings": recordings_with_urls(recordings),
        "fallbacks": fallbacks,
        "can_set_premises": manager and task.status not in CLOSED,
        "can_fallback": manager and open_call,
        "under_way": task.status == TaskStatus.IN_PROGRESS,
        "premises_form": bound.get("video_premises") or PremisesForm(initial={
            "latitude": task.premises_latitude, "longitude": task.premises_longitude}),
        "fallback_form": bound.get("video_fallback") or FallbackForm(),
    }
