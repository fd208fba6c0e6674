"""Helpers shared by the intake views: who the user files for, clerk-only pages, safe
redirects, the idempotency token of a form, and 404 for refusals that mean "not yours"."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from approvals import selectors
from portal.accounts.models import Applicant
from portal.accounts.roles import Role
from portal.core.errors import ApplicationError


def own_applicant(user) -> Applicant | None:
    return getattr(user, "applicant", None) if user.is_authenticated else None


def represented_applicants(user) -> list[Applicant]:
    """Applicants the user may file for online: themself, and (agents) whoever authorised
    them and has not revoked it."""
    result = []
    own = own_applicant(user)
    if own is not None:
        result.append(own)
    if user.is_authenticated and user.has_role(Role.AGENT):
        for authorization in selectors.agent_authorizations(user=user).filter(agent=user) \
                .order_by("applicant__name"):
            if authorization.is_active and authorization.applicant not in result:
                result.append(authorization.applicant)
    return result


def applicant_for(user, raw_id: str | None) -> Applicant | None:
    """The applicant named in the form (agents), or the user's own profile."""
    choices = represented_applicants(user)
    if raw_id:
        return next((a for a in choices if str(a.pk) == str(raw_id)), None)
    return choices[0] if choices else None


def require_clerk(user) -> None:
    if not user.has_role(Role.CLERK):
        raise PermissionDenied


def form_token(raw: str | None) -> UUID | None:
    try:
        return UUID(str(raw))
    except (TypeError, ValueError):
        return None


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def raise_if_not_found(exc: ApplicationError) -> None:
    """Services answer "not yours" with a 404-status refusal: show the 404 page."""
    if exc.status == 404:
        raise Http404(exc.message)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
