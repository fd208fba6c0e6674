"""Signal receivers, connected in ``RegulatorsConfig.ready``. Both signals are sent INSIDE
the transaction of the change, so the outbox rows written here commit or roll back with
it: a decision or licence event is in the outbox exactly when it happened."""

from __future__ import annotations

from approvals.services.cases import case_transition_recorded
from approvals.services.certificates import certificate_event
from portal.regulators.services.events import (
    DECISIONS,
    outbox_record_decision,
    outbox_record_licence,
)


def on_case_transition_recorded(sender, *, case, transition: str, note: str = "",
                                **kwargs) -> None:
    # issue is reported by the licence event (with the certificate)
    if transition in DECISIONS:
        outbox_record_decision(case=case, transition=transition, note=note)


def on_certificate_event(sender, *, certificate, event: str, by=None, **kwargs) -> None:
    outbox_record_licence(certificate=certificate, event=event)
    if event == "revoked":
        from portal.regulators.services.requests import requests_complete_on_revocation

        requests_complete_on_revocation(certificate=certificate, by=by)


def connect() -> None:
    case_transition_recorded.connect(on_case_transition_recorded,
                                     dispatch_uid="regulators.case_transition_recorded")
    certificate_event.connect(on_certificate_event, dispatch_uid="regulators.certificate_event")
