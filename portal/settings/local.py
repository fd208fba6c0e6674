"""Embedded default: runs with nothing but Python packages.

SQLite in var/, media in var/media, an in-memory channel layer (the web process relays
worker notifications) and a real Celery worker + beat on kombu's filesystem transport.
Setting DATABASE_URL / REDIS_URL switches to PostgreSQL / Redis without other changes.
"""

from portal.settings import env as E
from portal.settings.base import *  # noqa: F403
from portal.settings.sections import services

DEBUG = E.DEBUG_LOCAL
SECRET_KEY = E.SECRET_KEY or "local-only-insecure-key-never-used-in-production-0123456789abcdef"
ALLOWED_HOSTS = E.ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"]  # noqa: S104
ONESEAL_DEMO = True

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": services.database(VAR_DIR)}
# A file cache shared by the web process and the worker (calendar edits reach both).
CACHES = {"default": services.cache(file_dir=VAR_DIR / "cache")}
CHANNEL_LAYERS = {"default": services.channel_layer()}
globals().update(services.celery(VAR_DIR))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
