"""Calendar services: each change writes the row, appends an audit entry and invalidates the
cached calendar; bad entries and unavailable years are refused clearly."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache

from portal.core import calendar
from portal.core.calendar import get_calendar, missing_years
from portal.core.errors import ApplicationError, ConflictError
from portal.core.models import AuditEntry, CalendarDay, CalendarYear
from portal.core.services import (
    arrangement_year,
    calendar_day_remove,
    calendar_day_set,
    calendar_year_confirm,
    calendar_year_import,
    calendar_year_remove,
    package_arrangement,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(username="caladmin", is_staff=True, is_superuser=True)


def last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()


# --- days -------------------------------------------------------------------------------

def test_day_set_writes_the_row_audits_and_the_calendar_sees_it(admin):
    get_calendar()  # warm the cache
    row = calendar_day_set(day=date(2026, 11, 23), kind="holiday", name="地方假日", by=admin)
    assert (row.kind, row.source) == ("holiday", "admin")
    entry = last_audit()
    assert (entry.action, entry.actor_id, entry.before) == ("calendar.day_set", admin.pk, {})
    assert entry.after == {"date": "2026-11-23", "kind": "holiday", "name": "地方假日",
                           "source": "admin"}
    assert not get_calendar().is_workday(date(2026, 11, 23))


def test_day_set_on_an_existing_date_records_before_and_after(admin):
    calendar_day_set(day=date(2026, 10, 1), kind="holiday", name="国庆", by=admin)
    entry = last_audit()
    assert entry.before["name"] == "国庆节" and entry.before["source"] == "chinesecalendar"
    assert entry.after["name"] == "国庆" and entry.after["source"] == "admin"
    assert CalendarDay.objects.filter(date=date(2026, 10, 1)).count() == 1


def test_day_set_calls_calendar_invalidate(admin, monkeypatch):
    calls = []
    monkeypatch.setattr("portal.core.services.calendar_invalidate", lambda: calls.append(1))
    calendar_day_set(day=date(2026, 11, 28), kind="workday", name="调休", by=admin)
    assert calls == [1]


def test_day_set_refuses_a_make_up_day_on_a_weekday_and_writes_nothing(admin):
    before = AuditEntry.objects.count()
    with pytest.raises(ApplicationError) as exc:
        calendar_day_set(day=date(2026, 11, 24), kind="workday", by=admin)
    assert exc.value.code == "calendar_redundant" and "周一至周五" in exc.value.message
    assert AuditEntry.objects.count() == before
    assert not CalendarDay.objects.filter(date=date(2026, 11, 24)).exists()


def test_day_set_refuses_an_unknown_kind(admin):
    with pytest.raises(ApplicationError) as exc:
        calendar_day_set(day=date(2026, 11, 24), kind="party", by=admin)
    assert exc.value.code == "calendar_kind"


def test_day_remove_deletes_audits_and_the_calendar_sees_it(admin):
    assert not get_calendar().is_workday(date(2026, 10, 1))
    calendar_day_remove(day=date(2026, 10, 1), by=admin)
    assert not CalendarDay.objects.filter(date=date(2026, 10, 1)).exists()
    entry = last_audit()
    assert entry.action == "calendar.day_remove" and entry.before["kind"] == "holiday"
    assert get_calendar().is_workday(date(2026, 10, 1))


def test_day_remove_of_an_unknown_date_is_a_conflict(admin):
    with pytest.raises(ConflictError):
        calendar_day_remove(day=date(2026, 11, 24), by=admin)


# --- years ------------------------------------------------------------------------------

def test_year_confirm_needs_the_days_first(admin):
    with pytest.raises(ApplicationError) as exc:
        calendar_year_confirm(year=2030, note="", by=admin)
    assert exc.value.code == "calendar_year_empty"


def test_year_confirm_writes_audits_and_clears_the_missing_flag(admin):
    assert missing_years(today=date(2030, 3, 1)) == [2030]
    calendar_day_set(day=date(2030, 1, 1), kind="holiday", name="元旦", by=admin)
    row = calendar_year_confirm(year=2030, note="国办发明电〔2029〕7号", by=admin)
    assert (row.source, row.note) == ("admin", "国办发明电〔2029〕7号")
    assert last_audit().action == "calendar.year_confirm"
    assert missing_years(today=date(2030, 3, 1)) == []
    assert get_calendar().uncovered_years(date(2030, 1, 1), date(2030, 12, 31)) == []


def test_year_remove_flags_the_year_missing_again(admin):
    calendar_year_remove(year=2026, by=admin)
    assert last_audit().action == "calendar.year_remove"
    assert get_calendar().uncovered_years(date(2026, 1, 1), date(2026, 1, 2)) == [2026]
    assert CalendarDay.objects.filter(date__year=2026).exists()


def test_year_remove_of_an_unconfirmed_year_is_a_conflict(admin):
    with pytest.raises(ConflictError):
        calendar_year_remove(year=2030, by=admin)


def test_year_import_refuses_a_year_the_package_lacks(admin):
    with pytest.raises(ApplicationError) as exc:
        calendar_year_import(year=2099, by=admin)
    assert exc.value.code == "calendar_year_unavailable"
    assert "2099" in exc.value.message and "chinesecalendar" in exc.value.message


def test_year_import_restores_package_rows_and_keeps_admin_rows(admin):
    CalendarYear.objects.filter(year=2026).delete()
    CalendarDay.objects.filter(date=date(2026, 10, 10)).delete()
    CalendarDay.objects.filter(date=date(2026, 10, 1)).update(name="改过", source="admin")
    CalendarDay.objects.create(date=date(2026, 6, 3), kind="holiday", source="chinesecalendar")
    CalendarDay.objects.create(date=date(2026, 6, 4), kind="holiday", source="admin")
    done = calendar_year_import(year=2026, by=admin)
    assert done.written == len(package_arrangement(2026))
    assert (done.changed, done.removed, done.kept) == (
        [date(2026, 10, 1)], [date(2026, 6, 3)], [date(2026, 6, 4)])
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "workday"
    assert CalendarYear.objects.get(year=2026).source == "chinesecalendar"
    assert last_audit().after["kept"] == ["2026-06-04"]


def test_year_import_is_idempotent(admin):
    calendar_year_import(year=2026, by=admin)
    rows = list(CalendarDay.objects.values_list("date", "kind", "name", "source"))
    done = calendar_year_import(year=2026, by=admin)
    assert (done.changed, done.removed, done.kept) == ([], [], [])
    assert list(CalendarDay.objects.values_list("date", "kind", "name", "source")) == rows


def test_late_december_new_year_days_belong_to_the_next_arrangement():
    assert arrangement_year(date(2018, 12, 31), "元旦") == 2019
    assert arrangement_year(date(2018, 12, 31), "国庆节") == 2018
    days = [d for d, _kind, _name in package_arrangement(2019)]
    assert date(2018, 12, 29) in days and date(2018, 12, 31) in days
    assert date(2018, 12, 29) not in [d for d, _k, _n in package_arrangement(2018)]


# --- invalidation across processes -------------------------------------------------------

def test_invalidate_bumps_the_version_again_after_commit(django_capture_on_commit_callbacks):
    start = calendar.calendar_version()
    with django_capture_on_commit_callbacks(execute=True):
        calendar.calendar_invalidate()
        assert calendar.calendar_version() == start + 1
    assert calendar.calendar_version() == start + 2


def test_invalidate_survives_an_evicted_version_key():
    cache.delete("oneseal:calendar:version")
    calendar.calendar_invalidate()
    assert calendar.calendar_version() == 2
