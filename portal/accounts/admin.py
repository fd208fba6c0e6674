"""Admin for users (with roles as groups), the organisation and applicants (masked)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.accounts.masking import mask_identity, mask_phone
from portal.accounts.models import Applicant, Bureau, District, Section, User, Window


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "real_name", "section", "window", "roles", "is_active")
    list_filter = ("groups", "section", "is_active", "is_staff")
    search_fields = ("username", "real_name")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("机构与回避"), {"fields": ("real_name", "phone", "employer", "bureau", "section",
                                   "window")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section", "window") \
            .prefetch_related("groups")

    @admin.display(description=_("角色"))
    def roles(self, obj) -> str:
        return "、".join(g.name for g in obj.groups.all())


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "masked_id", "masked_tel", "district")
    list_filter = ("kind", "district")
    search_fields = ("name",)
    exclude = ()
    list_select_related = ("district",)

    @admin.display(description=_("证件号码"))
    def masked_id(self, obj) -> str:
        return mask_identity(obj.kind, obj.id_number)

    @admin.display(description=_("联系电话"))
    def masked_tel(self, obj) -> str:
        return mask_phone(obj.phone)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")


admin.site.register(Bureau)
admin.site.register(Section)
admin.site.register(Window)
admin.site.site_header = _("一枚印章 · 系统管理")
admin.site.site_title = _("一枚印章")
