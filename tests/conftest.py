"""Test session setup: require real services when CI says so, and isolate the cache."""

from __future__ import annotations

import pytest
from django.conf import settings


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: end-to-end test in headless Chromium")


@pytest.fixture(scope="session", autouse=True)
def _services_in_use(django_db_setup, django_db_blocker):
    """With ONESEAL_REQUIRE_SERVICES=1 (CI), refuse to run on SQLite or without Redis."""
    if not getattr(settings, "ONESEAL_REQUIRE_SERVICES", False):
        return
    from django.core.cache import cache
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.exit(f"ONESEAL_REQUIRE_SERVICES=1 but the database is {connection.vendor}; "
                        "set DATABASE_URL to PostgreSQL", returncode=3)
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            print(f"\n[oneseal] database: {cursor.fetchone()[0][:40]}")
    backend = settings.CACHES["default"]["BACKEND"]
    if "redis" not in backend.lower():
        pytest.exit("ONESEAL_REQUIRE_SERVICES=1 but the cache is not Redis; set REDIS_URL",
                    returncode=3)
    try:
        cache.set("oneseal:ci-ping", "pong", 10)
        assert cache.get("oneseal:ci-ping") == "pong"
    except Exception as exc:  # noqa: BLE001
        pytest.exit(f"Redis is not reachable: {exc}", returncode=3)
    print(f"[oneseal] redis: {settings.CACHES['default']['LOCATION']}")


@pytest.fixture(scope="session", autouse=True)
def _signing_key():
    """Issuing a licence signs it: make the session's throwaway CA and bureau key once."""
    from pathlib import Path

    from approvals.certificates.pki import create_demo_pki

    create_demo_pki(ca_path=Path(settings.ONESEAL_SIGNING_TRUST_ROOT),
                    p12_path=Path(settings.ONESEAL_SIGNING_P12), bureau=settings.BUREAU_NAME,
                    passphrase=settings.ONESEAL_SIGNING_PASSPHRASE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from portal.core import calendar

    cache.clear()
    calendar.calendar_invalidate()
    yield


@pytest.fixture
def on_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return [f"oneseal: database {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}, "
            f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, "
            f"broker {settings.CELERY_BROKER_URL.split('@')[-1]}"]
