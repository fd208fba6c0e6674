"""Look-ups shared by the 审管互动 pages: objects the user may not see are a 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from portal.regulators import selectors
from portal.regulators.models import OutboxEvent, RegulatorRequest
from portal.regulators.permissions import can_view_event, can_view_request


def event_get(user, event_id) -> OutboxEvent:
    event = selectors.event_get(event_id)
    if event is None or not can_view_event(user, event):
        raise Http404
    return event


def request_get(user, pk: int) -> RegulatorRequest:
    request = selectors.request_get(pk)
    if request is None or not can_view_request(user, request):
        raise Http404
    return request


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default
