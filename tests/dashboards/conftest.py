"""A small hand-built dataset for the dashboards: cases driven through the real services to
their states, then their dates set to known days of March 2025 (Monday 3 March onwards) so
that every figure has a value worked out by hand in the tests.

=====  ======  ========  =======================================================
case   matter  district  what happened (dates in March 2025 unless said)
=====  ======  ========  =======================================================
c1     A       D1        issued, closed 5th, promised 10th (on time)
c2     A       D1        issued, closed 20th, promised 12th (late)
c3     C       D2        denied, closed 14th, promised 14th (on time: same day)
c4     A       D2        returned at review, 18th
c5     B       D1        inspected 11th, passed first time; issued 21st, promised 25th
c6     B       D2        inspected 13th after one rectification round; decision pending
c7     B       D1        inspected 15th, failed; decision pending
c8     C       D1        under review, promise two days ago (overdue today)
c9     C       D1        accepted, promise today (near due)
c10    A       D1        supplement requested (clock paused), acceptance due long ago
c11    A       D2        submitted 2 April 2025, under review
c12    A       D1        draft (never submitted)
=====  ======  ========  =======================================================

Matters A and B belong to section S1, C to section S2; A and C are 餐饮服务, B is 药品零售.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from approvals.models import Case, CaseParticipant, CaseStage
from approvals.services import case_transition
from approvals.workflow import CaseStatus
from inspections.models import InspectionTask, Outcome, Result
from inspections.services import conduct
from portal.accounts.models import District, User
from portal.dashboards.rebuild import rebuild
from tests.factories import CaseFactory, MatterFactory, SectionFactory, staff
from tests.factories import inspection as insp
from tests.factories.workflow import Crew, drive

MARCH = date(2025, 3, 3)  # a Monday


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def d(n: int) -> date:
    """n March 2025."""
    return date(2025, 3, n)


@dataclass
class World:
    crew: Crew
    s1: object
    s2: object
    a: object
    b: object
    c: object
    d1: District
    d2: District
    cases: dict[str, Case] = field(default_factory=dict)

    def ids(self, *names: str) -> set[int]:
        return {self.cases[n].pk for n in names}


def set_case(case: Case, **fields) -> None:
    """Overwrite dates (no signals: the tests rebuild or refresh explicitly)."""
    Case.objects.filter(pk=case.pk).update(**fields)


def set_stage(case: Case, name: str, start: date, end: date | None, paused: int = 0,
              due: date | None = None) -> None:
    stage = case.stages.filter(name=name).order_by("-started_at").first()
    assert stage is not None, f"{case} has no {name} stage"
    CaseStage.objects.filter(pk=stage.pk).update(
        start_date=start, started_at=at(start), ended_at=at(end, 15) if end else None,
        paused_days=paused, due_date=due or stage.due_date)


def rectified_then_pass(case: Case, crew: Crew) -> None:
    """Inspecting → 限期整改 → evidence and submission → verified → 合格."""
    from tests.inspections.test_conduct import PLAIN_KEY, VETO_KEY, png_upload

    first, second = crew.inspectors
    task = case.inspection_tasks.get(status="in_progress")
    conduct.item_record(item=task.items.get(key=VETO_KEY), result=Result.PASS, by=first)
    conduct.item_record(item=task.items.get(key=PLAIN_KEY), result=Result.FAIL,
                        comment="健康证过期", by=first)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.RECTIFY, note="限期整改",
                                          rectify_due=timezone.localdate() + timedelta(days=7),
                                          by=first)
    conduct.conclusion_confirm(conclusion=proposal, by=second)
    applicant = case.applicant.user
    conduct.evidence_add(item=task.items.get(key=PLAIN_KEY), upload=png_upload(), by=applicant)
    conduct.rectification_submit(task=task, by=applicant)
    conduct.rectify_verify(item=task.items.get(key=PLAIN_KEY), ok=True, comment="", by=second)
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="整改合格",
                                          by=second)
    conduct.conclusion_confirm(conclusion=proposal, by=first)


def build_cases(w: World) -> None:
    """Drive the cases of the table above to their states (dates are today's)."""
    crew, new = w.crew, lambda m, dist: CaseFactory(matter=m, district=dist)
    w.cases["c1"] = drive(new(w.a, w.d1), crew, CaseStatus.ISSUED)
    w.cases["c2"] = drive(new(w.a, w.d1), crew, CaseStatus.ISSUED)
    c3 = drive(new(w.c, w.d2), crew, CaseStatus.DECISION_PENDING)
    case_transition(case_id=c3.pk, name="deny", by=crew.users["approver"], note="不符合条件")
    w.cases["c3"] = c3
    c4 = drive(new(w.a, w.d2), crew, CaseStatus.UNDER_REVIEW)
    case_transition(case_id=c4.pk, name="return_case", by=crew.users["reviewer"],
                    note="材料不符合法定形式", data={"reason_code": "form_defect"})
    w.cases["c4"] = c4
    w.cases["c5"] = drive(new(w.b, w.d1), crew, CaseStatus.ISSUED)
    c6 = drive(new(w.b, w.d2), crew, CaseStatus.INSPECTING)
    rectified_then_pass(c6, crew)
    w.cases["c6"] = c6
    c7 = drive(new(w.b, w.d1), crew, CaseStatus.INSPECTING)
    insp.conclude(c7, inspectors=crew.inspectors, outcome=Outcome.FAIL)
    w.cases["c7"] = c7
    w.cases["c8"] = drive(new(w.c, w.d1), crew, CaseStatus.UNDER_REVIEW)
    w.cases["c9"] = drive(new(w.c, w.d1), crew, CaseStatus.ACCEPTED)
    c10 = drive(new(w.a, w.d1), crew, CaseStatus.SUBMITTED)
    case_transition(case_id=c10.pk, name="request_supplement", by=crew.users["clerk"],
                    note="请补交营业执照", data={"items": [
                        {"material_name": "营业执照", "reason": "未提交", "problem": "missing"}]})
    w.cases["c10"] = c10
    w.cases["c11"] = drive(new(w.a, w.d2), crew, CaseStatus.UNDER_REVIEW)
    w.cases["c12"] = new(w.a, w.d1)
    for name, case in w.cases.items():
        case.refresh_from_db()
        w.cases[name] = case


def date_cases(w: World) -> None:
    """Put every case on the days of the table (stages, duties, inspections too)."""
    today = timezone.localdate()
    plan = {  # submitted, accepted, closed, promised
        "c1": (d(3), d(3), d(5), d(10)), "c2": (d(3), d(4), d(20), d(12)),
        "c3": (d(5), d(5), d(14), d(14)), "c4": (d(6), d(6), d(18), d(20)),
        "c5": (d(7), d(7), d(21), d(25)), "c6": (d(7), d(10), None, d(28)),
        "c7": (d(10), d(10), None, d(28)), "c8": (d(10), d(11), None, today - timedelta(2)),
        "c9": (d(12), d(12), None, today), "c10": (d(12), None, None, None),
        "c11": (date(2025, 4, 2), date(2025, 4, 2), None, date(2025, 4, 10)),
    }
    for name, (sub, acc, closed, promised) in plan.items():
        case = w.cases[name]
        set_case(case, submitted_at=at(sub), accepted_at=at(acc) if acc else None,
                 closed_at=at(closed, 16) if closed else None,
                 decided_at=at(closed, 15) if closed and name != "c4" else None,
                 promised_date=promised)
        CaseParticipant.objects.filter(case=case).update(created_at=at(sub, 11))
        for stage in case.stages.all():
            set_stage(case, stage.name, sub, sub if stage.ended_at else None)
    # the stage clocks the averages read (see test_stage_averages)
    set_stage(w.cases["c1"], "review", d(3), d(5))                 # 2 working days
    set_stage(w.cases["c2"], "review", d(4), d(11), paused=1)      # 5 - 1 = 4
    set_stage(w.cases["c3"], "review", d(5), d(12))                # 5
    set_stage(w.cases["c5"], "review", d(7), d(7))                 # 0
    set_stage(w.cases["c5"], "inspection", d(7), d(11))            # 2 (Mon 10, Tue 11)
    set_stage(w.cases["c10"], "acceptance", d(12), None, due=d(13))
    for name, day in (("c5", d(11)), ("c6", d(13)), ("c7", d(15))):
        InspectionTask.objects.filter(cases=w.cases[name]).update(concluded_at=at(day, 14))


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


@pytest.fixture
def world(crew, django_capture_on_commit_callbacks) -> World:
    s1, s2 = SectionFactory(code="S1", name="市场准入科"), SectionFactory(code="S2", name="社会事务科")
    city = District.objects.create(code="140800", name="运城市")
    w = World(
        crew=crew, s1=s1, s2=s2,
        a=MatterFactory(code="A", name="食品经营许可", section=s1, industry="餐饮服务"),
        b=MatterFactory(code="B", name="药品零售许可", section=s1, industry="药品零售",
                        inspected=True),
        c=MatterFactory(code="C", name="公共场所卫生许可", section=s2, industry="餐饮服务"),
        d1=District.objects.create(code="140802", name="盐湖区", parent=city),
        d2=District.objects.create(code="140821", name="临猗县", parent=city),
    )
    insp.ensure_standard(w.b)
    with django_capture_on_commit_callbacks(execute=True):  # facts refreshed as they commit
        build_cases(w)
    return w


@pytest.fixture
def dated(world) -> World:
    """The world with the table's dates, facts rebuilt."""
    date_cases(world)
    rebuild()
    return world


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def supervisor(crew) -> User:
    return crew.users["supervisor"]


@pytest.fixture
def approver_s1(world) -> User:
    return staff("approver", section=world.s1)
