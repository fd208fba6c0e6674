"""The daily calendar coverage check and its beat schedule."""

from __future__ import annotations

import logging

import pytest
from celery.schedules import crontab
from django.utils import timezone

from portal.core.models import CalendarYear
from portal.core.tasks import calendar_coverage_check
from portal.settings.sections.beat import CELERY_BEAT_SCHEDULE

pytestmark = pytest.mark.django_db


def _confirm(*years: int) -> None:
    for year in years:
        CalendarYear.objects.get_or_create(year=year)


def test_check_warns_naming_the_missing_year_and_returns_it(caplog):
    this_year = timezone.localdate().year
    CalendarYear.objects.filter(year=this_year).delete()
    with caplog.at_level(logging.WARNING, logger="portal.core.tasks"):
        missing = calendar_coverage_check()
    assert this_year in missing
    record = next(r for r in caplog.records if r.name == "portal.core.tasks")
    assert record.levelno == logging.WARNING and str(this_year) in record.getMessage()


def test_check_is_silent_when_every_needed_year_is_entered(caplog):
    this_year = timezone.localdate().year
    _confirm(this_year, this_year + 1)
    with caplog.at_level(logging.WARNING, logger="portal.core.tasks"):
        assert calendar_coverage_check() == []
    assert not [r for r in caplog.records if r.name == "portal.core.tasks"]


def test_check_is_idempotent_and_runs_through_celery():
    CalendarYear.objects.all().delete()
    first = calendar_coverage_check.delay().get()
    assert calendar_coverage_check.delay().get() == first
    assert CalendarYear.objects.count() == 0


def test_beat_runs_the_check_daily():
    entry = next(e for e in CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "portal.core.tasks.calendar_coverage_check")
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1
    assert schedule.day_of_week == set(range(7)) and schedule.day_of_month == set(range(1, 32))


def test_task_name_matches_the_beat_entry():
    assert calendar_coverage_check.name == "portal.core.tasks.calendar_coverage_check"
