# ruff: noqa: S608 - SQL is built from model table names and constants; values are parameters
"""Keeping the dashboard facts current, one case at a time.

``fact_values`` computes a case's fact in Python with the definitions of
``portal.dashboards.definitions`` (the set-based ``rebuild`` computes the same in SQL; the
tests hold the two equal). ``fact_refresh`` locks the case's fact row, replaces it and adds
the difference of its contributions to the day and month tallies, so a tally is always the
sum over the facts. ``fact_touch`` asks for a refresh when the surrounding transaction
commits (at most once per case and transaction); the receivers call it.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from approvals.models import Case, CaseParticipant
from approvals.workflow import CLOSED, CaseStatus
from inspections.models import Conclusion, InspectionTask, Outcome, TaskStatus
from portal.core.calendar import get_calendar
from portal.core.workdays import WorkCalendar
from portal.dashboards.definitions import COMPLETED_OUTCOMES
from portal.dashboards.models import (
    STAGES,
    TALLY_FIELDS,
    CaseFact,
    DailyDuty,
    DailyTally,
    MonthlyDuty,
    MonthlyTally,
)

logger = logging.getLogger(__name__)

FACT_FIELDS = ("matter_id", "district_id", "status", "outcome", "submitted_on", "accepted_on",
               "closed_on", "promised_date", "due_date", "paused", "on_time", "inspected_on",
               "first_pass", "rectified", *(f"wd_{s}" for s in STAGES))


def _local(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _outcome(case: Case) -> str:
    if case.status in CLOSED:
        return case.status
    if case.status == CaseStatus.ARCHIVED:
        before = (case.history.filter(transition="archive").order_by("-id")
                  .values_list("from_status", flat=True).first())
        return before or ""
    return ""


def _stage_facts(case: Case, cal: WorkCalendar) -> tuple[dict[str, int | None], date | None,
                                                         bool]:
    """Working days per ended stage, the open acceptance clock's due date, any open pause."""
    days: dict[str, int | None] = {f"wd_{s}": None for s in STAGES}
    acceptance_due, paused = None, False
    for stage in case.stages.prefetch_related("pauses"):
        if stage.ended_at is not None:
            spent = cal.between(stage.start_date, _local(stage.ended_at)) - stage.paused_days
            key = f"wd_{stage.name}"
            if key in days:
                days[key] = (days[key] or 0) + max(spent, 0)
        elif stage.name == "acceptance":
            acceptance_due = max(filter(None, (acceptance_due, stage.due_date)))
        paused = paused or any(p.ended_at is None for p in stage.pauses.all())
    return days, acceptance_due, paused


def _inspection_facts(case: Case) -> dict:
    """Over the case's concluded inspection tasks (there is at most one in practice)."""
    tasks = list(InspectionTask.objects.filter(cases=case, status=TaskStatus.CONCLUDED,
                                               concluded_at__isnull=False))
    if not tasks:
        return {"inspected_on": None, "first_pass": False, "rectified": False}
    effective = Conclusion.objects.filter(task__in=tasks, confirmed_at__isnull=False,
                                          withdrawn_at__isnull=True)
    return {
        "inspected_on": _local(max(t.concluded_at for t in tasks)),
        "first_pass": effective.filter(round=1, outcome=Outcome.PASS).exists(),
        "rectified": effective.filter(outcome=Outcome.RECTIFY).exists(),
    }


def fact_values(case: Case, cal: WorkCalendar) -> dict | None:
    """The fact row of ``case`` (None for a draft that was never submitted)."""
    if case.submitted_at is None:
        return None
    outcome = _outcome(case)
    closed_on = _local(case.closed_at)
    days, acceptance_due, paused = _stage_facts(case, cal)
    is_open = outcome == ""
    completed = outcome in COMPLETED_OUTCOMES
    due = (case.promised_date if case.accepted_at is not None else acceptance_due)
    return {
        "matter_id": case.matter_id, "district_id": case.district_id, "status": case.status,
        "outcome": outcome, "submitted_on": _local(case.submitted_at),
        "accepted_on": _local(case.accepted_at), "closed_on": closed_on,
        "promised_date": case.promised_date,
        "due_date": due if is_open else None,
        "paused": is_open and paused,
        "on_time": (bool(case.promised_date and closed_on and closed_on <= case.promised_date)
                    if completed else None),
        **_inspection_facts(case), **days,
    }


# ---------------------------------------------------------------- contributions to tallies

def contributions(values: dict | None) -> dict[tuple, Counter]:
    """What one fact adds to the daily tallies: {(day, matter_id, district_id): counts}."""
    out: dict[tuple, Counter] = defaultdict(Counter)
    if not values:
        return out
    base = (values["matter_id"], values["district_id"] or 0)
    if values["submitted_on"]:
        out[(values["submitted_on"], *base)]["applications"] += 1
    if values["accepted_on"]:
        out[(values["accepted_on"], *base)]["accepted"] += 1
    closed = values["closed_on"]
    if closed and values["outcome"] in COMPLETED_OUTCOMES:
        cell = out[(closed, *base)]
        cell["completed"] += 1
        cell["on_time"] += 1 if values["on_time"] else 0
        for stage in STAGES:
            if values[f"wd_{stage}"] is not None:
                cell[f"wd_{stage}_sum"] += values[f"wd_{stage}"]
                cell[f"wd_{stage}_n"] += 1
    if closed and values["outcome"] == "returned":
        out[(closed, *base)]["returned"] += 1
    if values["inspected_on"]:
        cell = out[(values["inspected_on"], *base)]
        cell["inspected"] += 1
        cell["first_pass"] += 1 if values["first_pass"] else 0
        cell["rectified"] += 1 if values["rectified"] else 0
    return out


def _difference(new: dict[tuple, Counter], old: dict[tuple, Counter]) -> dict[tuple, dict]:
    out = {}
    for key in set(new) | set(old):
        delta = {f: new.get(key, Counter())[f] - old.get(key, Counter())[f] for f in TALLY_FIELDS}
        if any(delta.values()):
            out[key] = delta
    return out


def _by_month(cells: dict[tuple, dict], fields) -> dict[tuple, dict]:
    out: dict[tuple, dict] = {}
    for (day, *rest), delta in cells.items():
        key = (day.replace(day=1), *rest)
        acc = out.setdefault(key, dict.fromkeys(fields, 0))
        for f in fields:
            acc[f] += delta[f]
    return out


def _apply(model, date_column: str, keys: tuple[str, ...], fields, cells: dict) -> None:
    """Add ``cells`` ({key tuple: {field: delta}}) to ``model``'s table with an upsert, in
    key order (no deadlock between two refreshes), and drop rows that fell to zero."""
    if not cells:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = (date_column, *keys, *fields)
    conflict = ", ".join((date_column, *keys))
    sets = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in fields)
    upsert = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
              f"({', '.join(['%s'] * len(columns))}) ON CONFLICT ({conflict}) DO UPDATE SET {sets}")
    zero = (f"DELETE FROM {table} WHERE {' AND '.join(f'{c} = %s' for c in (date_column, *keys))}"
            f" AND {' AND '.join(f'{f} = 0' for f in fields)}")
    with connection.cursor() as cursor:
        for key in sorted(cells):
            cursor.execute(upsert, [*key, *(cells[key][f] for f in fields)])
            cursor.execute(zero, list(key))


def _apply_tallies(delta: dict[tuple, dict]) -> None:
    _apply(DailyTally, "day", ("matter_id", "district_id"), TALLY_FIELDS, delta)
    _apply(MonthlyTally, "month", ("matter_id", "district_id"), TALLY_FIELDS,
           _by_month(delta, TALLY_FIELDS))


def _apply_duties(fact: CaseFact, matter_id: int) -> int:
    """Count the case's duties performed since the fact's mark; returns the new mark."""
    rows = list(CaseParticipant.objects.filter(case_id=fact.case_id, id__gt=fact.duty_mark)
                .values_list("id", "user_id", "stage", "created_at"))
    cells: dict[tuple, dict] = defaultdict(lambda: {"n": 0})
    for _pk, user_id, stage, created_at in rows:
        if stage != "apply":
            cells[(_local(created_at), user_id, stage, matter_id)]["n"] += 1
    cells = dict(cells)
    _apply(DailyDuty, "day", ("user_id", "stage", "matter_id"), ("n",), cells)
    _apply(MonthlyDuty, "month", ("user_id", "stage", "matter_id"), ("n",),
           _by_month(cells, ("n",)))
    return max([fact.duty_mark, *(r[0] for r in rows)])


def _fact_as_values(fact: CaseFact) -> dict:
    return {f: getattr(fact, f) for f in FACT_FIELDS}


def fact_refresh(case_id: int) -> None:
    """Recompute the fact of one case and move the tallies by the difference."""
    cal = get_calendar()
    with transaction.atomic():
        case = Case.objects.filter(pk=case_id).first()
        values = fact_values(case, cal) if case is not None else None
        fact = CaseFact.objects.select_for_update().filter(pk=case_id).first()
        if fact is None:
            if values is None:
                return
            CaseFact.objects.bulk_create(
                [CaseFact(case_id=case_id, matter_id=case.matter_id, status=case.status)],
                ignore_conflicts=True)
            fact = CaseFact.objects.select_for_update().get(pk=case_id)
        old = _fact_as_values(fact) if fact.submitted_on else None
        _apply_tallies(_difference(contributions(values), contributions(old)))
        if values is None:
            fact.delete()
            return
        for field, value in values.items():
            setattr(fact, field, value)
        fact.duty_mark = _apply_duties(fact, case.matter_id)
        fact.save()


def _refresh_logged(case_id: int) -> None:
    try:
        fact_refresh(case_id)
    except Exception:  # the case's own change has committed; the rebuild repairs the fact
        logger.exception("dashboard fact refresh failed for case %s", case_id)


# ---------------------------------------------------------------- refresh on commit

class _Pending:
    """Cases, stages and tasks touched in one transaction; refreshed once when it commits."""

    def __init__(self) -> None:
        self.case_ids: set[int] = set()
        self.stage_ids: set[int] = set()
        self.task_ids: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        from approvals.models import CaseStage

        self.done = True
        ids = set(self.case_ids)
        if self.stage_ids:
            ids |= set(CaseStage.objects.filter(pk__in=self.stage_ids)
                       .values_list("case_id", flat=True))
        if self.task_ids:
            ids |= set(InspectionTask.cases.through.objects.filter(
                inspectiontask_id__in=self.task_ids).values_list("case_id", flat=True))
        for case_id in sorted(ids):
            _refresh_logged(case_id)


def _pending() -> _Pending | None:
    """The transaction's pending refresh, registered with ``on_commit`` on first use (None in
    autocommit mode). Django drops it with the callbacks when the transaction rolls back."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        return None
    for _savepoints, func, *_rest in conn.run_on_commit:
        if isinstance(func, _Pending) and not func.done:
            return func
    pending = _Pending()
    transaction.on_commit(pending, robust=True)
    return pending


def fact_touch(*, case_id: int | None = None, stage_id: int | None = None,
               task_id: int | None = None) -> None:
    """Refresh the case's fact after the current transaction commits (now in autocommit)."""
    pending = _pending()
    if pending is None:
        pending = _Pending()
        immediate = True
    else:
        immediate = False
    for ids, value in ((pending.case_ids, case_id), (pending.stage_ids, stage_id),
                       (pending.task_ids, task_id)):
        if value is not None:
            ids.add(value)
    if immediate:
        pending()
