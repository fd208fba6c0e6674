"""Celery beat: the periodic sweeps over database state (times are Asia/Shanghai,
CELERY_TIMEZONE). Imported into the settings by base.py."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "core-calendar-coverage-check": {
        "task": "portal.core.tasks.calendar_coverage_check",
        "schedule": crontab(hour=7, minute=30),
    },
}
