"""Notifications: SMS backend, site address for links in e-mail and SMS, the deadline
alert thresholds, outbox retry policy and the websocket poll interval.

Imported into the settings by base.py; ``portal.notifications.conf`` falls back to these
values, so the app also runs where the section is not imported.
"""

from portal.settings import env as E

#: Absolute address of the portal, for links in e-mail and SMS (no trailing slash).
ONESEAL_SITE_URL = E.SITE_URL.rstrip("/")

#: Dotted path of the SMS backend class (portal.notifications.backends.sms documents the
#: interface). Default ConsoleSmsBackend (the worker's output, like the e-mail console
#: backend); FileSmsBackend writes one JSON line per message under ONESEAL_SMS_FILE_DIR
#: (default var/sms/); tests: LocmemSmsBackend. Production needs a real gateway's class
#: (``manage.py check --deploy`` says so).
ONESEAL_SMS_BACKEND = E.SMS_BACKEND
ONESEAL_SMS_FILE_DIR = E.SMS_FILE_DIR

#: Yellow warning when the working days left are at most max(days, percent% of the limit).
ONESEAL_DEADLINE_YELLOW_DAYS = E.DEADLINE_YELLOW_DAYS
ONESEAL_DEADLINE_YELLOW_PERCENT = E.DEADLINE_YELLOW_PERCENT
#: Escalation (升级督办) once overdue by at least this many working days.
ONESEAL_DEADLINE_ESCALATE_AFTER_DAYS = E.DEADLINE_ESCALATE_AFTER_DAYS
#: The sweep only looks at deadlines due within this many working days (and all overdue).
ONESEAL_DEADLINE_HORIZON_DAYS = 60

#: Outbox: attempts before a message is marked failed, and the backoff between attempts
#: (seconds, doubled each attempt, capped).
ONESEAL_OUTBOX_MAX_ATTEMPTS = 8
ONESEAL_OUTBOX_BACKOFF_SECONDS = 60
ONESEAL_OUTBOX_BACKOFF_MAX_SECONDS = 3600
ONESEAL_OUTBOX_BATCH = 200

#: The websocket consumer checks the database for new rows this often (seconds): live
#: delivery also where the worker cannot reach the web process's channel layer (the
#: in-memory layer of the embedded default). With a shared layer (channels-redis) pushes
#: arrive at once and the poll is only a safety net, so it runs less often.
ONESEAL_NOTIFICATIONS_POLL_SECONDS = 2.5
ONESEAL_NOTIFICATIONS_POLL_SECONDS_SHARED_LAYER = 30
