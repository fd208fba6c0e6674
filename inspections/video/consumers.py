"""The call's signalling websocket (``ws/inspections/tasks/<task_id>/call/``).

Admission (``inspections.video.access.call_admit``) is decided on connect and checked
again every ``RECHECK_SECONDS`` while messages flow, so a released inspector or a task
that left the video states loses the socket. Refusals close with:
4401 not logged in, 4403 not a participant, 4404 no such task, 4409 the call is not open, 4410 the call was given up while connected.

Every connection gets a server-made participant id. Client → server (JSON, at most
``MAX_MESSAGE_BYTES``):

- ``{"type": "offer"|"answer"|"ice", "to": "<participant id>", "payload": {...}}``:
  relayed to that participant only (to every other participant when ``to`` is omitted),
  never echoed to the sender.
- ``{"type": "item", "item": <task item id>}`` (inspectors only): the checklist item being
  walked, checked to belong to the task and broadcast to everybody, the sender included.
- ``{"type": "ping"}``: answered with ``pong``.

Server → client: ``location`` (the applicant side's position, pushed by the server after
``inspections.video.services.location_record`` stored it, with ``distance_m`` to the
premises or null, and ``off_premises``), ``ended`` (``kind``, ``label``, ``reason``,
``resume_at``: the call was given up by ``call_fallback``; the socket then closes with
4410), ``welcome`` (the participant's own identity), ``presence`` (``event``
``join``/``here``/``leave`` with ``participant``), the relayed messages with ``from`` set
by the server (whatever ``from`` the client sent is discarded), ``item`` and ``error``
(``code``: ``too_large``, ``bad_message``, ``unknown_type``, ``forbidden``, ``invalid_item``).
"""

from __future__ import annotations

import json
import secrets
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from inspections.models import InspectionTask, TaskItem
from inspections.video.access import Participant, call_admit
from portal.core.errors import ApplicationError, ConflictError

REFUSED_ANONYMOUS = 4401
REFUSED_NOT_PARTICIPANT = 4403
REFUSED_NO_TASK = 4404
REFUSED_CALL_CLOSED = 4409
#: The call was given up (rescheduled or turned into an on-site visit) while connected.
REFUSED_CALL_ENDED = 4410

#: Largest accepted frame (an SDP offer with many candidates is a few KB).
MAX_MESSAGE_BYTES = 64 * 1024
#: Admission is checked again on a message when the last check is older than this.
RECHECK_SECONDS = 15.0
RELAYED = ("offer", "answer", "ice")
MAX_PEER_ID = 64


def call_group(task_id: int) -> str:
    return f"inspection_call_{task_id}"


def push_location(location) -> None:
    """Tell the call (inspectors see where the applicant's camera is). Sync; on commit."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(call_group(location.task_id), {
        "type": "call.location", "message": location_message(location)})


def location_message(location) -> dict:
    """A reported position as the inspectors' pages get it (websocket and page config)."""
    from inspections.video.services import location_off_premises

    return {"type": "location", "latitude": str(location.latitude),
            "longitude": str(location.longitude), "accuracy_m": location.accuracy_m,
            "distance_m": location.distance_m, "off_premises": location_off_premises(location),
            "received_at": location.received_at.isoformat()}


def push_call_ended(fallback) -> None:
    """Tell everyone in the call that it will not go on now (改期/转现场), then close their
    sockets (``REFUSED_CALL_ENDED``). Sync; on commit."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(call_group(fallback.task_id), {
        "type": "call.ended", "message": {
            "type": "ended", "kind": fallback.kind, "label": str(fallback.get_kind_display()),
            "reason": fallback.reason,
            "resume_at": fallback.resume_at.isoformat() if fallback.resume_at else None}})


@database_sync_to_async
def _admit(user, task_id: int) -> Participant | int:
    """The participant, or the close code of the refusal."""
    task = InspectionTask.objects.select_related("applicant").filter(pk=task_id).first()
    if task is None:
        return REFUSED_NO_TASK
    try:
        return call_admit(user, task)
    except ConflictError:
        return REFUSED_CALL_CLOSED
    except ApplicationError:  # PermissionRefused
        return REFUSED_NOT_PARTICIPANT


@database_sync_to_async
def _item(task_id: int, item_id) -> dict | None:
    if isinstance(item_id, bool) or not isinstance(item_id, int):
        return None
    item = TaskItem.objects.filter(pk=item_id, task_id=task_id).first()
    if item is None:
        return None
    return {"id": item.pk, "key": item.key, "order": item.order, "title": item.title,
            "category": item.get_category_display(), "requirement": item.requirement,
            "method": item.method, "veto": item.veto, "result": item.result}


class CallConsumer(AsyncJsonWebsocketConsumer):
    participant: Participant | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=REFUSED_ANONYMOUS)
            return
        self.task_id = int(self.scope["url_route"]["kwargs"]["task_id"])
        admitted = await _admit(user, self.task_id)
        if isinstance(admitted, int):
            await self.close(code=admitted)
            return
        self.participant, self.checked_at = admitted, time.monotonic()
        self.peer_id = secrets.token_urlsafe(9)
        self.group = call_group(self.task_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "welcome", "self": self.identity()})
        await self.channel_layer.group_send(self.group, {
            "type": "call.presence", "event": "join", "participant": self.identity(),
            "sender_channel": self.channel_name})

    async def disconnect(self, code) -> None:
        if self.participant is None:
            return
        await self.channel_layer.group_send(self.group, {
            "type": "call.presence", "event": "leave", "participant": self.identity(),
            "sender_channel": self.channel_name})
        await self.channel_layer.group_discard(self.group, self.channel_name)
        self.participant = None

    def identity(self) -> dict:
        p = self.participant
        return {"id": self.peer_id, "role": p.role, "user": p.user_id, "name": p.name}

    # ------------------------------------------------------------ from the client

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        if text_data is None:
            await self.error("bad_message")
            return
        if len(text_data.encode("utf-8")) > MAX_MESSAGE_BYTES:
            await self.error("too_large")
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.error("bad_message")
            return
        if not isinstance(content, dict):
            await self.error("bad_message")
            return
        if not await self.still_admitted():
            return
        await self.receive_json(content)

    async def still_admitted(self) -> bool:
        if time.monotonic() - self.checked_at < RECHECK_SECONDS:
            return True
        admitted = await _admit(self.scope["user"], self.task_id)
        if isinstance(admitted, int) or admitted.role != self.participant.role:
            await self.close(code=admitted if isinstance(admitted, int)
                             else REFUSED_NOT_PARTICIPANT)
            return False
        self.checked_at = time.monotonic()
        return True

    async def receive_json(self, content, **kwargs) -> None:
        kind = content.get("type")
        if kind in RELAYED:
            await self.relay(kind, content)
        elif kind == "item":
            await self.current_item(content)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.error("unknown_type")

    async def relay(self, kind: str, content: dict) -> None:
        to, payload = content.get("to"), content.get("payload")
        if to is not None and (not isinstance(to, str) or not 0 < len(to) <= MAX_PEER_ID):
            await self.error("bad_message")
            return
        if not isinstance(payload, dict):
            await self.error("bad_message")
            return
        message = {"type": kind, "from": self.identity(), "payload": payload}
        if to is not None:
            message["to"] = to
        await self.channel_layer.group_send(self.group, {
            "type": "call.relay", "to": to, "message": message,
            "sender_channel": self.channel_name})

    async def current_item(self, content: dict) -> None:
        if not self.participant.is_inspector:
            await self.error("forbidden")
            return
        item = await _item(self.task_id, content.get("item"))
        if item is None:
            await self.error("invalid_item")
            return
        await self.channel_layer.group_send(self.group, {
            "type": "call.item", "message": {"type": "item", "from": self.identity(),
                                             "item": item}})

    async def error(self, code: str) -> None:
        await self.send_json({"type": "error", "code": code})

    # ------------------------------------------------------------ from the group

    async def call_relay(self, event) -> None:
        if event["sender_channel"] == self.channel_name:
            return
        if event["to"] is not None and event["to"] != self.peer_id:
            return
        await self.send_json(event["message"])

    async def call_item(self, event) -> None:
        await self.send_json(event["message"])

    async def call_ended(self, event) -> None:
        """The call was given up (``push_call_ended``): say why and hang up."""
        await self.send_json(event["message"])
        await self.close(code=REFUSED_CALL_ENDED)

    async def call_location(self, event) -> None:
        """A position the applicant side reported through the API (``push_location``)."""
        await self.send_json(event["message"])

    async def call_presence(self, event) -> None:
        """Tell the client who joined or left; answer a join with our own presence so the
        newcomer learns who is already in the call."""
        if event["sender_channel"] == self.channel_name or self.participant is None:
            return
        await self.send_json({"type": "presence", "event": event["event"],
                              "participant": event["participant"]})
        if event["event"] == "join":
            await self.channel_layer.send(event["sender_channel"], {
                "type": "call.presence", "event": "here", "participant": self.identity(),
                "sender_channel": self.channel_name})
