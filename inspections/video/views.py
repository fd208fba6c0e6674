"""The call page (``inspections/tasks/<id>/call/``): both sides' video, the checklist item
being walked, the inspector's result buttons and snapshot, the recording, the applicant's
position. The page only renders; everything it does goes through the call websocket and
the API (``inspections.video.api`` and the task API), where the services decide.

Also the video parts of the task page that work without the call: playing a recording
(in byte ranges, audited once per viewing), marking the premises' coordinates and giving
up a call (改期/转现场), each POST calling one ``inspections.video.services`` service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inspections.forms_tasks import first_error
from inspections.models import TaskStatus
from inspections.selectors import task_get
from inspections.video import services
from inspections.video.access import call_admit
from inspections.video.consumers import location_message
from inspections.video.forms import FallbackForm, PremisesForm
from inspections.video.ice import ice_servers
from inspections.video.selectors import latest_location, recording_get
from inspections.web.tasks import render_task
from portal.core.downloads import ranged_download_response
from portal.core.errors import ApplicationError

ITEM_FIELDS = ("id", "key", "order", "title", "requirement", "method", "veto", "result")


@login_required
def call_page(request, task_id: int):
    task = task_get(request.user, task_id)  # 404 for those who may not see the task
    try:
        participant = call_admit(request.user, task)
    except ApplicationError as exc:
        return render(request, "inspections/video/call.html",
                      {"task": task, "refusal": exc.message}, status=exc.status)
    items = list(task.items.order_by("order", "pk").values(*ITEM_FIELDS))
    inspector = participant.is_inspector
    config = {
        "role": participant.role,
        "taskId": task.pk,
        "started": task.status == TaskStatus.IN_PROGRESS,
        "websocket": f"/ws/inspections/tasks/{task.pk}/call/",
        "iceServers": ice_servers(request.user.pk),
        "items": items if inspector else [],
        "urls": {
            "start": reverse("api-inspection-task-start", args=[task.pk]),
            "recordings": reverse("api-inspection-recordings", args=[task.pk]),
            "location": reverse("api-inspection-call-locations", args=[task.pk]),
            # "0" stands for the id; the script substitutes it
            "chunk": reverse("api-inspection-recording-chunk", args=[0, 0]),
            "finish": reverse("api-inspection-recording-finish", args=[0]),
            "result": reverse("api-inspection-item-result", args=[0]),
            "evidence": reverse("api-inspection-item-evidence", args=[0]),
        },
    }
    location = latest_location(task) if inspector else None
    # the last position, as the websocket's "location" message carries it: snapshots taken
    # before the next report still get where the applicant's camera is
    config["location"] = location_message(location) if location else None
    return render(request, "inspections/video/call.html", {
        "task": task, "participant": participant, "inspector": inspector, "config": config,
        "location": location,
        "location_off": bool(location and services.location_off_premises(location)),
        "task_url": reverse("inspection-task", args=[task.pk]),
    })


@login_required
@require_GET
def recording_file(request, recording_id: int):
    """A recording played in the page (ranges for seeking); the first request of a viewing
    (no range, or one from byte 0) is audited, the ranges that follow are not."""
    recording = recording_get(request.user, recording_id)
    asked = request.headers.get("Range", "").replace(" ", "")
    first = not asked or asked.startswith("bytes=0-")
    try:
        download = services.recording_download(recording=recording, by=request.user,
                                               audit=first)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(_task_video_url(recording.task))
    return ranged_download_response(request, download)


def _task_video_url(task) -> str:
    return reverse("inspection-task", args=[task.pk]) + "#video"


@login_required
@require_POST
def premises_set(request, task_id: int):
    task = task_get(request.user, task_id)
    form = PremisesForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return render_task(request, task, bound={"video_premises": form}, status=400)
    try:
        services.task_set_premises(task=task, by=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return render_task(request, task, bound={"video_premises": form}, status=exc.status)
    messages.success(request, _("已标注经营场所坐标。"))
    return redirect(_task_video_url(task))


@login_required
@require_POST
def call_fallback(request, task_id: int):
    task = task_get(request.user, task_id)
    form = FallbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return render_task(request, task, bound={"video_fallback": form}, status=400)
    try:
        fallback = services.call_fallback(task=task, by=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return render_task(request, task, bound={"video_fallback": form}, status=exc.status)
    messages.success(request, _("已处理：{kind}。已录制的视频均已保存。").format(
        kind=fallback.get_kind_display()))
    return redirect(_task_video_url(task))
