"""Signing of pushed events (no Django, no database): what the sender does and what a
receiving department checks. docs/regulators.md shows a receiver built on ``verify``.

The body is the event as canonical JSON (UTF-8, keys sorted, no spaces). The signature
is the lowercase hex HMAC-SHA256 of ``timestamp + "." + body`` under the department's
secret, sent as ``X-OneSeal-Signature`` with ``X-OneSeal-Timestamp`` (Unix seconds) and
``X-OneSeal-Event-Id``. A receiver recomputes it, compares in constant time, refuses an
old timestamp (replay) and drops an event id it has already stored (deliveries repeat).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

EVENT_ID_HEADER = "X-OneSeal-Event-Id"
TIMESTAMP_HEADER = "X-OneSeal-Timestamp"
SIGNATURE_HEADER = "X-OneSeal-Signature"
#: Present only while a rotated-out secret is still in its grace period.
PREVIOUS_SIGNATURE_HEADER = "X-OneSeal-Signature-Previous"
#: A receiver refuses timestamps further than this from its clock (seconds).
DEFAULT_TOLERANCE = 300


def canonical_body(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent: sorted keys, no spaces, UTF-8 (Chinese kept as is)."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secrets: str | list[str], timestamp: str, body: bytes, signature: str, *,
           tolerance: int = DEFAULT_TOLERANCE, now: float | None = None) -> bool:
    """True when ``signature`` is the HMAC of the body under one of ``secrets`` and the
    timestamp is within ``tolerance`` seconds of ``now``."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent) > tolerance:
        return False
    candidates = [secrets] if isinstance(secrets, str) else list(secrets)
    return any(hmac.compare_digest(sign(s, sent, body), (signature or "").strip().lower())
               for s in candidates if s)
