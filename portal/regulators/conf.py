"""Settings of 审管互动 with their defaults (override any of them in the settings).

- ``ONESEAL_REGULATORS_TIMEOUT_SECONDS``: one delivery attempt's connect + read timeout;
- ``ONESEAL_REGULATORS_MAX_ATTEMPTS``: attempts before an event is marked failed (an
  operator can offer it again); with the backoff below, about 17 hours of retries;
- ``ONESEAL_REGULATORS_BACKOFF_SECONDS`` / ``..._BACKOFF_MAX_SECONDS``: the wait after the
  first failure, doubled after each further failure, capped; plus up to 25% random jitter;
- ``ONESEAL_REGULATORS_BATCH``: events one sweep attempts at most;
- ``ONESEAL_REGULATORS_SECRET_GRACE_HOURS``: after a secret is rotated, deliveries also
  carry a signature made with the previous secret for this long;
- ``ONESEAL_REGULATORS_SECRET_KEYS``: keys that encrypt the stored endpoint secrets (first
  encrypts, all decrypt); default ``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS``;
- ``ONESEAL_REGULATORS_CLAIM_DAYS``: a new department's claim limit in working days.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "ONESEAL_REGULATORS_TIMEOUT_SECONDS": 10,
    "ONESEAL_REGULATORS_MAX_ATTEMPTS": 24,
    "ONESEAL_REGULATORS_BACKOFF_SECONDS": 30,
    "ONESEAL_REGULATORS_BACKOFF_MAX_SECONDS": 3600,
    "ONESEAL_REGULATORS_BATCH": 100,
    "ONESEAL_REGULATORS_SECRET_GRACE_HOURS": 72,
    "ONESEAL_REGULATORS_SECRET_KEYS": None,
    "ONESEAL_REGULATORS_CLAIM_DAYS": 3,
}


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
