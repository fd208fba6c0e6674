"""Risk alerts (内控): each rule fires on a crafted dataset and stays quiet on a benign one;
a scan run twice raises each alert once; a closed alert comes back only with a newer fact;
alerts are assigned (never to someone the finding is about) and closed with a note, each
change audited."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from approvals.catalogue import RiskLevel
from approvals.models import (
    Case,
    CaseParticipant,
    CaseStage,
    CaseStatusChange,
    Deficiency,
    StagePause,
)
from approvals.workflow import CaseStatus
from portal.core.errors import ApplicationError
from portal.core.models import AuditEntry
from portal.notifications.models import Notification
from portal.ratings import risk
from portal.ratings.models import AlertStatus, RiskAlert, RiskRule
from portal.ratings.services.alerts import alert_assign, alert_close, risk_scan
from portal.ratings.tasks import risk_scan as risk_scan_task
from tests.factories import ApplicantFactory, CaseFactory, MaterialFactory, MatterFactory, staff

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def last_monday(weeks_back: int = 3):
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 7 * weeks_back)


def approved_case(matter, accepted, decided, approver=None) -> Case:
    case = CaseFactory(matter=matter)
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.ISSUED, number=f"R1-{case.pk:06d}", accepted_at=aware(accepted),
        decided_at=aware(decided, 15), closed_at=aware(decided, 16))
    approver = approver or staff("approver")
    CaseStatusChange.objects.create(case=case, from_status="decision_pending",
                                    to_status="approved", transition="approve", actor=approver)
    CaseParticipant.objects.create(case=case, user=approver, stage="decide")
    return Case.objects.get(pk=case.pk)


def findings(rule):
    return rule(today=timezone.localdate())


# ---- R1 fast approval ---------------------------------------------------------------------

def test_fast_outliers_is_pure_and_needs_enough_samples():
    samples = [(i, 5) for i in range(9)] + [(99, 0)]
    median, hits = risk.fast_outliers(samples, ratio=0.2, min_samples=10)
    assert median == 5 and hits == [(99, 0)]
    assert risk.fast_outliers(samples[1:], ratio=0.2, min_samples=10) == (None, [])
    assert risk.fast_outliers([(i, 0) for i in range(12)], ratio=0.2, min_samples=10)[1] == []


def test_r1_fast_approval_fires_on_an_outlier(plain_calendar):
    matter = MatterFactory()
    monday = last_monday()
    for _ in range(10):
        approved_case(matter, monday, monday + timedelta(days=7))  # 5 working days
    approver = staff("approver")
    fast = approved_case(matter, monday, monday, approver=approver)  # same day: 0
    [hit] = findings(risk.rule_fast_approval)
    assert hit.subject == f"case:{fast.pk}" and hit.level == RiskLevel.HIGH
    assert hit.details["days"] == 0 and hit.details["median"] == 5
    assert approver.pk in hit.involved_ids and fast.number in hit.description


def test_r1_quiet_when_usual_or_too_few_samples(plain_calendar):
    matter = MatterFactory()
    monday = last_monday()
    for _ in range(12):
        approved_case(matter, monday, monday + timedelta(days=7))
    approved_case(matter, monday, monday + timedelta(days=6))  # 4 of median 5: not < 1
    assert findings(risk.rule_fast_approval) == []
    small = MatterFactory()
    for _ in range(8):
        approved_case(small, monday, monday + timedelta(days=7))
    approved_case(small, monday, monday)  # fast, but only 9 samples
    assert findings(risk.rule_fast_approval) == []


# ---- R2 same inspector --------------------------------------------------------------------

def inspection(applicant, inspector, *, days_ago: int = 10, status: str = "concluded"):
    from inspections.models import Assignment, InspectionTask

    task = InspectionTask.objects.create(
        number=f"KY-T-{next(_numbers):05d}", applicant=applicant, mode="onsite",
        tier="general", promised_by=timezone.now(), address="解放路1号",
        created_by=staff("dispatcher"))
    InspectionTask.objects.filter(pk=task.pk).update(status=status)
    return Assignment.objects.create(task=task, inspector=inspector, method="manual",
                                     reason="测试", assigned_by=task.created_by,
                                     assigned_at=timezone.now() - timedelta(days=days_ago))


def test_r2_same_inspector_with_same_applicant_three_times():
    applicant, inspector = ApplicantFactory(name="某某饭店"), staff("inspector")
    for days in (200, 100, 10):
        inspection(applicant, inspector, days_ago=days)
    [hit] = findings(risk.rule_same_inspector)
    assert hit.subject == f"inspector:{inspector.pk}/applicant:{applicant.pk}"
    assert hit.involved_ids == (inspector.pk,) and hit.details["count"] == 3
    assert len(hit.details["tasks"]) == 3 and "某某饭店" in hit.description


def test_r2_quiet_for_two_visits_old_ones_cancelled_or_other_inspectors():
    applicant, inspector = ApplicantFactory(), staff("inspector")
    inspection(applicant, inspector, days_ago=400)  # outside 12 months
    inspection(applicant, inspector, days_ago=30, status="cancelled")
    inspection(applicant, inspector, days_ago=20)
    inspection(applicant, inspector, days_ago=10)
    inspection(applicant, staff("inspector"), days_ago=5)
    inspection(ApplicantFactory(), inspector, days_ago=5)
    assert findings(risk.rule_same_inspector) == []


# ---- R3 容缺 promise overdue ---------------------------------------------------------------

def deficiency(case, promise_date, fulfilled=False):
    return Deficiency.objects.create(
        case=case, requirement=MaterialFactory(matter=case.matter), promise_date=promise_date,
        created_by=staff("clerk"), fulfilled_at=timezone.now() if fulfilled else None)


def test_r3_promise_overdue_fires_and_quiet_when_kept_future_or_case_ended(plain_calendar):
    today = timezone.localdate()
    open_case = CaseFactory()
    Case.objects.filter(pk=open_case.pk).update(status=CaseStatus.UNDER_REVIEW, number="R3-1")
    late = deficiency(open_case, today - timedelta(days=3))
    deficiency(open_case, today - timedelta(days=3), fulfilled=True)
    deficiency(open_case, today + timedelta(days=3))
    ended = CaseFactory()
    Case.objects.filter(pk=ended.pk).update(status=CaseStatus.WITHDRAWN)
    deficiency(ended, today - timedelta(days=3))
    [hit] = findings(risk.rule_promise_overdue)
    assert hit.subject == f"deficiency:{late.pk}" and hit.level == RiskLevel.LOW
    assert hit.involved_ids == (late.created_by_id,) and hit.case_id == open_case.pk


# ---- R4 stage overdue ---------------------------------------------------------------------

def stage(case, due, *, ended=False, paused=False):
    s = CaseStage.objects.create(case=case, name="review", started_at=timezone.now(),
                                 start_date=due - timedelta(days=5), limit_days=3, due_date=due,
                                 ended_at=timezone.now() if ended else None)
    if paused:
        StagePause.objects.create(stage=s, reason="supplement", started_at=timezone.now())
    return s


def test_r4_stage_overdue_by_more_than_n_working_days(plain_calendar, settings):
    settings.ONESEAL_RISK_STAGE_OVERDUE_DAYS = 3
    today = timezone.localdate()
    case = CaseFactory()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.UNDER_REVIEW, number="R4-1")
    reviewer = staff("reviewer")
    CaseParticipant.objects.create(case=case, user=reviewer, stage="review")
    late = stage(case, today - timedelta(days=21))
    stage(case, today - timedelta(days=1))  # barely late
    stage(case, today - timedelta(days=21), ended=True)
    stage(case, today - timedelta(days=21), paused=True)
    [hit] = findings(risk.rule_stage_overdue)
    assert hit.subject == f"stage:{late.pk}" and hit.level == RiskLevel.MEDIUM
    assert reviewer.pk in hit.involved_ids and "审查" in hit.description


# ---- R5 expert declines -------------------------------------------------------------------

def declines(expert, n: int, *, days_ago: int = 5, status: str = "declined"):
    from experts.models import DrawRound, ExpertDraw, ExpertField, Invitation

    field = ExpertField.objects.get_or_create(name="放射卫生")[0]
    dispatcher = staff("dispatcher")
    for _ in range(n):
        draw = ExpertDraw.objects.create(
            number=f"ZJ-T-{next(_numbers):05d}", case=CaseFactory(), field=field, count=1,
            meeting_at=timezone.now() + timedelta(days=3), mode="onsite", cooling_off_days=30,
            requested_by=dispatcher, requested_at=timezone.now())
        round_ = DrawRound.objects.create(draw=draw, number=1, kind="initial", seed="ab" * 32,
                                          eligible=[expert.pk], k=1, chosen=[expert.pk],
                                          drawn_at=timezone.now())
        replied = timezone.now() - timedelta(days=days_ago)
        Invitation.objects.create(draw=draw, round=round_, expert=expert, status=status,
                                  invited_at=replied, reply_due=replied + timedelta(days=1),
                                  replied_at=replied, decline_reason="出差")


def make_expert(name):
    from experts.models import Expert

    return Expert.objects.create(name=name, employer="某大学", phone=f"1390000{next(_numbers):04d}")


def test_r5_expert_declining_three_times_in_90_days():
    often, sometimes, long_ago = make_expert("张专家"), make_expert("李专家"), make_expert("王专家")
    declines(often, 3)
    declines(sometimes, 2)
    declines(sometimes, 2, status="accepted")
    declines(long_ago, 2, days_ago=120)
    declines(long_ago, 1)
    [hit] = findings(risk.rule_expert_declines)
    assert hit.subject == f"expert:{often.pk}" and "张专家" in hit.description
    assert hit.details == {"declines": 3} and hit.level == RiskLevel.LOW


# ---- the scan -----------------------------------------------------------------------------

@pytest.fixture
def pair():
    applicant, inspector = ApplicantFactory(), staff("inspector")
    for days in (90, 60, 30):
        inspection(applicant, inspector, days_ago=days)
    return applicant, inspector


def test_scan_twice_raises_once_and_tells_the_supervisors(pair):
    supervisor = staff("supervisor")
    first = risk_scan()
    assert [a.rule for a in first.raised] == [RiskRule.SAME_INSPECTOR]
    assert risk_scan().raised == [] and risk_scan_task.delay().get() == 0
    assert RiskAlert.objects.count() == 1
    note = Notification.objects.get(recipient=supervisor, event="risk_alert")
    assert "1" in note.title
    assert AuditEntry.objects.filter(action="ratings.alert_raise").count() == 1


def test_a_closed_alert_returns_only_with_a_newer_fact(pair):
    applicant, inspector = pair
    supervisor = staff("supervisor")
    [alert] = risk_scan().raised
    alert_close(alert=alert, note="经核查为片区固定勘验安排，已调整轮换", by=supervisor)
    assert risk_scan().raised == []
    inspection(applicant, inspector, days_ago=0)
    [again] = risk_scan().raised
    assert again.subject == alert.subject and again.pk != alert.pk
    assert again.details["count"] == 4


def test_the_open_alert_constraint_holds_in_the_database(pair):
    from django.db import IntegrityError, transaction

    [alert] = risk_scan().raised
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAlert.objects.create(number="FX-dup", rule=alert.rule, level=alert.level,
                                 subject=alert.subject, description="x",
                                 evidence_at=timezone.now())


def test_assign_and_close_with_conflict_checks(pair):
    _, inspector = pair
    supervisor, checker = staff("supervisor"), staff("reviewer")
    [alert] = risk_scan().raised
    with pytest.raises(ApplicationError) as exc:
        alert_assign(alert=alert, assignee=inspector, by=supervisor)
    assert exc.value.code == "conflict_of_interest"
    with pytest.raises(ApplicationError) as exc:
        alert_assign(alert=alert, assignee=checker, by=staff("clerk"))
    assert exc.value.status == 403
    alert = alert_assign(alert=alert, assignee=checker, by=supervisor, note="请调阅派单记录")
    assert alert.status == AlertStatus.ASSIGNED
    assert Notification.objects.filter(recipient=checker, event="risk_alert").count() == 1
    with pytest.raises(ApplicationError) as exc:
        alert_close(alert=alert, note=" ", by=checker)
    assert exc.value.code == "note_required"
    with pytest.raises(ApplicationError) as exc:
        alert_close(alert=alert, note="无问题", by=staff("clerk"))
    assert exc.value.status == 403
    alert = alert_close(alert=alert, note="派单系统按区划自动分配，已改为随机抽取", by=checker)
    assert alert.status == AlertStatus.CLOSED and alert.closed_by == checker
    with pytest.raises(ApplicationError) as exc:
        alert_close(alert=alert, note="again", by=supervisor)
    assert exc.value.status == 409
    actions = list(AuditEntry.objects.filter(object_type="ratings.riskalert")
                   .values_list("action", flat=True))
    assert actions == ["ratings.alert_raise", "ratings.alert_assign", "ratings.alert_close"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_raise_one_alert(on_postgres):
    from tests.factories.race import race

    applicant, inspector = ApplicantFactory(), staff("inspector")
    for days in (90, 60, 30):
        inspection(applicant, inspector, days_ago=days)
    results = race(lambda: len(risk_scan().raised), lambda: len(risk_scan().raised))
    assert all(kind == "ok" for kind, _ in results), results
    assert sorted(value for _, value in results) == [0, 1]
    assert RiskAlert.objects.count() == 1
