"""The notifications websocket: the logged-in user gets their unread count and their new
notifications (by push and by poll); anonymous connections are refused; another user's
notification is never delivered."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from portal.notifications.consumers import REFUSED_ANONYMOUS
from portal.notifications.services import notification_mark_all_read, notify
from portal.routing import websocket_urlpatterns
from tests.factories import UserFactory
from tests.websockets import run

pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/ws/notifications/"


@pytest.fixture(autouse=True)
def fast_poll(settings):
    settings.ONESEAL_NOTIFICATIONS_POLL_SECONDS = 0.2
    settings.ONESEAL_NOTIFICATIONS_POLL_SECONDS_SHARED_LAYER = 0.2


@pytest.fixture
def alice(db):
    return UserFactory(roles=["applicant"])


@pytest.fixture
def bob(db):
    return UserFactory(roles=["applicant"])


def communicator(user, path: str = PATH) -> WebsocketCommunicator:
    comm = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    comm.scope["user"] = user
    return comm


@database_sync_to_async
def make(user, key: str, title_no: str = "1"):
    return notify(recipient=user, event="case_accepted", key=key, link="/cases/1/",
                  context={"case_number": f"SP-2026-00000{title_no}"})


async def next_of(comm, kind: str, timeout: float = 5) -> dict:
    while True:
        message = await comm.receive_json_from(timeout=timeout)
        if message["type"] == kind:
            return message


def test_connect_sends_the_unread_count(alice):
    async def body():
        await make(alice, "a1")
        await make(alice, "a2", "2")
        comm = communicator(alice)
        connected, _ = await comm.connect()
        assert connected
        assert await comm.receive_json_from(timeout=5) == {"type": "unread", "count": 2}
        await comm.disconnect()
    run(body)


def test_new_notification_is_delivered_live_with_the_new_count(alice):
    async def body():
        comm = communicator(alice)
        await comm.connect()
        assert await comm.receive_json_from(timeout=5) == {"type": "unread", "count": 0}
        note = await make(alice, "live")
        message = await next_of(comm, "notification")
        assert (message["id"], message["title"]) == (note.pk, note.title)
        assert message["link"] == "/cases/1/" and message["event"] == "case_accepted"
        assert await next_of(comm, "unread") == {"type": "unread", "count": 1}
        await comm.disconnect()
    run(body)


def test_poll_delivers_rows_written_by_another_process(alice, monkeypatch):
    """The worker's push cannot reach us (embedded default): the poll finds the row."""
    import importlib

    notify_module = importlib.import_module("portal.notifications.services.notify")
    monkeypatch.setattr(notify_module, "push_user", lambda user_id: None)

    async def body():
        comm = communicator(alice)
        await comm.connect()
        await comm.receive_json_from(timeout=5)
        note = await make(alice, "polled")
        assert (await next_of(comm, "notification"))["id"] == note.pk
        await comm.disconnect()
    run(body)


def test_marking_read_elsewhere_updates_the_count(alice):
    async def body():
        await make(alice, "r1")
        comm = communicator(alice)
        await comm.connect()
        assert (await comm.receive_json_from(timeout=5))["count"] == 1
        await database_sync_to_async(notification_mark_all_read)(by=alice)
        assert await next_of(comm, "unread") == {"type": "unread", "count": 0}
        await comm.disconnect()
    run(body)


def test_another_users_notification_is_never_delivered(alice, bob):
    async def body():
        comm = communicator(alice)
        await comm.connect()
        await comm.receive_json_from(timeout=5)
        await make(bob, "bob-1")
        assert await comm.receive_nothing(timeout=1.0)  # several polls and a push later
        mine = await make(alice, "alice-1")
        message = await next_of(comm, "notification")
        assert message["id"] == mine.pk
        await comm.disconnect()
    run(body)


def test_anonymous_is_refused(db):
    async def body():
        comm = communicator(AnonymousUser())
        connected, code = await comm.connect()
        assert (connected, code) == (False, REFUSED_ANONYMOUS)
    run(body)


def test_inactive_user_is_refused(db):
    user = UserFactory(is_active=False)

    async def body():
        connected, _ = await communicator(user).connect()
        assert not connected
    run(body)


def test_full_asgi_stack_authenticates_by_session_cookie(alice):
    """portal.asgi: origin check and session authentication in front of the consumer."""
    from portal.asgi import application

    client = Client()
    client.force_login(alice)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    origin = (b"origin", b"http://testserver")

    async def body():
        comm = WebsocketCommunicator(application, PATH, headers=[(b"cookie", cookie), origin])
        connected, _ = await comm.connect()
        assert connected
        assert (await comm.receive_json_from(timeout=5))["type"] == "unread"
        await comm.disconnect()
        anonymous = WebsocketCommunicator(application, PATH, headers=[origin])
        connected, code = await anonymous.connect()
        assert (connected, code) == (False, REFUSED_ANONYMOUS)
    run(body)
