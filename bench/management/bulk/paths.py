"""Which transitions a generated case goes through (pure).

An outcome is a list of ``(transition, duty)`` steps that the real workflow allows from
``draft``; the targets are read from the state machine itself and every path is checked
against it at import, so the generator cannot invent a transition the workflow lacks.
Duties name who acts: the filer, or the crew member holding that duty on the case.
"""

from __future__ import annotations

import random

from approvals.models import Case
from approvals.workflow import CaseStatus

S = CaseStatus

_TRANSITIONS = list(Case._meta.get_field("status").get_all_transitions(Case))
TARGET = {t.name: str(t.target) for t in _TRANSITIONS}
_SOURCES: dict[str, set[str]] = {}
for _t in _TRANSITIONS:
    _SOURCES.setdefault(_t.name, set()).add(str(_t.source))

FILE = [("submit", "filer")]
SUPPLEMENT = [("request_supplement", "clerk"), ("resubmit", "filer")]
ACCEPT = [("accept", "clerk"), ("start_review", "reviewer")]
INSPECT = [("request_inspection", "reviewer"), ("start_inspection", "inspector_a"),
           ("conclude_inspection", "inspector_b")]
DECIDE_DIRECT = [("send_to_decision", "reviewer")]
ISSUE = [("approve", "approver"), ("issue", "certifier")]

#: (outcome, weight). Seeds: ~95% first-pass; refusals, returns and withdrawals are rare.
OUTCOMES: tuple[tuple[str, float], ...] = (
    ("complete", 0.82), ("rejected", 0.02), ("returned", 0.04), ("denied", 0.02),
    ("withdrawn", 0.03), ("draft", 0.02), ("stalled", 0.05),
)
SUPPLEMENT_SHARE = 0.15
ARCHIVABLE = {S.ISSUED, S.DENIED, S.REJECTED, S.RETURNED, S.WITHDRAWN}


def steps_for(outcome: str, *, inspected: bool, supplement: bool) -> list[tuple[str, str]]:
    """The full path of an outcome (before it is cut at the present moment)."""
    if outcome == "draft":
        return []
    head = FILE + (SUPPLEMENT if supplement else [])
    if outcome == "rejected":
        return head + [("reject", "clerk"), ("archive", "archivist")]
    review = head + ACCEPT
    if outcome == "returned":
        return review + [("return_case", "reviewer"), ("archive", "archivist")]
    if outcome == "withdrawn":
        return review + [("withdraw", "filer"), ("archive", "archivist")]
    middle = review + (INSPECT if inspected else DECIDE_DIRECT)
    if outcome == "denied":
        return middle + [("deny", "approver"), ("archive", "archivist")]
    return middle + ISSUE + [("archive", "archivist")]


def statuses(steps: list[tuple[str, str]]) -> list[str]:
    """The status after each step, checked against the state machine."""
    status, out = S.DRAFT, []
    for name, _duty in steps:
        sources = _SOURCES[name]
        if status not in sources and "*" not in sources:
            raise ValueError(f"{name} is not allowed from {status}")
        status = TARGET[name]
        out.append(status)
    return out


def choose(rng: random.Random, *, inspected: bool) -> tuple[str, list[tuple[str, str]]]:
    """Pick an outcome and its path for one case."""
    outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
    supplement = outcome not in ("draft", "rejected") and rng.random() < SUPPLEMENT_SHARE
    base = "complete" if outcome == "stalled" else outcome
    return outcome, steps_for(base, inspected=inspected, supplement=supplement)


for _outcome, _ in OUTCOMES:  # every path must be one the workflow allows
    for _inspected in (True, False):
        for _supplement in (True, False):
            statuses(steps_for(_outcome, inspected=_inspected, supplement=_supplement))
