"""Admin: departments (what they supervise, endpoint, claim limit, users) with their
endpoint secret shown exactly once, when it is made or rotated, on a page that is not
cached and never through the messages framework (which may keep it in a cookie). The
outbox and the requests are read-only records here; the outbox can be retried."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.audit import audit_log
from portal.regulators import secretbox
from portal.regulators.models import (
    OutboxEvent,
    RegulatorDepartment,
    RegulatorMembership,
    RegulatorRequest,
)
from portal.regulators.services.delivery import outbox_retry
from portal.regulators.services.departments import (
    department_rotate_secret,
    department_secret_set,
)


class MembershipInline(admin.TabularInline):
    model = RegulatorMembership
    raw_id_fields = ("user",)
    extra = 1


@admin.register(RegulatorDepartment)
class RegulatorDepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active", "endpoint_url", "claim_days",
                    "secret_fingerprint", "secret_rotated_at")
    search_fields = ("code", "name")
    filter_horizontal = ("matters",)
    readonly_fields = ("secret_fingerprint", "secret_rotated_at", "previous_secret_until",
                       "secret_actions")
    fields = ("name", "code", "matters", "industries", "endpoint_url", "claim_days", "contact",
              "is_active", "secret_fingerprint", "secret_rotated_at", "previous_secret_until",
              "secret_actions")
    inlines = [MembershipInline]

    @admin.display(description=gettext_lazy("签名密钥"))
    def secret_actions(self, obj) -> str:
        if obj is None or not obj.pk:
            return _("保存后生成，只显示一次")
        url = reverse("admin:regulators_regulatordepartment_rotate", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("轮换签名密钥"))

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj._new_secret = secretbox.new_secret()
            department_secret_set(obj, obj._new_secret)
        super().save_model(request, obj, form, change)
        audit_log(action="regulators.department_" + ("change" if change else "create"),
                  actor=request.user, obj=obj,
                  after={"code": obj.code, "endpoint": obj.endpoint_url,
                         "active": obj.is_active, "fingerprint": obj.secret_fingerprint})

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(obj, "_new_secret", None)
        if secret:
            return self._secret_page(request, obj, secret)
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        # admin_view: staff only, CSRF, never cached
        return [path("<int:pk>/rotate-secret/", self.admin_site.admin_view(self.rotate_view),
                     name="regulators_regulatordepartment_rotate"), *super().get_urls()]

    def _secret_page(self, request, obj, secret: str | None):
        response = TemplateResponse(request, "regulators/admin_secret.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "department": obj, "secret": secret,
            "title": _("签名密钥") + f" · {obj.name}"})
        response["Cache-Control"] = "no-store"
        return response

    def rotate_view(self, request, pk: int):
        department = get_object_or_404(RegulatorDepartment, pk=pk)
        if not self.has_change_permission(request, department):
            raise PermissionDenied
        if request.method == "POST":
            secret = department_rotate_secret(department=department, by=request.user)
            department.refresh_from_db()
            return self._secret_page(request, department, secret)
        return self._secret_page(request, department, None)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "department", "kind", "case", "status", "attempts",
                    "next_attempt_at", "delivered_at")
    list_filter = ("status", "kind", "department")
    search_fields = ("event_id", "case__number")
    list_select_related = ("department", "case")
    actions = ["retry"]

    @admin.action(description=gettext_lazy("重新推送所选事件"))
    def retry(self, request, queryset) -> None:
        n = outbox_retry(event_ids=list(queryset.values_list("pk", flat=True)), by=request.user)
        self.message_user(request, _("已重新排队推送 {n} 个事件。").format(n=n), messages.SUCCESS)


@admin.register(RegulatorRequest)
class RegulatorRequestAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "department", "kind", "case", "status", "handler")
    list_filter = ("status", "kind", "department")
    search_fields = ("request_id", "case__number")
    list_select_related = ("department", "case", "handler")
