"""帮办代办: an applicant authorises or revokes an agent by username; an agent sees whom
they act for and files for them from the service guide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals import selectors
from approvals.services import intake as intake_services
from portal.accounts.masking import mask_identity
from portal.accounts.roles import Role
from portal.core.errors import ApplicationError
from portal.intake.forms import AgentAuthorizeForm
from portal.intake.views.common import own_applicant


def _context(request, form) -> dict:
    user = request.user
    mine = own_applicant(user)
    granted = (selectors.agent_authorizations(user=user).filter(applicant=mine)
               .order_by("-granted_at") if mine else [])
    acting = (selectors.agent_authorizations(user=user).filter(agent=user)
              .order_by("-granted_at") if user.has_role(Role.AGENT) else [])
    for authorization in acting:
        authorization.masked_id = mask_identity(authorization.applicant.kind,
                                                authorization.applicant.id_number)
    return {"form": form, "applicant": mine, "granted": granted, "acting": acting}


@login_required
def agents(request):
    mine = own_applicant(request.user)
    if mine is None and not request.user.has_role(Role.AGENT):
        raise PermissionDenied
    form = AgentAuthorizeForm(request.POST or None)
    if request.method == "POST" and mine is not None and form.is_valid():
        agent = get_user_model().objects.filter(username=form.cleaned_data["agent"]).first()
        try:
            if agent is None:
                raise ApplicationError(_("找不到该代办员账号，请核对用户名。"), "not_agent")
            intake_services.agent_authorize(
                applicant=mine, agent=agent, by=request.user,
                valid_until=form.cleaned_data["valid_until"], note=form.cleaned_data["note"])
        except ApplicationError as exc:
            form.add_error("valid_until" if exc.code == "invalid_valid_until" else "agent",
                           exc.message)
        else:
            messages.success(request, _("已授权“{agent}”代为办理。").format(agent=agent))
            return redirect("intake-agents")
    return render(request, "intake/agents.html", _context(request, form),
                  status=400 if form.errors else 200)


@login_required
@require_POST
def agent_revoke(request, authorization_id: int):
    authorization = selectors.agent_authorizations(user=request.user).filter(
        pk=authorization_id).first()
    if authorization is None:
        raise Http404
    try:
        intake_services.agent_revoke(authorization=authorization, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤销代办授权。"))
    return redirect("intake-agents")
