"""Admin pages: calendar edits go through the services (audited, cache invalidated), refusals
become form errors, the yearly import works from the page, and the audit trail is read-only."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core.calendar import get_calendar
from portal.core.models import AuditEntry, CalendarDay, CalendarYear
from portal.core.services import calendar_day_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(username="siteadmin", is_staff=True, is_superuser=True)


@pytest.fixture
def client(client, admin_user):
    client.force_login(admin_user)
    return client


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


# --- CalendarDay ------------------------------------------------------------------------

def test_adding_a_day_in_the_admin_is_audited_and_seen_by_the_calendar(client, admin_user):
    get_calendar()
    response = client.post(reverse("admin:core_calendarday_add"),
                           {"date": "2026-11-27", "kind": "holiday", "name": "地方假日"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2026, 11, 27)).source == "admin"
    entry = AuditEntry.objects.get(action="calendar.day_set")
    assert entry.actor_id == admin_user.pk
    assert not get_calendar().is_workday(date(2026, 11, 27))


def test_a_make_up_day_on_a_weekday_is_a_form_error(client):
    response = client.post(reverse("admin:core_calendarday_add"),
                           {"date": "2026-11-24", "kind": "workday", "name": ""})
    assert response.status_code == 200
    assert "无需登记为调休上班日" in response.content.decode()
    assert actions() == []


def test_changing_a_day_keeps_its_date_and_audits(client):
    row = CalendarDay.objects.get(date=date(2026, 10, 1))
    url = reverse("admin:core_calendarday_change", args=[row.pk])
    response = client.post(url, {"kind": "holiday", "name": "国庆节（本地）"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.date, row.name, row.source) == (date(2026, 10, 1), "国庆节（本地）", "admin")
    assert actions() == ["calendar.day_set"]


def test_deleting_a_day_in_the_admin_is_audited(client):
    row = CalendarDay.objects.get(date=date(2026, 10, 10))
    response = client.post(reverse("admin:core_calendarday_delete", args=[row.pk]),
                           {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk=row.pk).exists()
    assert actions() == ["calendar.day_remove"]
    assert not get_calendar().is_workday(date(2026, 10, 10))


def test_bulk_delete_of_days_is_audited_per_day(client):
    pks = list(CalendarDay.objects.filter(date__year=2026, date__month=10).values_list("pk", flat=True))
    response = client.post(reverse("admin:core_calendarday_changelist"),
                           {"action": "delete_selected", "_selected_action": pks, "post": "yes"})
    assert response.status_code == 302
    assert actions() == ["calendar.day_remove"] * len(pks)


def test_day_changelist_renders(client):
    response = client.get(reverse("admin:core_calendarday_changelist"), {"date__year": "2026"})
    assert response.status_code == 200
    assert "国庆节" in response.content.decode()


# --- CalendarYear -----------------------------------------------------------------------

def test_adding_a_year_without_days_is_refused(client):
    response = client.post(reverse("admin:core_calendaryear_add"), {"year": "2030", "note": ""})
    assert response.status_code == 200
    assert "尚未录入任何节假日" in response.content.decode()


def test_confirming_a_year_after_entering_its_days(client, admin_user):
    calendar_day_set(day=date(2030, 1, 1), kind="holiday", name="元旦", by=admin_user)
    response = client.post(reverse("admin:core_calendaryear_add"),
                           {"year": "2030", "note": "国办发明电〔2029〕7号"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2030).source == "admin"
    assert actions()[-1] == "calendar.year_confirm"


def test_adding_a_year_with_import_from_package(client):
    CalendarYear.objects.filter(year=2026).delete()
    CalendarDay.objects.filter(date__year=2026).delete()
    response = client.post(reverse("admin:core_calendaryear_add"),
                           {"year": "2026", "note": "", "import_from_package": "on"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "workday"
    assert CalendarYear.objects.get(year=2026).source == "chinesecalendar"


def test_importing_a_year_the_package_lacks_is_a_form_error(client):
    response = client.post(reverse("admin:core_calendaryear_add"),
                           {"year": "2099", "note": "", "import_from_package": "on"})
    assert response.status_code == 200
    assert "没有 2099 年" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2099).exists()


def test_reimport_action_on_selected_years(client):
    CalendarDay.objects.filter(date=date(2026, 10, 1)).delete()
    pk = CalendarYear.objects.get(year=2026).pk
    response = client.post(reverse("admin:core_calendaryear_changelist"),
                           {"action": "import_selected", "_selected_action": [pk]}, follow=True)
    assert "已导入 2026 年" in response.content.decode()
    assert CalendarDay.objects.filter(date=date(2026, 10, 1)).exists()


def test_deleting_a_year_is_audited(client):
    pk = CalendarYear.objects.get(year=2026).pk
    response = client.post(reverse("admin:core_calendaryear_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert actions() == ["calendar.year_remove"]


def test_year_changelist_warns_about_missing_years(client):
    CalendarYear.objects.all().delete()
    response = client.get(reverse("admin:core_calendaryear_changelist"))
    assert response.status_code == 200
    assert f"尚未确认 {timezone.localdate().year}" in response.content.decode()


# --- AuditEntry -------------------------------------------------------------------------

@pytest.fixture
def entry(admin_user) -> AuditEntry:
    calendar_day_set(day=date(2026, 11, 27), kind="holiday", name="测试", by=admin_user)
    return AuditEntry.objects.get()


def test_audit_changelist_and_detail_are_viewable(client, entry):
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    response = client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))
    assert response.status_code == 200
    assert "calendar.day_set" in response.content.decode()


def test_audit_entries_cannot_be_added_changed_or_deleted(client, entry):
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    change = reverse("admin:core_auditentry_change", args=[entry.pk])
    assert client.post(change, {"action": "forged"}).status_code == 403
    delete = reverse("admin:core_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "calendar.day_set"
