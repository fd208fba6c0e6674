# ruff: noqa: S608 - SQL is built from model table names and constants; values are parameters
"""The full, set-based rebuild of the dashboard facts and tallies (``dashboards_rebuild``).

A handful of ``INSERT … SELECT`` statements, one transaction: the working-day ordinals
from the calendar, one fact per submitted case (stage working days by joining the stage
clocks to the ordinals twice), then the day tallies grouped from the facts and the month
tallies from the days. It computes exactly what ``facts.fact_values``/``contributions``
compute case by case (the tests hold the two equal). Runs on PostgreSQL and SQLite.

Bulk loads that bypass the services (``seed_bulk`` writes with COPY, no signals) must run
it afterwards. On PostgreSQL the tables are truncated, so dashboard readers wait for the
rebuild to commit (about a minute for a million cases, see bench/README.md).
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from approvals.models import Case, CaseParticipant, CaseStage, CaseStatusChange, StagePause
from approvals.workflow import CLOSED
from inspections.models import Conclusion, InspectionTask
from portal.core.calendar import get_calendar
from portal.dashboards.definitions import COMPLETED_OUTCOMES
from portal.dashboards.models import (
    STAGES,
    TALLY_FIELDS,
    CaseFact,
    DailyDuty,
    DailyTally,
    MonthlyDuty,
    MonthlyTally,
    Workday,
)

FACT_TABLES = (CaseFact, DailyTally, MonthlyTally, DailyDuty, MonthlyDuty)


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _lit(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _in(values) -> str:
    return "(" + ", ".join(_lit(v) for v in values) + ")"


def local_date(column: str) -> str:
    """SQL for the local calendar date of a timestamp column (settings.TIME_ZONE)."""
    sql, params = connection.ops.datetime_cast_date_sql(
        column, (), timezone.get_current_timezone_name())
    for param in params:
        sql = sql.replace("%s", _lit(param), 1)
    return sql


def month_start(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    raise NotImplementedError(connection.vendor)


# ---------------------------------------------------------------- working-day ordinals

def workdays_fill() -> int:
    """Ordinals for every day the stage clocks touch (a week of margin either side)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(start_date), MAX({local_date('ended_at')}) "
                       f"FROM {_t(CaseStage)}")
        first, last = cursor.fetchone()
    Workday.objects.all().delete()
    if first is None:
        return 0
    first, last = (date.fromisoformat(v) if isinstance(v, str) else v  # SQLite: text
                   for v in (first, last))
    last = max(last or first, first)
    cal = get_calendar()
    day, ordinal, rows = first - timedelta(days=7), 0, []
    while day <= last + timedelta(days=7):
        ordinal += 1 if cal.is_workday(day) else 0
        rows.append(Workday(day=day, ordinal=ordinal))
        day += timedelta(days=1)
    Workday.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# ---------------------------------------------------------------- facts

def _stage_sql() -> str:
    spent = "we.ordinal - ws.ordinal - s.paused_days"
    per_stage = ",\n".join(
        f"SUM(CASE WHEN x.name = {_lit(s)} THEN x.wd END) AS wd_{s}" for s in STAGES)
    return f"""
      SELECT x.case_id, {per_stage},
        MAX(CASE WHEN x.ended_at IS NULL AND x.name = 'acceptance' THEN x.due_date END)
          AS acceptance_due
      FROM (SELECT s.case_id, s.name, s.ended_at, s.due_date,
                   CASE WHEN s.ended_at IS NOT NULL THEN
                     CASE WHEN {spent} < 0 THEN 0 ELSE {spent} END END AS wd
            FROM {_t(CaseStage)} s
            LEFT JOIN {_t(Workday)} ws ON ws.day = s.start_date
            LEFT JOIN {_t(Workday)} we ON we.day = {local_date('s.ended_at')}) x
      GROUP BY x.case_id"""


def _inspection_sql() -> str:
    links = _t(InspectionTask.cases.through)
    effective = (f"SELECT 1 FROM {_t(Conclusion)} k WHERE k.task_id = t.id "
                 "AND k.confirmed_at IS NOT NULL AND k.withdrawn_at IS NULL")
    return f"""
      SELECT tc.case_id, MAX(t.concluded_at) AS concluded_at,
        MAX(CASE WHEN EXISTS ({effective} AND k.round = 1 AND k.outcome = 'pass')
            THEN 1 ELSE 0 END) AS first_pass,
        MAX(CASE WHEN EXISTS ({effective} AND k.outcome = 'rectify')
            THEN 1 ELSE 0 END) AS rectified
      FROM {links} tc JOIN {_t(InspectionTask)} t ON t.id = tc.inspectiontask_id
      WHERE t.status = 'concluded' AND t.concluded_at IS NOT NULL
      GROUP BY tc.case_id"""


def _facts_sql() -> str:
    wd_cols = ", ".join(f"wd_{s}" for s in STAGES)
    wd_vals = ", ".join(f"st.wd_{s}" for s in STAGES)
    closed_on = local_date("c.closed_at")
    return f"""
    INSERT INTO {_t(CaseFact)} (case_id, matter_id, district_id, status, outcome, submitted_on,
        accepted_on, closed_on, promised_date, due_date, paused, on_time, inspected_on,
        first_pass, rectified, {wd_cols}, duty_mark)
    WITH arch AS (
      SELECT case_id, MAX(from_status) AS from_status FROM {_t(CaseStatusChange)}
      WHERE transition = 'archive' GROUP BY case_id),
    st AS ({_stage_sql()}),
    pz AS (
      SELECT DISTINCT s.case_id FROM {_t(StagePause)} p
      JOIN {_t(CaseStage)} s ON s.id = p.stage_id WHERE p.ended_at IS NULL),
    insp AS ({_inspection_sql()}),
    pp AS (SELECT case_id, MAX(id) AS mark FROM {_t(CaseParticipant)} GROUP BY case_id),
    c AS (
      SELECT c.*, CASE WHEN c.status IN {_in(CLOSED)} THEN c.status
                       WHEN c.status = 'archived' THEN COALESCE(arch.from_status, '')
                       ELSE '' END AS outcome
      FROM {_t(Case)} c LEFT JOIN arch ON arch.case_id = c.id
      WHERE c.submitted_at IS NOT NULL)
    SELECT c.id, c.matter_id, c.district_id, c.status, c.outcome,
      {local_date('c.submitted_at')}, {local_date('c.accepted_at')}, {closed_on},
      c.promised_date,
      CASE WHEN c.outcome = '' THEN
        CASE WHEN c.accepted_at IS NOT NULL THEN c.promised_date ELSE st.acceptance_due END
      END,
      CASE WHEN c.outcome = '' AND pz.case_id IS NOT NULL THEN TRUE ELSE FALSE END,
      CASE WHEN c.outcome IN {_in(COMPLETED_OUTCOMES)} THEN
        CASE WHEN c.promised_date IS NOT NULL AND c.closed_at IS NOT NULL
                  AND {closed_on} <= c.promised_date THEN TRUE ELSE FALSE END
      END,
      {local_date('insp.concluded_at')},
      COALESCE(insp.first_pass, 0) = 1, COALESCE(insp.rectified, 0) = 1,
      {wd_vals}, COALESCE(pp.mark, 0)
    FROM c
    LEFT JOIN st ON st.case_id = c.id
    LEFT JOIN pz ON pz.case_id = c.id
    LEFT JOIN insp ON insp.case_id = c.id
    LEFT JOIN pp ON pp.case_id = c.id"""


# ---------------------------------------------------------------- tallies

def _contribution_selects() -> list[str]:
    """One SELECT per kind of contribution (``facts.contributions`` in SQL)."""
    completed = {"completed": "1", "on_time": "CASE WHEN on_time THEN 1 ELSE 0 END"}
    for s in STAGES:
        completed[f"wd_{s}_sum"] = f"COALESCE(wd_{s}, 0)"
        completed[f"wd_{s}_n"] = f"CASE WHEN wd_{s} IS NOT NULL THEN 1 ELSE 0 END"
    kinds = [
        ("submitted_on", "submitted_on IS NOT NULL", {"applications": "1"}),
        ("accepted_on", "accepted_on IS NOT NULL", {"accepted": "1"}),
        ("closed_on", f"closed_on IS NOT NULL AND outcome IN {_in(COMPLETED_OUTCOMES)}",
         completed),
        ("closed_on", "closed_on IS NOT NULL AND outcome = 'returned'", {"returned": "1"}),
        ("inspected_on", "inspected_on IS NOT NULL",
         {"inspected": "1", "first_pass": "CASE WHEN first_pass THEN 1 ELSE 0 END",
          "rectified": "CASE WHEN rectified THEN 1 ELSE 0 END"}),
    ]
    selects = []
    for anchor, where, values in kinds:
        cols = ", ".join(f"{values.get(f, '0')} AS {f}" for f in TALLY_FIELDS)
        selects.append(f"SELECT {anchor} AS day, matter_id, COALESCE(district_id, 0) AS "
                       f"district_id, {cols} FROM {_t(CaseFact)} WHERE {where}")
    return selects


def _tallies_sql() -> tuple[str, str]:
    fields = ", ".join(TALLY_FIELDS)
    sums = ", ".join(f"SUM({f})" for f in TALLY_FIELDS)
    daily = (f"INSERT INTO {_t(DailyTally)} (day, matter_id, district_id, {fields}) "
             f"SELECT day, matter_id, district_id, {sums} FROM ("
             + " UNION ALL ".join(_contribution_selects())
             + ") x GROUP BY day, matter_id, district_id")
    monthly = (f"INSERT INTO {_t(MonthlyTally)} (month, matter_id, district_id, {fields}) "
               f"SELECT {month_start('day')}, matter_id, district_id, {sums} "
               f"FROM {_t(DailyTally)} GROUP BY 1, 2, 3")
    return daily, monthly


def _duties_sql() -> tuple[str, str]:
    daily = (f"INSERT INTO {_t(DailyDuty)} (day, user_id, stage, matter_id, n) "
             f"SELECT {local_date('p.created_at')}, p.user_id, p.stage, f.matter_id, COUNT(*) "
             f"FROM {_t(CaseParticipant)} p JOIN {_t(CaseFact)} f ON f.case_id = p.case_id "
             f"WHERE p.stage <> 'apply' AND p.id <= f.duty_mark GROUP BY 1, 2, 3, 4")
    monthly = (f"INSERT INTO {_t(MonthlyDuty)} (month, user_id, stage, matter_id, n) "
               f"SELECT {month_start('day')}, user_id, stage, matter_id, SUM(n) "
               f"FROM {_t(DailyDuty)} GROUP BY 1, 2, 3, 4")
    return daily, monthly


def _clear(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("TRUNCATE " + ", ".join(_t(m) for m in FACT_TABLES))
    else:
        for model in reversed(FACT_TABLES):
            cursor.execute(f"DELETE FROM {_t(model)}")


def rebuild(*, log=None) -> dict[str, float]:
    """Recreate every fact and tally; returns the seconds each step took."""
    steps: dict[str, float] = {}

    def step(name: str, fn) -> None:
        started = time.perf_counter()
        fn()
        steps[name] = round(time.perf_counter() - started, 2)
        if log:
            log(f"{name}: {steps[name]} s")

    daily, monthly = _tallies_sql()
    duty_daily, duty_monthly = _duties_sql()
    block = transaction.atomic()
    block.__enter__()
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL work_mem = '256MB'")
                # derived data: a crash right after commit only means running it again
                cursor.execute("SET LOCAL synchronous_commit = off")
            step("workdays", workdays_fill)
            step("clear", lambda: _clear(cursor))
            step("facts", lambda: cursor.execute(_facts_sql()))
            step("daily tallies", lambda: cursor.execute(daily))
            step("monthly tallies", lambda: cursor.execute(monthly))
            step("daily duties", lambda: cursor.execute(duty_daily))
            step("monthly duties", lambda: cursor.execute(duty_monthly))
    except BaseException:
        block.__exit__(*sys.exc_info())
        raise
    step("commit", lambda: block.__exit__(None, None, None))
    if connection.vendor == "postgresql":
        # VACUUM (which also sets the visibility map) needs autocommit; inside a caller's
        # transaction (a test, a larger job) only the statistics are refreshed.
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            step("vacuum analyze", lambda: [cursor.execute(f"{verb} {_t(m)}")
                                            for m in (*FACT_TABLES, Workday)])
    return steps
