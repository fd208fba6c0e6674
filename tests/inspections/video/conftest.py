"""Fixtures for the video call: a video-inspection task with two assigned inspectors and
its applicant, and a second video task of another applicant with other inspectors. The
reviewer chose 视频勘验 (the request's mode) before the dispatcher made the task."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from inspections.models import InspectionTask
from inspections.tiers import Mode
from portal.accounts.models import User
from portal.routing import websocket_urlpatterns
from tests.inspections.conftest import make_assigned_task, make_inspected_case, make_inspector


@dataclass
class VideoTask:
    task: InspectionTask
    inspectors: list[User]
    applicant: User


def make_video_task(crew, matter, dispatcher, names=("周勘验", "吴勘验")) -> VideoTask:
    case = make_inspected_case(crew, matter)
    case.inspection_requests.filter(task__isnull=True).update(mode=Mode.VIDEO)
    inspectors = [make_inspector(matter, real_name=n) for n in names]
    task = make_assigned_task([case], dispatcher, inspectors)
    assert task.mode == Mode.VIDEO
    return VideoTask(task=task, inspectors=inspectors, applicant=case.applicant.user)


@pytest.fixture
def video(crew, inspected_matter, dispatcher) -> VideoTask:
    return make_video_task(crew, inspected_matter, dispatcher)


@pytest.fixture
def other_video(crew, inspected_matter, dispatcher) -> VideoTask:
    return make_video_task(crew, inspected_matter, dispatcher, names=("郑勘验", "王勘验"))


def call_path(task_id: int) -> str:
    return f"/ws/inspections/tasks/{task_id}/call/"


def communicator(user, task_id: int) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(URLRouter(websocket_urlpatterns), call_path(task_id))
    comm.scope["user"] = user
    return comm
