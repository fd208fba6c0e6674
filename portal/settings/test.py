"""Test settings: the embedded default unless DATABASE_URL / REDIS_URL point at servers.

CI sets both (PostgreSQL and Redis on localhost) and sets ONESEAL_REQUIRE_SERVICES=1, which
makes the test session fail unless both are really used (see tests/conftest.py).
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from portal.settings import env as E
from portal.settings.base import *  # noqa: F403
from portal.settings.sections import services

_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if E.REDIS_URL and _WORKER.startswith("gw"):
    # One Redis database per pytest-xdist worker: every test's cache.clear() is a FLUSHDB,
    # which would wipe the other workers' cache and channel-layer groups mid-test.
    _parts = urlsplit(E.REDIS_URL)
    _db = (int(_parts.path.strip("/") or 0) + 1 + int(_WORKER[2:])) % 16
    E.REDIS_URL = urlunsplit(_parts._replace(path=f"/{_db}"))

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ONESEAL_DEMO = False
ONESEAL_REQUIRE_SERVICES = E.REQUIRE_SERVICES

TEST_VAR_DIR = Path(tempfile.mkdtemp(prefix="oneseal-test-"))
DATABASES = {"default": services.database(TEST_VAR_DIR)}
CACHES = {"default": services.cache()}
CHANNEL_LAYERS = {"default": services.channel_layer()}
globals().update(services.celery(TEST_VAR_DIR))
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

MEDIA_ROOT = TEST_VAR_DIR / "media"
STATIC_ROOT = TEST_VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A throwaway signing key made once per test session (tests/conftest.py).
ONESEAL_SIGNING_P12 = str(TEST_VAR_DIR / "pki" / "bureau.p12")
ONESEAL_SIGNING_PASSPHRASE = "test-session-passphrase"
ONESEAL_SIGNING_TRUST_ROOT = str(TEST_VAR_DIR / "pki" / "ca.pem")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ONESEAL_SMS_BACKEND = "portal.notifications.backends.sms.LocmemSmsBackend"
AXES_ENABLED = True
