"""ICE servers for a participant's RTCPeerConnection: the configured STUN/TURN list, plus
the coturn service with short-lived credentials (the TURN REST API scheme coturn accepts
with ``--use-auth-secret``: username = "<expiry unix time>:<user id>", credential =
base64(HMAC-SHA1(secret, username))), so no long-lived TURN password reaches a browser."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from django.conf import settings


def turn_credentials(user_id: int, *, now: float | None = None) -> tuple[str, str]:
    expiry = int(now if now is not None else time.time()) + int(
        settings.ONESEAL_TURN_CREDENTIAL_SECONDS)
    username = f"{expiry}:{user_id}"
    digest = hmac.new(settings.ONESEAL_TURN_SECRET.encode(), username.encode(),
                      hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_servers(user_id: int) -> list[dict]:
    servers = [dict(s) for s in settings.ONESEAL_ICE_SERVERS]
    if settings.ONESEAL_TURN_URLS and settings.ONESEAL_TURN_SECRET:
        username, credential = turn_credentials(user_id)
        servers.append({"urls": list(settings.ONESEAL_TURN_URLS), "username": username,
                        "credential": credential})
    return servers
