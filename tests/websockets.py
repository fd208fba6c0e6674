"""Running an async websocket test body from a sync test (Channels' WebsocketCommunicator)."""

from __future__ import annotations

import asyncio
import threading

from asgiref.sync import sync_to_async
from django.db import connections


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
