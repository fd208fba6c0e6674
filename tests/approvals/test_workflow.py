"""Every allowed and every forbidden transition of the case state machine, through the
service that runs them, with one person per duty."""

from __future__ import annotations

import pytest

from approvals.models import Case, CaseStatusChange
from approvals.services import case_transition
from approvals.workflow import TRANSITIONS, CaseStatus, Stage
from portal.core.errors import ConflictError
from portal.core.models import AuditEntry
from tests.factories import CaseFactory, MatterFactory, inspection
from tests.factories.workflow import Crew

S = CaseStatus

#: How to reach each state: (transitions, needs an inspected matter).
ROUTES: dict[str, list[str]] = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.SUPPLEMENT_REQUESTED: ["submit", "request_supplement"],
    S.REJECTED: ["submit", "reject"],
    S.ACCEPTED: ["submit", "accept"],
    S.UNDER_REVIEW: ["submit", "accept", "start_review"],
    S.RETURNED: ["submit", "accept", "start_review", "return_case"],
    S.NEEDS_INSPECTION: ["submit", "accept", "start_review", "request_inspection"],
    S.INSPECTING: ["submit", "accept", "start_review", "request_inspection", "start_inspection"],
    S.DECISION_PENDING: ["submit", "accept", "start_review", "request_inspection",
                         "start_inspection", "conclude_inspection"],
    S.APPROVED: ["submit", "accept", "start_review", "request_inspection", "start_inspection",
                 "conclude_inspection", "approve"],
    S.DENIED: ["submit", "accept", "start_review", "request_inspection", "start_inspection",
               "conclude_inspection", "deny"],
    S.ISSUED: ["submit", "accept", "start_review", "request_inspection", "start_inspection",
               "conclude_inspection", "approve", "issue"],
    S.WITHDRAWN: ["submit", "withdraw"],
    S.ARCHIVED: ["submit", "withdraw", "archive"],
}

STAGE_ACTOR = {Stage.APPLY: "applicant", Stage.ACCEPT: "clerk", Stage.REVIEW: "reviewer",
               Stage.INSPECT: "inspector", Stage.DECIDE: "approver", Stage.ISSUE: "certifier",
               Stage.ARCHIVE: "archivist"}

#: The graph as data, read from the model: {(source, transition): target}.
def _graph() -> dict[tuple[str, str], str]:
    from approvals.models import Case

    edges = {}
    for t in Case().get_all_status_transitions():
        edges[(t.source, t.name)] = t.target
    return edges


GRAPH = _graph()
ALLOWED = sorted(GRAPH)
FORBIDDEN = sorted((state, name) for state in S.values for name in TRANSITIONS
                   if (state, name) not in GRAPH)


SUPPLEMENT = {"items": [{"material_name": "营业执照", "problem": "defective",
                         "reason": "复印件不清晰"}]}


def _run(case, name, crew):
    """Run ``name``; inspection steps from their own state go through the inspection task
    (the only way a case enters and leaves inspection)."""
    if (name, case.status) == ("start_inspection", S.NEEDS_INSPECTION):
        inspection.start(case, dispatcher=crew.users["dispatcher"], inspectors=crew.inspectors)
        return Case.objects.get(pk=case.pk)
    if (name, case.status) == ("conclude_inspection", S.INSPECTING):
        inspection.conclude(case, inspectors=crew.inspectors)
        return Case.objects.get(pk=case.pk)
    actor = crew.actor(STAGE_ACTOR[TRANSITIONS[name].stage], case)
    data = {"request_supplement": SUPPLEMENT,
            "return_case": {"reason_code": "conditions_not_met"},
            "request_inspection": {"mode": "onsite", "tier": "general"}}.get(name)
    return case_transition(case_id=case.pk, name=name, by=actor, note="经核查，意见如下",
                           data=data)


def _case_in(state: str, crew: Crew, *, inspected: bool = True):
    case = CaseFactory(matter=MatterFactory(inspected=inspected))
    for name in ROUTES[state]:
        case = _run(case, name, crew)
    assert case.status == state
    return case


@pytest.fixture
def crew(db):
    return Crew.make()


def test_graph_covers_every_state():
    sources = {s for s, _ in GRAPH}
    assert sources | {S.ARCHIVED} == set(S.values)
    assert set(ROUTES) == set(S.values)


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "name"), ALLOWED)
def test_allowed_transition_reaches_its_target(source, name, crew):
    case = _case_in(source, crew, inspected=name != "send_to_decision")
    history_before = CaseStatusChange.objects.filter(case=case).count()
    audit_before = AuditEntry.objects.filter(action=f"case.{name}").count()

    case = _run(case, name, crew)

    assert case.status == GRAPH[(source, name)]
    assert CaseStatusChange.objects.filter(case=case).count() == history_before + 1
    last = CaseStatusChange.objects.filter(case=case).last()
    assert (last.from_status, last.to_status, last.transition) == (source, case.status, name)
    assert AuditEntry.objects.filter(action=f"case.{name}").count() == audit_before + 1


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "name"), FORBIDDEN)
def test_forbidden_transition_is_refused_and_changes_nothing(source, name, crew):
    case = _case_in(source, crew)
    history_before = CaseStatusChange.objects.filter(case=case).count()

    with pytest.raises(ConflictError) as refused:
        _run(case, name, crew)

    assert refused.value.code == "invalid_transition"
    assert refused.value.status == 409
    assert "不能执行" in refused.value.message
    assert Case.objects.get(pk=case.pk).status == source
    assert CaseStatusChange.objects.filter(case=case).count() == history_before


@pytest.mark.django_db
def test_second_supplement_request_on_same_case_is_refused(crew):
    case = _case_in(S.SUPPLEMENT_REQUESTED, crew)
    case = _run(case, "resubmit", crew)
    with pytest.raises(ConflictError) as refused:
        _run(case, "request_supplement", crew)
    assert "一次性告知只能发出一次" in refused.value.message
    assert _run(case, "accept", crew).status == S.ACCEPTED


@pytest.mark.django_db
def test_inspected_matter_cannot_skip_inspection_without_commitment(crew):
    case = _case_in(S.UNDER_REVIEW, crew, inspected=True)
    with pytest.raises(ConflictError) as refused:
        _run(case, "send_to_decision", crew)
    assert "须经勘验" in refused.value.message


@pytest.mark.django_db
def test_commitment_case_goes_to_decision_without_inspection(crew):
    from django.utils import timezone

    from approvals.models import Case

    case = _case_in(S.UNDER_REVIEW, crew, inspected=True)
    Case.objects.filter(pk=case.pk).update(commitment_signed_at=timezone.now())
    assert _run(case, "send_to_decision", crew).status == S.DECISION_PENDING


@pytest.mark.django_db
def test_unknown_transition_name_is_refused(crew):
    from portal.core.errors import ApplicationError

    case = _case_in(S.DRAFT, crew)
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=case.pk, name="teleport", by=case.applicant.user)
    assert refused.value.code == "unknown_transition"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n, spec in TRANSITIONS.items() if spec.needs_reason])
def test_refusals_need_a_written_reason(name, crew):
    from portal.core.errors import ApplicationError

    source = next(s for (s, n) in GRAPH if n == name)
    case = _case_in(source, crew)
    actor = crew.actor(STAGE_ACTOR[TRANSITIONS[name].stage], case)
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=case.pk, name=name, by=actor, note="  ")
    assert refused.value.code == "reason_required"
    from approvals.models import Case

    assert Case.objects.get(pk=case.pk).status == source
