"""Draws: the recorded request and round, eligibility reasons, not enough eligible, the
verify command (passes untouched, fails on any change), decline → redraw, timeout →
redraw via the task, refill, cancel, and who may draw."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from approvals.models import CaseParticipant
from experts.drawing import draw_choice
from experts.models import (
    DrawRound,
    DrawStatus,
    ExpertDraw,
    ExpertRelation,
    ExpertUnavailability,
    Invitation,
    InvitationStatus,
    MeetingItem,
)
from experts.services import draws as services
from experts.services.invitations import (
    invitation_accept,
    invitation_decline,
    invitation_expire_due,
)
from experts.tasks import invitation_timeouts
from portal.accounts.roles import Role
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.notifications.models import Notification, OutboxMessage
from tests.experts.conftest import make_expert, new_draw
from tests.factories import UserFactory, staff

S = InvitationStatus


def test_draw_records_request_snapshot_seed_and_invites_the_chosen(draw, pool, dispatcher):
    round_ = draw.rounds.get()
    assert round_.kind == DrawRound.Kind.INITIAL and round_.k == 3
    assert round_.eligible == sorted(e.pk for e in pool)
    assert len(round_.seed) == 64 and int(round_.seed, 16) >= 0
    assert round_.chosen == draw_choice(round_.eligible, round_.seed, 3)
    invited = sorted(draw.invitations.values_list("expert_id", flat=True))
    assert invited == sorted(round_.chosen)
    assert set(draw.invitations.values_list("status", flat=True)) == {S.PENDING}
    assert draw.meeting.items.count() == 3  # no standard: the default items
    assert draw.number.startswith("ZJ-") and draw.status == DrawStatus.OPEN


def test_invited_experts_are_notified_in_app_or_by_sms(draw, pool):
    for invitation in draw.invitations.select_related("expert"):
        if invitation.expert.user_id:
            assert Notification.objects.filter(recipient=invitation.expert.user,
                                               event="expert_invited").count() == 1
        else:
            sms = OutboxMessage.objects.get(address=invitation.expert.phone,
                                            event="expert_invited")
            assert invitation.draw.case.matter.name in sms.body


def test_two_draws_use_different_seeds(case, field, dispatcher, pool):
    first = new_draw(case, field, dispatcher)
    services.draw_cancel(draw=first, by=dispatcher, reason="重新组织")
    second = new_draw(case, field, dispatcher)
    assert first.rounds.get().seed != second.rounds.get().seed


def test_exclusions_are_recorded_with_reasons(case, field, dispatcher, pool):
    inactive = make_expert(field, active=False)
    away = make_expert(field)
    ExpertUnavailability.objects.create(expert=away, start=timezone.localdate(),
                                        end=timezone.localdate() + timedelta(days=30))
    related = make_expert(field)
    ExpertRelation.objects.create(expert=related, org_code=case.applicant.id_number,
                                  relation="曾任顾问")
    colleague = make_expert(field, employer=f" {case.applicant.name} ")
    other_field = make_expert()
    reviewer_expert = make_expert(field, user=CaseParticipant.objects.filter(
        case=case, stage="review").first().user)
    draw = new_draw(case, field, dispatcher, count=2,
                    exclusions={pool[0].pk: "近期身体原因"})
    excluded = draw.rounds.get().excluded
    assert "停用" in excluded[str(inactive.pk)]
    assert "不可用" in excluded[str(away.pk)]
    assert "已申报" in excluded[str(related.pk)]
    assert "工作单位" in excluded[str(colleague.pk)]
    assert "专业领域" in excluded[str(other_field.pk)]
    assert "四分离" in excluded[str(reviewer_expert.pk)] and "审查" in excluded[
        str(reviewer_expert.pk)]
    assert "近期身体原因" in excluded[str(pool[0].pk)]
    assert draw.rounds.get().eligible == sorted(e.pk for e in pool[1:])


def test_recently_drawn_for_the_same_applicant_is_excluded(case, field, dispatcher, pool):
    first = new_draw(case, field, dispatcher, count=2)
    chosen = set(first.rounds.get().chosen)
    services.draw_cancel(draw=first, by=dispatcher, reason="改期")  # cancelled: not counted
    second = new_draw(case, field, dispatcher, count=2)
    assert not set(second.rounds.get().excluded) & {str(i) for i in chosen}
    for invitation in second.invitations.all():
        invitation_accept(invitation=invitation, by=dispatcher)
    ExpertDraw.objects.filter(pk=second.pk).update(status=DrawStatus.CLOSED)
    third = new_draw(case, field, dispatcher, count=1)
    excluded = third.rounds.get().excluded
    for expert_id in second.rounds.get().chosen:
        assert "日内已被抽取" in excluded[str(expert_id)]


def test_not_enough_eligible_is_a_clear_chinese_error_and_records_nothing(
        case, field, dispatcher, pool):
    with pytest.raises(ConflictError) as caught:
        new_draw(case, field, dispatcher, count=6)
    assert "符合条件的专家不足" in caught.value.message and "6" in caught.value.message
    assert not ExpertDraw.objects.exists() and not Invitation.objects.exists()


def test_only_a_dispatcher_draws_and_only_for_a_matter_needing_review(case, field, crew, pool):
    with pytest.raises(PermissionRefused):
        new_draw(case, field, crew.users["reviewer"])
    case.matter.needs_expert_review = False
    case.matter.save()
    with pytest.raises(ApplicationError, match="未配置专家评审"):
        new_draw(case, field, crew.users["dispatcher"])


def test_one_open_draw_per_case(draw, case, field, dispatcher):
    with pytest.raises(ConflictError, match="进行中的专家抽取"):
        new_draw(case, field, dispatcher)


def test_meeting_items_are_copied_from_the_case_standard(case, field, dispatcher, pool):
    from inspections.services.standards import standard_publish

    standard_publish(matter=case.matter, items=[
        {"key": "shielding", "category": "premises", "title": "屏蔽防护", "requirement": "符合GBZ130",
         "method": "查看", "weight": 70, "veto": True, "guidance": ""},
        {"key": "staff", "category": "staff", "title": "人员资质", "requirement": "持证上岗",
         "method": "查证", "weight": 30, "veto": False, "guidance": ""}])
    draw = new_draw(case, field, dispatcher)
    items = list(MeetingItem.objects.filter(meeting=draw.meeting).order_by("order"))
    assert [(i.key, i.weight, i.veto) for i in items] == [("shielding", 70, True),
                                                          ("staff", 30, False)]


# ---------------------------------------------------------------- verification

def verify(draw) -> None:
    call_command("experts_verify_draw", str(draw.pk))


def test_verify_command_passes_an_untouched_record(draw, capsys):
    verify(draw)
    assert "verified" in capsys.readouterr().out


@pytest.mark.parametrize("tamper", ["chosen", "seed", "eligible", "invitation"])
def test_verify_command_detects_a_changed_record(draw, pool, tamper):
    round_ = draw.rounds.get()
    if tamper == "chosen":
        outsider = next(i for i in round_.eligible if i not in round_.chosen)
        DrawRound.objects.filter(pk=round_.pk).update(chosen=[outsider, *round_.chosen[1:]])
    elif tamper == "seed":
        DrawRound.objects.filter(pk=round_.pk).update(seed="0" * 63 + "1")
    elif tamper == "eligible":
        DrawRound.objects.filter(pk=round_.pk).update(eligible=round_.eligible[:-1])
    else:
        outsider = next(e for e in pool if e.pk not in round_.chosen)
        Invitation.objects.filter(draw=draw, expert_id=round_.chosen[0]).update(
            expert=outsider)
    with pytest.raises(CommandError) as caught:
        verify(draw)
    assert caught.value.returncode == 1
    assert not services.draw_verified(draw)


def test_verify_command_unknown_draw_exits_2(db):
    with pytest.raises(CommandError) as caught:
        call_command("experts_verify_draw", "999999")
    assert caught.value.returncode == 2


def test_verify_command_accepts_the_draw_number(draw):
    call_command("experts_verify_draw", draw.number)


# ---------------------------------------------------------------- decline, timeout

def test_decline_needs_a_reason(draw):
    invitation = draw.invitations.select_related("expert__user").filter(
        expert__user__isnull=False).first()
    with pytest.raises(ApplicationError, match="谢绝邀请须说明理由"):
        invitation_decline(invitation=invitation, by=invitation.expert.user, reason="  ")
    invitation.refresh_from_db()
    assert invitation.status == S.PENDING


def test_decline_redraws_from_the_remaining_eligible_and_is_recorded(draw, pool, dispatcher):
    invitation = draw.invitations.select_related("expert__user").filter(
        expert__user__isnull=False).first()
    invitation, round_ = invitation_decline(invitation=invitation, by=invitation.expert.user,
                                            reason="当日另有手术安排")
    assert invitation.status == S.DECLINED and invitation.decline_reason == "当日另有手术安排"
    assert round_.kind == DrawRound.Kind.REDRAW and round_.trigger_id == invitation.pk
    assert round_.number == 2 and round_.k == 1
    first = draw.rounds.get(number=1)
    assert not set(round_.eligible) & set(first.chosen)  # everyone drawn before excluded
    assert set(round_.eligible) == {e.pk for e in pool} - set(first.chosen)
    assert all("已在本次抽取中被抽中" in round_.excluded[str(i)] for i in first.chosen)
    replacement = Invitation.objects.get(round=round_)
    assert replacement.status == S.PENDING and replacement.expert_id == round_.chosen[0]
    assert draw.invitations.filter(status__in=[S.PENDING, S.ACCEPTED]).count() == 3
    assert services.draw_verified(draw)
    assert Notification.objects.filter(recipient=dispatcher, event="expert_redraw").exists()


def test_decline_with_nobody_left_tells_the_dispatcher_and_refill_works_later(
        case, field, dispatcher, pool):
    draw = new_draw(case, field, dispatcher, count=5)
    invitation = draw.invitations.first()
    _inv, round_ = invitation_decline(invitation=invitation, by=dispatcher, reason="电话谢绝")
    assert round_ is None and draw.rounds.count() == 1
    note = Notification.objects.get(recipient=dispatcher, event="expert_redraw")
    assert "不足" in note.title
    assert services.open_places(draw) == 1
    with pytest.raises(ConflictError, match="符合条件的专家不足"):
        services.draw_refill(draw=draw, by=dispatcher)
    newcomer = make_expert(field)
    refill = services.draw_refill(draw=draw, by=dispatcher)
    assert refill.kind == DrawRound.Kind.REFILL and refill.chosen == [newcomer.pk]
    assert services.draw_verified(draw)


def test_timeout_redraws_via_the_task_once(draw, pool):
    late = draw.invitations.order_by("pk").first()
    Invitation.objects.filter(pk=late.pk).update(reply_due=timezone.now() - timedelta(minutes=1))
    assert invitation_timeouts() == 1
    late.refresh_from_db()
    assert late.status == S.TIMED_OUT and late.on_time is False
    round_ = draw.rounds.get(number=2)
    assert round_.kind == DrawRound.Kind.REDRAW and round_.drawn_by is None
    assert round_.trigger_id == late.pk
    assert invitation_timeouts() == 0  # idempotent
    assert invitation_expire_due() == 0
    assert services.draw_verified(draw)


def test_answer_after_the_deadline_is_refused(draw):
    invitation = draw.invitations.select_related("expert__user").filter(
        expert__user__isnull=False).first()
    Invitation.objects.filter(pk=invitation.pk).update(
        reply_due=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ConflictError, match="答复期限"):
        invitation_accept(invitation=invitation, by=invitation.expert.user)


def test_an_expert_cannot_answer_someone_elses_invitation(draw):
    # the draw is random: give the two experts answering here a login if they lack one
    mine, other = list(draw.invitations.select_related("expert__user").order_by("pk"))[:2]
    for invitation in (mine, other):
        if invitation.expert.user is None:
            invitation.expert.user = UserFactory(roles=[Role.EXPERT])
            invitation.expert.save(update_fields=["user"])
    with pytest.raises(PermissionRefused):
        invitation_accept(invitation=other, by=mine.expert.user)
    with pytest.raises(PermissionRefused):
        invitation_accept(invitation=mine, by=staff("reviewer"))


def test_cancel_lapses_invitations_and_tells_the_experts(draw, dispatcher):
    with pytest.raises(ApplicationError):
        services.draw_cancel(draw=draw, by=dispatcher, reason="")
    services.draw_cancel(draw=draw, by=dispatcher, reason="申请人撤回申请")
    draw.refresh_from_db()
    assert draw.status == DrawStatus.CANCELLED and draw.meeting.status == "cancelled"
    assert set(draw.invitations.values_list("status", flat=True)) == {S.CANCELLED}
    users = [i.expert.user for i in draw.invitations.select_related("expert__user")
             if i.expert.user_id]
    for user in users:
        assert Notification.objects.filter(recipient=user,
                                           event="expert_meeting_cancelled").exists()
