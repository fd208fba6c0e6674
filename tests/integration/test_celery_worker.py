"""A real Celery worker consumes a task from the configured broker: Redis when REDIS_URL is
set (CI), kombu's filesystem transport otherwise (the embedded default)."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from portal.celery import app
from portal.core.calendar import missing_years
from portal.core.models import CalendarYear
from portal.core.tasks import calendar_coverage_check

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def real_broker():
    """Switch eager mode off so the task really travels through the broker."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield settings.CELERY_BROKER_URL
    app.conf.task_always_eager = previous


def test_worker_runs_the_calendar_check_through_the_broker(real_broker):
    if settings.ONESEAL_REQUIRE_SERVICES:
        assert real_broker.startswith("redis://")
    CalendarYear.objects.filter(year__gte=2026).delete()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = calendar_coverage_check.delay()
        missing = result.get(timeout=30)
    assert 2026 in missing
    assert missing == missing_years()
    assert result.successful()
