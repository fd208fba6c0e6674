"""Settings of 好差评, callbacks and risk alerts with their defaults. Each may be set in the
Django settings; where it is not, the default here applies (read through ``setting``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from portal.accounts.roles import Role

DEFAULTS: dict[str, Any] = {
    #: Working days a rectification item (整改) has to be answered in.
    "ONESEAL_RATING_RECTIFY_DAYS": 5,
    #: The role that receives bad ratings, assigns handlers, dismisses and decides appeals.
    "ONESEAL_RATING_RECTIFY_ROLE": Role.SUPERVISOR,
    #: Working days after a dismissal (不予整改) in which the applicant may appeal once.
    "ONESEAL_RATING_APPEAL_DAYS": 10,
    #: Share of the cases completed each day that are sampled for a callback (回访).
    "ONESEAL_CALLBACK_SAMPLE_RATE": 0.1,
    #: The role of the callback staff who receive the sampled cases.
    "ONESEAL_CALLBACK_ROLE": Role.SUPERVISOR,
    #: Unanswered calls after which a callback is recorded as unreachable (无法联系).
    "ONESEAL_CALLBACK_MAX_ATTEMPTS": 3,
    #: The days the daily sampling catches up on when beat missed some.
    "ONESEAL_CALLBACK_CATCH_UP_DAYS": 7,
    #: The role told of new risk alerts, which assigns and closes them.
    "ONESEAL_RISK_ALERT_ROLE": Role.SUPERVISOR,
    # R1 fast approval: approved in under RATIO x the matter's median (working days) of the
    # approvals in the last WINDOW days, once the matter has at least MIN_SAMPLES of them.
    "ONESEAL_RISK_FAST_RATIO": 0.2,
    "ONESEAL_RISK_FAST_WINDOW_DAYS": 90,
    "ONESEAL_RISK_FAST_MIN_SAMPLES": 10,
    # R2 the same inspector with the same applicant at least THRESHOLD times in WINDOW days.
    "ONESEAL_RISK_PAIR_THRESHOLD": 3,
    "ONESEAL_RISK_PAIR_WINDOW_DAYS": 365,
    # R4 a stage clock overdue by more than this many working days.
    "ONESEAL_RISK_STAGE_OVERDUE_DAYS": 3,
    # R5 an expert declining at least THRESHOLD invitations in WINDOW days.
    "ONESEAL_RISK_DECLINE_THRESHOLD": 3,
    "ONESEAL_RISK_DECLINE_WINDOW_DAYS": 90,
}


def setting(name: str) -> Any:
    """``settings.<name>``, or its default."""
    return getattr(settings, name, DEFAULTS[name])
