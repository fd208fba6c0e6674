"""The calendar as loaded from the database: the data migration's seed, year coverage and
its warning, and the cache that is reloaded after an invalidation."""

from __future__ import annotations

import importlib
import logging
from datetime import date

import pytest
from django.apps import apps as django_apps

from portal.core import calendar
from portal.core.calendar import get_calendar, missing_years, warn_if_uncovered
from portal.core.models import CalendarDay, CalendarYear
from portal.core.services import package_exceptions, package_years

pytestmark = pytest.mark.django_db
seed_migration = importlib.import_module("portal.core.migrations.0003_seed_calendar")


# --- the seed migration -------------------------------------------------------------------

def test_after_migrate_national_day_2026_is_a_holiday():
    row = CalendarDay.objects.get(date=date(2026, 10, 1))
    assert (row.kind, row.name, row.source) == ("holiday", "国庆节", "chinesecalendar")
    assert not get_calendar().is_workday(date(2026, 10, 1))


def test_after_migrate_2026_10_10_is_a_make_up_working_day():
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "workday"
    assert get_calendar().is_workday(date(2026, 10, 10))


def test_after_migrate_ordinary_weekends_and_weekend_holidays_are_not_stored():
    assert not CalendarDay.objects.filter(date=date(2026, 10, 3)).exists()  # Sat in the holiday
    assert not CalendarDay.objects.filter(date=date(2026, 10, 17)).exists()  # ordinary Sat
    assert not CalendarDay.objects.filter(date__week_day__in=[1, 7], kind="holiday").exists()
    assert not CalendarDay.objects.filter(date__week_day__in=[2, 3, 4, 5, 6],
                                          kind="workday").exists()


def test_after_migrate_only_years_from_2020_are_seeded():
    assert not CalendarDay.objects.filter(date__lt=date(2020, 1, 1)).exists()
    expected = [y for y in package_years() if y >= 2020]
    assert list(CalendarYear.objects.values_list("year", flat=True)) == expected
    assert set(CalendarYear.objects.values_list("source", flat=True)) == {"chinesecalendar"}


def test_after_migrate_each_year_matches_the_package():
    for year in CalendarYear.objects.values_list("year", flat=True):
        stored = set(CalendarDay.objects.filter(date__year=year)
                     .values_list("date", "kind", "name"))
        assert stored == {r for r in package_exceptions() if r[0].year == year}, year


def test_after_migrate_2027_is_flagged_missing_from_october():
    assert missing_years(today=date(2026, 10, 1)) == [2027]
    assert missing_years(today=date(2026, 9, 30)) == []


def test_seed_reverse_removes_package_rows_and_keeps_admin_rows():
    CalendarDay.objects.create(date=date(2031, 5, 5), kind="holiday", name="地方", source="admin")
    seed_migration.unseed(django_apps, None)
    assert list(CalendarDay.objects.values_list("source", flat=True)) == ["admin"]
    assert not CalendarYear.objects.exists()


def test_seed_does_not_overwrite_rows_an_administrator_entered():
    CalendarDay.objects.filter(date=date(2026, 10, 1)).update(name="本地名称", source="admin")
    seed_migration.seed(django_apps, None)
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "本地名称"


# --- coverage and warnings --------------------------------------------------------------

def test_missing_years_in_spring_needs_only_this_year():
    assert missing_years(today=date(2026, 3, 1)) == []
    assert missing_years(today=date(2031, 3, 1)) == [2031]


def test_loaded_calendar_knows_its_covered_years():
    cal = get_calendar()
    assert cal.uncovered_years(date(2026, 1, 1), date(2027, 2, 1)) == [2027]


def test_warn_if_uncovered_logs_a_warning_naming_the_year(caplog):
    with caplog.at_level(logging.WARNING, logger="portal.core.calendar"):
        assert warn_if_uncovered(get_calendar(), date(2026, 12, 1), date(2027, 1, 10),
                                 context="case 1")
    assert "2027" in caplog.text and "case 1" in caplog.text


def test_warn_if_uncovered_is_silent_inside_covered_years(caplog):
    with caplog.at_level(logging.WARNING, logger="portal.core.calendar"):
        assert not warn_if_uncovered(get_calendar(), date(2026, 1, 1), date(2026, 12, 31),
                                     context="x")
    assert caplog.text == ""


# --- the cache --------------------------------------------------------------------------

def test_get_calendar_is_cached_until_invalidated():
    first = get_calendar()
    CalendarDay.objects.create(date=date(2026, 11, 2), kind="holiday", name="测试")
    assert get_calendar() is first
    calendar.calendar_invalidate()
    assert not get_calendar().is_workday(date(2026, 11, 2))


def test_invalidate_clears_the_missing_years_banner_cache():
    from django.core.cache import cache

    cache.set(calendar.MISSING_YEARS_KEY, [2027], 300)
    calendar.calendar_invalidate()
    assert cache.get(calendar.MISSING_YEARS_KEY) is None
