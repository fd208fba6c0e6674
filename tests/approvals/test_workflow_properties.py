"""Property test: random people trying random actions never break the four-way separation
and never leave a case in an invalid or inconsistent state."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from approvals.models import Case, CaseParticipant
from approvals.permissions import STAGE_PERMISSION
from approvals.separation import separation_holds
from approvals.services import case_transition
from approvals.workflow import TRANSITIONS, CaseStatus, Stage
from portal.core.errors import ApplicationError
from tests.factories import ApplicantFactory, MatterFactory, UserFactory, inspection

ROLE_SETS = [
    ["clerk"], ["clerk"], ["reviewer"], ["reviewer"], ["inspector"], ["inspector"],
    ["approver"], ["certifier"], ["archivist"], ["dispatcher"], ["supervisor"],
    ["clerk", "reviewer"], ["reviewer", "approver"], ["inspector", "certifier"],
    ["clerk", "reviewer", "inspector", "approver", "certifier", "archivist"],
]


reached: set[str] = set()
#: Transitions that end a case early; the progress rule leaves them to the random rules.
ENDINGS = {"withdraw", "reject", "return_case", "deny"}


def make_machine(people, applicant, matters):
    inspectors = [p for p in people if p.has_role("inspector")]
    dispatcher = next(p for p in people if p.has_role("dispatcher"))

    class CaseMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.case = None

        @initialize(matter=st.sampled_from(range(len(matters))))
        def open_case(self, matter):
            self.case = Case.objects.create(matter=matters[matter], applicant=applicant,
                                                created_by=applicant.user)

        @rule(who=st.integers(min_value=-1, max_value=len(people) - 1),
              name=st.sampled_from(sorted(TRANSITIONS)))
        def act(self, who, name):
            if self.case is None:
                return
            user = applicant.user if who < 0 else people[who]
            before = Case.objects.get(pk=self.case.pk).status
            try:
                self.case = case_transition(
                    case_id=self.case.pk, name=name, by=user, note="理由",
                    data={"items": [{"material_name": "材料", "reason": "不清晰"}],
                          "reason_code": "other", "mode": "onsite", "tier": "general"})
            except ApplicationError:
                assert Case.objects.get(pk=self.case.pk).status == before

        @rule(who=st.integers(min_value=-1, max_value=len(people) - 1), data=st.data())
        def act_on_an_open_transition(self, who, data):
            """Bias towards progress: pick a transition the state allows (anyone may try)."""
            if self.case is None:
                return
            names = sorted(t.name for t in Case.objects.get(pk=self.case.pk)
                           .get_available_status_transitions())
            if names:
                self.act(who=who, name=data.draw(st.sampled_from(names)))

        @rule(data=st.data())
        def act_as_someone_with_the_role(self, data):
            """Progress faster: an open transition tried by a person holding its role
            (multi-role people included, so separation is what stops them)."""
            if self.case is None:
                return
            case = Case.objects.get(pk=self.case.pk)
            pairs = [(t.name, i) for t in case.get_available_status_transitions()
                     if t.name not in ENDINGS
                     for i, user in enumerate([applicant.user, *people])
                     if STAGE_PERMISSION[TRANSITIONS[t.name].stage].test(user, case)]
            if pairs:
                name, i = data.draw(st.sampled_from(pairs))
                self.act(who=i - 1, name=name)

        @rule(data=st.data())
        def inspect_through_the_task(self, data):
            """Inspection happens on a task: a dispatcher assigns two random inspectors
            (the separation may exclude them), one starts, both conclude."""
            if self.case is None:
                return
            case = Case.objects.get(pk=self.case.pk)
            pair = data.draw(st.permutations(inspectors))[:2]
            try:
                if case.status == CaseStatus.NEEDS_INSPECTION:
                    inspection.start(case, dispatcher=dispatcher, inspectors=pair)
                elif case.status == CaseStatus.INSPECTING:
                    inspection.conclude(case, inspectors=pair)
            except ApplicationError:
                assert Case.objects.get(pk=self.case.pk).status == case.status

        @invariant()
        def state_is_valid_and_history_consistent(self):
            if self.case is None:
                return
            case = Case.objects.get(pk=self.case.pk)
            assert case.status in CaseStatus.values
            history = list(case.history.order_by("at", "id"))
            previous = CaseStatus.DRAFT
            for change in history:
                assert change.from_status == previous
                previous = change.to_status
            assert previous == case.status
            reached.add(case.status)

        @invariant()
        def separation_of_duties_holds(self):
            if self.case is None:
                return
            duties: dict[str, set[int]] = {}
            for stage, user_id in CaseParticipant.objects.filter(case=self.case).values_list(
                    "stage", "user_id"):
                duties.setdefault(stage, set()).add(user_id)
            duties.setdefault(Stage.APPLY, set()).add(applicant.user_id)
            assert separation_holds(duties, single_approver=self.case.matter.single_approver)

    return CaseMachine


@pytest.mark.django_db
def test_random_actors_never_break_separation_or_state():
    people = [UserFactory(roles=roles) for roles in ROLE_SETS]
    applicant = ApplicantFactory()
    matters = [MatterFactory(inspected=True), MatterFactory(), MatterFactory(instant=True)]
    machine = make_machine(people, applicant, matters)
    reached.clear()
    run_state_machine_as_test(machine, settings=settings(
        max_examples=60, stateful_step_count=40, deadline=None,
        suppress_health_check=[HealthCheck.too_slow]))
    # the random walk really explores the workflow, not just the first states
    assert {CaseStatus.ISSUED, CaseStatus.DENIED, CaseStatus.ARCHIVED} & reached
    assert len(reached) >= 12, reached
