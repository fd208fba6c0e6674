"""Settings shared by every environment. Integration sections live in their own modules."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from portal.settings import env as E

BASE_DIR = E.BASE_DIR
VAR_DIR = E.VAR_DIR
DEBUG = E.DEBUG
SECRET_KEY = E.SECRET_KEY
ALLOWED_HOSTS = E.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = E.CSRF_TRUSTED_ORIGINS
BUREAU_NAME = E.BUREAU_NAME
BUREAU_SHORT_NAME = E.BUREAU_SHORT_NAME
BUREAU_PHONE = E.BUREAU_PHONE

# Licence signing key (PKCS#12) and the trust root the verifier uses (ADR 0016).
ONESEAL_SIGNING_P12 = E.SIGNING_P12
ONESEAL_SIGNING_PASSPHRASE = E.SIGNING_PASSPHRASE
ONESEAL_SIGNING_TRUST_ROOT = E.SIGNING_TRUST_ROOT

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "channels",
    "storages",
    "portal.core",
    "portal.accounts",
    "portal.intake",
    "portal.review",
    "portal.notifications",
    "portal.dashboards",
    "portal.ratings",
    "portal.regulators",
    "approvals",
    "inspections",
    "experts",
    "archives",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.core.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.portal",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout (django-axes): 5 failures lock the username for 30 minutes, and one client
# (IP address + browser) that sprays many usernames is locked too (docs/adr/0005).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Upload limits: materials are checked again by content and size in the domain layer.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ONESEAL_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
#: Short videos (inspection evidence, guidance) may be larger than documents.
ONESEAL_MAX_VIDEO_BYTES = 200 * 1024 * 1024
#: 回避: an inspector who inspected an applicant within this many days is not assigned again.
ONESEAL_INSPECTOR_COOLING_OFF_DAYS = 180

from portal.settings.sections.api import *  # noqa: E402
from portal.settings.sections.beat import *  # noqa: E402
from portal.settings.sections.logging import *  # noqa: E402
from portal.settings.sections.notifications import *  # noqa: E402

# ---- Inspections: online booking (在线预约), inspections/services/booking.py ----------------
#: A slot must be booked at least this many hours ahead.
ONESEAL_BOOKING_MIN_LEAD_HOURS = 2
#: The applicant side may reschedule or cancel until this many hours before the start.
ONESEAL_BOOKING_CHANGE_CUTOFF_HOURS = 2
#: Online reschedules allowed per booking chain (the dispatcher may make exceptions).
ONESEAL_BOOKING_MAX_RESCHEDULES = 2
#: Both sides are reminded this many hours before the start (beat, every 10 minutes).
ONESEAL_BOOKING_REMINDER_HOURS = 24

# ---- Inspections: live video (云踏勘), inspections/video/ -----------------------------------
#: ICE servers given to the browsers as RTCPeerConnection's ``iceServers``: a JSON list of
#: {"urls": ..., "username"?: ..., "credential"?: ...}. Empty: host candidates only (same
#: network; fine for tests), e.g. '[{"urls": "stun:turn.example.gov.cn:3478"}]'.
ONESEAL_ICE_SERVERS = E.ICE_SERVERS
#: The coturn service (docker-compose.yml): its TURN URLs, comma-separated, e.g.
#: "turn:turn.example.gov.cn:3478?transport=udp,turn:turn.example.gov.cn:3478?transport=tcp",
#: and the same shared secret coturn gets (--static-auth-secret); each participant gets
#: time-limited credentials derived from it (TURN REST API scheme).
ONESEAL_TURN_URLS = E.TURN_URLS
ONESEAL_TURN_SECRET = E.TURN_SECRET
ONESEAL_TURN_CREDENTIAL_SECONDS = 8 * 3600
#: Recording upload: one chunk (2 s of WebM) and the whole recording at most.
ONESEAL_RECORDING_CHUNK_MAX_BYTES = 8 * 1024 * 1024
ONESEAL_RECORDING_MAX_BYTES = 4 * 1024 * 1024 * 1024
#: An open recording with no chunk for this long counts as dropped and may be closed
#: (assembled from what arrived) by the other inspector or the sweep.
ONESEAL_RECORDING_STALE_MINUTES = 10
#: 精准定位: a position farther than this from the premises (beyond its own accuracy) is
#: flagged to the inspectors and in the report.
ONESEAL_LOCATION_TOLERANCE_M = 300
