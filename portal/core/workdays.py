"""Working-day arithmetic on the Chinese calendar. Pure functions, no database access.

A ``WorkCalendar`` holds the exceptions to the Monday-Friday rule (statutory holidays off,
make-up working days on) and the set of years whose arrangement has been entered. Dates
in other years follow the weekend rule only; callers learn which years those were through
``uncovered_years`` so that nothing is silently guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays off and make-up days on, over the Mon-Fri rule; ``covered_years`` entered."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    covered_years: frozenset[int] = field(default_factory=frozenset)

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself not counted).

        ``n == 0`` returns ``start`` unchanged.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        remaining = n
        while remaining:
            day += ONE_DAY
            if self.is_workday(day):
                remaining -= 1
        return day

    def between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b`` (negative if b < a)."""
        if b < a:
            return -self.between(b, a)
        count = 0
        day = a
        while day < b:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return count

    def uncovered_years(self, a: date, b: date) -> list[int]:
        """Years touched by the span [a, b] whose holiday arrangement is not entered."""
        lo, hi = sorted((a.year, b.year))
        return [y for y in range(lo, hi + 1) if y not in self.covered_years]


def paused_workdays(cal: WorkCalendar, pauses: Iterable[tuple[date, date]]) -> int:
    """Working days lost to pauses, each pause (stopped, resumed) counted as (stopped, resumed]."""
    return sum(cal.between(stop, resume) for stop, resume in pauses if resume > stop)


def due_date(cal: WorkCalendar, start: date, limit: int,
             pauses: Iterable[tuple[date, date]] = ()) -> date:
    """When a clock of ``limit`` working days started on ``start`` runs out, pauses added."""
    return cal.add(start, limit + paused_workdays(cal, pauses))


def remaining_workdays(cal: WorkCalendar, today: date, due: date) -> int:
    """Working days left until ``due`` (0 on the due date, negative once overdue)."""
    return cal.between(today, due)
