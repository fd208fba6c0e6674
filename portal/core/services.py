"""Calendar services: the only writers of ``CalendarDay`` and ``CalendarYear``.

Every change (admin page, management command) goes through here: write the row, append an
audit entry, and invalidate the cached calendar. The package helpers read the installed
``chinesecalendar`` data by arrangement year (the State Council notice for year Y may place
New Year's days in late December of Y-1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import chinese_calendar as cc
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.audit import audit_log
from portal.core.calendar import calendar_invalidate
from portal.core.errors import ApplicationError, ConflictError
from portal.core.models import CalendarDay, CalendarYear

Kind = CalendarDay.Kind
Source = CalendarDay.Source
NEW_YEAR = "元旦"
YEAR_RANGE = range(2000, 2101)


# --- the chinesecalendar package ---------------------------------------------------------

def _chinese(english_name: str) -> str:
    try:
        return cc.Holiday(english_name).chinese[:50]
    except ValueError:
        return english_name[:50]


def arrangement_year(day: date, name: str) -> int:
    """The notice a date belongs to: late-December New Year's days count for the next year."""
    return day.year + 1 if day.month == 12 and name == NEW_YEAR else day.year


def package_exceptions() -> list[tuple[date, str, str]]:
    """Every exception to the Mon-Fri rule in the package: (date, kind, Chinese name)."""
    rows = [(d, Kind.HOLIDAY.value, _chinese(n)) for d, n in cc.holidays.items()
            if d.weekday() < 5]
    rows += [(d, Kind.WORKDAY.value, _chinese(n)) for d, n in cc.workdays.items()
             if d.weekday() >= 5]
    return sorted(rows)


def package_years() -> list[int]:
    """Years the installed package has an arrangement for."""
    return sorted({d.year for d in cc.holidays})


def package_arrangement(year: int) -> list[tuple[date, str, str]]:
    """The package's exceptions that belong to ``year``'s arrangement."""
    return [r for r in package_exceptions() if arrangement_year(r[0], r[2]) == year]


def package_version() -> str:
    return cc.__version__


# --- days --------------------------------------------------------------------------------

def _day_summary(row: CalendarDay | None) -> dict:
    if row is None:
        return {}
    return {"date": row.date, "kind": row.kind, "name": row.name, "source": row.source}


def calendar_day_check(*, day: date, kind: str, name: str = "") -> None:
    """Refuse entries that cannot be right (shared by the admin form and the service)."""
    if kind not in Kind.values:
        raise ApplicationError(_("类型只能是“法定节假日”或“调休上班日”。"), "calendar_kind")
    if day.year not in YEAR_RANGE:
        raise ApplicationError(_("日期超出可录入范围（2000—2100 年）。"), "calendar_range")
    if kind == Kind.WORKDAY and day.weekday() < 5:
        raise ApplicationError(
            _("%(day)s 是周一至周五，本来就是工作日，无需登记为调休上班日。") % {"day": day},
            "calendar_redundant")
    if len(name) > 50:
        raise ApplicationError(_("名称不能超过 50 个字。"), "calendar_name")


def calendar_day_set(*, day: date, kind: str, name: str = "",
                     by: AbstractBaseUser | None) -> CalendarDay:
    """Enter or change one holiday / make-up working day."""
    calendar_day_check(day=day, kind=kind, name=name)
    with transaction.atomic():
        old = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = _day_summary(old)
        row, _created = CalendarDay.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name, "source": Source.ADMIN})
        audit_log(action="calendar.day_set", actor=by, obj=row, before=before,
                  after=_day_summary(row))
        calendar_invalidate()
    return row


def calendar_day_remove(*, day: date, by: AbstractBaseUser | None) -> None:
    """Delete one entry: the date follows the Mon-Fri rule again."""
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            raise ConflictError(_("%(day)s 没有登记节假日或调休。") % {"day": day},
                                "calendar_day_missing")
        audit_log(action="calendar.day_remove", actor=by, obj=row, before=_day_summary(row))
        row.delete()
        calendar_invalidate()


# --- years -------------------------------------------------------------------------------

def _year_summary(row: CalendarYear | None) -> dict:
    return {} if row is None else {"year": row.year, "source": row.source, "note": row.note}


def _check_year(year: int) -> None:
    if year not in YEAR_RANGE:
        raise ApplicationError(_("年份超出可录入范围（2000—2100 年）。"), "calendar_range")


def calendar_year_check(*, year: int) -> None:
    """A year can be confirmed once at least one of its exceptions has been entered."""
    _check_year(year)
    if not CalendarDay.objects.filter(date__year=year).exists():
        raise ApplicationError(
            _("%(year)s 年尚未录入任何节假日或调休上班日，请先录入再确认。") % {"year": year},
            "calendar_year_empty")


def _year_write(*, year: int, note: str, source: str, by, action: str,
                extra: dict | None = None) -> CalendarYear:
    old = CalendarYear.objects.select_for_update().filter(year=year).first()
    row, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"note": note[:200], "source": source})
    audit_log(action=action, actor=by, obj=row, before=_year_summary(old),
              after=_year_summary(row) | (extra or {}))
    return row


def calendar_year_confirm(*, year: int, note: str = "",
                          by: AbstractBaseUser | None) -> CalendarYear:
    """Mark ``year``'s arrangement as entered (after its days have been entered)."""
    calendar_year_check(year=year)
    with transaction.atomic():
        row = _year_write(year=year, note=note, source=Source.ADMIN, by=by,
                          action="calendar.year_confirm")
        calendar_invalidate()
    return row


def calendar_year_remove(*, year: int, by: AbstractBaseUser | None) -> None:
    """Withdraw the confirmation (the year's days stay; the year is flagged missing again)."""
    with transaction.atomic():
        row = CalendarYear.objects.select_for_update().filter(year=year).first()
        if row is None:
            raise ConflictError(_("%(year)s 年尚未确认。") % {"year": year},
                                "calendar_year_missing")
        audit_log(action="calendar.year_remove", actor=by, obj=row, before=_year_summary(row))
        row.delete()
        calendar_invalidate()


@dataclass(frozen=True)
class YearImport:
    """What an import did: rows written, stale package rows removed, admin rows kept."""

    year: CalendarYear
    written: int
    changed: list[date] = field(default_factory=list)
    removed: list[date] = field(default_factory=list)
    kept: list[date] = field(default_factory=list)


def _stored_arrangement(year: int) -> list[CalendarDay]:
    span = CalendarDay.objects.filter(date__gte=date(year - 1, 12, 1),
                                      date__lte=date(year, 12, 31)).select_for_update()
    return [r for r in span if arrangement_year(r.date, r.name) == year]


def _import_days(year: int, target: list[tuple[date, str, str]]) -> dict[str, list[date]]:
    """Replace the year's package rows; keep administrator rows the package does not have."""
    stored = {r.date: r for r in _stored_arrangement(year)}
    wanted = {day: (kind, name) for day, kind, name in target}
    stale = [r for day, r in stored.items() if day not in wanted]
    result = {
        "changed": [d for d, r in stored.items()
                    if d in wanted and (r.kind, r.name, r.source) != (*wanted[d], Source.PACKAGE)],
        "removed": [r.date for r in stale if r.source == Source.PACKAGE],
        "kept": [r.date for r in stale if r.source != Source.PACKAGE],
    }
    CalendarDay.objects.filter(date__in=result["removed"]).delete()
    for day, (kind, name) in wanted.items():
        CalendarDay.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name, "source": Source.PACKAGE})
    return result


def calendar_year_import(*, year: int, note: str = "",
                         by: AbstractBaseUser | None) -> YearImport:
    """Import ``year`` from the installed chinesecalendar package, or refuse clearly."""
    _check_year(year)
    if year not in package_years():
        raise ApplicationError(
            _("已安装的 chinesecalendar %(version)s 数据包没有 %(year)s 年的节假日安排。"
              "请升级数据包（pip install -U chinesecalendar）后重试，或在后台按国务院办公厅"
              "通知手工录入。") % {"version": package_version(), "year": year},
            "calendar_year_unavailable")
    target = package_arrangement(year)
    note = note or _("chinesecalendar %(version)s 数据包导入") % {"version": package_version()}
    with transaction.atomic():
        days = _import_days(year, target)
        row = _year_write(year=year, note=note, source=Source.PACKAGE, by=by,
                          action="calendar.year_import", extra={"written": len(target), **days})
        calendar_invalidate()
    return YearImport(row, len(target), **days)
