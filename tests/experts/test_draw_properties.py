"""Property: a draw never picks an ineligible expert. Random pools (fields, active flags,
unavailable dates, declared relations by applicant, USCC or name, the applicant as
employer, recent draws for the same applicant, case participants, manual exclusions) are
checked against an oracle written here from the generated facts, not with the service's
rules: the eligible snapshot is exactly the oracle's set, the chosen are within it, and
too few eligible is a refusal that records nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from approvals.models import CaseParticipant
from experts.models import (
    DrawRound,
    ExpertDraw,
    ExpertField,
    ExpertRelation,
    ExpertUnavailability,
    Invitation,
    InvitationStatus,
)
from experts.services.draws import cooling_off_days
from portal.core.errors import ConflictError
from tests.experts.conftest import make_expert, meeting_time, new_draw
from tests.factories import CaseFactory

CLEAN = {"active": True, "in_field": True, "unavailable": "no", "relation": "none",
         "same_employer": False, "recent": "no", "participant": False, "excluded": False}
#: Each expert is clean but for up to two faults (some of which do not disqualify), so
#: a single fault is common and draws succeed about as often as they are refused.
FAULTS = {
    "active": st.just(False),
    "in_field": st.just(False),
    "unavailable": st.sampled_from(["that_day", "other_days"]),
    "relation": st.sampled_from(["applicant", "code", "name", "other_org", "withdrawn"]),
    "same_employer": st.just(True),
    "recent": st.sampled_from(["pending", "accepted", "declined", "old"]),
    "participant": st.just(True),
    "excluded": st.just(True),
}
expert_traits = (st.lists(st.sampled_from(sorted(FAULTS)), max_size=2, unique=True)
                 .flatmap(lambda keys: st.fixed_dictionaries({k: FAULTS[k] for k in keys}))
                 .map(lambda faults: CLEAN | faults))


def eligible_by_oracle(t: dict) -> bool:
    return (t["active"] and t["in_field"] and t["unavailable"] != "that_day"
            and t["relation"] not in ("applicant", "code", "name") and not t["same_employer"]
            and t["recent"] not in ("pending", "accepted") and not t["participant"]
            and not t["excluded"])


def _prior_draw(case, field, dispatcher):
    other = CaseFactory(matter=case.matter, applicant=case.applicant)
    draw = ExpertDraw.objects.create(
        number=f"OLD-{other.pk}", case=other, field=field, count=1, meeting_at=meeting_time(),
        mode="onsite", cooling_off_days=cooling_off_days(), requested_by=dispatcher,
        requested_at=timezone.now())
    round_ = DrawRound.objects.create(draw=draw, number=1, kind="initial", seed="1",
                                      eligible=[], k=1, drawn_at=timezone.now())
    return draw, round_


def _build(t: dict, case, field, other_field, dispatcher, prior, participants):
    expert = make_expert(field if t["in_field"] else other_field, active=t["active"],
                         employer=case.applicant.name if t["same_employer"] else "某研究院")
    day = timezone.localdate(meeting_time())
    if t["unavailable"] == "that_day":
        ExpertUnavailability.objects.create(expert=expert, start=day - timedelta(days=1),
                                            end=day)
    elif t["unavailable"] == "other_days":
        ExpertUnavailability.objects.create(expert=expert, start=day + timedelta(days=1),
                                            end=day + timedelta(days=5))
    relation = {"applicant": {"applicant": case.applicant},
                "code": {"org_code": case.applicant.id_number},
                "name": {"org_name": case.applicant.name},
                "other_org": {"org_name": "无关公司"},
                "withdrawn": {"applicant": case.applicant, "active": False}}.get(t["relation"])
    if relation:
        ExpertRelation.objects.create(expert=expert, relation="测试", **relation)
    if t["recent"] != "no":
        draw, round_ = prior
        status = {"declined": InvitationStatus.DECLINED}.get(t["recent"], t["recent"])
        days = cooling_off_days() + 3 if t["recent"] == "old" else 10
        Invitation.objects.create(
            draw=draw, round=round_, expert=expert, invited_at=timezone.now() - timedelta(
                days=days), reply_due=timezone.now(),
            status=InvitationStatus.ACCEPTED if t["recent"] == "old" else status)
    if t["participant"]:
        expert.user = participants.pop()
        expert.save(update_fields=["user"])
    return expert


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pool=st.lists(expert_traits, min_size=1, max_size=12), k=st.integers(min_value=1, max_value=5))
def test_a_draw_never_picks_an_ineligible_expert(case, field, dispatcher, crew, pool, k):
    participant_ids = CaseParticipant.objects.filter(case=case).values_list("user_id",
                                                                           flat=True)
    with transaction.atomic():
        other_field = ExpertField.objects.create(name="其他领域")
        prior = _prior_draw(case, field, dispatcher)
        # a login links to one expert only: each participant serves once, then no more
        participants = [u for u in crew.users.values() if u.pk in set(participant_ids)]
        experts = []
        for t in pool:
            if t["participant"] and not participants:
                t = t | {"participant": False}
            experts.append((_build(t, case, field, other_field, dispatcher, prior,
                                   participants), t))
        expected = sorted(e.pk for e, t in experts if eligible_by_oracle(t))
        exclusions = {e.pk: "调度员申请排除" for e, t in experts if t["excluded"]}
        try:
            draw = new_draw(case, field, dispatcher, count=k, exclusions=exclusions)
        except ConflictError as exc:
            assert len(expected) < k, exc.message
            assert "符合条件的专家不足" in exc.message
            assert not ExpertDraw.objects.filter(case=case).exists()
        else:
            round_ = draw.rounds.get()
            assert round_.eligible == expected
            assert len(round_.chosen) == k == len(set(round_.chosen))
            assert set(round_.chosen) <= set(expected)
            everyone = {e.pk for e, _t in experts}
            assert set(round_.excluded) == {str(i) for i in everyone - set(expected)}
        transaction.set_rollback(True)


SINGLE_FAULTS = [("active", False), ("in_field", False), ("unavailable", "that_day"),
                 ("unavailable", "other_days"), ("relation", "applicant"), ("relation", "code"),
                 ("relation", "name"), ("relation", "other_org"), ("relation", "withdrawn"),
                 ("same_employer", True), ("recent", "pending"), ("recent", "accepted"),
                 ("recent", "declined"), ("recent", "old"), ("participant", True),
                 ("excluded", True)]


@pytest.mark.parametrize(("key", "value"), SINGLE_FAULTS)
def test_each_rule_alone_decides_as_the_oracle_says(case, field, dispatcher, crew, key, value):
    """Every fault on its own, next to one clean expert (the exhaustive companion of the
    property above)."""
    participants = [u for u in crew.users.values() if u.pk in set(
        CaseParticipant.objects.filter(case=case).values_list("user_id", flat=True))]
    other_field = ExpertField.objects.create(name="其他领域")
    prior = _prior_draw(case, field, dispatcher)
    t = CLEAN | {key: value}
    faulty = _build(t, case, field, other_field, dispatcher, prior, participants)
    clean = _build(CLEAN, case, field, other_field, dispatcher, prior, participants)
    exclusions = {faulty.pk: "调度员申请排除"} if t["excluded"] else {}
    draw = new_draw(case, field, dispatcher, count=1, exclusions=exclusions)
    expected = sorted([clean.pk] + ([faulty.pk] if eligible_by_oracle(t) else []))
    assert draw.rounds.get().eligible == expected
