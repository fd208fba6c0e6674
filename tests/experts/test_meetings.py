"""Review meetings: independent scoring (nobody reads another's scores before submitting,
by service, page and API), the aggregate numbers, attendance, the chair's conclusion and
the signed minutes attached to the case."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.certificates.signing import validate_pdf
from experts.models import ExpertDraw, InvitationStatus, MeetingMinutes
from experts.scoring import ItemSpec, aggregate
from experts.services import meetings as services
from experts.services.invitations import invitation_accept, invitation_attendance
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.models import AuditEntry
from tests.experts.conftest import logged_in, make_expert, new_draw
from tests.factories import staff

SCORES = {  # expert index -> item key -> score (default items: 40 / 30 / 30)
    0: {"feasibility": "36", "safety": "27", "compliance": "28"},
    1: {"feasibility": "30", "safety": "24.5", "compliance": "27"},
    2: {"feasibility": "18", "safety": "21", "compliance": "25"},
}


@pytest.fixture
def panel(field):
    return [make_expert(field, login=True, name=n) for n in ("甲专家", "乙专家", "丙专家")]


@pytest.fixture
def meeting(case, field, dispatcher, panel):
    draw = new_draw(case, field, dispatcher, count=3)
    for invitation in draw.invitations.select_related("expert__user"):
        invitation_accept(invitation=invitation, by=invitation.expert.user)
    meeting = draw.meeting
    services.meeting_set_chair(meeting=meeting, by=dispatcher, expert=panel[0])
    meeting.refresh_from_db()
    return meeting


def submit(meeting, expert, scores, opinion="同意"):
    return services.sheet_save(meeting=meeting, by=expert.user, scores=scores,
                               opinion=opinion, submit=True)


def test_aggregate_numbers_pure():
    items = [ItemSpec("a", "甲", 40), ItemSpec("b", "乙", 30, veto=True)]
    result = aggregate(items, {1: {"a": Decimal("36"), "b": Decimal("27")},
                               2: {"a": Decimal("30"), "b": Decimal("24.5")},
                               3: {"a": Decimal("18"), "b": Decimal("15")}})
    a, b = result.items
    assert (a.n, a.mean, a.min, a.max) == (3, Decimal("28.00"), Decimal("18"), Decimal("36"))
    assert a.stdev == Decimal("7.48")  # population sd of 36, 30, 18
    assert a.spread == Decimal("18") and a.divergent  # 18 >= 0.4 × 40
    assert b.mean == Decimal("22.17") and b.divergent  # spread 12 reaches 0.4 × 30
    assert b.veto_warning  # 15 < 0.6 × 30
    assert result.totals == {1: Decimal("63"), 2: Decimal("54.5"), 3: Decimal("33")}
    assert result.total_mean == Decimal("50.17") and result.max_total == 70
    assert (result.total_min, result.total_max) == (Decimal("33"), Decimal("63"))
    assert result.percent == Decimal("71.67")


def test_aggregate_of_nothing_is_empty():
    result = aggregate([ItemSpec("a", "甲", 10)], {})
    assert result.items[0].mean is None and result.total_mean is None and result.n == 0


def test_scores_are_checked_against_the_items(meeting, panel):
    for bad, message in [({"feasibility": "41"}, "0–40"), ({"feasibility": "x"}, "数字"),
                         ({"feasibility": "1.25"}, "一位小数"), ({"nope": "1"}, "未知项目")]:
        with pytest.raises(ApplicationError, match=message):
            services.sheet_save(meeting=meeting, by=panel[1].user, scores=bad)
    with pytest.raises(ApplicationError, match="尚未评分"):
        submit(meeting, panel[1], {"feasibility": "30"})
    sheet = services.sheet_save(meeting=meeting, by=panel[1].user, scores={"feasibility": "30"})
    assert not sheet.submitted and sheet.scores["feasibility"]["score"] == "30"


def test_a_submitted_sheet_is_final(meeting, panel):
    submit(meeting, panel[1], SCORES[1])
    with pytest.raises(ConflictError, match="已提交"):
        submit(meeting, panel[1], SCORES[0])


def test_only_accepted_experts_score(meeting, panel, field, crew):
    stranger = make_expert(field, login=True)
    with pytest.raises(PermissionRefused):
        submit(meeting, stranger, SCORES[0])
    with pytest.raises(PermissionRefused):
        services.sheet_save(meeting=meeting, by=crew.users["reviewer"], scores={})


def test_an_expert_reads_no_other_scores_before_submitting(meeting, panel, dispatcher):
    submit(meeting, panel[1], SCORES[1])
    submit(meeting, panel[2], SCORES[2])
    view = services.meeting_view(meeting, panel[0].user)  # the chair, not yet submitted
    assert view.sheets == [] and view.aggregate is None and view.own is None
    view = services.meeting_view(meeting, panel[1].user)  # submitted, chair not yet
    assert [s.expert_id for s in view.sheets] == [] and view.aggregate is None
    assert services.meeting_view(meeting, dispatcher).aggregate.n == 2
    assert services.meeting_view(meeting, staff("supervisor")).aggregate is None
    submit(meeting, panel[0], SCORES[0])
    for user in (panel[1].user, panel[0].user, staff("supervisor")):
        view = services.meeting_view(meeting, user)
        assert view.all_in and view.aggregate.n == 3


def test_the_chair_reads_submitted_sheets_after_submitting(meeting, panel):
    submit(meeting, panel[1], SCORES[1])
    submit(meeting, panel[0], SCORES[0])
    view = services.meeting_view(meeting, panel[0].user)
    assert {s.expert_id for s in view.sheets} == {panel[0].pk, panel[1].pk}
    assert not view.all_in and view.waiting_for == ["丙专家"]


def test_page_and_api_hide_other_scores_before_submitting(meeting, panel):
    submit(meeting, panel[1], {**SCORES[1], "feasibility": "29.5"})
    submit(meeting, panel[2], SCORES[2])
    client = logged_in(panel[0].user)
    page = client.get(reverse("experts-meeting", args=[meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "29.5" not in html and "data-hidden-scores" in html
    api = client.get(reverse("api-expert-meeting", args=[meeting.pk])).json()
    assert api["sheets"] == [] and api["aggregate"] is None and api["own_sheet"] is None
    assert "29.5" not in str(api)
    response = client.post(reverse("api-expert-meeting-sheet", args=[meeting.pk]),
                           {"scores": {k: {"score": v} for k, v in SCORES[0].items()},
                            "submit": True}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["aggregate"]["n"] == 3 and len(body["sheets"]) == 3
    assert "29.5" in client.get(reverse("experts-meeting", args=[meeting.pk])).content.decode()


def test_aggregate_through_the_meeting(meeting, panel, dispatcher):
    for i, expert in enumerate(panel):
        submit(meeting, expert, SCORES[i])
    result = services.meeting_view(meeting, dispatcher).aggregate
    by_key = {s.key: s for s in result.items}
    assert by_key["feasibility"].mean == Decimal("28.00")
    assert by_key["safety"].mean == Decimal("24.17")
    assert by_key["compliance"].mean == Decimal("26.67")
    assert by_key["feasibility"].divergent and not by_key["safety"].divergent
    assert result.totals == {panel[0].pk: Decimal("91"), panel[1].pk: Decimal("81.5"),
                             panel[2].pk: Decimal("64")}
    assert result.total_mean == Decimal("78.83") and result.percent == Decimal("78.83")


def test_no_show_is_tracked_and_need_not_score(meeting, panel, dispatcher):
    invitation = meeting.draw.invitations.get(expert=panel[2])
    with pytest.raises(ConflictError, match="尚未开始"):
        invitation_attendance(invitation=invitation, by=dispatcher, attended=False)
    ExpertDraw.objects.filter(pk=meeting.draw_id).update(
        meeting_at=timezone.now() - timedelta(minutes=5))
    invitation_attendance(invitation=invitation, by=dispatcher, attended=False)
    invitation.refresh_from_db()
    assert invitation.no_show
    with pytest.raises(ConflictError, match="缺席"):
        submit(meeting, panel[2], SCORES[2])
    submit(meeting, panel[0], SCORES[0])
    submit(meeting, panel[1], SCORES[1])
    minutes = services.meeting_conclude(meeting=meeting, by=panel[0].user, outcome="pass",
                                        conclusion="同意通过")
    assert minutes.pk
    from experts.selectors import expert_records
    assert expert_records(panel[2]).no_shows == 1
    assert expert_records(panel[0]).participated == 1


def test_conclusion_needs_every_sheet_and_the_chair(meeting, panel, crew):
    submit(meeting, panel[0], SCORES[0])
    with pytest.raises(ConflictError, match="尚有专家未提交评分"):
        services.meeting_conclude(meeting=meeting, by=panel[0].user, outcome="pass",
                                  conclusion="同意")
    submit(meeting, panel[1], SCORES[1])
    submit(meeting, panel[2], SCORES[2])
    with pytest.raises(PermissionRefused):
        services.meeting_conclude(meeting=meeting, by=panel[1].user, outcome="pass",
                                  conclusion="同意")
    with pytest.raises(PermissionRefused):
        services.meeting_conclude(meeting=meeting, by=crew.users["reviewer"], outcome="pass",
                                  conclusion="同意")
    with pytest.raises(ApplicationError, match="评审意见"):
        services.meeting_conclude(meeting=meeting, by=panel[0].user, outcome="pass",
                                  conclusion=" ")


def test_conclusion_signs_the_minutes_and_attaches_them_to_the_case(meeting, panel, case):
    for i, expert in enumerate(panel):
        submit(meeting, expert, SCORES[i])
    minutes = services.meeting_conclude(meeting=meeting, by=panel[0].user, outcome="amend",
                                        conclusion="方案基本可行，屏蔽计算书需补充。")
    meeting.refresh_from_db()
    assert meeting.status == "concluded" and meeting.draw.status == "closed"
    assert minutes.case == case and MeetingMinutes.objects.filter(case=case).count() == 1
    pdf = minutes.file.open("rb").read()
    import hashlib
    assert hashlib.sha256(pdf).hexdigest() == minutes.sha256 and minutes.size == len(pdf)
    check = validate_pdf(pdf)
    assert check.ok, check.message
    from tests.certificates.conftest import flat_text
    text = flat_text(pdf)
    for expected in ("专家评审会议纪要", minutes.number, case.number, "甲专家", "修改完善后通过",
                     "屏蔽计算书需补充", "78.83"):
        assert expected in text, expected
    with pytest.raises(ConflictError):
        submit(meeting, panel[0], SCORES[0])


def test_minutes_download_is_audited_and_hidden_from_strangers(meeting, panel, case, crew):
    for i, expert in enumerate(panel):
        submit(meeting, expert, SCORES[i])
    minutes = services.meeting_conclude(meeting=meeting, by=panel[0].user, outcome="pass",
                                        conclusion="同意")
    url = reverse("experts-minutes", args=[minutes.pk])
    response = logged_in(crew.users["reviewer"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert AuditEntry.objects.filter(action="experts.minutes_view",
                                     actor=crew.users["reviewer"]).exists()
    assert logged_in(case.applicant.user).get(url).status_code == 404
    outsider = make_expert(meeting.draw.field, login=True)
    assert logged_in(outsider.user).get(url).status_code == 404
    api = reverse("api-expert-minutes-download", args=[minutes.pk])
    assert logged_in(panel[1].user).get(api).status_code == 200
    assert logged_in(case.applicant.user).get(api).status_code == 404


def test_the_dispatcher_enters_a_paper_sheet_recorded_as_theirs(meeting, panel, dispatcher):
    sheet = services.sheet_save(meeting=meeting, by=dispatcher, expert=panel[2],
                                scores=SCORES[2], submit=True)
    assert sheet.submitted and sheet.entered_by == dispatcher
    entry = AuditEntry.objects.filter(action="experts.sheet_submit").latest("seq")
    assert entry.after["on_behalf"] is True


def test_chair_must_be_an_attending_expert(meeting, field, dispatcher, crew):
    with pytest.raises(ApplicationError, match="组长"):
        services.meeting_set_chair(meeting=meeting, by=dispatcher, expert=make_expert(field))
    with pytest.raises(PermissionRefused):
        services.meeting_set_chair(meeting=meeting, by=crew.users["reviewer"],
                                   expert=meeting.chair)


def test_pending_invitations_block_the_conclusion(case, field, dispatcher, panel):
    draw = new_draw(case, field, dispatcher, count=3)
    first = draw.invitations.select_related("expert__user").first()
    invitation_accept(invitation=first, by=first.expert.user)
    services.meeting_set_chair(meeting=draw.meeting, by=dispatcher, expert=first.expert)
    submit(draw.meeting, first.expert, SCORES[0])
    with pytest.raises(ConflictError, match="未答复"):
        services.meeting_conclude(meeting=draw.meeting, by=dispatcher, outcome="pass",
                                  conclusion="同意")
    assert draw.invitations.filter(status=InvitationStatus.PENDING).count() == 2


def test_expert_review_stops_the_stage_clock_until_the_conclusion(meeting, panel, case):
    from approvals.models import StagePause

    review = case.stages.get(name="review", ended_at__isnull=True)
    pause = StagePause.objects.get(stage=review)
    assert pause.reason == StagePause.Reason.EXPERT_REVIEW and pause.ended_at is None
    for i, expert in enumerate(panel):
        submit(meeting, expert, SCORES[i])
    services.meeting_conclude(meeting=meeting, by=panel[0].user, outcome="pass",
                              conclusion="同意通过")
    pause.refresh_from_db()
    assert pause.ended_at is not None


def test_cancelling_the_draw_lets_the_clock_run_again(meeting, dispatcher, case):
    from approvals.models import StagePause
    from experts.services.draws import draw_cancel

    draw_cancel(draw=meeting.draw, by=dispatcher, reason="申请人撤回")
    assert not StagePause.objects.filter(stage__case=case, ended_at__isnull=True).exists()
