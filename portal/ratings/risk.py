"""Risk rules (内控预警). Each rule reads the database (querysets only, no writes) and
returns findings: a subject, the facts behind it and the people who may not check it
(they are part of the finding). ``portal.ratings.services.alerts.risk_scan`` turns new
findings into alerts. The arithmetic is in pure helpers (``fast_outliers``).

===  =====================  =====  ==============================================================
R1   fast_approval          重     approved in < 20% of the matter's median approval time
                                   (working days, accepted → approved) of the last 90 days, >= 10 samples
R2   same_inspector         中     the same inspector with the same applicant >= 3 times in 12 months
R3   promise_overdue        轻     a 容缺 promise date passed and the material not brought
R4   stage_overdue          中     a running stage clock overdue by more than 3 working days
R5   expert_declines        轻     an expert declined >= 3 invitations in 90 days
===  =====================  =====  ==============================================================

Thresholds are settings (``portal.ratings.conf``). ``evidence_at`` is the time of the newest
fact: a closed alert is raised again only when a newer fact appears (a fourth visit, another
decline), never for the same facts.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.catalogue import RiskLevel
from approvals.models import (
    Case,
    CaseParticipant,
    CaseStage,
    CaseStatusChange,
    Deficiency,
    StagePause,
)
from approvals.workflow import CLOSED, FINAL
from portal.core.calendar import get_calendar
from portal.ratings.conf import setting
from portal.ratings.models import RiskRule

ENDED = [*CLOSED, *FINAL]


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    subject: str
    description: str
    evidence_at: datetime
    case_id: int | None = None
    details: dict = field(default_factory=dict)
    involved_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Rule:
    code: str
    level: str
    find: Callable[..., list[Finding]]

    @property
    def label(self) -> str:
        return str(RiskRule(self.code).label)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def _since(today: date, days: int) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))


def _participants(case_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    people = defaultdict(set)
    for case_id, user_id in CaseParticipant.objects.filter(case_id__in=case_ids) \
            .exclude(stage="apply").values_list("case_id", "user_id"):
        people[case_id].add(user_id)
    return {k: tuple(sorted(v)) for k, v in people.items()}


# ---- R1 -------------------------------------------------------------------------------------

def fast_outliers(samples: Sequence[tuple[int, int]], *, ratio: Decimal | float,
                  min_samples: int) -> tuple[float | None, list[tuple[int, int]]]:
    """(median, [(id, days)] under ``ratio`` x median) of one matter's (id, days) samples;
    no outliers while there are fewer than ``min_samples`` samples or the median is 0."""
    if len(samples) < min_samples:
        return None, []
    median = statistics.median(days for _id, days in samples)
    limit = Decimal(str(ratio)) * Decimal(str(median))
    return median, [(i, d) for i, d in samples if Decimal(d) < limit]


def rule_fast_approval(*, today: date) -> list[Finding]:
    window = int(setting("ONESEAL_RISK_FAST_WINDOW_DAYS"))
    approved = CaseStatusChange.objects.filter(case=OuterRef("pk"), transition="approve")
    rows = (Case.objects.filter(decided_at__gte=_since(today, window), accepted_at__isnull=False)
            .filter(Exists(approved)).select_related("matter").order_by("pk"))
    cal, by_matter, cases = get_calendar(), defaultdict(list), {}
    for case in rows:
        days = cal.between(timezone.localdate(case.accepted_at), timezone.localdate(case.decided_at))
        by_matter[case.matter_id].append((case.pk, days))
        cases[case.pk] = case
    hits = []
    for samples in by_matter.values():
        median, outliers = fast_outliers(samples, ratio=setting("ONESEAL_RISK_FAST_RATIO"),
                                         min_samples=int(setting("ONESEAL_RISK_FAST_MIN_SAMPLES")))
        hits += [(cases[i], days, median, len(samples)) for i, days in outliers]
    people = _participants([hit[0].pk for hit in hits])
    return [Finding(
        RiskRule.FAST_APPROVAL, RiskLevel.HIGH, f"case:{case.pk}",
        _("办件 {number}（{matter}）自受理至准予许可用时 {days} 个工作日，明显短于该事项近 {window} "
          "日审批用时中位数 {median} 个工作日（{n} 件）。").format(
            number=case.number, matter=case.matter.name, days=days, window=window,
            median=f"{median:g}", n=n),
        case.decided_at, case.pk, {"days": days, "median": median, "samples": n},
        people.get(case.pk, ())) for case, days, median, n in hits]


# ---- R2 -------------------------------------------------------------------------------------

def rule_same_inspector(*, today: date) -> list[Finding]:
    from inspections.models import Assignment, TaskStatus

    window = int(setting("ONESEAL_RISK_PAIR_WINDOW_DAYS"))
    threshold = int(setting("ONESEAL_RISK_PAIR_THRESHOLD"))
    pairs = list(Assignment.objects.filter(assigned_at__gte=_since(today, window),
                                           released_at__isnull=True)
                 .exclude(task__status=TaskStatus.CANCELLED)
                 .values("inspector_id", "task__applicant_id")
                 .annotate(n=Count("task", distinct=True), last=Max("assigned_at"))
                 .filter(n__gte=threshold).order_by("inspector_id", "task__applicant_id"))
    if not pairs:
        return []
    from portal.accounts.models import Applicant

    users = get_user_model().objects.in_bulk({p["inspector_id"] for p in pairs})
    applicants = Applicant.objects.in_bulk({p["task__applicant_id"] for p in pairs})
    tasks = defaultdict(set)
    for inspector_id, applicant_id, number in (
            Assignment.objects.filter(assigned_at__gte=_since(today, window),
                                      released_at__isnull=True,
                                      inspector_id__in={p["inspector_id"] for p in pairs})
            .exclude(task__status=TaskStatus.CANCELLED)
            .values_list("inspector_id", "task__applicant_id", "task__number")):
        tasks[(inspector_id, applicant_id)].add(number)
    findings = []
    for p in pairs:
        inspector, applicant = users[p["inspector_id"]], applicants[p["task__applicant_id"]]
        findings.append(Finding(
            RiskRule.SAME_INSPECTOR, RiskLevel.MEDIUM,
            f"inspector:{inspector.pk}/applicant:{applicant.pk}",
            _("勘验员{inspector}近 {window} 日内 {n} 次勘验同一申请人“{applicant}”。").format(
                inspector=inspector, window=window, n=p["n"], applicant=applicant.name),
            p["last"], None,
            {"tasks": sorted(tasks[(inspector.pk, applicant.pk)]), "count": p["n"]},
            (inspector.pk,)))
    return findings


# ---- R3 -------------------------------------------------------------------------------------

def rule_promise_overdue(*, today: date) -> list[Finding]:
    cal = get_calendar()
    rows = (Deficiency.objects.filter(fulfilled_at__isnull=True, promise_date__lt=today)
            .exclude(case__status__in=ENDED).select_related("case__matter", "requirement")
            .order_by("promise_date", "pk"))
    return [Finding(
        RiskRule.PROMISE_OVERDUE, RiskLevel.LOW, f"deficiency:{d.pk}",
        _("办件 {number}（{matter}）容缺受理的材料“{material}”承诺于 {date} 前补交，"
          "已逾期 {n} 个工作日仍未补交。").format(
            number=d.case.number, matter=d.case.matter.name, material=d.requirement.name,
            date=d.promise_date.strftime("%Y-%m-%d"), n=cal.between(d.promise_date, today)),
        _end_of(d.promise_date), d.case_id,
        {"promise_date": d.promise_date.isoformat(), "material": d.requirement.name},
        (d.created_by_id,)) for d in rows]


# ---- R4 -------------------------------------------------------------------------------------

def rule_stage_overdue(*, today: date) -> list[Finding]:
    limit = int(setting("ONESEAL_RISK_STAGE_OVERDUE_DAYS"))
    cal = get_calendar()
    paused = StagePause.objects.filter(stage=OuterRef("pk"), ended_at__isnull=True)
    # more than ``limit`` working days late is more than ``limit`` calendar days late too
    rows = [s for s in (CaseStage.objects
                        .filter(ended_at__isnull=True, due_date__lt=today - timedelta(days=limit))
                        .exclude(case__status__in=ENDED).exclude(Exists(paused))
                        .select_related("case__matter").order_by("due_date", "pk"))
            if cal.between(s.due_date, today) > limit]
    people = _participants([s.case_id for s in rows])
    return [Finding(
        RiskRule.STAGE_OVERDUE, RiskLevel.MEDIUM, f"stage:{s.pk}",
        _("办件 {number}（{matter}）{stage}环节应于 {date} 办结，已超期 {n} 个工作日。").format(
            number=s.case.number, matter=s.case.matter.name, stage=s.get_name_display(),
            date=s.due_date.strftime("%Y-%m-%d"), n=cal.between(s.due_date, today)),
        _end_of(s.due_date), s.case_id, {"stage": s.name, "due_date": s.due_date.isoformat()},
        people.get(s.case_id, ())) for s in rows]


# ---- R5 -------------------------------------------------------------------------------------

def rule_expert_declines(*, today: date) -> list[Finding]:
    from experts.models import Expert, Invitation, InvitationStatus

    window = int(setting("ONESEAL_RISK_DECLINE_WINDOW_DAYS"))
    rows = list(Invitation.objects.filter(status=InvitationStatus.DECLINED,
                                          replied_at__gte=_since(today, window))
                .values("expert_id").annotate(n=Count("pk"), last=Max("replied_at"))
                .filter(n__gte=int(setting("ONESEAL_RISK_DECLINE_THRESHOLD")))
                .order_by("expert_id"))
    experts = Expert.objects.in_bulk([r["expert_id"] for r in rows])
    return [Finding(
        RiskRule.EXPERT_DECLINES, RiskLevel.LOW, f"expert:{r['expert_id']}",
        _("专家{name}近 {window} 日内谢绝评审邀请 {n} 次。").format(
            name=experts[r["expert_id"]].name, window=window, n=r["n"]),
        r["last"], None, {"declines": r["n"]},
        tuple(u for u in [experts[r["expert_id"]].user_id] if u)) for r in rows]


RULES: tuple[Rule, ...] = (
    Rule(RiskRule.FAST_APPROVAL, RiskLevel.HIGH, rule_fast_approval),
    Rule(RiskRule.SAME_INSPECTOR, RiskLevel.MEDIUM, rule_same_inspector),
    Rule(RiskRule.PROMISE_OVERDUE, RiskLevel.LOW, rule_promise_overdue),
    Rule(RiskRule.STAGE_OVERDUE, RiskLevel.MEDIUM, rule_stage_overdue),
    Rule(RiskRule.EXPERT_DECLINES, RiskLevel.LOW, rule_expert_declines),
)
RULE_LEVEL = {rule.code: rule.level for rule in RULES}
