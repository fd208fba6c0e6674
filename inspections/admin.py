"""Admin for inspections. Standards and their versions are read-only here (a version never
changes; revisions are published through the standard editor, which records them), as are
tasks (they change only through the inspection services). Inspector qualifications,
absences and conflict declarations (回避) are maintained here."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    ConflictDeclaration,
    InspectionTask,
    InspectorAbsence,
    InspectorProfile,
    Standard,
    StandardItem,
    StandardVersion,
)


class ReadOnlyMixin:
    """No adding, changing or deleting: display only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VersionInline(ReadOnlyMixin, admin.TabularInline):
    model = StandardVersion
    fields = ("number", "published_at", "published_by", "pass_score", "note")
    readonly_fields = fields
    show_change_link = True
    extra = 0


@admin.register(Standard)
class StandardAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "title", "matter", "created_at")
    list_select_related = ("matter",)
    search_fields = ("code", "title", "matter__name", "matter__code")
    fields = ("code", "title", "matter", "created_at")
    readonly_fields = fields
    inlines = [VersionInline]


class ItemInline(ReadOnlyMixin, admin.TabularInline):
    model = StandardItem
    fields = ("order", "key", "category", "title", "requirement", "method", "weight", "veto",
              "guidance")
    readonly_fields = fields
    extra = 0


@admin.register(StandardVersion)
class StandardVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "standard", "number", "pass_score", "published_at",
                    "published_by")
    list_select_related = ("standard", "published_by")
    list_filter = ("standard",)
    fields = ("standard", "number", "pass_score", "note", "published_at", "published_by")
    readonly_fields = fields
    inlines = [ItemInline]


@admin.register(InspectorProfile)
class InspectorProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "active")
    list_filter = ("active",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__real_name")
    raw_id_fields = ("user",)
    filter_horizontal = ("matters",)


@admin.register(InspectorAbsence)
class InspectorAbsenceAdmin(admin.ModelAdmin):
    list_display = ("user", "start", "end", "reason")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__real_name")
    date_hierarchy = "start"
    raw_id_fields = ("user",)


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ("user", "applicant", "relation", "declared_at", "active")
    list_filter = ("active",)
    list_select_related = ("user", "applicant")
    search_fields = ("user__username", "user__real_name", "applicant__name")
    raw_id_fields = ("user", "applicant")


@admin.register(InspectionTask)
class InspectionTaskAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "status", "mode", "tier", "promised_by", "applicant", "outcome")
    list_filter = ("status", "mode", "tier", "outcome")
    list_select_related = ("applicant",)
    search_fields = ("number", "applicant__name")
    fields = ("number", "status", "mode", "tier", "promised_by", "applicant", "case_numbers",
              "address", "district", "trip", "created_by", "created_at", "started_at",
              "concluded_at", "outcome", "rectify_due", "rectify_submitted_at")
    readonly_fields = fields

    @admin.display(description=_("办件"))
    def case_numbers(self, obj) -> str:
        return "、".join(str(c) for c in obj.cases.all())
