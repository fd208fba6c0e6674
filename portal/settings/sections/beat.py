"""Celery beat: the periodic sweeps over database state (times are Asia/Shanghai,
CELERY_TIMEZONE). Imported into the settings by base.py.

Sweeps are idempotent and expire if not started before the next one is due, so a
backlog after a broker outage does not run the same sweep many times over.
"""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "core-calendar-coverage-check": {
        "task": "portal.core.tasks.calendar_coverage_check",
        "schedule": crontab(hour=7, minute=30),
    },
    # Yellow / red / escalation alerts on working-day deadlines (each raised once).
    "notifications-deadline-sweep": {
        "task": "portal.notifications.tasks.deadline_sweep",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # Booking reminders (在线预约): bookings starting within the reminder window, once each.
    "inspections-booking-reminders": {
        "task": "inspections.tasks.booking_reminders",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 9 * 60},
    },
    # Video call recordings whose browser went away: assembled from what arrived (中断).
    "inspections-recordings-close-stale": {
        "task": "inspections.tasks.recordings_close_stale",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # Expert invitations past their reply time: recorded timeout and redraw.
    "experts-invitation-timeouts": {
        "task": "experts.tasks.invitation_timeouts",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # 好差评 随机回访: sample yesterday's completed cases (missed days caught up, once per day).
    "ratings-callback-sample": {
        "task": "portal.ratings.tasks.callback_sample",
        "schedule": crontab(hour=1, minute=10),
        "options": {"expires": 6 * 3600},
    },
    # 内控: run the risk rules; one open alert per rule and subject.
    "ratings-risk-scan": {
        "task": "portal.ratings.tasks.risk_scan",
        "schedule": crontab(hour=2, minute=0),
        "options": {"expires": 6 * 3600},
    },
    # 审管互动: regulator outbox, first attempts a worker missed and retries with backoff.
    "regulators-delivery-sweep": {
        "task": "portal.regulators.tasks.delivery_sweep",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # 一事项一存档: archive cases closed more than ONESEAL_ARCHIVE_AFTER_DAYS days ago
    # (needs ONESEAL_ARCHIVE_SYSTEM_USER, an active archivist account).
    "archives-archive-closed-cases": {
        "task": "archives.tasks.archive_closed_cases",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # Weekly fixity check of every archive package.
    "archives-verify-packages": {
        "task": "archives.tasks.verify_packages",
        "schedule": crontab(hour=3, minute=15, day_of_week=0),
        "options": {"expires": 12 * 3600},
    },
    # E-mail and SMS outbox: due messages, retries with backoff.
    "notifications-outbox-sweep": {
        "task": "portal.notifications.tasks.outbox_sweep",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
}
