"""Seed the working-day calendar from the installed ``chinesecalendar`` package (2020 on).

Only the exceptions to the Monday-Friday rule are stored: statutory holidays that fall on a
weekday, and make-up working days (调休上班) that fall on a Saturday or Sunday. One
``CalendarYear`` row is written per arrangement year the package covers, so the calendar is
correct right after ``migrate`` without demo data. Rows that already exist (entered by an
administrator) are left alone. Reversing deletes only the rows sourced from the package.

The logic is deliberately self-contained (no import of application code) so that later
changes to the services cannot change what this migration did. Later years are imported
with ``manage.py workdays import-year YYYY`` or entered in the admin.
"""

from django.db import migrations

SOURCE = "chinesecalendar"
FIRST_YEAR = 2020
NEW_YEAR = "New Year's Day"


def _arrangement_year(day, english_name):
    """New Year's days dated in late December belong to the next year's State Council notice."""
    return day.year + 1 if day.month == 12 and english_name == NEW_YEAR else day.year


def _chinese(cc, english_name):
    try:
        return cc.Holiday(english_name).chinese[:50]
    except ValueError:
        return english_name[:50]


def _exceptions(cc):
    """(date, kind, Chinese name, arrangement year) for every stored exception."""
    for day, name in cc.holidays.items():
        if day.weekday() < 5:
            yield day, "holiday", _chinese(cc, name), _arrangement_year(day, name)
    for day, name in cc.workdays.items():
        if day.weekday() >= 5:
            yield day, "workday", _chinese(cc, name), _arrangement_year(day, name)


def seed(apps, schema_editor):
    import chinese_calendar as cc

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    rows = [r for r in _exceptions(cc) if r[3] >= FIRST_YEAR]
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=day, kind=kind, name=name, source=SOURCE)
         for day, kind, name, _year in sorted(rows)],
        ignore_conflicts=True,
    )
    years = sorted({day.year for day in cc.holidays if day.year >= FIRST_YEAR})
    note = f"chinesecalendar {cc.__version__} 数据包（国务院办公厅部分节假日安排通知）"
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, source=SOURCE, note=note) for year in years],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(source=SOURCE).delete()
    apps.get_model("core", "CalendarYear").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(seed, unseed)]
