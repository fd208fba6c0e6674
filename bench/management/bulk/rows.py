"""The rows one generated case produces (pure: no database access).

A case's steps are replayed the way ``approvals.services.cases`` would record them: the
status history (one row per transition), participants (one per person and duty, never for
a clerk filing at the counter), the stage clocks of ``approvals.services.clocks``
(``CLOCK_EFFECTS``: started, paused for 补正, resumed with the due date pushed back, ended)
and the case's own timestamps, number and promised date.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from approvals.permissions import STAGE_ROLE
from approvals.services.clocks import CLOCK_EFFECTS
from approvals.workflow import TRANSITIONS, CaseStatus
from bench.management.bulk import paths
from bench.management.bulk.calendar import IndexedCalendar
from bench.management.bulk.population import ApplicantRef
from bench.management.bulk.timeline import schedule

CASE_COLUMNS = ("id", "number", "status", "supplement_requested_once", "commitment_signed_at",
                "submitted_at", "accepted_at", "decided_at", "closed_at", "matter_id",
                "applicant_id", "created_by_id", "channel", "title", "address", "district_id",
                "form_data", "promised_date", "created_at", "updated_at")
HISTORY_COLUMNS = ("case_id", "from_status", "to_status", "transition", "actor_id",
                   "actor_role", "note", "data", "at")
STAGE_COLUMNS = ("id", "case_id", "name", "started_at", "start_date", "limit_days",
                 "paused_days", "due_date", "ended_at", "calendar_uncertain")
PAUSE_COLUMNS = ("stage_id", "reason", "started_at", "ended_at")
PARTICIPANT_COLUMNS = ("case_id", "user_id", "stage", "created_at")

NOTES = {
    "request_supplement": "一次性告知：请补交缺少的申请材料。",
    "reject": "申请事项不属于本机关职权范围或不符合法定条件，不予受理。",
    "return_case": "申请材料不符合法定形式，退件。",
    "conclude_inspection": "勘验通过",
    "deny": "经审查不符合法定条件，不予许可。",
}
EMPTY: dict = {}
STAGE_OF = {name: str(spec.stage) for name, spec in TRANSITIONS.items()}
ROLE_OF = {str(stage): str(role) for stage, role in STAGE_ROLE.items()}


@dataclass
class MatterInfo:
    id: int
    name: str
    section_id: int
    single_approver: bool
    needs_inspection: bool
    commitment_eligible: bool
    promised_days: int
    limits: dict[str, int]
    forms: list[dict]
    pool_keys: list[tuple[str, str]]
    scale: float = 1.0


@dataclass
class Batch:
    """Rows of one batch, per table."""

    cases: list = field(default_factory=list)
    history: list = field(default_factory=list)
    stages: list = field(default_factory=list)
    pauses: list = field(default_factory=list)
    participants: list = field(default_factory=list)


class Clocks:
    """The stage clocks of one case, as ``approvals.services.clocks`` keeps them."""

    def __init__(self, cal: IndexedCalendar, matter: MatterInfo, case_id: int, ids) -> None:
        self.cal, self.matter, self.case_id, self.ids = cal, matter, case_id, ids
        self.stages: list[list] = []  # STAGE_COLUMNS order, mutable
        self.open: dict[str, list] = {}
        self.pauses: list[list] = []  # [stage row, reason, started, ended] as (dt, text)
        self.accept_date = None
        self.promised = None

    def apply(self, transition: str, at: datetime, stamp: str) -> None:
        """Apply the clock effects of ``transition`` at ``at`` (``stamp``: its text)."""
        effects = CLOCK_EFFECTS.get(transition, {})
        moment = (at, stamp)
        if effects.get("end_all"):
            self._end_all(moment)
        for name in effects.get("end", ()):
            self._end(name, stamp)
        if "pause" in effects:
            self._pause(*effects["pause"], moment)
        if "resume" in effects:
            self._resume(effects["resume"], moment)
        if "start" in effects:
            self._start(effects["start"], at, stamp)
        if effects.get("promise"):
            self.accept_date = at.date()
            self._promise()

    def _start(self, name: str, at: datetime, stamp: str) -> None:
        limit = self.matter.limits[name]
        start = at.date()
        due = self.cal.add(start, limit)
        row = [next(self.ids), self.case_id, name, stamp, start, limit, 0, due, None,
               self.cal.uncertain(start, due)]
        self.stages.append(row)
        self.open[name] = row

    def _end(self, name: str, stamp: str) -> None:
        row = self.open.pop(name, None)
        if row is not None:
            row[8] = stamp

    def _end_all(self, moment: tuple[datetime, str]) -> None:
        for name in list(self.open):
            self._end(name, moment[1])
        for pause in self.pauses:
            if pause[3] is None:
                pause[3] = moment

    def _pause(self, name: str, reason: str, moment: tuple[datetime, str]) -> None:
        row = self.open.get(name)
        if row is not None and not any(p[0] is row and p[3] is None for p in self.pauses):
            self.pauses.append([row, reason, moment, None])

    def _resume(self, name: str, moment: tuple[datetime, str]) -> None:
        row = self.open.get(name)
        if row is None:
            return
        for pause in self.pauses:
            if pause[0] is row and pause[3] is None:
                pause[3] = moment
        spans = [(p[2][0].date(), p[3][0].date()) for p in self.pauses if p[0] is row]
        row[6] = sum(self.cal.between(a, b) for a, b in spans if b > a)
        row[7] = self.cal.add(row[4], row[5] + row[6])
        self._promise()

    def _promise(self) -> None:
        if self.accept_date is not None:
            paused = sum(r[6] for r in self.stages if r[2] != "acceptance")
            self.promised = self.cal.add(self.accept_date, self.matter.promised_days + paused)

    def emit(self, batch: Batch) -> None:
        batch.stages.extend(tuple(r) for r in self.stages)
        batch.pauses.extend((p[0][0], p[1], p[2][1], p[3] and p[3][1]) for p in self.pauses)


def pick(rng: random.Random, pool: list[int], exclude: set[int]) -> int:
    while True:
        choice = rng.choice(pool)
        if choice not in exclude:
            return choice


def crew(rng: random.Random, staff: dict[str, list[int]], matter: MatterInfo) -> dict[str, int]:
    """One person per duty; nobody in two duties the separation keeps apart."""
    clerk = rng.choice(staff["clerk"])
    if matter.single_approver:
        reviewer = approver = clerk
    else:
        reviewer = pick(rng, staff[f"reviewer:{matter.section_id}"], {clerk})
        approver = pick(rng, staff["approver"], {clerk, reviewer})
    taken = {clerk, reviewer, approver}
    inspector_a = pick(rng, staff["inspector"], taken)
    inspector_b = pick(rng, staff["inspector"], taken | {inspector_a})
    certifier = pick(rng, staff["certifier"], taken | {inspector_a, inspector_b})
    return {"clerk": clerk, "reviewer": reviewer, "approver": approver,
            "inspector_a": inspector_a, "inspector_b": inspector_b, "certifier": certifier,
            "archivist": rng.choice(staff["archivist"])}


def _cut(outcome: str, steps, moments, now: datetime, rng: random.Random) -> int:
    """How many steps have happened by ``now`` (stalled cases stop in an open status)."""
    done = sum(1 for m in moments if m <= now)
    if outcome == "stalled" and len(steps) > 2:
        open_at = [i for i, s in enumerate(paths.statuses(steps), start=1)
                   if s not in paths.ARCHIVABLE and s != CaseStatus.ARCHIVED]
        done = min(done, rng.choice(open_at))
    return done


@dataclass
class World:
    """Everything a case is drawn from."""

    matters: list[MatterInfo]
    weights: list[float]
    staff: dict[str, list[int]]
    applicants: dict[tuple[str, str], list[ApplicantRef]]
    cal: IndexedCalendar
    now: datetime
    span_seconds: int


class CaseRows:
    """Draws cases from a ``World`` and writes their rows into a ``Batch``."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world, self.rng = world, rng
        self._cum = list(accumulate(world.weights))

    def build(self, batch: Batch, case_id: int, number: str, stage_ids) -> None:
        w, rng = self.world, self.rng
        matter = rng.choices(w.matters, cum_weights=self._cum)[0]
        applicant = rng.choice(w.applicants[rng.choice(matter.pool_keys)])
        people = crew(rng, w.staff, matter)
        online = applicant.user_id is not None and rng.random() < 0.75
        people["filer"] = applicant.user_id if online else people["clerk"]
        commitment = (matter.needs_inspection and matter.commitment_eligible
                      and rng.random() < 0.25)
        outcome, steps = paths.choose(rng, inspected=matter.needs_inspection and not commitment)
        created = w.now - timedelta(seconds=rng.randint(0, w.span_seconds))
        moments = _schedule(steps, created, rng, matter)
        done = _cut(outcome, steps, moments, w.now, rng)
        case = _CaseState(case_id, str(created))
        clocks = Clocks(w.cal, matter, case_id, stage_ids)
        # Times are stored as text (what COPY sends; Django parses it too), made once each.
        for (name, duty), at in zip(steps[:done], moments[:done], strict=True):
            stamp = str(at)
            case.step(batch, name, people[duty], stamp,
                      staff_filing=duty == "filer" and not online)
            clocks.apply(name, at, stamp)
        clocks.emit(batch)
        batch.cases.append((
            case_id, number if case.submitted_at else None, case.status, case.supplement,
            case.submitted_at if commitment and case.submitted_at else None,
            case.submitted_at, case.accepted_at, case.decided_at, case.closed_at, matter.id,
            applicant.id, people["filer"], "online" if online else "counter",
            f"{applicant.name}{matter.name}", applicant.address, applicant.district_id,
            rng.choice(matter.forms), clocks.promised, case.created_at, case.updated_at))


class _CaseState:
    """The case's own fields as the workflow's transition methods set them."""

    def __init__(self, case_id: int, created: str) -> None:
        self.id, self.status = case_id, CaseStatus.DRAFT.value
        self.created_at = self.updated_at = created
        self.supplement = False
        self.submitted_at = self.accepted_at = self.decided_at = self.closed_at = None
        self.duties: set[tuple[int, str]] = set()

    def step(self, batch: Batch, name: str, actor: int, at: str, *,
             staff_filing: bool) -> None:
        before, self.status, self.updated_at = self.status, paths.TARGET[name], at
        if name in ("submit", "resubmit"):
            self.submitted_at = at
        elif name == "accept":
            self.accepted_at = at
        elif name == "request_supplement":
            self.supplement = True
        elif name in ("approve", "deny"):
            self.decided_at = at
        if name in ("reject", "return_case", "deny", "issue", "withdraw"):
            self.closed_at = at
        stage = STAGE_OF[name]
        role = "clerk" if staff_filing else ROLE_OF[stage]
        batch.history.append((self.id, before, self.status, name, actor, role,
                              NOTES.get(name, ""), EMPTY, at))
        if not staff_filing and (actor, stage) not in self.duties:
            self.duties.add((actor, stage))
            batch.participants.append((self.id, actor, stage, at))


def _schedule(steps, created: datetime, rng: random.Random, matter: MatterInfo):
    return schedule([n for n, _ in steps], created, rng, instant=matter.single_approver,
                    scale=matter.scale)
