"""Drive a case through the real services, one actor per duty (the four-way separation)."""

from __future__ import annotations

from dataclasses import dataclass, field

from approvals.models import Case
from approvals.services import case_transition
from approvals.workflow import transition_meta
from portal.accounts.models import User
from tests.factories import inspection, staff

#: The happy path for a matter with an inspection, as (transition, actor key).
PATH_WITH_INSPECTION = [
    ("submit", "applicant"), ("accept", "clerk"), ("start_review", "reviewer"),
    ("request_inspection", "reviewer"), ("start_inspection", "inspector"),
    ("conclude_inspection", "inspector"), ("approve", "approver"), ("issue", "certifier"),
    ("archive", "archivist"),
]
PATH_WITHOUT_INSPECTION = [
    ("submit", "applicant"), ("accept", "clerk"), ("start_review", "reviewer"),
    ("send_to_decision", "reviewer"), ("approve", "approver"), ("issue", "certifier"),
    ("archive", "archivist"),
]


#: What a step needs besides a note (the reviewer's choice of inspection mode and tier).
STEP_DATA = {"request_inspection": {"mode": "onsite", "tier": "general"}}


@dataclass
class Crew:
    """One person per duty."""

    users: dict[str, User] = field(default_factory=dict)

    @classmethod
    def make(cls) -> Crew:
        users = {role: staff(role) for role in (
            "clerk", "reviewer", "inspector", "approver", "certifier", "archivist",
            "dispatcher", "supervisor")}
        users["inspector2"] = staff("inspector")
        return cls(users)

    @property
    def inspectors(self) -> list[User]:
        return [self.users["inspector"], self.users["inspector2"]]

    def actor(self, key: str, case: Case) -> User:
        return case.applicant.user if key == "applicant" else self.users[key]


def drive(case: Case, crew: Crew, until: str) -> Case:
    """Run the happy path until the case reaches status ``until``."""
    path = PATH_WITH_INSPECTION if case.matter.needs_inspection else PATH_WITHOUT_INSPECTION
    for name, key in path:
        if case.status == until:
            return case
        if transition_meta(case, name) is None:  # already past this step
            continue
        if name == "start_inspection":
            inspection.start(case, dispatcher=crew.users["dispatcher"],
                             inspectors=crew.inspectors)
        elif name == "conclude_inspection":
            inspection.conclude(case, inspectors=crew.inspectors)
        else:
            case_transition(case_id=case.pk, name=name, by=crew.actor(key, case),
                            note="同意", data=STEP_DATA.get(name))
        case.refresh_from_db()
    assert case.status == until, f"{until} not on the happy path"
    return case
