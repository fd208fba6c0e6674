"""The dashboard panels: every figure is a sum over the day or month tallies (or, for the
figures "as of today", a count over the open cases' facts), for a checked ``Filters``.
Each panel is one or two small queries whatever the number of cases (docs/adr/0019)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from approvals.models import Matter
from portal.accounts.models import District, Section, User
from portal.core.calendar import get_calendar
from portal.dashboards.definitions import (
    METRICS,
    NEAR_DUE_WORKDAYS,
    RATES,
    STAGE_LABELS,
    ratio,
)
from portal.dashboards.models import (
    STAGES,
    TALLY_FIELDS,
    CaseFact,
    DailyDuty,
    DailyTally,
    MonthlyDuty,
    MonthlyTally,
)
from portal.dashboards.periods import Period, trend_periods
from portal.dashboards.scope import Filters


def _scoped(qs: QuerySet, filters: Filters, *, district: bool = True) -> QuerySet:
    if filters.matter_ids is not None:
        qs = qs.filter(matter_id__in=filters.matter_ids)
    if district and filters.district_id is not None:
        qs = qs.filter(district_id=filters.district_id)
    return qs


def tallies(filters: Filters, start: date, end: date, *, monthly: bool) -> QuerySet:
    """Tally rows of the filters' cases between ``start`` and ``end`` (whole months when
    ``monthly``)."""
    if monthly:
        qs = MonthlyTally.objects.filter(month__gte=start.replace(day=1), month__lte=end)
    else:
        qs = DailyTally.objects.filter(day__gte=start, day__lte=end)
    return _scoped(qs, filters)


def _sums() -> dict:
    return {f: Sum(f) for f in TALLY_FIELDS}


def figures(counts: dict) -> dict:
    """Counters, derived counts, rates and stage averages from summed tally fields."""
    c = {f: int(counts.get(f) or 0) for f in TALLY_FIELDS}
    out = {m: c[m] for m in ("applications", "accepted", "completed", "on_time", "returned",
                             "inspected", "first_pass", "rectified")}
    out["late"] = c["completed"] - c["on_time"]
    out["closed"] = c["completed"] + c["returned"]
    for rate in RATES.values():
        out[rate.code] = ratio(out[rate.numerator], out[rate.denominator])
    for s in STAGES:
        n = c[f"wd_{s}_n"]
        out[f"stage_{s}"] = n
        out[f"avg_{s}"] = round(c[f"wd_{s}_sum"] / n, 2) if n else None
    return out


def near_due_limit(today: date) -> date:
    """The last day that is at most ``NEAR_DUE_WORKDAYS`` working days away from today."""
    return get_calendar().add(today, NEAR_DUE_WORKDAYS + 1) - timedelta(days=1)


def deadline_q(metric: str, today: date | None = None) -> Q:
    today = today or timezone.localdate()
    if metric == "overdue":
        return METRICS["overdue"].where & Q(due_date__lt=today)
    return METRICS["near_due"].where & Q(due_date__gte=today, due_date__lte=near_due_limit(today))


def _deadline_counts(filters: Filters, group: str | None = None):
    today = timezone.localdate()
    qs = _scoped(CaseFact.objects.filter(deadline_q("overdue", today)
                                         | deadline_q("near_due", today)), filters)
    agg = {"overdue": Count("pk", filter=Q(due_date__lt=today)),
           "near_due": Count("pk", filter=Q(due_date__gte=today))}
    if group is None:
        return qs.aggregate(**agg)
    return qs.values(group).annotate(**agg).order_by()


# ---------------------------------------------------------------- panels

def summary_counts(filters: Filters) -> dict:
    """The period's figures (one aggregate over the tallies)."""
    p = filters.period
    return figures(tallies(filters, p.start, p.end, monthly=p.monthly).aggregate(**_sums()))


def summary(filters: Filters) -> dict:
    """The cards: the period's figures and today's overdue and near-due cases."""
    return {**summary_counts(filters), **_deadline_counts(filters)}


def _dimension_keys(dim: str) -> tuple[str, dict]:
    """The tally column to group by and how a matter or district id maps to a row."""
    if dim == "district":
        return "district_id", {d.pk: (d.code, d.name)
                               for d in District.objects.only("code", "name")}
    matters = Matter.objects.select_related("section").only(
        "code", "name", "industry", "section__code", "section__name")
    if dim == "section":
        return "matter_id", {m.pk: (m.section.code, m.section.name) for m in matters}
    if dim == "industry":
        return "matter_id", {m.pk: (m.industry or "—", m.industry or "—") for m in matters}
    return "matter_id", {m.pk: (m.code, m.name) for m in matters}


def breakdown(filters: Filters, dim: str) -> list[dict]:
    """The period's figures per section, matter, industry or district (with today's
    overdue and near-due counts), largest volume first."""
    p = filters.period
    column, keys = _dimension_keys(dim)
    rows: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    grouped = (tallies(filters, p.start, p.end, monthly=p.monthly).values(column)
               .annotate(**_sums()).order_by())
    for row in grouped:
        acc = rows[keys.get(row[column], ("", "—"))]
        for f in TALLY_FIELDS:
            acc[f] += row[f] or 0
    deadlines: dict[tuple, dict] = defaultdict(lambda: {"overdue": 0, "near_due": 0})
    for row in _deadline_counts(filters, column):
        acc = deadlines[keys.get(row[column], ("", "—"))]
        acc["overdue"] += row["overdue"]
        acc["near_due"] += row["near_due"]
    out = []
    for key in set(rows) | set(deadlines):
        out.append({"key": key[0], "name": key[1], **figures(rows.get(key, {})),
                    **deadlines.get(key, {"overdue": 0, "near_due": 0})})
    return sorted(out, key=lambda r: (-r["applications"], -r["overdue"], r["key"]))


def trend(filters: Filters) -> list[dict]:
    """The figures of the last periods of the selected kind (oldest first)."""
    periods = trend_periods(filters.period)
    monthly = filters.period.monthly
    column = "month" if monthly else "day"
    grouped = (tallies(filters, periods[0].start, periods[-1].end, monthly=monthly)
               .values(column).annotate(**_sums()).order_by())
    buckets: dict[Period, dict] = {p: defaultdict(int) for p in periods}
    for row in grouped:
        for p in periods:
            if p.start <= row[column] <= p.end:
                for f in TALLY_FIELDS:
                    buckets[p][f] += row[f] or 0
                break
    return [{"period": p.label, "start": p.start, "end": p.end, **figures(buckets[p])}
            for p in periods]


def stages(filters: Filters) -> list[dict]:
    """Average working days per stage over the period's completed cases."""
    f = summary_counts(filters)
    return [{"stage": s, "label": str(STAGE_LABELS[s]), "cases": f[f"stage_{s}"],
             "avg_workdays": f[f"avg_{s}"]} for s in STAGES]


def deadlines(filters: Filters, dim: str) -> dict:
    """Today's overdue and near-due open cases, in total and per dimension."""
    column, keys = _dimension_keys(dim)
    rows: dict[tuple, dict] = defaultdict(lambda: {"overdue": 0, "near_due": 0})
    for row in _deadline_counts(filters, column):
        acc = rows[keys.get(row[column], ("", "—"))]
        acc["overdue"] += row["overdue"]
        acc["near_due"] += row["near_due"]
    out = [{"key": k[0], "name": k[1], **v} for k, v in rows.items()]
    out.sort(key=lambda r: (-r["overdue"], -r["near_due"], r["key"]))
    return {"as_of": timezone.localdate(), "near_due_workdays": NEAR_DUE_WORKDAYS,
            "overdue": sum(r["overdue"] for r in out),
            "near_due": sum(r["near_due"] for r in out), "rows": out}


def duties(filters: Filters) -> QuerySet:
    p = filters.period
    if p.monthly:
        qs = MonthlyDuty.objects.filter(month__gte=p.start, month__lte=p.end)
    else:
        qs = DailyDuty.objects.filter(day__gte=p.start, day__lte=p.end)
    return _scoped(qs, filters, district=False)


def workload(filters: Filters) -> list[dict]:
    """Duties each staff member performed in the period, per duty, busiest first."""
    per_user: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for row in duties(filters).values("user_id", "stage").annotate(n=Sum("n")).order_by():
        per_user[row["user_id"]][row["stage"]] += row["n"]
    users = User.objects.in_bulk(list(per_user))
    sections = dict(Section.objects.values_list("pk", "name"))
    out = []
    for user_id, by_stage in per_user.items():
        user = users.get(user_id)
        out.append({"user_id": user_id, "name": str(user) if user else str(user_id),
                    "section": sections.get(user.section_id, "") if user else "",
                    "total": sum(by_stage.values()), "by_stage": dict(by_stage)})
    return sorted(out, key=lambda r: (-r["total"], r["name"]))


def county_districts() -> QuerySet:
    """The county-level districts (children of a root), as the map shows them."""
    return District.objects.filter(parent__isnull=False, parent__parent__isnull=True)


def district_map(filters: Filters) -> list[dict]:
    """Volume and on-time rate per county-level district, for the map."""
    p = filters.period
    grouped = {row["district_id"]: row for row in
               tallies(filters, p.start, p.end, monthly=p.monthly).values("district_id")
               .annotate(applications=Sum("applications"), completed=Sum("completed"),
                         on_time=Sum("on_time")).order_by()}
    out = []
    for d in county_districts().order_by("code"):
        row = grouped.get(d.pk, {})
        applications, completed, on_time = (int(row.get(k) or 0) for k in
                                            ("applications", "completed", "on_time"))
        out.append({"code": d.code, "name": d.name, "applications": applications,
                    "completed": completed, "on_time": on_time,
                    "on_time_rate": ratio(on_time, completed)})
    return out
