"""The expert's own page (/experts/me/): invitations to accept or decline (a reason is
required to decline), the meetings to score, unavailable dates, and their records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from experts import forms, selectors
from experts.models import InvitationStatus
from experts.permissions import expert_of, is_dispatcher
from experts.services import invitations as services
from experts.web.common import invitation_get, refuse
from portal.accounts.roles import Role
from portal.core.errors import ApplicationError


def render_me(request, expert, *, unavailable_form=None, decline_forms=None, status=200):
    invitations = list(selectors.expert_invitations(expert)[:50]) if expert else []
    decline_forms = decline_forms or {}
    now = timezone.now()
    for invitation in invitations:
        invitation.decline_form = decline_forms.get(invitation.pk) or forms.ReasonForm(
            prefix=f"inv{invitation.pk}")
        invitation.answerable = (invitation.status == InvitationStatus.PENDING
                                 and invitation.reply_due >= now
                                 and invitation.draw.status == "open")
    return render(request, "experts/me.html", {
        "expert": expert,
        "pending": [i for i in invitations if i.answerable],
        "invitations": invitations,
        "meetings": [i for i in invitations if i.status == InvitationStatus.ACCEPTED
                     and getattr(i.draw, "meeting", None) is not None],
        "unavailable": list(expert.unavailable.filter(end__gte=timezone.localdate())
                            .order_by("start")) if expert else [],
        "unavailable_form": unavailable_form or forms.UnavailabilityForm(),
        "records": selectors.expert_records(expert) if expert else None,
    }, status=status)


@login_required
def me_page(request):
    if not request.user.has_role(Role.EXPERT):
        raise PermissionDenied
    return render_me(request, expert_of(request.user))


def _back(request, invitation):
    if is_dispatcher(request.user) and expert_of(request.user) is None:
        return redirect("experts-draw", invitation.draw_id)
    return redirect("experts-me")


@login_required
@require_POST
def invitation_accept(request, invitation_id: int):
    invitation = invitation_get(request.user, invitation_id)
    try:
        services.invitation_accept(invitation=invitation, by=request.user)
    except ApplicationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已接受邀请，请按时参加评审。"))
    return _back(request, invitation)


@login_required
@require_POST
def invitation_decline(request, invitation_id: int):
    invitation = invitation_get(request.user, invitation_id)
    form = forms.ReasonForm(request.POST, prefix=f"inv{invitation.pk}")
    if not form.is_valid():
        messages.error(request, _("谢绝邀请须说明理由。"))
        if expert_of(request.user) is not None:
            return render_me(request, expert_of(request.user),
                             decline_forms={invitation.pk: form}, status=400)
        return _back(request, invitation)
    try:
        services.invitation_decline(invitation=invitation, by=request.user,
                                    reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已谢绝邀请，系统已从其余符合条件的专家中补抽。"))
    return _back(request, invitation)
