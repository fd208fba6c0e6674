"""Create a notification: the in-app row, and e-mail/SMS outbox rows per the recipient's
preferences, in the caller's transaction; push and delivery are queued after commit.

Every call carries a ``key``: the same key twice creates nothing the second time, so a
task that runs again (acks late, a retried sweep) never notifies twice.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.errors import ApplicationError
from portal.notifications.events import EVENTS
from portal.notifications.models import Notification, OutboxMessage
from portal.notifications.push import push_user
from portal.notifications.rendering import Rendered, render_message
from portal.notifications.services.preferences import preference_channels

Channel = OutboxMessage.Channel


def _queue_delivery(message_id: int) -> None:
    from portal.notifications.queueing import enqueue
    from portal.notifications.tasks import outbox_send

    enqueue(outbox_send, message_id=message_id)


def outbox_add(*, channel: str, address: str, event: str, rendered: Rendered, key: str,
               recipient: User | None = None) -> OutboxMessage | None:
    """Add one message to the outbox (idempotent by ``key``); delivery queued on commit."""
    subject, body = ((rendered.title, rendered.body) if channel == Channel.EMAIL
                     else ("", rendered.sms))
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                channel=channel, address=address, event=event, subject=subject, body=body,
                dedupe_key=key, recipient=recipient)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _queue_delivery(message.pk))
    return message


def notify(*, recipient: User, event: str, context: dict, key: str, link: str = "",
           phone: str = "") -> Notification | None:
    """Notify one user of ``event``; None if ``key`` was already used (nothing is sent).

    In-app always; e-mail and SMS as the user chose (defaults in ``events``), to the
    user's address and to ``phone`` or the user's mobile number.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    rendered = render_message(event, context, link=link)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, event=event, title=rendered.title, body=rendered.body,
                link=link, dedupe_key=key)
            email, sms = preference_channels(recipient, event)
            if email and recipient.email:
                outbox_add(channel=Channel.EMAIL, address=recipient.email, event=event,
                           rendered=rendered, key=f"{key}:email", recipient=recipient)
            phone = phone or recipient.phone
            if sms and phone:
                outbox_add(channel=Channel.SMS, address=phone, event=event,
                           rendered=rendered, key=f"{key}:sms", recipient=recipient)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: push_user(recipient.pk))
    return notification


def notify_phone(*, phone: str, event: str, context: dict, key: str,
                 link: str = "") -> OutboxMessage | None:
    """An SMS to someone without an account (a walk-in applicant), key events only."""
    if not phone or not EVENTS[event].sms_key:
        return None
    return outbox_add(channel=Channel.SMS, address=phone, event=event,
                      rendered=render_message(event, context, link=link), key=key)


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of ``by``'s own notifications read (idempotent)."""
    if notification.recipient_id != by.pk:
        raise ApplicationError(_("消息不存在。"), "not_found", status=404)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True) \
            .update(read_at=notification.read_at)
        transaction.on_commit(lambda: push_user(by.pk))
    return notification


def notification_mark_all_read(*, by: User) -> int:
    marked = Notification.objects.filter(recipient=by, read_at__isnull=True) \
        .update(read_at=timezone.now())
    if marked:
        transaction.on_commit(lambda: push_user(by.pk))
    return marked
