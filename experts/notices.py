"""What experts and dispatchers are told: an invitation (to the expert's account, or by
SMS to an expert without one), a redraw or a shortfall after a decline or a timeout (to
the dispatcher who made the draw), a cancelled meeting. Each message has a dedupe key, so
a task that runs again never sends twice."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from portal.accounts.roles import Role
from portal.notifications.services.notify import notify, notify_phone


def url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # routes not mounted (yet)
        return ""


def _context(invitation) -> dict:
    draw = invitation.draw
    case = draw.case
    return {"expert": invitation.expert.name, "draw_number": draw.number,
            "case_number": case.number or f"#{case.pk}", "matter": case.matter.name,
            "applicant": case.applicant.name, "meeting_at": draw.meeting_at,
            "mode": draw.get_mode_display(), "place": draw.place,
            "reply_due": invitation.reply_due}


def _to_expert(invitation, event: str, context: dict, key: str) -> None:
    expert = invitation.expert
    link = url("experts-me")
    if expert.user_id and expert.user.is_active:
        notify(recipient=expert.user, event=event, context=context, key=key, link=link,
               phone=expert.phone)
    else:
        notify_phone(phone=expert.phone, event=event, context=context, key=f"{key}:sms",
                     link=link)


def notify_invited(invitation) -> None:
    _to_expert(invitation, "expert_invited", _context(invitation),
               f"expert-invitation:{invitation.pk}")


def notify_meeting_cancelled(invitation, *, reason: str) -> None:
    _to_expert(invitation, "expert_meeting_cancelled", _context(invitation) | {"reason": reason},
               f"expert-cancelled:{invitation.pk}")


def _dispatchers(draw) -> list:
    if draw.requested_by.is_active and draw.requested_by.has_role(Role.DISPATCHER):
        return [draw.requested_by]
    return list(get_user_model().objects.filter(is_active=True, groups__name=Role.DISPATCHER)
                .distinct().order_by("pk"))


def notify_shortfall(invitation, round_) -> None:
    """Tell the dispatcher that ``invitation`` was declined or timed out, and who was
    drawn instead (``round_``), or that nobody eligible was left."""
    replacement = ""
    if round_ is not None:
        from experts.models import Expert

        replacement = "、".join(Expert.objects.filter(pk__in=round_.chosen)
                               .values_list("name", flat=True))
    context = _context(invitation) | {
        "status": invitation.status, "reason": invitation.decline_reason,
        "replacement": replacement, "round": getattr(round_, "number", None)}
    for user in _dispatchers(invitation.draw):
        notify(recipient=user, event="expert_redraw", context=context,
               key=f"expert-redraw:{invitation.pk}:u{user.pk}",
               link=url("experts-draw", invitation.draw_id))
