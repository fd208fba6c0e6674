"""``manage.py workdays``: answers on stdout, a Chinese warning on stderr for years without an
arrangement, Chinese CommandErrors for bad input, and the yearly import."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.core.models import AuditEntry, CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


# --- add / between ----------------------------------------------------------------------

def test_add_one_after_september_30_2026_skips_national_day():
    assert run("add", "2026-09-30", "1") == ("2026-10-08", "")


def test_add_three_lands_on_the_make_up_saturday():
    assert run("add", "2026-09-30", "3") == ("2026-10-10", "")


def test_add_zero_prints_the_date_itself():
    assert run("add", "2026-10-03", "0") == ("2026-10-03", "")


def test_between_counts_working_days_after_a_up_to_b():
    assert run("between", "2026-09-30", "2026-10-10") == ("3", "")


def test_between_reversed_is_negative():
    assert run("between", "2026-10-10", "2026-09-30") == ("-3", "")


def test_spring_festival_2026_via_the_command():
    assert run("add", "2026-02-13", "2")[0] == "2026-02-24"
    assert run("between", "2026-02-13", "2026-02-28")[0] == "6"


def test_span_into_an_uncovered_year_warns_on_stderr_but_answers():
    out, err = run("add", "2026-12-25", "10")
    assert out == "2027-01-08"  # weekends only in 2027
    assert "警告" in err and "2027" in err


def test_between_into_an_uncovered_year_warns():
    out, err = run("between", "2026-12-31", "2027-01-04")
    assert out == "2" and "2027" in err


@pytest.mark.parametrize(("args", "message"), [
    (("add", "2026/09/30", "1"), "YYYY-MM-DD"),
    (("add", "2026-02-30", "1"), "不是有效的日期"),
    (("add", "2026-09-30", "-1"), "0 到 3650"),
    (("add", "2026-09-30", "abc"), "0 到 3650"),
    (("add", "2026-09-30", "99999"), "0 到 3650"),
    (("add", "2026-09-30"), "缺少工作日数"),
    (("add",), "缺少起始日期"),
    (("between", "2026-09-30"), "缺少截止日期"),
    (("between", "yesterday", "2026-09-30"), "YYYY-MM-DD"),
    ((), "请指定子命令"),
])
def test_bad_input_is_a_chinese_command_error(args, message):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert message in str(exc.value)


def test_unknown_subcommand_is_refused():
    with pytest.raises(CommandError):
        run("subtract", "2026-09-30", "1")


# --- import-year ------------------------------------------------------------------------

def test_import_year_from_the_package():
    CalendarYear.objects.filter(year=2026).delete()
    CalendarDay.objects.filter(date__year=2026).delete()
    out, _err = run("import-year", "2026", "--note", "国办发明电〔2025〕7号")
    assert "已导入 2026 年" in out
    assert CalendarYear.objects.get(year=2026).note == "国办发明电〔2025〕7号"
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == "workday"
    entry = AuditEntry.objects.get(action="calendar.year_import")
    assert entry.actor_id is None and entry.actor_label == "system"


def test_import_year_lists_kept_admin_rows_on_stderr():
    CalendarDay.objects.create(date=date(2026, 6, 4), kind="holiday", source="admin")
    _out, err = run("import-year", "2026")
    assert "2026-06-04" in err


def test_import_year_the_package_lacks_is_a_clear_error():
    with pytest.raises(CommandError) as exc:
        run("import-year", "2099")
    assert "没有 2099 年" in str(exc.value)
    assert not CalendarYear.objects.filter(year=2099).exists()


@pytest.mark.parametrize("year", ["27", "abcd", "1999", None])
def test_import_year_with_a_bad_year_is_refused(year):
    with pytest.raises(CommandError):
        run("import-year", *([year] if year else []))
