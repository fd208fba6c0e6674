"""Notifications: in-app (live over Channels), e-mail and SMS through a database outbox,
and the working-day deadline sweep that raises yellow/red alerts and escalations."""
from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from portal.notifications import checks, receivers  # noqa: F401
        from portal.notifications.deadlines.registry import deadline_source_register
        from portal.notifications.deadlines.sources import BUILTIN_SOURCES

        for source in BUILTIN_SOURCES:
            deadline_source_register(source)
