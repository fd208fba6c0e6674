"""What the case page shows about intake, worked out from the case ``case_get`` returned:
the running deadline in working days, what the applicant owes (补正 items, 容缺 promises),
materials, notices, the 告知承诺 commitment, the applicant's next step and the clerk's
decision forms. The generic action panel keeps only the actions not handled here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from approvals import selectors
from approvals.permissions import STAGE_PERMISSION, is_case_applicant
from approvals.services import intake as intake_services
from approvals.workflow import CaseStatus, Stage
from portal.accounts.roles import Role
from portal.core.calendar import get_calendar
from portal.intake.decisions import decision_state

APPLY_ACTIONS = {"submit", "resubmit"}
DECISION_ACTIONS = {"accept", "request_supplement", "reject"}


@dataclass
class Deadline:
    stage: object
    due: object
    remaining: int
    paused: bool

    @property
    def overdue(self) -> bool:
        return self.remaining < 0

    @property
    def overdue_days(self) -> int:
        return -self.remaining


def current_deadline(case) -> Deadline | None:
    running = [s for s in case.stages.all() if s.ended_at is None]
    if not running:
        return None
    stage = running[-1]
    paused = any(p.ended_at is None for p in stage.pauses.all())
    remaining = get_calendar().between(timezone.localdate(), stage.due_date)
    return Deadline(stage, stage.due_date, remaining, paused)


def case_panels(*, case, user, actions, decision=None) -> dict:
    names = {a.name for a in actions}
    decides = bool(names & DECISION_ACTIONS) and user.has_role(Role.CLERK)
    handled = (names & APPLY_ACTIONS) | (DECISION_ACTIONS if decides else set())
    owner = is_case_applicant.test(user, case)
    filer = STAGE_PERMISSION[Stage.APPLY].test(user, case)
    supplement = getattr(case, "supplement_request", None)
    commitment = getattr(case, "commitment", None)
    generic = [a for a in actions if a.name not in handled]
    panels = {
        "deadline": current_deadline(case),
        "materials": case.current_materials,
        "notices": list(case.notices.all()),
        "deficiencies": list(case.deficiencies.all()),
        "supplement": supplement,
        "supplement_items": list(selectors.supplement_items(case=case)) if supplement else [],
        "owner": owner,
        "can_edit": filer and case.status in intake_services.EDITABLE,
        "can_submit": bool(names & APPLY_ACTIONS),
        "submit_action": next((a for a in actions if a.name in APPLY_ACTIONS), None),
        "commitment": commitment,
        "commitment_eligible": case.matter.commitment_eligible,
        "commitment_text": str(intake_services.COMMITMENT_TEXT).format(matter=case.matter.name),
        "can_sign": (owner and commitment is None and case.matter.commitment_eligible
                     and case.status in intake_services.COMMITMENT_OPEN),
        "decision": (decision or decision_state(case)) if decides else None,
        "decides": decides,
        "can_reject": "reject" in names, "can_supplement": "request_supplement" in names,
        "can_accept": "accept" in names,
        "instant": decides and "accept" in names and case.matter.single_approver,
        "generic_actions": generic,
    }
    panels["has_act"] = bool(generic or decides or panels["can_submit"] or panels["can_edit"])
    panels["is_supplement_pending"] = case.status == CaseStatus.SUPPLEMENT_REQUESTED
    return panels
