"""The invitation deadline source, the case-page panel, records after a meeting, and the
demo pool loader."""

from __future__ import annotations

from datetime import timedelta

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from experts.case_panel import case_expert_panel
from experts.deadlines import InvitationDeadlines
from experts.demo import EXPERTS, load_expert_pool
from experts.models import Expert, ExpertField, Invitation
from experts.services import meetings
from experts.services.invitations import invitation_accept
from portal.notifications.deadlines.policy import ESCALATION, RED, YELLOW
from portal.notifications.deadlines.registry import deadline_sources
from portal.notifications.deadlines.sweep import deadline_status
from tests.experts.conftest import logged_in, make_expert, new_draw
from tests.factories import UserFactory


def test_invitation_deadlines_are_registered_and_listed_per_case(draw, case, dispatcher):
    assert "experts.invitation" in {s.code for s in deadline_sources()}
    source = InvitationDeadlines()
    rows = source.open_deadlines(case=case)
    assert {r.object_id for r in rows} == set(draw.invitations.values_list("pk", flat=True))
    assert all(r.case_id == case.pk and "答复评审邀请" in r.label for r in rows)
    assert any("答复评审邀请" in s.label for s in deadline_status(case))
    with_login = draw.invitations.select_related("expert__user").filter(
        expert__user__isnull=False).first()
    deadline = next(r for r in rows if r.object_id == with_login.pk)
    assert source.recipients(deadline, YELLOW) == [with_login.expert.user]
    assert source.recipients(deadline, RED) == [with_login.expert.user, dispatcher]
    assert dispatcher in source.recipients(deadline, ESCALATION)
    invitation_accept(invitation=with_login, by=with_login.expert.user)
    assert with_login.pk not in {r.object_id for r in source.open_deadlines(case=case)}
    far = timezone.localdate() - timedelta(days=1)
    assert source.open_deadlines(horizon=far) == []


def test_case_panel_for_staff_only(draw, case, crew, dispatcher):
    panel = case_expert_panel(case, crew.users["reviewer"])
    assert [d.pk for d in panel["draws"]] == [draw.pk] and panel["new_url"] == ""
    assert panel["draws"][0].page_url == reverse("experts-draw", args=[draw.pk])
    assert case_expert_panel(case, case.applicant.user) is None
    html = render_to_string("experts/case_panel.html", {"experts": panel})
    assert draw.number in html and "专家评审" in html


def test_case_panel_offers_a_draw_to_the_dispatcher(case, field, dispatcher):
    panel = case_expert_panel(case, dispatcher)
    assert panel["new_url"] == reverse("experts-draw-new") + f"?case={case.pk}"


def test_after_the_meeting_records_and_minutes_show(case, field, dispatcher):
    panel_experts = [make_expert(field, login=True) for _ in range(2)]
    draw = new_draw(case, field, dispatcher, count=2)
    for invitation in draw.invitations.select_related("expert__user"):
        invitation_accept(invitation=invitation, by=invitation.expert.user)
    meetings.meeting_set_chair(meeting=draw.meeting, by=dispatcher, expert=panel_experts[0])
    draw.meeting.refresh_from_db()
    for expert in panel_experts:
        meetings.sheet_save(meeting=draw.meeting, by=expert.user, submit=True,
                            scores={"feasibility": 30, "safety": 20, "compliance": 25})
    minutes = meetings.meeting_conclude(meeting=draw.meeting, by=panel_experts[0].user,
                                        outcome="pass", conclusion="同意")
    page = logged_in(panel_experts[1].user).get(reverse("experts-meeting",
                                                        args=[draw.meeting.pk]))
    assert minutes.number in page.content.decode()
    panel = case_expert_panel(case, dispatcher)
    assert panel["draws"][0].minutes_url == reverse("experts-minutes", args=[minutes.pk])
    html = render_to_string("experts/case_panel.html", {"experts": panel})
    assert minutes.number in html and "已电子签章" in html
    detail = logged_in(dispatcher).get(reverse("experts-detail", args=[panel_experts[0].pk]))
    assert "参加评审" in detail.content.decode()
    me = logged_in(panel_experts[0].user).get(reverse("experts-me"))
    assert me.status_code == 200
    assert Invitation.objects.filter(draw=draw, status="accepted").count() == 2


def test_demo_pool_loads_once(db):
    user = UserFactory(username="expert", roles=["expert"])
    first = load_expert_pool()
    assert first.total("created") == len(EXPERTS) + ExpertField.objects.count()
    assert Expert.objects.get(user=user).name == "郑专家"
    second = load_expert_pool()
    assert second.total("created") == 0 and second.total("updated") == 0
