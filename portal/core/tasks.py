"""Periodic core tasks: the daily check that the working-day calendar covers the years the
bureau needs (this year, and from October the next year too)."""

from __future__ import annotations

import logging

from celery import shared_task

from portal.core.calendar import missing_years

logger = logging.getLogger(__name__)


@shared_task(name="portal.core.tasks.calendar_coverage_check")
def calendar_coverage_check() -> list[int]:
    """Log a WARNING naming every needed year without an entered holiday arrangement.

    Read-only, so running it twice (or on two workers) does no harm.
    """
    missing = missing_years()
    if missing:
        logger.warning(
            "workday calendar: no holiday arrangement entered for year(s) %s; deadlines "
            "there use weekends only. Run `manage.py workdays import-year YYYY` or enter the "
            "State Council notice in the admin.", ", ".join(str(y) for y in missing))
    return missing
