"""Loading the workday calendar from the database, cached per process and invalidated
through the cache when an administrator changes it."""

from __future__ import annotations

import logging
import threading
from datetime import date

from django.core.cache import cache

from portal.core.models import CalendarDay, CalendarYear
from portal.core.workdays import WorkCalendar

logger = logging.getLogger(__name__)
_VERSION_KEY = "oneseal:calendar:version"
_local = threading.local()


def calendar_version() -> int:
    return cache.get_or_set(_VERSION_KEY, 1, timeout=None)


def calendar_invalidate() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, timeout=None)
    _local.__dict__.pop("calendar", None)


def load_calendar() -> WorkCalendar:
    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return WorkCalendar(frozenset(holidays), frozenset(workdays), years)


def get_calendar() -> WorkCalendar:
    """The current calendar (cheap: reloaded only when the version changes)."""
    version = calendar_version()
    cached = getattr(_local, "calendar", None)
    if cached is None or cached[0] != version:
        cached = (version, load_calendar())
        _local.calendar = cached
    return cached[1]


def warn_if_uncovered(cal: WorkCalendar, a: date, b: date, *, context: str) -> bool:
    """Log a warning if [a, b] reaches a year without an entered arrangement."""
    missing = cal.uncovered_years(a, b)
    if missing:
        logger.warning("workday calendar has no holiday arrangement for %s (%s); "
                       "weekends only were used", missing, context)
    return bool(missing)


def missing_years(*, today: date | None = None) -> list[int]:
    """Years the bureau needs now (this year and, from October, next year) but lacks."""
    today = today or date.today()
    needed = [today.year] + ([today.year + 1] if today.month >= 10 else [])
    have = set(CalendarYear.objects.filter(year__in=needed).values_list("year", flat=True))
    return [y for y in needed if y not in have]
