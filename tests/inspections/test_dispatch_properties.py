"""Property test: whatever the pool of inspectors looks like, the eligibility is exactly the
people no rule excludes, and the random draw only ever picks among them.

Each example builds a pool with random attributes, computes who should be eligible from
those attributes alone (not from the service), then asks the service and draws. The task
covers two matters of one applicant (并联踏勘), so a qualification for one matter only is
not enough."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from approvals.models import CaseParticipant
from approvals.workflow import Stage
from inspections.models import (
    Assignment,
    ConflictDeclaration,
    InspectorAbsence,
    InspectorProfile,
)
from inspections.services import dispatch
from portal.core.errors import ConflictError
from tests.factories import ApplicantFactory, MatterFactory, staff
from tests.inspections.test_dispatch import new_task, open_request, requested_case

pytestmark = pytest.mark.django_db

CLEAN = {"profile": "active", "qualified": "both", "absent": "no", "declared": "no",
         "recent": "no", "duty": None}
#: Every other value of each attribute; some exclude (另有职责, 回避, 请假), some must not
#: (leave on another day, a withdrawn declaration, a released or old assignment, the
#: inspection duty itself).
VARIANTS = [
    ("profile", "none"), ("profile", "inactive"), ("qualified", "none"),
    ("qualified", "first"), ("absent", "that_day"), ("absent", "other_day"),
    ("declared", "active"), ("declared", "withdrawn"), ("declared", "other_applicant"),
    ("recent", "recent"), ("recent", "released"), ("recent", "long_ago"),
    *[("duty", s) for s in (Stage.ACCEPT, Stage.REVIEW, Stage.DECIDE, Stage.ISSUE,
                            Stage.INSPECT)],
]
#: A person: the clean profile with up to three attributes changed (often none, so that
#: pools with enough eligible people for a draw are common).
PERSON = st.lists(st.sampled_from(VARIANTS), max_size=3).map(
    lambda changes: {**CLEAN, **dict(changes)})


def should_be_eligible(p: dict) -> bool:
    """The rules of DOMAIN.md, from the attributes alone."""
    return (p["profile"] == "active" and p["qualified"] == "both"
            and p["absent"] != "that_day" and p["declared"] != "active"
            and p["recent"] != "recent" and p["duty"] in (None, Stage.INSPECT))


@pytest.fixture
def scene(crew, dispatcher):
    first, second = MatterFactory(inspected=True), MatterFactory(inspected=True)
    applicant = ApplicantFactory()
    cases = [requested_case(crew, first, applicant=applicant),
             requested_case(crew, second, applicant=applicant)]
    task = dispatch.task_create(requests=[open_request(c) for c in cases], by=dispatcher)
    earlier = new_task(requested_case(crew, first, applicant=applicant), dispatcher)
    return {"task": task, "earlier": earlier, "cases": cases, "matters": (first, second),
            "applicant": applicant, "stranger": ApplicantFactory(),
            "dispatcher": dispatcher, "day": dispatch.task_day(task)}


def make_person(p: dict, scene: dict):
    user = staff("inspector")
    first, second = scene["matters"]
    if p["profile"] != "none":
        profile = InspectorProfile.objects.create(user=user, active=p["profile"] == "active")
        profile.matters.set({"none": [], "first": [first], "both": [first, second]}
                            [p["qualified"]])
    day = scene["day"]
    if p["absent"] == "that_day":
        InspectorAbsence.objects.create(user=user, start=day - timedelta(days=1), end=day)
    elif p["absent"] == "other_day":
        InspectorAbsence.objects.create(user=user, start=day + timedelta(days=1),
                                        end=day + timedelta(days=3))
    if p["declared"] != "no":
        ConflictDeclaration.objects.create(
            user=user, relation="亲属", active=p["declared"] != "withdrawn",
            applicant=scene["stranger"] if p["declared"] == "other_applicant"
            else scene["applicant"])
    if p["recent"] != "no":
        now = timezone.now()
        Assignment.objects.create(
            task=scene["earlier"], inspector=user, method="manual", reason="此前勘验",
            assigned_by=scene["dispatcher"],
            assigned_at=now - timedelta(days=400 if p["recent"] == "long_ago" else 10),
            released_at=now if p["recent"] == "released" else None,
            released_by=scene["dispatcher"] if p["recent"] == "released" else None)
    if p["duty"]:
        CaseParticipant.objects.create(case=scene["cases"][1], user=user, stage=p["duty"])
    return user


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pool=st.lists(PERSON, min_size=1, max_size=7))
def test_the_draw_never_picks_an_excluded_person(scene, pool):
    task = scene["task"]
    with transaction.atomic():
        people = [(make_person(p, scene), p) for p in pool]
        ours = {u.pk for u, _ in people}
        expected = {u.pk for u, p in people if should_be_eligible(p)}

        eligibility = dispatch.inspector_eligibility(task)
        eligible = {u.pk for u in eligibility.eligible}
        assert eligible & ours == expected
        assert eligible <= ours  # the crew's inspectors have no qualification at all
        assert set(eligibility.excluded) & eligible == set()
        assert all(eligibility.excluded.get(u.pk) for u, _ in people if u.pk not in expected)

        if len(expected) < dispatch.INSPECTORS_PER_TASK:
            event("too few eligible")
            with pytest.raises(ConflictError):
                dispatch.task_draw(task=task, by=scene["dispatcher"])
        else:
            event("drawn")
            draw = dispatch.task_draw(task=task, by=scene["dispatcher"])
            chosen = set(draw.chosen)
            assert len(chosen) == dispatch.INSPECTORS_PER_TASK
            assert chosen <= expected
            assert not chosen & {int(k) for k in draw.excluded}
            assert all(should_be_eligible(p) for u, p in people if u.pk in chosen)
            assert set(dispatch.active_inspector_ids(task)) == chosen
            assert dispatch.draw_verify(draw)
        transaction.set_rollback(True)
