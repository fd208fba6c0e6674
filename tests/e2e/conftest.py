"""Browser end-to-end tests: Playwright driving Debian's Chromium against live_server.

Playwright's own browser download does not work here, so the system Chromium is used
(``/usr/bin/chromium`` or $ONESEAL_CHROMIUM). Without it the tests are skipped, unless
ONESEAL_REQUIRE_BROWSER=1 (CI), which makes a missing browser a failure.

Chromium gets a fake camera and microphone and accepts their prompts by itself (the video
call test); pages that do not ask for them are unaffected.

``site`` is pytest-django's live_server (WSGI, no websockets). ``asgi_site`` serves the
project's ASGI application (HTTP, static files and the Channels websockets) with Daphne in
a thread of this process, so it works on the test database like live_server does.
"""

from __future__ import annotations

import copy
import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests
# themselves are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ONESEAL_CHROMIUM") or shutil.which("chromium") or ""
REQUIRED = os.environ.get("ONESEAL_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if REQUIRED:
        raise pytest.UsageError("ONESEAL_REQUIRE_BROWSER=1 but Chromium was not found")
    skip = pytest.mark.skip(reason="Chromium not installed (apt-get install chromium)")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]}


@pytest.fixture
def site(live_server):
    """The live server's URL; the database is committed (transactional) for the browser."""
    return live_server.url


# ------------------------------------------------------------------ ASGI live server

def _in_memory_aliases() -> list[str]:
    """The databases that are SQLite in memory (shared cache): one connection is shared
    by the test's thread and the server, as Django's LiveServerThread does."""
    from django.db import connections

    return [alias for alias in connections
            if connections[alias].vendor == "sqlite" and connections[alias].is_in_memory_db()]


class _OneSyncThread:
    """ASGI middleware: every thread-sensitive call (Django's views and middleware, the
    consumers' ``database_sync_to_async``) runs on ``executor``'s one thread, so a shared
    SQLite connection is never used by two requests at the same time."""

    def __init__(self, app, executor: ThreadPoolExecutor):
        self.app, self.executor = app, executor

    async def __call__(self, scope, receive, send):
        from asgiref.sync import SyncToAsync, ThreadSensitiveContext

        try:
            context = ThreadSensitiveContext(executor=self.executor)
        except TypeError:  # asgiref without executor=: set the context by hand
            context = ThreadSensitiveContext()
            SyncToAsync.context_to_thread_executor[context] = self.executor
            token = SyncToAsync.thread_sensitive_context.set(context)
            try:
                return await self.app(scope, receive, send)
            finally:
                SyncToAsync.thread_sensitive_context.reset(token)
                SyncToAsync.context_to_thread_executor.pop(context, None)
        async with context:
            return await self.app(scope, receive, send)


class AsgiLiveServer:
    """Daphne serving ``portal.asgi.application`` (static files added) on 127.0.0.1, on a
    free port, in a daemon thread. Twisted's reactor runs once per process, so there is one
    server per test session (per xdist worker)."""

    def __init__(self) -> None:
        self.executor: ThreadPoolExecutor | None = None
        self.url = ""

    def application(self):
        from channels.routing import ProtocolTypeRouter
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        from portal.asgi import application, django_asgi_app

        app = ProtocolTypeRouter({
            "http": ASGIStaticFilesHandler(django_asgi_app),
            "websocket": application.application_mapping["websocket"],
        })
        if _in_memory_aliases():
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asgi-sync")
            app = _OneSyncThread(app, self.executor)
        return app

    def start(self) -> None:
        from daphne.server import Server  # first: installs Twisted's asyncio reactor

        self.server = Server(self.application(),
                             endpoints=["tcp:port=0:interface=127.0.0.1"],
                             signal_handlers=False, verbosity=0,
                             application_close_timeout=5)
        self.thread = threading.Thread(target=self.server.run, name="asgi-live-server",
                                       daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.listening_addresses:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the ASGI live server did not start")
            time.sleep(0.02)
        host, port = self.server.listening_addresses[0]
        self.url = f"http://{host}:{port}"

    def stop(self) -> None:
        from twisted.internet import reactor

        if reactor.running:
            reactor.callFromThread(reactor.stop)
        self.thread.join(timeout=10)
        if self.executor is not None:
            self.executor.shutdown(wait=False)

    def quiesce(self, timeout: float = 10.0) -> None:
        """Wait until no application instance runs any more; websockets still open after a
        grace period (a page left open) are closed from the server's side. A consumer left
        receiving would hold the channel layer (channels_redis refuses a second event
        loop) and could touch the database after the test."""
        from twisted.internet import reactor
        from twisted.internet.threads import blockingCallFromThread

        def running():
            return [protocol for protocol, details in self.server.connections.items()
                    if details.get("application_instance") is not None
                    and not details["application_instance"].done()]

        def hang_up():
            for protocol in running():
                transport = getattr(protocol, "transport", None)
                if transport is not None:
                    transport.abortConnection()

        deadline, grace = time.monotonic() + timeout, time.monotonic() + 2
        hung_up = False
        while blockingCallFromThread(reactor, running):
            if time.monotonic() > deadline:
                raise RuntimeError("the ASGI live server still runs applications")
            if not hung_up and time.monotonic() > grace:
                blockingCallFromThread(reactor, hang_up)
                hung_up = True
            time.sleep(0.05)

    def close_channel_layer(self) -> None:
        """Close the connections the current channel layer opened on the server's loop."""
        import asyncio

        from channels.layers import channel_layers
        from twisted.internet import reactor

        layer = channel_layers.backends.get("default")
        if layer is not None and hasattr(layer, "close_pools"):  # channels_redis
            asyncio.run_coroutine_threadsafe(layer.close_pools(),
                                             reactor._asyncioEventloop).result(timeout=10)

    def share_connections(self):
        """Give the server's sync thread this thread's in-memory SQLite connections; the
        returned callable takes them back."""
        from django.db import connections

        if self.executor is None:
            return lambda: None
        shared = {alias: connections[alias] for alias in _in_memory_aliases()}

        def install():
            for alias, conn in shared.items():
                connections[alias] = conn

        def uninstall():
            for alias in shared:
                del connections[alias]

        for conn in shared.values():
            conn.inc_thread_sharing()
        self.executor.submit(install).result(timeout=10)

        def release():
            try:
                self.executor.submit(uninstall).result(timeout=30)
            finally:
                for conn in shared.values():
                    conn.dec_thread_sharing()
        return release


#: Above channels_redis's 5 s BRPOP; redis-py 8 reads with a 5 s timeout by default, so
#: an idle consumer's receive could time out and the consumer die.
REDIS_SOCKET_TIMEOUT = 15


def _worker_database(url: str, worker: str) -> str:
    """``url`` with a Redis database of this xdist worker's own (15, 14, ...), not the
    configured one: the other workers' tests clear the cache there (FLUSHDB) at their
    start, which would wipe this server's groups in the middle of a call."""
    parts = urlsplit(url)
    configured = int(parts.path.strip("/") or 0)
    db = 15 - int(worker.removeprefix("gw") or 0) % 8
    if db == configured:
        db -= 8
    return urlunsplit(parts._replace(path=f"/{db}"))


def _server_channel_layers() -> dict:
    """CHANNEL_LAYERS for one test on the server: the same, except for Redis that reads
    wait longer than a BRPOP (REDIS_SOCKET_TIMEOUT) and that under pytest-xdist (the
    workers share REDIS_URL) the worker has a database of its own."""
    from django.conf import settings

    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    default = layers.get("default", {})
    if "redis" not in default.get("BACKEND", "").lower():
        return layers
    config = default.setdefault("CONFIG", {})
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    hosts = []
    for host in config.get("hosts", []):
        host = dict(host) if isinstance(host, dict) else {"address": host}
        host.setdefault("socket_timeout", REDIS_SOCKET_TIMEOUT)
        if worker and isinstance(host.get("address"), str):
            host["address"] = _worker_database(host["address"], worker)
        hosts.append(host)
    config["hosts"] = hosts
    return layers


@pytest.fixture(scope="session")
def asgi_live_server(django_db_setup):
    server = AsgiLiveServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def asgi_site(asgi_live_server, transactional_db):
    """The ASGI live server's URL (HTTP and websockets) for one transactional test.

    The test gets a channel layer of its own (overriding CHANNEL_LAYERS makes Channels
    build a new one): one layer object must not serve two running event loops, the
    server's and those of other tests in this process. At the end the server's
    applications have finished, then the layer's connections are closed, before the
    database is flushed."""
    from django.test import override_settings

    own_layer = override_settings(CHANNEL_LAYERS=_server_channel_layers())
    own_layer.enable()
    release = asgi_live_server.share_connections()
    try:
        yield asgi_live_server.url
        asgi_live_server.quiesce()
        asgi_live_server.close_channel_layer()
    finally:
        release()
        own_layer.disable()


@pytest.fixture
def asgi_context(asgi_site, new_context):
    """Make browser contexts (pytest-playwright's ``new_context``) for ``asgi_site``; those
    the test leaves open are closed before the server and the database are let go."""
    made = []

    def make(**kwargs):
        context = new_context(**kwargs)
        closed = []
        context.on("close", lambda _context: closed.append(True))
        made.append((context, closed))
        return context

    yield make
    for context, closed in made:
        if not closed:
            context.close()
