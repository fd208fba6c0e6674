"""Read side of the video call: lookups that 404 for what the user may not see, and what
the call page and the case show."""

from __future__ import annotations

from django.http import Http404

from inspections.permissions import can_view_task
from inspections.video.models import CallLocation, CallRecording
from portal.accounts.models import User


def recording_get(user: User, recording_id: int) -> CallRecording:
    """A recording of a task ``user`` may see; otherwise 404."""
    recording = (CallRecording.objects.select_related("task__applicant", "started_by")
                 .filter(pk=recording_id).first())
    if recording is None or not can_view_task(user, recording.task):
        raise Http404
    return recording


def task_recordings(task) -> list[CallRecording]:
    return list(task.recordings.select_related("started_by").order_by("started_at", "pk"))


def latest_location(task) -> CallLocation | None:
    return task.call_locations.order_by("-received_at", "-pk").first()
