"""Stage clocks: start, pause, resume and end the working-day deadlines of a case."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from approvals.models import Case, CaseStage, StagePause
from portal.core.calendar import get_calendar, warn_if_uncovered
from portal.core.workdays import due_date

Name = CaseStage.Name


def _local_date(moment: datetime):
    return timezone.localdate(moment)


def _pause_spans(stage: CaseStage) -> list[tuple]:
    return [(_local_date(p.started_at), _local_date(p.ended_at))
            for p in stage.pauses.all() if p.ended_at is not None]


def stage_open(case: Case, name: str) -> CaseStage | None:
    return case.stages.filter(name=name, ended_at__isnull=True).order_by("-started_at").first()


def stage_start(case: Case, name: str, *, at: datetime | None = None) -> CaseStage:
    at = at or timezone.now()
    cal = get_calendar()
    start = _local_date(at)
    limit = case.matter.stage_limit(name)
    due = due_date(cal, start, limit)
    uncertain = warn_if_uncovered(cal, start, due, context=f"case {case.pk} stage {name}")
    return CaseStage.objects.create(case=case, name=name, started_at=at, start_date=start,
                                    limit_days=limit, due_date=due, calendar_uncertain=uncertain)


def stage_end(case: Case, name: str, *, at: datetime | None = None) -> None:
    stage = stage_open(case, name)
    if stage is not None:
        stage.ended_at = at or timezone.now()
        stage.save(update_fields=["ended_at"])


def stages_end_all(case: Case, *, at: datetime | None = None) -> None:
    case.stages.filter(ended_at__isnull=True).update(ended_at=at or timezone.now())
    StagePause.objects.filter(stage__case=case, ended_at__isnull=True).update(
        ended_at=at or timezone.now())


def stage_pause(case: Case, name: str, reason: str, *, at: datetime | None = None) -> None:
    stage = stage_open(case, name)
    if stage is not None and not stage.pauses.filter(ended_at__isnull=True).exists():
        StagePause.objects.create(stage=stage, reason=reason, started_at=at or timezone.now())


def stage_resume(case: Case, name: str, *, at: datetime | None = None) -> None:
    """End the open pause and push the stage's due date (and the case's promise) back."""
    stage = stage_open(case, name)
    if stage is None:
        return
    at = at or timezone.now()
    stage.pauses.filter(ended_at__isnull=True).update(ended_at=at)
    cal = get_calendar()
    spans = _pause_spans(stage)
    stage.paused_days = sum(cal.between(a, b) for a, b in spans if b > a)
    stage.due_date = due_date(cal, stage.start_date, stage.limit_days, spans)
    stage.save(update_fields=["paused_days", "due_date"])
    case_refresh_promise(case)


def case_refresh_promise(case: Case) -> None:
    """Promised completion: promised working days from acceptance, plus paused days after it."""
    if case.accepted_at is None:
        return
    cal = get_calendar()
    start = _local_date(case.accepted_at)
    paused = sum(s.paused_days for s in case.stages.exclude(name=Name.ACCEPTANCE))
    case.promised_date = cal.add(start, case.matter.promised_days + paused)
    warn_if_uncovered(cal, start, case.promised_date, context=f"case {case.pk} promise")


#: Clock changes per transition: (stages to end, stage to start, pause, resume).
CLOCK_EFFECTS: dict[str, dict] = {
    "submit": {"start": Name.ACCEPTANCE},
    "request_supplement": {"pause": (Name.ACCEPTANCE, StagePause.Reason.SUPPLEMENT)},
    "resubmit": {"resume": Name.ACCEPTANCE},
    "accept": {"end": [Name.ACCEPTANCE], "start": Name.REVIEW, "promise": True},
    "reject": {"end": [Name.ACCEPTANCE]},
    "request_inspection": {"end": [Name.REVIEW], "start": Name.INSPECTION},
    "send_to_decision": {"end": [Name.REVIEW], "start": Name.DECISION},
    "return_case": {"end": [Name.REVIEW]},
    "conclude_inspection": {"end": [Name.INSPECTION], "start": Name.DECISION},
    "approve": {"end": [Name.DECISION], "start": Name.ISSUE},
    "deny": {"end": [Name.DECISION]},
    "issue": {"end": [Name.ISSUE]},
    "withdraw": {"end_all": True},
}


def clocks_apply(case: Case, transition: str) -> None:
    effects = CLOCK_EFFECTS.get(transition, {})
    now = timezone.now()
    if effects.get("end_all"):
        stages_end_all(case, at=now)
    for name in effects.get("end", ()):
        stage_end(case, name, at=now)
    if "pause" in effects:
        stage_pause(case, *effects["pause"], at=now)
    if "resume" in effects:
        stage_resume(case, effects["resume"], at=now)
    if "start" in effects:
        stage_start(case, effects["start"], at=now)
    if effects.get("promise"):
        case_refresh_promise(case)
