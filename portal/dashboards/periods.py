"""Reporting periods (week, month, quarter, year) and their trend buckets. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

KINDS = {"week": _("周"), "month": _("月"), "quarter": _("季度"), "year": _("年")}
#: how many periods the trend shows, ending with the selected one
TREND_LENGTH = {"week": 12, "month": 12, "quarter": 8, "year": 5}


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == "week":
            return f"{self.start:%Y-%m-%d}~{self.end:%m-%d}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    @property
    def monthly(self) -> bool:
        """Whole months: figures come from the monthly tallies."""
        return self.kind != "week"

    def previous(self) -> Period:
        return period_of(self.kind, self.start - timedelta(days=1))


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def period_of(kind: str, day: date) -> Period:
    """The period of ``kind`` containing ``day`` (weeks run Monday to Sunday)."""
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == "month":
        start = date(day.year, day.month, 1)
        months = 1
    elif kind == "quarter":
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        months = 3
    elif kind == "year":
        start = date(day.year, 1, 1)
        months = 12
    else:
        raise ValueError(kind)
    end = _month_start(start.year, start.month + months) - timedelta(days=1)
    return Period(kind, start, end)


def trend_periods(period: Period) -> list[Period]:
    """The last ``TREND_LENGTH`` periods of the same kind, oldest first, ending at ``period``."""
    out = [period]
    for _i in range(TREND_LENGTH[period.kind] - 1):
        out.append(out[-1].previous())
    return out[::-1]


def month_starts(start: date, end: date) -> list[date]:
    """First days of the months from ``start``'s to ``end``'s."""
    out, cur = [], date(start.year, start.month, 1)
    while cur <= end:
        out.append(cur)
        cur = _month_start(cur.year, cur.month + 1)
    return out
