"""What the case page shows about 审管互动: the departments the decision and licence
events went to (delivery and claim status) and the departments' requests on the case,
with a link to handle them. Include ``regulators/case_panel.html`` with ``regulators`` =
``case_regulator_panel(case, user)``."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from approvals.models import Case
from portal.regulators.permissions import may_handle
from portal.regulators.selectors import case_events, case_requests


def case_regulator_panel(case: Case, user) -> dict | None:
    """None for users outside the bureau, or when nothing went to or came from a
    department on this case."""
    if not user.is_authenticated or not user.is_bureau_staff:
        return None
    events, requests = case_events(case), case_requests(case)
    if not events and not requests:
        return None
    today = timezone.localdate()
    for event in events:
        event.claim_row = getattr(event, "claim", None)
        claim = event.claim_row
        event.overdue = bool(claim and claim.claimed_at is None and claim.claim_due < today)
        event.page_url = reverse("regulators-event", args=[event.event_id])
    for request in requests:
        request.page_url = reverse("regulators-request", args=[request.pk])
        request.can_handle = request.is_open and may_handle(user, request)
    return {"events": events, "requests": requests,
            "open_requests": sum(1 for r in requests if r.is_open)}
