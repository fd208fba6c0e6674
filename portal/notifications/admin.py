"""Admin: read-only views of notifications, the outbox (the log of every e-mail and SMS,
with a "retry now" action) and deadline alerts; users' channel preferences."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.notifications.models import (
    DeadlineAlert,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from portal.notifications.services import outbox_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "event", "title", "read_at")
    list_filter = ("event",)
    search_fields = ("title", "recipient__username")
    raw_id_fields = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "address", "event", "status", "attempts",
                    "next_attempt_at", "sent_at")
    list_filter = ("status", "channel", "event")
    search_fields = ("address", "subject", "dedupe_key")
    date_hierarchy = "created_at"
    actions = ["retry_now"]

    @admin.action(description=gettext_lazy("立即重试所选消息"), permissions=["retry"])
    def retry_now(self, request, queryset):
        count = outbox_retry(message_ids=list(queryset.values_list("pk", flat=True)),
                             by=request.user)
        self.message_user(request, _("已重新排队 {n} 条消息。").format(n=count), messages.SUCCESS)

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("notifications.change_outboxmessage")


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "level", "label", "due_date", "remaining", "recipients")
    list_filter = ("level", "source")
    search_fields = ("label",)
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "event", "email", "sms", "updated_at")
    list_filter = ("event",)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
