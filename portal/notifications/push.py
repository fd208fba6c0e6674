"""Wake a user's open websockets after commit (group ``user_<id>``).

The message carries no content: the consumer reads the user's own new rows from the
database, so a push can never leak another user's notification, and a lost push (the
in-memory layer of the embedded default, Redis briefly down) only delays delivery until
the consumer's next poll.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user_{user_id}"


def push_user(user_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(user_group(user_id), {"type": "notification.new"})
    except Exception:  # noqa: BLE001 - delivery falls back to the consumer's poll
        logger.warning("websocket push to user %s failed; the poll will deliver", user_id,
                       exc_info=True)
