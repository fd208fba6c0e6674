"""Admin: classification and retention rules are edited here (every change is audited);
packages, their documents, loans, the access log and destruction lists are read-only
records (they change only through the archive services, and nothing is deleted here)."""

from __future__ import annotations

from django.contrib import admin

from archives.models import (
    AccessLog,
    ArchiveDocument,
    ArchivePackage,
    DestructionItem,
    DestructionList,
    Loan,
    RetentionRule,
)
from portal.core.audit import audit_log


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """Overrides of the defaults in ``archives.retention`` (准予 30年, 不予/终止 10年,
    安全生产/危险化学品 永久); the most specific active rule wins at binding."""

    list_display = ("__str__", "matter", "keyword", "outcome", "classification_code",
                    "classification_name", "retention", "is_active")
    list_filter = ("retention", "outcome", "is_active")
    search_fields = ("keyword", "matter__name", "matter__code", "classification_name")
    autocomplete_fields = ("matter",)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        audit_log(action="archive.rule_" + ("change" if change else "add"), actor=request.user,
                  obj=obj, after={f: str(form.cleaned_data.get(f)) for f in form.changed_data})

    def delete_model(self, request, obj) -> None:
        audit_log(action="archive.rule_delete", actor=request.user, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            audit_log(action="archive.rule_delete", actor=request.user, obj=obj)
        super().delete_queryset(request, queryset)


class DocumentInline(admin.TabularInline):
    model = ArchiveDocument
    fields = ("seq", "kind", "title", "doc_number", "doc_date", "pages", "size", "sha256",
              "owned", "destroyed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ArchivePackage)
class ArchivePackageAdmin(ReadOnlyAdmin):
    list_display = ("number", "case", "classification_name", "retention",
                    "retention_review_date", "binding_status", "status")
    list_filter = ("status", "retention", "outcome", "binding_status")
    search_fields = ("number", "case__number", "case__applicant__name")
    inlines = [DocumentInline]


@admin.register(Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ("package", "borrower_name", "purpose", "lent_at", "due_date", "returned_at")
    search_fields = ("package__number", "borrower_name")


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "package", "user", "action", "detail")
    list_filter = ("action",)
    search_fields = ("package__number", "user__username")


class ItemInline(admin.TabularInline):
    model = DestructionItem
    fields = ("package", "reason", "files_deleted", "originals_kept")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(DestructionList)
class DestructionListAdmin(ReadOnlyAdmin):
    list_display = ("number", "status", "proposed_by", "proposed_at", "decided_by",
                    "decided_at")
    list_filter = ("status",)
    inlines = [ItemInline]

