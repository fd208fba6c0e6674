"""Admin: the fields of expertise (the known list imports are checked against, and the
matters each field usually reviews) are kept here; draws, invitations, meetings and
imports are read-only records (they change only through the services)."""

from __future__ import annotations

from django.contrib import admin

from experts.models import (
    DrawRound,
    Expert,
    ExpertDraw,
    ExpertField,
    ExpertImport,
    Invitation,
    MeetingMinutes,
    ReviewMeeting,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExpertField)
class ExpertFieldAdmin(admin.ModelAdmin):
    list_display = ("name", "industry")
    search_fields = ("name", "industry")
    filter_horizontal = ("matters",)


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    """Read-only: the pool is kept on the experts pages, where every change is audited."""

    list_display = ("pk", "name", "employer", "title", "active")
    list_filter = ("active", "fields")
    search_fields = ("name", "employer")


class RoundInline(admin.TabularInline):
    model = DrawRound
    fields = ("number", "kind", "seed", "k", "chosen", "drawn_by", "drawn_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ExpertDraw)
class ExpertDrawAdmin(ReadOnlyAdmin):
    list_display = ("number", "case", "field", "count", "meeting_at", "status")
    list_filter = ("status", "mode")
    search_fields = ("number", "case__number")
    inlines = [RoundInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("draw", "expert", "status", "invited_at", "reply_due", "replied_at",
                    "attended")
    list_filter = ("status",)


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(ReadOnlyAdmin):
    list_display = ("draw", "status", "chair", "outcome", "concluded_at")
    list_filter = ("status", "outcome")


@admin.register(MeetingMinutes)
class MeetingMinutesAdmin(ReadOnlyAdmin):
    list_display = ("number", "case", "sha256", "created_at")


@admin.register(ExpertImport)
class ExpertImportAdmin(ReadOnlyAdmin):
    list_display = ("imported_at", "filename", "created", "updated", "unchanged", "rejected",
                    "imported_by")
