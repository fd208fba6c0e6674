"""The call page (``inspections/tasks/<id>/call/``): both sides' video, the checklist item
being walked, the inspector's result buttons and snapshot, the recording, the applicant's
position. The page only renders; everything it does goes through the call websocket and
the API (``inspections.video.api`` and the task API), where the services decide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from inspections.models import TaskStatus
from inspections.selectors import task_get
from inspections.video.access import call_admit
from inspections.video.ice import ice_servers
from inspections.video.selectors import latest_location
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
    return render(request, "inspections/video/call.html", {
        "task": task, "participant": participant, "inspector": inspector, "config": config,
        "location": latest_location(task) if inspector else None,
        "task_url": reverse("inspection-task", args=[task.pk]),
    })
