"""The notifications websocket (``ws/notifications/``): the unread count and new
notifications of the logged-in user, live.

Anonymous connections are refused. The consumer joins the group ``user_<id>`` (pushes
after commit wake it at once through channels-redis) and also polls the database every
few seconds for the user's rows newer than the last one it sent, which is what makes
delivery work in the embedded default, where the worker's in-memory layer cannot reach
this process (with channels-redis the poll is a slower safety net). Either way it only ever reads ``recipient = scope user`` rows.

Server → client messages: ``{"type": "unread", "count": n}`` and
``{"type": "notification", "id", "event", "title", "body", "link", "created_at"}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import InMemoryChannelLayer

from portal.notifications import selectors
from portal.notifications.conf import setting
from portal.notifications.push import user_group

logger = logging.getLogger(__name__)
REFUSED_ANONYMOUS = 4401


def _as_message(n) -> dict:
    return {"type": "notification", "id": n.pk, "event": n.event, "title": n.title,
            "body": n.body, "link": n.link, "created_at": n.created_at.isoformat()}


@database_sync_to_async
def _snapshot(user_id: int, after_id: int) -> tuple[list[dict], int]:
    rows = selectors.notifications_after(user_id=user_id, after_id=after_id)
    return [_as_message(n) for n in rows], selectors.unread_count_of(user_id=user_id)


@database_sync_to_async
def _last_id(user_id: int) -> int:
    return selectors.last_notification_id(user_id=user_id)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    user_id: int | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=REFUSED_ANONYMOUS)
            return
        self.user_id, self.count, self._lock = user.pk, None, asyncio.Lock()
        self.last_id = await _last_id(self.user_id)
        if self.channel_layer is not None:
            await self.channel_layer.group_add(user_group(self.user_id), self.channel_name)
        await self.accept()
        await self.deliver()
        self._poller = asyncio.create_task(self._poll())

    async def disconnect(self, code) -> None:
        if self.user_id is None:
            return
        poller = getattr(self, "_poller", None)
        if poller is not None:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
        if self.channel_layer is not None:
            await self.channel_layer.group_discard(user_group(self.user_id), self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "refresh":
            await self.deliver()

    async def notification_new(self, event) -> None:
        """A push from ``push_user`` (group message type ``notification.new``)."""
        await self.deliver()

    async def deliver(self) -> None:
        """Send rows newer than the last one sent, and the unread count if it changed."""
        async with self._lock:
            messages, count = await _snapshot(self.user_id, self.last_id)
            for message in messages:
                await self.send_json(message)
                self.last_id = max(self.last_id, message["id"])
            if count != self.count or messages:
                self.count = count
                await self.send_json({"type": "unread", "count": count})

    def poll_interval(self) -> float:
        if self.channel_layer is None or isinstance(self.channel_layer, InMemoryChannelLayer):
            return setting("ONESEAL_NOTIFICATIONS_POLL_SECONDS")
        return setting("ONESEAL_NOTIFICATIONS_POLL_SECONDS_SHARED_LAYER")

    async def _poll(self) -> None:
        interval = self.poll_interval()
        while True:
            await asyncio.sleep(interval)
            try:
                await self.deliver()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a database hiccup must not end the socket
                logger.warning("notification poll failed for user %s", self.user_id,
                               exc_info=True)
