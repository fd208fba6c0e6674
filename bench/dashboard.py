"""Dashboard speed bench: every panel × several filter combinations, warm, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oneseal_bench_dash \\
        .venv/bin/python bench/dashboard.py --cases 1000000 [--seed] [--no-rebuild]

With ``--seed`` it first fills the database with ``seed_bulk`` up to ``--cases`` cases (if
it has fewer), then runs ``dashboards_rebuild`` (unless ``--no-rebuild``), then times each
panel through the same selectors the pages and the API call: one warm-up call and
``--runs`` timed calls per filter combination. It prints p50/p95/max per panel, the verdict
against the 300 ms budget (p95 of every panel) and EXPLAIN (ANALYZE, BUFFERS) of the
slowest query of the slowest panel. Nothing is asserted: see bench/README.md, "Dashboards".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from approvals.models import Case, Matter  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.accounts.roles import Role  # noqa: E402
from portal.dashboards import drill as drills  # noqa: E402
from portal.dashboards import selectors  # noqa: E402
from portal.dashboards.models import CaseFact  # noqa: E402
from portal.dashboards.scope import filters_from  # noqa: E402

BUDGET_MS = 300.0


def supervisor() -> User:
    from django.contrib.auth.models import Group

    user, _ = User.objects.get_or_create(username="bench-supervisor",
                                         defaults={"real_name": "基准测试督查"})
    user.groups.add(Group.objects.get_or_create(name=Role.SUPERVISOR)[0])
    user.__dict__.pop("role_codes", None)
    return user


def combos() -> list[dict]:
    """Filter combinations: every period kind, unfiltered and with typical filters."""
    today = timezone.localdate().isoformat()
    busiest = (CaseFact.objects.values("matter_id").order_by().annotate(
        n=django.db.models.Count("pk")).order_by("-n").first())
    matter = Matter.objects.select_related("section").get(pk=busiest["matter_id"])
    out = []
    for period in ("week", "month", "quarter", "year"):
        out.append({"period": period, "date": today})
        out.append({"period": period, "date": today, "section": matter.section.code})
    out.append({"period": "year", "date": today, "matter": matter.code, "district": "140802"})
    out.append({"period": "month", "date": today, "industry": matter.industry or "餐饮服务",
                "district": "140821"})
    return out


def deep_cursor(drill) -> str | None:
    """The cursor 20 pages into a list (a keyset page far from the start)."""
    cursor = None
    for _i in range(20):
        _rows, cursor = drills.drill_page(drill, cursor)
        if cursor is None:
            break
    return cursor


def panels(user: User) -> dict:
    """name -> callable(params) running one panel as the page or API would."""
    def f(params):
        return filters_from(params, user)

    def drill(metric, **extra):
        def run(params):
            d = drills.drill_from({**params, "metric": metric, **extra}, f(params))
            rows, _cursor = drills.drill_page(d)
            return len(rows), drills.drill_count(d)
        return run

    busy = (User.objects.filter(username__startswith="bulk-clerk").order_by("pk").first())

    cursors: dict[str, str | None] = {}

    def deep(params):
        d = drills.drill_from({**params, "metric": "applications"}, f(params))
        if str(params) not in cursors:  # found once, outside the timing of later runs
            cursors[str(params)] = deep_cursor(d)
        return drills.drill_page(d, cursors[str(params)])

    return {
        "summary (cards)": lambda p: selectors.summary(f(p)),
        "breakdown by section": lambda p: selectors.breakdown(f(p), "section"),
        "breakdown by matter": lambda p: selectors.breakdown(f(p), "matter"),
        "breakdown by industry": lambda p: selectors.breakdown(f(p), "industry"),
        "breakdown by district": lambda p: selectors.breakdown(f(p), "district"),
        "trend": lambda p: selectors.trend(f(p)),
        "stage averages": lambda p: selectors.stages(f(p)),
        "deadlines (overdue/near)": lambda p: selectors.deadlines(f(p), "matter"),
        "workload": lambda p: selectors.workload(f(p)),
        "district map": lambda p: selectors.district_map(f(p)),
        "drill: applications p1": drill("applications"),
        "drill: on-time p1": drill("on_time"),
        "drill: overdue p1": drill("overdue"),
        "drill: first-pass p1": drill("first_pass"),
        "drill: stage review p1": drill("stage_review"),
        "drill: applications p21": deep,
        "drill: workload p1": drill("workload", user=str(busy.pk) if busy else "0",
                                    stage="accept"),
    }


def measure(fn, params_list, runs: int) -> tuple[list[float], dict]:
    samples, slowest = [], {"ms": -1.0}
    for params in params_list:
        fn(params)  # warm-up (and, for the deep page, finding its cursor)
        for _i in range(runs):
            connection.queries_log.clear()  # the log keeps 9,000 queries at most
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                fn(params)
                ms = (time.perf_counter() - started) * 1000
            samples.append(ms)
            if ms > slowest["ms"]:
                slowest = {"ms": ms, "params": params, "queries": list(ctx.captured_queries)}
    return samples, slowest


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", action="store_true", help="seed_bulk up to --cases first")
    parser.add_argument("--no-rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per filter combination")
    parser.add_argument("--only", default="", help="run only panels whose name contains this")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("needs PostgreSQL: set DATABASE_URL", file=sys.stderr)
        return 2
    have = Case.objects.count()
    print(f"database {connection.settings_dict['NAME']}: {have:,} cases")
    if args.seed and have < args.cases:
        started = time.perf_counter()
        call_command("seed_bulk", cases=args.cases - have, writers=2)
        print(f"seed_bulk {args.cases - have:,}: {time.perf_counter() - started:.0f} s")
    if not args.no_rebuild:
        started = time.perf_counter()
        call_command("dashboards_rebuild")
        print(f"dashboards_rebuild: {time.perf_counter() - started:.1f} s")
    user, params_list = supervisor(), combos()
    print(f"{CaseFact.objects.count():,} facts; {len(params_list)} filter combinations × "
          f"{args.runs} runs per panel (after one warm-up each)\n")
    print(f"{'panel':28} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>7}")
    results, worst = [], None
    for name, fn in panels(user).items():
        if args.only and args.only not in name:
            continue
        samples, slowest = measure(fn, params_list, args.runs)
        p95 = pct(samples, 0.95)
        results.append((name, p95))
        print(f"{name:28} {len(samples):5d} {statistics.median(samples):8.1f} {p95:8.1f} "
              f"{max(samples):8.1f} {len(slowest['queries']):7d}")
        if worst is None or p95 > worst[1]:
            worst = (name, p95, slowest)
    failing = [n for n, p95 in results if p95 >= BUDGET_MS]
    print(f"\nverdict: {'PASS' if not failing else 'FAIL'} — p95 of every panel "
          f"{'under' if not failing else 'not under'} {BUDGET_MS:.0f} ms"
          + (f" (over: {', '.join(failing)})" if failing else ""))
    if worst:
        name, p95, slowest = worst
        query = max(slowest["queries"], key=lambda q: float(q["time"]))
        print(f"\nslowest panel: {name} (p95 {p95:.1f} ms), its slowest run {slowest['ms']:.1f} ms "
              f"with {slowest['params']}; EXPLAIN of its slowest query ({query['time']} s):\n")
        print(explain(query["sql"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
