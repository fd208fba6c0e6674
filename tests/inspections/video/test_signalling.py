"""The call's signalling websocket: only the task's assigned inspectors and its applicant
side join, only while the video task is open; offers, answers and ICE candidates reach
the other participants only, stamped with the server-known sender; the inspector's
current checklist item reaches everybody; presence; oversized and unknown messages are
dropped."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from inspections.models import TaskItem, TaskStatus
from inspections.services.dispatch import task_release
from inspections.tiers import Mode
from inspections.video import consumers
from inspections.video.consumers import (
    MAX_MESSAGE_BYTES,
    REFUSED_ANONYMOUS,
    REFUSED_CALL_CLOSED,
    REFUSED_NO_TASK,
    REFUSED_NOT_PARTICIPANT,
)
from portal.accounts.roles import Role
from tests.factories import UserFactory, staff
from tests.inspections.video.conftest import communicator
from tests.websockets import run

pytestmark = pytest.mark.django_db(transaction=True)


async def joined(user, task_id: int):
    """A connected communicator, past its welcome; returns (communicator, own identity)."""
    comm = communicator(user, task_id)
    connected, code = await comm.connect()
    assert connected, code
    welcome = await comm.receive_json_from(timeout=5)
    assert welcome["type"] == "welcome"
    return comm, welcome["self"]


async def next_of(comm, kind: str, timeout: float = 5) -> dict:
    while True:
        message = await comm.receive_json_from(timeout=timeout)
        if message["type"] == kind:
            return message


async def received(comm, quiet: float = 0.5) -> list[dict]:
    """Everything that arrives until ``quiet`` seconds pass without a message."""
    messages = []
    while not await comm.receive_nothing(timeout=quiet):
        messages.append(await comm.receive_json_from())
    return messages


def kinds(messages: list[dict]) -> set[str]:
    return {m["type"] for m in messages}


async def refused(user, task_id: int) -> int:
    connected, code = await communicator(user, task_id).connect()
    assert not connected
    return code


def test_participants_join_and_see_each_other(video):
    inspector, applicant = video.inspectors[0], video.applicant

    async def body():
        a, a_id = await joined(inspector, video.task.pk)
        assert (a_id["role"], a_id["user"], a_id["name"]) == ("inspector", inspector.pk, "周勘验")
        b, b_id = await joined(applicant, video.task.pk)
        assert b_id["role"] == "applicant" and b_id["id"] != a_id["id"]
        # the one already there hears the join, the newcomer hears who is here
        assert await next_of(a, "presence") == {"type": "presence", "event": "join",
                                                "participant": b_id}
        assert await next_of(b, "presence") == {"type": "presence", "event": "here",
                                                "participant": a_id}
        await b.disconnect()
        assert await next_of(a, "presence") == {"type": "presence", "event": "leave",
                                                "participant": b_id}
        await a.disconnect()
    run(body)


def test_strangers_and_other_tasks_people_are_refused(video, other_video, crew):
    stranger = UserFactory(roles=["applicant"])
    other_staff = staff(Role.INSPECTOR)  # an inspector, but not assigned here
    dispatcher = crew.users[Role.DISPATCHER]  # bureau staff who sees the task

    async def body():
        assert await refused(AnonymousUser(), video.task.pk) == REFUSED_ANONYMOUS
        assert await refused(stranger, video.task.pk) == REFUSED_NOT_PARTICIPANT
        assert await refused(other_staff, video.task.pk) == REFUSED_NOT_PARTICIPANT
        assert await refused(dispatcher, video.task.pk) == REFUSED_NOT_PARTICIPANT
        assert await refused(other_video.inspectors[0], video.task.pk) == REFUSED_NOT_PARTICIPANT
        assert await refused(other_video.applicant, video.task.pk) == REFUSED_NOT_PARTICIPANT
        assert await refused(video.inspectors[0], 987654) == REFUSED_NO_TASK
    run(body)


def test_other_tasks_call_hears_nothing(video, other_video):
    async def body():
        a, _ = await joined(video.inspectors[0], video.task.pk)
        b, _ = await joined(video.applicant, video.task.pk)
        outsider, _ = await joined(other_video.inspectors[0], other_video.task.pk)
        await a.send_json_to({"type": "offer", "payload": {"type": "offer", "sdp": "v=0"}})
        assert (await next_of(b, "offer"))["payload"]["sdp"] == "v=0"
        assert await outsider.receive_nothing(timeout=0.5)
        for comm in (a, b, outsider):
            await comm.disconnect()
    run(body)


def test_onsite_task_and_closed_states_refuse(video):
    task = video.task

    async def body():
        await database_sync_to_async(
            lambda: type(task).objects.filter(pk=task.pk).update(mode=Mode.ONSITE))()
        assert await refused(video.applicant, task.pk) == REFUSED_CALL_CLOSED
        await database_sync_to_async(
            lambda: type(task).objects.filter(pk=task.pk).update(
                mode=Mode.VIDEO, status=TaskStatus.CONCLUDED))()
        assert await refused(video.inspectors[0], task.pk) == REFUSED_CALL_CLOSED
    run(body)


def test_offer_and_answer_reach_the_other_side_with_the_server_identity(video):
    async def body():
        a, a_id = await joined(video.inspectors[0], video.task.pk)
        b, b_id = await joined(video.applicant, video.task.pk)
        c, c_id = await joined(video.inspectors[1], video.task.pk)
        await a.send_json_to({"type": "offer", "to": b_id["id"],
                              "from": {"id": c_id["id"], "role": "applicant", "user": 1},
                              "payload": {"type": "offer", "sdp": "v=0 offer"}})
        offer = await next_of(b, "offer")
        assert offer["from"] == a_id  # the forged sender is overwritten
        assert offer["payload"] == {"type": "offer", "sdp": "v=0 offer"}
        await b.send_json_to({"type": "answer", "to": a_id["id"],
                              "payload": {"type": "answer", "sdp": "v=0 answer"}})
        answer = await next_of(a, "answer")
        assert answer["from"] == b_id and answer["payload"]["sdp"] == "v=0 answer"
        await a.send_json_to({"type": "ice", "to": b_id["id"],
                              "payload": {"candidate": "candidate:1 1 udp 1 1.2.3.4 5 typ host"}})
        assert (await next_of(b, "ice"))["from"] == a_id
        # addressed messages go to their addressee only; the sender never gets its own
        assert kinds(await received(c)) == {"presence"}  # only who is here
        assert kinds(await received(a)) <= {"presence"}
        # without ``to`` a message reaches every other participant
        await c.send_json_to({"type": "ice", "payload": {"candidate": ""}})
        for comm in (a, b):
            assert (await next_of(comm, "ice"))["from"] == c_id
        assert await c.receive_nothing(timeout=0.3)
        for comm in (a, b, c):
            await comm.disconnect()
    run(body)


def test_current_item_is_broadcast_to_everyone_and_checked(video, other_video):
    item = TaskItem.objects.filter(task=video.task).first()
    foreign = TaskItem.objects.filter(task=other_video.task).first()

    async def body():
        a, a_id = await joined(video.inspectors[0], video.task.pk)
        b, _ = await joined(video.applicant, video.task.pk)
        await a.send_json_to({"type": "item", "item": item.pk})
        for comm in (a, b):
            message = await next_of(comm, "item")
            assert message["from"] == a_id
            assert (message["item"]["id"], message["item"]["title"]) == (item.pk, item.title)
        await a.send_json_to({"type": "item", "item": foreign.pk})
        assert await next_of(a, "error") == {"type": "error", "code": "invalid_item"}
        await b.send_json_to({"type": "item", "item": item.pk})  # the applicant may not
        assert await next_of(b, "error") == {"type": "error", "code": "forbidden"}
        assert kinds(await received(a)) <= {"presence"}
        for comm in (a, b):
            await comm.disconnect()
    run(body)


def test_oversized_unknown_and_malformed_messages_are_dropped(video):
    async def body():
        a, _ = await joined(video.inspectors[0], video.task.pk)
        b, _ = await joined(video.applicant, video.task.pk)
        await next_of(a, "presence")
        big = {"type": "offer", "payload": {"sdp": "x" * MAX_MESSAGE_BYTES}}
        await a.send_to(text_data=json.dumps(big))
        assert await next_of(a, "error") == {"type": "error", "code": "too_large"}
        await a.send_json_to({"type": "chat", "payload": {"text": "hi"}})
        assert await next_of(a, "error") == {"type": "error", "code": "unknown_type"}
        await a.send_to(text_data="not json")
        assert await next_of(a, "error") == {"type": "error", "code": "bad_message"}
        await a.send_json_to({"type": "offer", "payload": "not an object"})
        assert await next_of(a, "error") == {"type": "error", "code": "bad_message"}
        assert kinds(await received(b)) == {"presence"}  # nothing was relayed
        for comm in (a, b):
            await comm.disconnect()
    run(body)


def test_a_released_inspector_loses_the_call(video, dispatcher, monkeypatch):
    monkeypatch.setattr(consumers, "RECHECK_SECONDS", 0)
    inspector = video.inspectors[0]

    async def body():
        a, _ = await joined(inspector, video.task.pk)
        await database_sync_to_async(task_release)(
            task=video.task, inspector=inspector, by=dispatcher, reason="回避")
        await a.send_json_to({"type": "ping"})
        assert (await a.receive_output(timeout=5))["type"] == "websocket.close"
    run(body)


def test_applicant_position_reaches_the_inspectors_in_the_call(video):
    from inspections.video.services import location_record

    async def body():
        a, _ = await joined(video.inspectors[0], video.task.pk)
        await database_sync_to_async(location_record)(
            task=video.task, by=video.applicant, latitude=35.0263, longitude=111.0069,
            accuracy_m=9)
        message = await next_of(a, "location")
        assert (message["latitude"], message["longitude"], message["accuracy_m"]) == (
            "35.026300", "111.006900", 9)
        await a.disconnect()
    run(body)


def test_giving_up_the_call_tells_everyone_and_hangs_up(video):
    from inspections.video.consumers import REFUSED_CALL_ENDED
    from inspections.video.services import call_fallback

    inspector, applicant = video.inspectors[0], video.applicant

    async def body():
        a, _a_id = await joined(inspector, video.task.pk)
        b, _b_id = await joined(applicant, video.task.pk)
        await database_sync_to_async(call_fallback)(
            task=video.task, by=video.inspectors[1], kind="onsite", reason="无法连线")
        for comm in (a, b):
            ended = await next_of(comm, "ended")
            assert ended["kind"] == "onsite" and ended["reason"] == "无法连线"
            assert ended["resume_at"] is None and ended["label"] == "转为现场勘验"
            closed = await comm.receive_output(timeout=5)
            assert closed == {"type": "websocket.close", "code": REFUSED_CALL_ENDED}
        # an on-site task has no call any more
        assert await refused(applicant, video.task.pk) == REFUSED_CALL_CLOSED

    run(body)
