"""Helpers shared by the expert pages: object look-ups that hide what the user may not
see (404), the pool-manager gate (403), and a refusal shown on the page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from experts.models import Expert, ExpertDraw, Invitation, ReviewMeeting
from experts.permissions import can_view_draw, can_view_expert, can_view_meeting, is_pool_manager


def require_manager(user) -> None:
    if not is_pool_manager(user):
        raise PermissionDenied


def expert_get(user, expert_id: int) -> Expert:
    expert = Expert.objects.select_related("user").filter(pk=expert_id).first()
    if expert is None or not can_view_expert(user, expert):
        raise Http404
    return expert


def draw_get(user, draw_id: int) -> ExpertDraw:
    draw = ExpertDraw.objects.select_related("case").filter(pk=draw_id).first()
    if draw is None or not can_view_draw(user, draw):
        raise Http404
    return draw


def meeting_get(user, meeting_id: int) -> ReviewMeeting:
    meeting = (ReviewMeeting.objects.select_related(
        "draw__case__matter", "draw__case__applicant", "draw__field", "chair",
        "concluded_by").filter(pk=meeting_id).first())
    if meeting is None or not can_view_meeting(user, meeting):
        raise Http404
    return meeting


def invitation_get(user, invitation_id: int) -> Invitation:
    from experts.services.invitations import may_answer

    invitation = (Invitation.objects.select_related("draw", "expert")
                  .filter(pk=invitation_id).first())
    if invitation is None or not may_answer(user, invitation):
        raise Http404
    return invitation


def refuse(request, exc) -> None:
    messages.error(request, exc.message)
