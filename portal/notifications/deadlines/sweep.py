"""The deadline sweep (beat, every few minutes) and the deadline status of one case.

For every open deadline of every registered source the sweep assesses the working days
left and raises the alerts due (yellow, red, escalation). Each alert is one
``DeadlineAlert`` row under a unique constraint, inserted in the same transaction as its
notifications: a second sweep, or a concurrent one, fails on the constraint and sends
nothing, so each notification goes out once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from approvals.models import Case
from portal.core.calendar import get_calendar
from portal.notifications.conf import setting
from portal.notifications.deadlines.policy import (
    ESCALATION,
    PAUSED,
    RED,
    YELLOW,
    Assessment,
    Thresholds,
    alert_levels,
    assess,
)
from portal.notifications.deadlines.registry import Deadline, DeadlineSource, deadline_sources
from portal.notifications.models import DeadlineAlert
from portal.notifications.services.notify import notify
from portal.notifications.services.transitions import (
    case_context,
    case_link,
    notify_applicant_side,
)

logger = logging.getLogger(__name__)
EVENT_BY_LEVEL = {YELLOW: "deadline_warning", RED: "deadline_overdue",
                  ESCALATION: "deadline_escalated"}


def thresholds() -> Thresholds:
    return Thresholds(yellow_days=setting("ONESEAL_DEADLINE_YELLOW_DAYS"),
                      yellow_percent=setting("ONESEAL_DEADLINE_YELLOW_PERCENT"),
                      escalate_after=setting("ONESEAL_DEADLINE_ESCALATE_AFTER_DAYS"))


@dataclass
class SweepResult:
    alerts: int = 0
    notifications: int = 0


def _raised(source: str, deadlines: list[Deadline]) -> set[tuple]:
    ids, seen = [d.object_id for d in deadlines], set()
    for start in range(0, len(ids), 500):
        seen |= set(DeadlineAlert.objects.filter(source=source, object_id__in=ids[start:start + 500])
                    .values_list("object_id", "due_date", "level"))
    return seen


def _context(deadline: Deadline, case: Case | None, found: Assessment, level: str) -> dict:
    context = case_context(case) if case is not None else {}
    return context | {"label": deadline.label, "due_date": deadline.due, "level": level,
                      "remaining": found.remaining, "overdue_by": found.overdue_by,
                      "limit": deadline.limit}


def _raise(source: DeadlineSource, deadline: Deadline, level: str, found: Assessment) -> int:
    """Record the alert and notify; 0 if it was already raised (by another sweep)."""
    case = (Case.objects.select_related("matter", "applicant", "applicant__user")
            .filter(pk=deadline.case_id).first() if deadline.case_id else None)
    event, link = EVENT_BY_LEVEL[level], case_link(deadline.case_id) if case else ""
    context = _context(deadline, case, found, level)
    try:
        with transaction.atomic():
            alert = DeadlineAlert.objects.create(
                source=deadline.source, object_id=deadline.object_id, due_date=deadline.due,
                level=level, remaining=found.remaining, case=case,
                label=f"{context.get('case_number', '')} {deadline.label}".strip()[:200])
            sent = 0
            for user in source.recipients(deadline, level):
                sent += bool(notify(recipient=user, event=event, link=link,
                                    context=context | {"audience": "staff"},
                                    key=f"alert:{alert.pk}:u{user.pk}"))
            if case is not None and level in deadline.applicant_levels:
                sent += notify_applicant_side(case=case, event=event,
                                              context=context | {"audience": "applicant"},
                                              key=f"alert:{alert.pk}")
            DeadlineAlert.objects.filter(pk=alert.pk).update(recipients=sent)
    except IntegrityError:
        return -1
    return sent


def deadline_sweep(*, today: date | None = None) -> SweepResult:
    """Raise every alert that is due today and was not raised before (idempotent)."""
    today = today or timezone.localdate()
    cal, limits, result = get_calendar(), thresholds(), SweepResult()
    horizon = cal.add(today, setting("ONESEAL_DEADLINE_HORIZON_DAYS"))
    for source in deadline_sources():
        deadlines = [d for d in source.open_deadlines(horizon=horizon) if not d.paused]
        raised = _raised(source.code, deadlines)
        for deadline in deadlines:
            found = assess(cal, today, deadline.due, deadline.limit, limits)
            for level in alert_levels(found.level):
                if (deadline.object_id, deadline.due, level) in raised:
                    continue
                sent = _raise(source, deadline, level, found)
                if sent >= 0:
                    result.alerts += 1
                    result.notifications += sent
    if result.alerts:
        logger.info("deadline sweep %s: %s alerts, %s notifications", today,
                    result.alerts, result.notifications)
    return result


class DeadlineStatus(NamedTuple):
    label: str
    due_date: date
    remaining: int
    #: ok, yellow, red, escalation or paused
    level: str


def deadline_status(case: Case, *, today: date | None = None) -> list[DeadlineStatus]:
    """The open deadlines of ``case`` with the working days left, nearest first."""
    today = today or timezone.localdate()
    cal, limits, rows = get_calendar(), thresholds(), []
    for source in deadline_sources():
        for deadline in source.open_deadlines(case=case):
            found = assess(cal, today, deadline.due, deadline.limit, limits)
            rows.append(DeadlineStatus(deadline.label, deadline.due, found.remaining,
                                       PAUSED if deadline.paused else found.level))
    return sorted(rows, key=lambda row: (row.due_date, row.label))
