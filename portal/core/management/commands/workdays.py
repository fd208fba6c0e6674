"""``manage.py workdays``: working-day arithmetic on the bureau's calendar, and the yearly
import of the State Council arrangement from the chinesecalendar package.

    workdays add 2026-09-30 3        -> 2026-10-10 (the 3rd working day after the date)
    workdays between 2026-09-30 2026-10-10   -> 3 (working days after A up to and incl. B)
    workdays import-year 2027 [--note "国办发明电〔2026〕N号"]

The answer goes to stdout; a warning goes to stderr when the span reaches a year whose
arrangement has not been entered (the weekend rule alone was used there).
"""

from __future__ import annotations

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.core.calendar import get_calendar
from portal.core.errors import ApplicationError
from portal.core.services import calendar_year_import

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_DAYS = 3650
ACTIONS = ("add", "between", "import-year")


def parse_date(value: str | None, label: str) -> date:
    if not value:
        raise CommandError(_("缺少%(label)s，格式为 YYYY-MM-DD。") % {"label": label})
    if not ISO_DATE.match(value):
        raise CommandError(_("%(label)s格式应为 YYYY-MM-DD（例如 2026-09-30），收到：%(value)s")
                           % {"label": label, "value": value})
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s 不是有效的日期。") % {"value": value}) from None


def parse_count(value: str | None) -> int:
    if value is None:
        raise CommandError(_("缺少工作日数 N（0 到 %(max)s 之间的整数）。") % {"max": MAX_DAYS})
    n = int(value) if re.fullmatch(r"[+-]?\d+", value.strip()) else -1
    if not 0 <= n <= MAX_DAYS:
        raise CommandError(_("工作日数应为 0 到 %(max)s 之间的整数，收到：%(value)s")
                           % {"max": MAX_DAYS, "value": value})
    return n


def parse_year(value: str | None) -> int:
    if value is None:
        raise CommandError(_("缺少年份（四位数字，例如 2027）。"))
    if not re.fullmatch(r"\d{4}", value):
        raise CommandError(_("年份应为四位数字（例如 2027），收到：%(value)s") % {"value": value})
    return int(value)


class Command(BaseCommand):
    help = "中国工作日计算（add / between）与年度节假日安排导入（import-year）"

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="{add,between,import-year}")
        add = sub.add_parser("add", help="第 N 个工作日（起始日不计）")
        add.add_argument("start", nargs="?")
        add.add_argument("n", nargs="?")
        between = sub.add_parser("between", help="A 之后至 B（含）的工作日数")
        between.add_argument("start", nargs="?")
        between.add_argument("end", nargs="?")
        year = sub.add_parser("import-year", help="从 chinesecalendar 数据包导入某年安排")
        year.add_argument("year", nargs="?")
        year.add_argument("--note", default="", help="依据（通知文号）")

    def handle(self, *args, **options) -> None:
        action = options.get("action")
        if action not in ACTIONS:
            raise CommandError(_("请指定子命令：add、between 或 import-year。"))
        {"add": self.do_add, "between": self.do_between,
         "import-year": self.do_import_year}[action](options)

    def do_add(self, options: dict) -> None:
        start = parse_date(options.get("start"), _("起始日期"))
        n = parse_count(options.get("n"))
        cal = get_calendar()
        result = cal.add(start, n)
        self.warn_uncovered(cal.uncovered_years(start, result))
        self.stdout.write(result.isoformat())

    def do_between(self, options: dict) -> None:
        start = parse_date(options.get("start"), _("起始日期"))
        end = parse_date(options.get("end"), _("截止日期"))
        cal = get_calendar()
        self.warn_uncovered(cal.uncovered_years(start, end))
        self.stdout.write(str(cal.between(start, end)))

    def do_import_year(self, options: dict) -> None:
        year = parse_year(options.get("year"))
        try:
            done = calendar_year_import(year=year, note=options.get("note") or "", by=None)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_("已导入 %(year)s 年节假日安排：%(written)s 条（其中更新 %(changed)s 条），"
                            "删除过期数据包记录 %(removed)s 条。")
                          % {"year": year, "written": done.written, "changed": len(done.changed),
                             "removed": len(done.removed)})
        if done.kept:
            days = "、".join(d.isoformat() for d in done.kept)
            self.stderr.write(_("注意：以下管理员录入的日期不在数据包中，已保留，请核对：%(days)s")
                              % {"days": days})

    def warn_uncovered(self, years: list[int]) -> None:
        if years:
            listed = "、".join(str(y) for y in years)
            self.stderr.write(_("警告：%(years)s 年的节假日安排尚未录入，该年份仅按周末计算，"
                                "结果可能不准确。") % {"years": listed})
