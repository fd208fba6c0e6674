"""Signal receivers. They only queue work: the signal is sent after the case's
transaction commits, and the task does the rest in the worker."""

from __future__ import annotations

from django.dispatch import receiver

from approvals.services.cases import case_transitioned
from portal.notifications.events import TRANSITION_EVENTS


@receiver(case_transitioned, dispatch_uid="notifications.case_transitioned")
def on_case_transitioned(sender, *, case_id: int, transition: str, **kwargs) -> None:
    if transition not in TRANSITION_EVENTS:
        return
    from portal.notifications import services, tasks
    from portal.notifications.queueing import enqueue

    # Broker down: the notice is small, write it here rather than lose it.
    enqueue(tasks.case_transition_notify, case_id=case_id, transition=transition,
            fallback=lambda: services.case_transition_notify(case_id=case_id,
                                                             transition=transition))
