"""The one place where the process environment is read.

Every other settings module imports the values from here, so the list below is the
complete list of knobs an operator can turn.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASE_URL = env.str("DATABASE_URL", default="")
REDIS_URL = env.str("REDIS_URL", default="")

# S3-compatible media storage (production).
S3_BUCKET = env.str("S3_BUCKET", default="oneseal-media")
S3_ENDPOINT_URL = env.str("S3_ENDPOINT_URL", default="")
S3_REGION = env.str("S3_REGION", default="us-east-1")
S3_ACCESS_KEY = env.str("S3_ACCESS_KEY", default="")
S3_SECRET_KEY = env.str("S3_SECRET_KEY", default="")

EMAIL_URL = env.str("EMAIL_URL", default="")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@oneseal.local")

# Deployment knobs.
DEBUG_LOCAL = env.bool("DJANGO_DEBUG", default=True)
PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
REQUIRE_SERVICES = env.bool("ONESEAL_REQUIRE_SERVICES", default=False)

# Bureau identity printed on notices and licences.
BUREAU_NAME = env.str("ONESEAL_BUREAU_NAME", default="示例市行政审批服务局")
BUREAU_SHORT_NAME = env.str("ONESEAL_BUREAU_SHORT_NAME", default="示例审批")
BUREAU_PHONE = env.str("ONESEAL_BUREAU_PHONE", default="0359-12345")

# Notifications and deadline alerts (portal/settings/sections/notifications.py).
SITE_URL = env.str("ONESEAL_SITE_URL", default="http://localhost:8000")
SMS_BACKEND = env.str("ONESEAL_SMS_BACKEND",
                      default="portal.notifications.backends.sms.ConsoleSmsBackend")
SMS_FILE_DIR = env.str("ONESEAL_SMS_FILE_DIR", default=str(VAR_DIR / "sms"))
DEADLINE_YELLOW_DAYS = env.int("ONESEAL_DEADLINE_YELLOW_DAYS", default=1)
DEADLINE_YELLOW_PERCENT = env.int("ONESEAL_DEADLINE_YELLOW_PERCENT", default=20)
DEADLINE_ESCALATE_AFTER_DAYS = env.int("ONESEAL_DEADLINE_ESCALATE_AFTER_DAYS", default=2)

# Licence signing (approvals/certificates, ADR 0016). Relative paths are under BASE_DIR.
# The default passphrase is the published demo one, used only with `manage.py pki_init_demo`;
# production sets a real PKCS#12 file and its passphrase.
DEMO_SIGNING_PASSPHRASE = "oneseal-demo-only"
SIGNING_P12 = env.str("ONESEAL_SIGNING_P12", default=str(VAR_DIR / "pki" / "bureau.p12"))
SIGNING_PASSPHRASE = env.str("ONESEAL_SIGNING_PASSPHRASE", default=DEMO_SIGNING_PASSPHRASE)
SIGNING_TRUST_ROOT = env.str("ONESEAL_SIGNING_TRUST_ROOT",
                             default=str(VAR_DIR / "pki" / "ca.pem"))

# Live video inspection (云踏勘): ICE servers for the browsers, the coturn service's TURN
# URLs and the shared secret coturn gets (--static-auth-secret).
ICE_SERVERS = env.json("ONESEAL_ICE_SERVERS", default=[])
TURN_URLS = env.list("ONESEAL_TURN_URLS", default=[])
TURN_SECRET = env.str("TURN_STATIC_AUTH_SECRET", default="")
