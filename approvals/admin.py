"""Admin for the catalogue (editable) and cases (read-only: cases change only through
the workflow services)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from approvals.models import (
    Bundle,
    BundleItem,
    Case,
    CaseStatusChange,
    MaterialRequirement,
    Matter,
    MatterSettingChange,
)
from approvals.services import matter_set_single_approver
from portal.accounts.masking import mask_identity


class MaterialInline(admin.TabularInline):
    model = MaterialRequirement
    extra = 0
    fields = ("order", "name", "required", "tolerable", "copies", "description", "sample")


class SettingChangeInline(admin.TabularInline):
    model = MatterSettingChange
    extra = 0
    can_delete = False
    readonly_fields = ("field", "old_value", "new_value", "changed_by", "changed_at", "reason")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "section", "promised_days", "statutory_days", "risk_level",
                    "needs_inspection", "single_approver", "is_active")
    list_filter = ("section", "risk_level", "needs_inspection", "single_approver", "is_active")
    search_fields = ("code", "name", "industry")
    list_select_related = ("section",)
    inlines = [MaterialInline, SettingChangeInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "section", "industry", "is_active")}),
        (_("依据与条件"), {"fields": ("legal_basis", "conditions")}),
        (_("时限与收费"), {"fields": ("statutory_days", "promised_days", "stage_limits", "fee",
                                   "risk_level")}),
        (_("勘验与评审"), {"fields": ("needs_inspection", "inspection_video", "inspection_onsite",
                                   "inspection_rectification_only", "needs_expert_review")}),
        (_("特别程序"), {"fields": ("commitment_eligible", "single_approver")}),
        (_("申请表"), {"fields": ("form_schema",)}),
    )

    def save_model(self, request, obj, form, change):
        """The single-approver exception is switched through its service (recorded)."""
        wanted = obj.single_approver
        if change and "single_approver" in form.changed_data:
            obj.single_approver = not wanted
            super().save_model(request, obj, form, change)
            matter_set_single_approver(matter=obj, enabled=wanted, by=request.user,
                                       reason="管理后台修改")
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)
        if not change and wanted:
            obj.single_approver = False
            obj.save(update_fields=["single_approver"])
            matter_set_single_approver(matter=obj, enabled=True, by=request.user,
                                       reason="新建事项")


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    extra = 0
    autocomplete_fields = ("matter",)


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "integrated_licence", "is_active")
    search_fields = ("code", "name")
    inlines = [BundleItemInline]


class HistoryInline(admin.TabularInline):
    model = CaseStatusChange
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "transition", "actor_role", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "matter", "applicant_name", "applicant_id", "status",
                    "promised_date", "created_at")
    list_filter = ("status", "channel", "matter__section")
    search_fields = ("number", "applicant__name", "title")
    list_select_related = ("matter", "applicant")
    inlines = [HistoryInline]

    @admin.display(description=_("申请人"))
    def applicant_name(self, obj) -> str:
        return obj.applicant.name

    @admin.display(description=_("证件号码"))
    def applicant_id(self, obj) -> str:
        return mask_identity(obj.applicant.kind, obj.applicant.id_number)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Case._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
