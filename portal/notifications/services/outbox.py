"""Deliver the outbox: e-mail through Django's e-mail backend, SMS through the SMS backend.

Each message is sent inside its own short transaction that holds the row lock
(``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's write lock serialises
writers), so two workers never send the same message. A failure records the error and
schedules the next attempt with exponential backoff; after the last attempt the message
is marked failed. A worker that dies mid-send rolls back and the message is offered
again by the next sweep: delivery is at least once, and exactly once short of a crash
between the gateway's acceptance and the commit. The row and its status are the log;
every send is also appended to the audit trail.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from portal.accounts.masking import mask_phone
from portal.core.audit import audit_log
from portal.notifications.backends.sms import get_sms_backend
from portal.notifications.conf import setting
from portal.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)
Status = OutboxMessage.Status


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: base, 2x base, 4x base ... capped."""
    base = setting("ONESEAL_OUTBOX_BACKOFF_SECONDS")
    cap = setting("ONESEAL_OUTBOX_BACKOFF_MAX_SECONDS")
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _due() -> QuerySet[OutboxMessage]:
    return (OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, next_attempt_at__lte=timezone.now()))


def _masked(message: OutboxMessage) -> str:
    if message.channel == OutboxMessage.Channel.SMS:
        return mask_phone(message.address)
    name, _at, domain = message.address.partition("@")
    return f"{name[:2]}***@{domain}"


def _repr(message: OutboxMessage) -> str:
    return f"{message.get_channel_display()} → {_masked(message)}"


def _send(message: OutboxMessage) -> str:
    if message.channel == OutboxMessage.Channel.EMAIL:
        EmailMessage(subject=message.subject, body=message.body,
                     from_email=settings.DEFAULT_FROM_EMAIL, to=[message.address],
                     headers={"X-OneSeal-Message": message.dedupe_key}).send()
        return ""
    return get_sms_backend().send(phone=message.address, text=message.body,
                                  key=message.dedupe_key) or ""


def _attempt(message: OutboxMessage) -> str:
    message.attempts += 1
    try:
        message.provider_id = str(_send(message))[:100]
    except Exception as exc:  # noqa: BLE001 - any backend failure is retried later
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= setting("ONESEAL_OUTBOX_MAX_ATTEMPTS"):
            message.status = Status.FAILED
            audit_log(action="notification.failed", obj=message, object_repr=_repr(message),
                      after={"channel": message.channel, "address": _masked(message),
                             "attempts": message.attempts, "error": message.last_error})
        else:
            message.next_attempt_at = timezone.now() + backoff(message.attempts)
        message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        logger.warning("outbox message %s attempt %s failed: %s", message.pk,
                       message.attempts, message.last_error)
        return message.status
    message.status, message.sent_at = Status.SENT, timezone.now()
    message.save(update_fields=["attempts", "provider_id", "status", "sent_at"])
    audit_log(action="notification.sent", obj=message, object_repr=_repr(message),
              after={"channel": message.channel, "event": message.event,
                     "address": _masked(message), "attempts": message.attempts})
    return message.status


def outbox_deliver_one(*, message_id: int) -> str | None:
    """Deliver one message if it is still pending and due (None if not, or locked)."""
    with transaction.atomic():
        message = _due().filter(pk=message_id).first()
        return _attempt(message) if message is not None else None


def outbox_deliver_due(*, limit: int | None = None) -> dict[str, int]:
    """Deliver due messages one by one, oldest first; counts by resulting status."""
    counts = {Status.SENT: 0, Status.PENDING: 0, Status.FAILED: 0}
    for _ in range(limit or setting("ONESEAL_OUTBOX_BATCH")):
        with transaction.atomic():
            message = _due().order_by("next_attempt_at", "id").first()
            if message is None:
                break
            counts[_attempt(message)] += 1
    return {str(k): v for k, v in counts.items()}


def outbox_retry(*, message_ids: list[int], by) -> int:
    """Offer failed or waiting messages again now (an operator after fixing a gateway)."""
    with transaction.atomic():
        retried = (OutboxMessage.objects.filter(pk__in=message_ids)
                   .exclude(status=Status.SENT)
                   .update(status=Status.PENDING, next_attempt_at=timezone.now()))
        audit_log(action="notification.retry", actor=by, object_type="notifications.outboxmessage",
                  after={"ids": sorted(message_ids), "retried": retried})
    return retried
