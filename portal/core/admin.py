"""Admin for the core app: the working-day calendar (edited through portal.core.services, so
every change is audited and the cached calendar is invalidated) and a read-only view of
the audit trail.

The autumn routine: when the State Council publishes next year's arrangement, add the year
under 年度节假日安排 and tick “从数据包导入” (if the installed chinesecalendar has it), or
enter the holidays and make-up days under 节假日/调休日 first and then confirm the year.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.calendar import missing_years
from portal.core.errors import ApplicationError, ConflictError
from portal.core.models import AuditEntry, CalendarDay, CalendarYear
from portal.core.services import (
    calendar_day_check,
    calendar_day_remove,
    calendar_day_set,
    calendar_year_check,
    calendar_year_confirm,
    calendar_year_import,
    calendar_year_remove,
    package_version,
    package_years,
)

WEEKDAYS = "一二三四五六日"


def _form_error(exc: ApplicationError) -> ValidationError:
    return ValidationError(exc.message, code=exc.code)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ("date", "kind", "name")

    def clean(self):
        data = super().clean()
        day = data.get("date") or self.instance.date
        if day and data.get("kind"):
            try:
                calendar_day_check(day=day, kind=data["kind"], name=data.get("name") or "")
            except ApplicationError as exc:
                raise _form_error(exc) from exc
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ("date", "weekday", "kind", "name", "source", "updated_at")
    list_filter = ("kind", "source")
    date_hierarchy = "date"
    search_fields = ("name",)
    fields = ("date", "kind", "name", "source", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        return ("date", "source", "updated_at") if obj else ("source", "updated_at")

    @admin.display(description=gettext_lazy("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return "周" + WEEKDAYS[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        saved = calendar_day_set(day=obj.date, kind=obj.kind, name=obj.name, by=request.user)
        obj.pk, obj.source, obj.updated_at = saved.pk, saved.source, saved.updated_at

    def delete_model(self, request, obj):
        try:
            calendar_day_remove(day=obj.date, by=request.user)
        except ConflictError as exc:
            self.message_user(request, exc.message, messages.WARNING)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for day in queryset.values_list("date", flat=True):
                calendar_day_remove(day=day, by=request.user)


class CalendarYearForm(forms.ModelForm):
    import_from_package = forms.BooleanField(
        label=gettext_lazy("从数据包导入"), required=False,
        help_text=gettext_lazy("勾选后从已安装的 chinesecalendar 数据包导入本年全部节假日和调休"
                               "上班日；不勾选则确认已在“节假日/调休日”中手工录入的安排。"))

    class Meta:
        model = CalendarYear
        fields = ("year", "note")

    def clean(self):
        data = super().clean()
        year = data.get("year") or self.instance.year
        if not year:
            return data
        if data.get("import_from_package") and year not in package_years():
            raise ValidationError(_("已安装的 chinesecalendar %(version)s 数据包没有 %(year)s 年"
                                    "的安排，请手工录入。") % {"version": package_version(),
                                                             "year": year})
        if not data.get("import_from_package"):
            try:
                calendar_year_check(year=year)
            except ApplicationError as exc:
                raise _form_error(exc) from exc
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearForm
    list_display = ("year", "source", "note", "holiday_count", "workday_count", "confirmed_at")
    fields = ("year", "note", "import_from_package", "source", "confirmed_at")
    actions = ["import_selected"]

    def get_readonly_fields(self, request, obj=None):
        return ("year", "source", "confirmed_at") if obj else ("source", "confirmed_at")

    @admin.display(description=gettext_lazy("休息日（工作日放假）"))
    def holiday_count(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year, kind=CalendarDay.Kind.HOLIDAY).count()

    @admin.display(description=gettext_lazy("调休上班日"))
    def workday_count(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year, kind=CalendarDay.Kind.WORKDAY).count()

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("import_from_package"):
            done = calendar_year_import(year=obj.year, note=obj.note, by=request.user)
            self._report_import(request, done)
            saved = done.year
        else:
            saved = calendar_year_confirm(year=obj.year, note=obj.note, by=request.user)
        obj.pk, obj.source, obj.confirmed_at = saved.pk, saved.source, saved.confirmed_at

    def delete_model(self, request, obj):
        try:
            calendar_year_remove(year=obj.year, by=request.user)
        except ConflictError as exc:
            self.message_user(request, exc.message, messages.WARNING)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for year in queryset.values_list("year", flat=True):
                calendar_year_remove(year=year, by=request.user)

    @admin.action(description=gettext_lazy("从 chinesecalendar 数据包重新导入所选年份"))
    def import_selected(self, request, queryset):
        for year in queryset.values_list("year", flat=True):
            try:
                self._report_import(request, calendar_year_import(year=year, by=request.user))
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)

    def _report_import(self, request, done) -> None:
        self.message_user(request, _("已导入 %(year)s 年：%(n)s 条节假日/调休记录。")
                          % {"year": done.year.year, "n": done.written}, messages.SUCCESS)
        if done.kept:
            days = "、".join(d.isoformat() for d in done.kept)
            self.message_user(request, _("以下手工录入的日期不在数据包中，已保留，请核对：%(days)s")
                              % {"days": days}, messages.WARNING)

    def changelist_view(self, request, extra_context=None):
        missing = missing_years()
        if missing:
            self.message_user(request, _("尚未确认 %(years)s 年的节假日安排，相关时限只按周末计算。")
                              % {"years": "、".join(map(str, missing))}, messages.WARNING)
        return super().changelist_view(request, extra_context)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are appended by services and never edited (全过程留痕)."""

    list_display = ("seq", "created_at", "actor_label", "action", "object_type", "object_id",
                    "object_repr", "request_id")
    list_filter = ("action",)
    search_fields = ("=object_id", "=request_id", "=actor_label", "object_repr")
    ordering = ("-seq",)
    show_full_result_count = False
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
