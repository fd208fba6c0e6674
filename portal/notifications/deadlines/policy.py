"""When a deadline is yellow, red or escalated. Pure functions, no database access.

- yellow: working days left <= max(``yellow_days``, ``yellow_percent``% of the limit);
- red: the due date has passed (the deadline is the end of the due date);
- escalation: overdue by at least ``escalate_after`` working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.core.workdays import WorkCalendar

OK, YELLOW, RED, ESCALATION, PAUSED = "ok", "yellow", "red", "escalation", "paused"


@dataclass(frozen=True)
class Thresholds:
    yellow_days: int = 1
    yellow_percent: int = 20
    escalate_after: int = 2

    def yellow_within(self, limit: int | None) -> int:
        return max(self.yellow_days, (limit or 0) * self.yellow_percent // 100)


@dataclass(frozen=True)
class Assessment:
    #: working days left (0 on the due date, negative when overdue by working days)
    remaining: int
    level: str

    @property
    def overdue_by(self) -> int:
        return max(0, -self.remaining)


def assess(cal: WorkCalendar, today: date, due: date, limit: int | None,
           thresholds: Thresholds) -> Assessment:
    if due < today:
        overdue_by = cal.between(due, today)
        level = ESCALATION if overdue_by >= thresholds.escalate_after else RED
        return Assessment(-overdue_by, level)
    remaining = cal.between(today, due)
    return Assessment(remaining, YELLOW if remaining <= thresholds.yellow_within(limit) else OK)


def alert_levels(level: str) -> list[str]:
    """The alerts a deadline at ``level`` should have had (red comes before escalation;
    a deadline first seen overdue gets no yellow)."""
    return {YELLOW: [YELLOW], RED: [RED], ESCALATION: [RED, ESCALATION]}.get(level, [])
