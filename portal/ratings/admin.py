"""Read-only admin views of the 好差评 records: they change only through the services
(audited), so the admin lists and shows them but does not edit them."""

from django.contrib import admin

from portal.ratings.models import (
    CallbackSample,
    CallbackTask,
    CallRecord,
    Rating,
    Rectification,
    RiskAlert,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("case", "step", "level", "channel", "on_behalf", "created_at")
    list_filter = ("step", "level", "channel")
    list_select_related = ("case",)


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("number", "case", "status", "due_date", "assignee")
    list_filter = ("status",)
    list_select_related = ("case", "assignee")


@admin.register(CallbackSample)
class CallbackSampleAdmin(ReadOnlyAdmin):
    list_display = ("day", "rate", "seed")


@admin.register(CallbackTask)
class CallbackTaskAdmin(ReadOnlyAdmin):
    list_display = ("sample", "case", "assignee", "status")
    list_filter = ("status",)
    list_select_related = ("sample", "case", "assignee")


@admin.register(CallRecord)
class CallRecordAdmin(ReadOnlyAdmin):
    list_display = ("called_at", "channel", "outcome", "called_by")
    list_select_related = ("called_by",)


@admin.register(RiskAlert)
class RiskAlertAdmin(ReadOnlyAdmin):
    list_display = ("number", "rule", "level", "status", "assignee", "raised_at")
    list_filter = ("rule", "level", "status")
    list_select_related = ("assignee",)
