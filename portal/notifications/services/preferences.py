"""Users' channel choices per event (in-app is always on)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError
from portal.notifications.events import EVENTS, default_channels, events_for
from portal.notifications.models import NotificationPreference


def preference_channels(user: User, event: str) -> tuple[bool, bool]:
    """(e-mail, SMS) for ``user`` and ``event``: their choice, else the default."""
    row = NotificationPreference.objects.filter(user=user, event=event) \
        .values_list("email", "sms").first()
    return tuple(row) if row else default_channels(user, EVENTS[event])


def preferences_update(*, user: User, changes: list[dict]) -> None:
    """Save ``[{"event", "email", "sms"}, ...]`` for ``user`` (events they may receive)."""
    allowed = {e.code for e in events_for(user)}
    for change in changes:
        if change.get("event") not in allowed:
            raise ApplicationError(_("不支持的通知事件：{event}").format(
                event=change.get("event")), "unknown_event")
    saved = {}
    with transaction.atomic():
        for change in changes:
            email, sms = preference_channels(user, change["event"])
            email, sms = bool(change.get("email", email)), bool(change.get("sms", sms))
            NotificationPreference.objects.update_or_create(
                user=user, event=change["event"], defaults={"email": email, "sms": sms})
            saved[change["event"]] = {"email": email, "sms": sms}
        audit_log(action="notification.preferences", actor=user, obj=user, after=saved)
