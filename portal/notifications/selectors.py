"""Read-side queries: a user's notifications and unread count, their channel choices, and
the deadline status of a case (for the case page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from portal.accounts.models import User
from portal.notifications.deadlines.sweep import DeadlineStatus, deadline_status  # noqa: F401
from portal.notifications.events import default_channels, events_for
from portal.notifications.models import Notification, NotificationPreference


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """``user``'s own notifications, newest first."""
    qs = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_get(*, user: User, notification_id: int) -> Notification:
    """One of ``user``'s notifications, or 404 (also for other users' notifications)."""
    try:
        return Notification.objects.get(pk=notification_id, recipient=user)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unread_count(*, user: User) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return unread_count_of(user_id=user.pk)


def unread_count_of(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def notifications_after(*, user_id: int, after_id: int, limit: int = 20) -> list[Notification]:
    """``user``'s notifications newer than ``after_id``, oldest first (websocket)."""
    return list(Notification.objects.filter(recipient_id=user_id, pk__gt=after_id)
                .order_by("id")[:limit])


def last_notification_id(*, user_id: int) -> int:
    row = Notification.objects.filter(recipient_id=user_id).order_by("-id") \
        .values_list("id", flat=True).first()
    return row or 0


@dataclass(frozen=True)
class PreferenceRow:
    event: str
    label: str
    in_app: bool
    email: bool
    sms: bool


def preference_list(*, user: User) -> list[PreferenceRow]:
    """Every event ``user`` may receive, with the channels in force (chosen or default)."""
    chosen = {p.event: p for p in NotificationPreference.objects.filter(user=user)}
    rows = []
    for event in events_for(user):
        email, sms = default_channels(user, event)
        if event.code in chosen:
            email, sms = chosen[event.code].email, chosen[event.code].sms
        rows.append(PreferenceRow(event.code, str(event.label), True, email, sms))
    return rows
