"""Drive a bulk run: build the world (staff, applicants, matters, calendar), then write
cases in batches, one transaction per batch."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from approvals.demo.forms import sample_form_data
from approvals.models import (
    Bundle,
    Case,
    CaseParticipant,
    CaseStage,
    CaseStatusChange,
    Matter,
    StagePause,
)
from bench.management.bulk import population as pop
from bench.management.bulk import rows as R
from bench.management.bulk.calendar import IndexedCalendar
from bench.management.bulk.pipeline import Pipeline
from bench.management.bulk.writers import Table, make_writer, reserve_ids
from portal.accounts.models import Applicant, District, Section, User
from portal.accounts.roles import Role
from portal.core.calendar import get_calendar

#: Relative frequency of each matter (seeds: food business and 即办件 dominate).
MATTER_WEIGHTS = {
    "SC-FOOD-01": 30, "SC-FOOD-02": 14, "SW-HYG-01": 16, "SW-MED-02": 10, "SC-DRUG-01": 8,
    "SC-DEVICE-01": 3, "SC-FOOD-03": 1, "SC-FOOD-04": 3, "SC-PUB-01": 2, "SC-AGRI-01": 4,
    "SC-SAFE-01": 1, "SW-MED-01": 2, "SW-RAD-01": 1, "SW-EDU-01": 1, "TJ-WATER-01": 5,
    "TJ-SIGN-01": 6,
}
PERSON_SHARE = {"SW-MED-02": 1.0, "SC-FOOD-02": 0.6, "SC-FOOD-01": 0.15}
DISTRICT_WEIGHTS = {"140802": 30, "140881": 9, "140882": 8, "140821": 8}
CASES_PER_APPLICANT = 3
MAX_STAGES_PER_CASE = len(CaseStage.Name.choices)
NUMBER_PREFIX = "BULK-"

TABLES = {
    "cases": Table(Case, R.CASE_COLUMNS),
    "stages": Table(CaseStage, R.STAGE_COLUMNS),
    "pauses": Table(StagePause, R.PAUSE_COLUMNS),
    "history": Table(CaseStatusChange, R.HISTORY_COLUMNS),
    "participants": Table(CaseParticipant, R.PARTICIPANT_COLUMNS),
}


@dataclass
class Options:
    cases: int
    seed: int = 20261122
    batch: int = 5000
    months: int = 18
    writer: str = "auto"
    skip_fk_checks: bool = False
    writers: int = 1


@dataclass
class Report:
    cases: int = 0
    rows: int = 0
    seconds: float = 0.0
    writer: str = ""
    first_case_id: int | None = None
    last_case_id: int | None = None


def _pool_keys(matter: Matter, bundle_industries: dict[str, set[str]]) -> list[tuple]:
    industries = ([matter.industry] if matter.industry in pop.INDUSTRY_NAMES
                  else sorted(bundle_industries.get(matter.code, set())) or [matter.industry])
    persons = round(10 * PERSON_SHARE.get(matter.code, 0.0))
    return ([(industries[0], Applicant.Kind.PERSON)] * persons
            + [(i, Applicant.Kind.ORGANISATION) for i in industries] * (10 - persons))


def _bundle_industries() -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for bundle in Bundle.objects.prefetch_related("matters"):
        industries = {m.industry for m in bundle.matters.all() if m.industry in pop.INDUSTRY_NAMES}
        for m in bundle.matters.all():
            out[m.code] |= industries
    return out


def load_matters(rng: random.Random) -> tuple[list[R.MatterInfo], list[float]]:
    infos, weights, bundles = [], [], _bundle_industries()
    for m in Matter.objects.filter(is_active=True).order_by("code"):
        infos.append(R.MatterInfo(
            id=m.pk, name=m.name, section_id=m.section_id, single_approver=m.single_approver,
            needs_inspection=m.needs_inspection, commitment_eligible=m.commitment_eligible,
            promised_days=m.promised_days,
            limits={n: m.stage_limit(n) for n in CaseStage.Name.values},
            forms=[sample_form_data(m.form_schema, rng=rng) for _ in range(5)],
            pool_keys=_pool_keys(m, bundles), scale=max(1.0, m.promised_days / 5)))
        weights.append(MATTER_WEIGHTS.get(m.code, 2))
    return infos, weights


def _districts() -> tuple[list[tuple[int, str, str]], list[int]]:
    rows = list(District.objects.filter(parent__isnull=False).values_list("id", "code", "name"))
    rows = rows or list(District.objects.values_list("id", "code", "name"))
    return rows, [DISTRICT_WEIGHTS.get(code, 5) for _, code, _ in rows]


def pool_sizes(matters: list[R.MatterInfo], weights: list[float], applicants: int):
    demand: dict[tuple, float] = defaultdict(float)
    total = sum(weights)
    for m, w in zip(matters, weights, strict=True):
        for key in m.pool_keys:
            demand[key] += w / total / len(m.pool_keys)
    return {key: max(3, round(applicants * share)) for key, share in demand.items()}


def create_applicants(sizes: dict[tuple, int], writer, rng: random.Random,
                      batch: int) -> dict[tuple, list[pop.ApplicantRef]]:
    """Write the applicant pools (with logins for most) and return references to them."""
    districts, weights = _districts()
    group_id = Group.objects.get_or_create(name=Role.APPLICANT)[0].pk
    tables = (Table(User, pop.USER_COLUMNS), Table(User.groups.through, pop.USER_GROUP_COLUMNS),
              Table(Applicant, pop.APPLICANT_COLUMNS))
    todo = [key for key, n in sizes.items() for _ in range(n)]
    pools: dict[tuple, list[pop.ApplicantRef]] = defaultdict(list)
    now = timezone.localtime()
    for start in range(0, len(todo), batch):
        chunk = todo[start:start + batch]
        with transaction.atomic():
            app_ids = reserve_ids(Applicant, len(chunk))
            user_ids = iter(reserve_ids(User, len(chunk)))
            users, links, apps = [], [], []
            for (industry, kind), app_id in zip(chunk, app_ids, strict=True):
                user_id = next(user_ids) if rng.random() < pop.ONLINE_ACCOUNT_SHARE[kind] else None
                district = rng.choices(districts, weights)[0]
                row = pop.applicant_row(app_id, user_id, kind, industry, district, rng, now)
                if user_id is not None:
                    users.append(pop.user_row(user_id, row[2], now))
                    links.append((user_id, group_id))
                apps.append(row)
                pools[(industry, kind)].append(
                    pop.ApplicantRef(app_id, user_id, district[0], row[7], row[2]))
            for table, data in zip(tables, (users, links, apps), strict=True):
                writer.write(table, data)
    return pools


def next_number_start() -> int:
    last = (Case.objects.filter(number__startswith=NUMBER_PREFIX).order_by("-number")
            .values_list("number", flat=True).first())
    return int(last[len(NUMBER_PREFIX):]) + 1 if last else 1


def build_world(opts: Options, writer, rng: random.Random) -> R.World:
    matters, weights = load_matters(rng)
    bureau_sections = Section.objects.filter(matters__is_active=True).distinct()
    bureau = bureau_sections[0].bureau
    staff = pop.ensure_staff(bureau, list(bureau_sections))
    sizes = pool_sizes(matters, weights, max(30, opts.cases // CASES_PER_APPLICANT))
    applicants = create_applicants(sizes, writer, rng, opts.batch)
    now = timezone.localtime()
    span = timedelta(days=round(opts.months * 30.44))
    cal = IndexedCalendar(get_calendar(), (now - span - timedelta(days=40)).date(),
                          (now + timedelta(days=400)).date())
    return R.World(matters, weights, staff, applicants, cal, now, int(span.total_seconds()))


BATCH_TABLES = ("cases", "stages", "pauses", "history", "participants")  # FK order


def encode_batch(writer, batch: R.Batch) -> list:
    return [writer.encode(TABLES[name], getattr(batch, name)) for name in BATCH_TABLES]


def write_batch(writer, encoded: list, *, skip_fk_checks: bool = False) -> None:
    """Write one encoded batch in one transaction (on the calling thread's connection)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                if skip_fk_checks:
                    cursor.execute("SET LOCAL session_replication_role = replica")
        for item in encoded:
            writer.send(item)


def _build_batch(builder: R.CaseRows, n: int, number: int) -> tuple[R.Batch, list[int]]:
    case_ids = reserve_ids(Case, n)
    stage_ids = iter(reserve_ids(CaseStage, n * MAX_STAGES_PER_CASE))
    batch = R.Batch()
    for offset, case_id in enumerate(case_ids):
        builder.build(batch, case_id, f"{NUMBER_PREFIX}{number + offset:09d}", stage_ids)
    return batch, case_ids


def generate(opts: Options, progress: Callable[[int, float], None]) -> Report:
    """Write ``opts.cases`` cases; ``progress(cases done, seconds)`` after each batch."""
    rng, writer = random.Random(opts.seed), make_writer(opts.writer)
    report, started = Report(writer=writer.name), time.monotonic()
    world = build_world(opts, writer, rng)
    builder, number = R.CaseRows(world, rng), next_number_start()
    # Ids come from sequences on PostgreSQL, so batches may be written by another thread;
    # elsewhere an id is only reserved inside the transaction that writes it.
    threaded = writer.name == "copy" and not connection.in_atomic_block
    pipeline = Pipeline(threaded=threaded, workers=opts.writers)
    for start in range(0, opts.cases, opts.batch):
        n = min(opts.batch, opts.cases - start)
        with transaction.atomic():
            batch, case_ids = _build_batch(builder, n, number + start)
            encoded = encode_batch(writer, batch)
            if not threaded:
                write_batch(writer, encoded, skip_fk_checks=opts.skip_fk_checks)
        if threaded:
            pipeline.submit(partial(write_batch, writer, encoded,
                                    skip_fk_checks=opts.skip_fk_checks))
        report.first_case_id = report.first_case_id or case_ids[0]
        report.last_case_id, report.cases = case_ids[-1], report.cases + n
        progress(report.cases, time.monotonic() - started)
    pipeline.close()
    report.seconds, report.rows = time.monotonic() - started, writer.rows
    return report


def analyze() -> None:
    """Refresh planner statistics after a big load (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in TABLES.values():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table.model._meta.db_table)}")
