"""A regulator department's receiver for the tests: a real HTTP server on 127.0.0.1 (a
random port, in a thread) that checks the HMAC signature like docs/regulators.md says,
dedupes by event id, and can answer 500, answer slowly, redirect, or be stopped and
started again on the same port."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from portal.regulators import signing


class Receiver:
    def __init__(self, secrets: list[str]):
        self.secrets = secrets
        self.status = 200          # what to answer to a valid delivery
        self.delay = 0.0           # seconds to wait before answering
        self.received: dict[str, dict] = {}   # event id → body, first delivery only
        self.deliveries: list[str] = []       # every valid delivery, duplicates included
        self.refused: list[str] = []          # bad signatures
        self.headers: list = []  # email.message.Message: case-insensitive look-ups
        self.lock = threading.Lock()
        self.in_flight = 0
        self.port = 0
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/oneseal/events"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.handle(self, body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def _answer(self, handler, code: int, text: str = "", location: str = "") -> None:
        data = text.encode("utf-8")
        handler.send_response(code)
        if location:
            handler.send_header("Location", location)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def settle(self, timeout: float = 5.0) -> None:
        """Wait until no request is being handled (a slow answer still on its way)."""
        end = time.monotonic() + timeout
        while self.in_flight and time.monotonic() < end:
            time.sleep(0.02)

    def handle(self, handler, body: bytes) -> None:
        with self.lock:
            self.in_flight += 1
        try:
            self._handle(handler, body)
        except BrokenPipeError:  # the sender gave up waiting (timeout)
            pass
        finally:
            with self.lock:
                self.in_flight -= 1

    def _handle(self, handler, body: bytes) -> None:
        headers = handler.headers  # case-insensitive (urllib sends X-oneseal-event-id)
        ok = signing.verify(self.secrets, headers.get(signing.TIMESTAMP_HEADER, ""), body,
                            headers.get(signing.SIGNATURE_HEADER, ""))
        event_id = headers.get(signing.EVENT_ID_HEADER, "")
        if not ok:
            with self.lock:
                self.refused.append(event_id)
            return self._answer(handler, 401, "bad signature")
        if self.delay:
            time.sleep(self.delay)
        if self.status == 302:
            return self._answer(handler, 302, location="/elsewhere")
        if self.status != 200:
            return self._answer(handler, self.status, "receiver error")
        with self.lock:
            self.deliveries.append(event_id)
            self.headers.append(headers)
            self.received.setdefault(event_id, json.loads(body))
        return self._answer(handler, 200, "ok")
