"""Loading the workday calendar from the database, cached per thread and invalidated
through a version number in the shared cache when an administrator changes it.

Writers call ``calendar_invalidate()`` inside their transaction; it bumps the version at
once and again after commit, so no other process can keep a calendar it loaded while the
change was still uncommitted.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from portal.core.models import CalendarDay, CalendarYear
from portal.core.workdays import WorkCalendar

logger = logging.getLogger(__name__)
_VERSION_KEY = "oneseal:calendar:version"
#: Cached ``missing_years()`` for the staff banner (portal.core.context_processors).
MISSING_YEARS_KEY = "oneseal:calendar:missing"
_local = threading.local()


def calendar_version() -> int:
    return cache.get_or_set(_VERSION_KEY, 1, timeout=None)


def _bump() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, timeout=None)
    cache.delete(MISSING_YEARS_KEY)
    _local.__dict__.pop("calendar", None)


def calendar_invalidate() -> None:
    """Make every process reload the calendar (now, and again when the transaction commits)."""
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


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
    today = today or timezone.localdate()
    needed = [today.year] + ([today.year + 1] if today.month >= 10 else [])
    have = set(CalendarYear.objects.filter(year__in=needed).values_list("year", flat=True))
    return [y for y in needed if y not in have]
