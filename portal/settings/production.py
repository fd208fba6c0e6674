"""Production: PostgreSQL, Redis (cache, Celery broker, channel layer) and S3 media.

Required environment: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL.
Must pass ``manage.py check --deploy --fail-level WARNING``.
"""

from django.core.exceptions import ImproperlyConfigured

from portal.settings import env as E
from portal.settings.base import *  # noqa: F403
from portal.settings.sections import services

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
    if not getattr(E, _name):
        raise ImproperlyConfigured(f"production settings need {_name} in the environment")
if E.SIGNING_PASSPHRASE == E.DEMO_SIGNING_PASSPHRASE:
    raise ImproperlyConfigured("production settings need ONESEAL_SIGNING_PASSPHRASE (and "
                               "ONESEAL_SIGNING_P12) for the bureau's signing key")

DEBUG = False
ONESEAL_DEMO = False
DATABASES = {"default": services.database(VAR_DIR)}
CACHES = {"default": services.cache()}
CHANNEL_LAYERS = {"default": services.channel_layer()}
globals().update(services.celery(VAR_DIR))

STORAGES = {
    "default": services.s3_storage(bucket=E.S3_BUCKET, endpoint_url=E.S3_ENDPOINT_URL,
                                   region=E.S3_REGION, access_key=E.S3_ACCESS_KEY,
                                   secret_key=E.S3_SECRET_KEY),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind one reverse proxy: the client address is the last hop it adds.
AXES_IPWARE_PROXY_COUNT = E.PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = E.SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_CONFIG = E.env.email_url_config(E.EMAIL_URL)
globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = E.DEFAULT_FROM_EMAIL
