"""SMS backends, chosen by ``ONESEAL_SMS_BACKEND`` (a dotted class path).

Interface for a real gateway (e.g. a provincial government SMS platform or a carrier's
HTTP API): subclass ``BaseSmsBackend`` and implement ``send``:

- ``send(*, phone, text, key) -> str`` sends one message and returns the gateway's
  message id (stored on the outbox row); it raises any exception on failure, and the
  outbox retries later with backoff. ``key`` is unique per message: pass it to the
  gateway as the client message id where the gateway de-duplicates, since after a worker
  crash between the gateway's acceptance and the commit the same message is offered again.
- Read credentials in ``__init__`` from settings (added to portal/settings/env.py), use a
  short network timeout (a few seconds: the outbox row stays locked while sending), and
  do not catch errors you cannot handle.

Development: ``FileSmsBackend`` (one JSON line per message under ONESEAL_SMS_FILE_DIR,
default var/sms/) or ``ConsoleSmsBackend``; tests: ``LocmemSmsBackend``.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from pathlib import Path

from django.utils import timezone
from django.utils.module_loading import import_string

from portal.notifications.conf import setting

logger = logging.getLogger(__name__)


class BaseSmsBackend:
    def __init__(self, **options) -> None:
        self.options = options

    def send(self, *, phone: str, text: str, key: str) -> str:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes each message to standard output."""

    def send(self, *, phone: str, text: str, key: str) -> str:
        stream = self.options.get("stream") or sys.stdout
        stream.write(f"[SMS to {phone}] {text}\n")
        stream.flush()
        return f"console-{uuid.uuid4().hex[:12]}"


class FileSmsBackend(BaseSmsBackend):
    """Appends one JSON line per message to ``<dir>/sms-YYYYMMDD.jsonl``."""

    def send(self, *, phone: str, text: str, key: str) -> str:
        folder = Path(self.options.get("path") or setting("ONESEAL_SMS_FILE_DIR"))
        folder.mkdir(parents=True, exist_ok=True)
        now = timezone.localtime()
        message_id = f"file-{uuid.uuid4().hex[:12]}"
        line = json.dumps({"id": message_id, "at": now.isoformat(), "phone": phone,
                           "text": text, "key": key}, ensure_ascii=False)
        with open(folder / f"sms-{now:%Y%m%d}.jsonl", "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return message_id


#: Messages sent through ``LocmemSmsBackend`` (like ``django.core.mail.outbox``).
outbox: list[dict] = []


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in ``outbox`` (tests)."""

    def send(self, *, phone: str, text: str, key: str) -> str:
        outbox.append({"phone": phone, "text": text, "key": key})
        return f"locmem-{len(outbox)}"


def get_sms_backend() -> BaseSmsBackend:
    return import_string(setting("ONESEAL_SMS_BACKEND"))()
