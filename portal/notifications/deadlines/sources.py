"""The built-in deadline sources: open case stages, cases' promised completion dates and
open 容缺 promises. Registered by the app's ``ready()``.

Pauses need no arithmetic here: a stage's ``due_date`` (and the case's promise) already
include the paused working days, and holidays are already in the calendar. A clock that
is stopped right now (an open ``StagePause``) is reported as paused and not alerted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case, CaseStage, Deficiency, StagePause
from approvals.workflow import CLOSED, FINAL, Stage
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.calendar import get_calendar
from portal.notifications.deadlines.policy import ESCALATION, RED, YELLOW
from portal.notifications.deadlines.registry import Deadline

ENDED = [*CLOSED, *FINAL]
#: For each stage clock: the duty whose participants answer for it, and the roles that
#: answer for it before anyone has taken it (staff of the matter's section or bureau-wide).
STAGE_OWNERS = {
    CaseStage.Name.ACCEPTANCE: (Stage.ACCEPT, (Role.CLERK,)),
    CaseStage.Name.REVIEW: (Stage.REVIEW, (Role.REVIEWER,)),
    CaseStage.Name.INSPECTION: (Stage.INSPECT, (Role.INSPECTOR, Role.DISPATCHER)),
    CaseStage.Name.DECISION: (Stage.DECIDE, (Role.APPROVER,)),
    CaseStage.Name.ISSUE: (Stage.ISSUE, (Role.CERTIFIER,)),
}


def _active_staff(roles: Iterable[str]) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name__in=list(roles)).distinct()


def stage_staff(case: Case, stage_name: str) -> list[User]:
    """Who answers for a stage clock: its duty's participants, else the role's staff."""
    duty, roles = STAGE_OWNERS[stage_name]
    users = list(User.objects.filter(is_active=True, case_duties__case=case,
                                     case_duties__stage=duty).distinct())
    if users:
        return users
    section = case.matter.section_id
    return list(_active_staff(roles).filter(Q(section_id=section) | Q(section__isnull=True)))


def escalation_staff(case: Case) -> list[User]:
    """升级督办: the supervisors, and the approvers (heads) of the matter's section
    (approvers without a section act bureau-wide, as in ``in_case_section``)."""
    section = Q(section_id=case.matter.section_id) | Q(section__isnull=True)
    return list(User.objects.filter(
        Q(groups__name=Role.SUPERVISOR) | (Q(groups__name=Role.APPROVER) & section),
        is_active=True).distinct())


def _open_stage(case: Case) -> CaseStage | None:
    return case.stages.filter(ended_at__isnull=True).order_by("-started_at").first()


class StageDeadlines:
    code = "approvals.casestage"

    def open_deadlines(self, *, horizon: date | None = None, case=None) -> list[Deadline]:
        paused = StagePause.objects.filter(stage=OuterRef("pk"), ended_at__isnull=True)
        qs = (CaseStage.objects.filter(ended_at__isnull=True)
              .exclude(case__status__in=ENDED).annotate(is_paused=Exists(paused)))
        if horizon is not None:
            qs = qs.filter(due_date__lte=horizon)
        if case is not None:
            qs = qs.filter(case=case)
        return [Deadline(self.code, s.pk, s.due_date, s.limit_days,
                         _("{stage}环节").format(stage=s.get_name_display()), s.case_id,
                         paused=s.is_paused) for s in qs.order_by("due_date", "id")]

    def recipients(self, deadline: Deadline, level: str) -> list[User]:
        stage = CaseStage.objects.select_related("case__matter").get(pk=deadline.object_id)
        if level == ESCALATION:
            return escalation_staff(stage.case)
        return stage_staff(stage.case, stage.name)


class CasePromiseDeadlines:
    code = "approvals.case.promise"

    def open_deadlines(self, *, horizon: date | None = None, case=None) -> list[Deadline]:
        paused = StagePause.objects.filter(stage__case=OuterRef("pk"), ended_at__isnull=True)
        qs = (Case.objects.filter(promised_date__isnull=False).exclude(status__in=ENDED)
              .select_related("matter").annotate(is_paused=Exists(paused)))
        if horizon is not None:
            qs = qs.filter(promised_date__lte=horizon)
        if case is not None:
            qs = qs.filter(pk=case.pk)
        return [Deadline(self.code, c.pk, c.promised_date, c.matter.promised_days,
                         _("承诺办结期限"), c.pk, paused=c.is_paused)
                for c in qs.order_by("promised_date", "id")]

    def recipients(self, deadline: Deadline, level: str) -> list[User]:
        case = Case.objects.select_related("matter").get(pk=deadline.object_id)
        if level == ESCALATION:
            return escalation_staff(case)
        stage = _open_stage(case)
        if stage is not None:
            return stage_staff(case, stage.name)
        return list(_active_staff([Role.APPROVER]).filter(section_id=case.matter.section_id))


class DeficiencyDeadlines:
    """容缺: the applicant owes a material by the promised date; they are told too."""

    code = "approvals.deficiency"

    def open_deadlines(self, *, horizon: date | None = None, case=None) -> list[Deadline]:
        qs = (Deficiency.objects.filter(fulfilled_at__isnull=True)
              .exclude(case__status__in=ENDED).select_related("requirement"))
        if horizon is not None:
            qs = qs.filter(promise_date__lte=horizon)
        if case is not None:
            qs = qs.filter(case=case)
        cal = get_calendar()
        return [Deadline(self.code, d.pk, d.promise_date,
                         cal.between(timezone.localdate(d.created_at), d.promise_date),
                         _("容缺材料“{name}”承诺补交").format(name=d.requirement.name),
                         d.case_id, applicant_levels=frozenset({YELLOW, RED}))
                for d in qs.order_by("promise_date", "id")]

    def recipients(self, deadline: Deadline, level: str) -> list[User]:
        deficiency = Deficiency.objects.select_related("case__matter", "created_by") \
            .get(pk=deadline.object_id)
        if level == ESCALATION:
            return escalation_staff(deficiency.case)
        if level == RED and deficiency.created_by.is_active:
            return [deficiency.created_by]
        return []


BUILTIN_SOURCES = (StageDeadlines(), CasePromiseDeadlines(), DeficiencyDeadlines())
