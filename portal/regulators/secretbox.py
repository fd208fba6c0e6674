"""Endpoint secrets at rest: encrypted with Fernet (AES-128-CBC + HMAC) under a key
derived from ``ONESEAL_REGULATORS_SECRET_KEYS`` (default: ``SECRET_KEY`` and its
fallbacks, so rotating Django's key the usual way keeps the secrets readable). A secret
is shown once when it is made; afterwards only its fingerprint is."""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.regulators.conf import setting


def _key(material: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"oneseal.regulators",
                   info=b"endpoint-secret").derive(material.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _box() -> MultiFernet:
    keys = setting("ONESEAL_REGULATORS_SECRET_KEYS") or [
        settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_key(k) for k in keys if k])


def new_secret() -> str:
    """A fresh shared secret: 256 random bits, URL-safe text."""
    return secrets.token_urlsafe(32)


def fingerprint(secret: str) -> str:
    """Short public identification of a secret (both sides can compare it)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:12]


def seal(secret: str) -> str:
    return _box().encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(token: str) -> str:
    try:
        return _box().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A regulator endpoint secret cannot be decrypted: the key it was sealed with "
            "is not among ONESEAL_REGULATORS_SECRET_KEYS / SECRET_KEY(_FALLBACKS); "
            "rotate the department's secret.") from exc
