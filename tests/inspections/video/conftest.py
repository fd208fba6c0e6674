"""Fixtures for the video call: a video-inspection task with two assigned inspectors and
its applicant, and a second video task of another applicant with other inspectors. The
reviewer chose 视频勘验 (the request's mode) before the dispatcher made the task."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connections

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


def run(coroutine_fn) -> None:
    """Run the async test body on its own event loop in its own thread (the main thread
    may already run one: Playwright's sync API in the browser tests), then close the
    database connections the body's thread used."""
    outcome: dict = {}

    async def main():
        try:
            await coroutine_fn()
        finally:
            await sync_to_async(connections.close_all, thread_sensitive=True)()

    def target():
        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "websocket test did not finish"
    if "error" in outcome:
        raise outcome["error"]


def call_path(task_id: int) -> str:
    return f"/ws/inspections/tasks/{task_id}/call/"


def communicator(user, task_id: int) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(URLRouter(websocket_urlpatterns), call_path(task_id))
    comm.scope["user"] = user
    return comm
