"""Four-way separation (受理、审查、勘验、出证 四分离) as a pure rule.

On one case the people who accept, review, inspect, decide and issue are disjoint sets.
The single-approver exception (独任审批/即办件), configured per matter, lets one person
accept, review and decide; inspection and issuing stay separate even then. The applicant's
own account never performs a bureau duty on its case. Archiving is a records duty and is
not part of the separation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from approvals.workflow import Stage

SEPARATED = frozenset({Stage.ACCEPT, Stage.REVIEW, Stage.INSPECT, Stage.DECIDE, Stage.ISSUE})
SINGLE_APPROVER_GROUP = frozenset({Stage.ACCEPT, Stage.REVIEW, Stage.DECIDE})

STAGE_LABEL = {
    Stage.ACCEPT: pgettext_lazy("duty", "受理"), Stage.REVIEW: pgettext_lazy("duty", "审查"), Stage.INSPECT: pgettext_lazy("duty", "勘验"),
    Stage.DECIDE: pgettext_lazy("duty", "决定"), Stage.ISSUE: pgettext_lazy("duty", "出证"), Stage.APPLY: pgettext_lazy("duty", "申请"),
}


def may_share(a: str, b: str, *, single_approver: bool) -> bool:
    if a == b:
        return True
    return single_approver and a in SINGLE_APPROVER_GROUP and b in SINGLE_APPROVER_GROUP


def separation_conflict(*, stage: str, user_stages: Iterable[str],
                        single_approver: bool) -> str | None:
    """The stage that ``user`` already holds on the case and that forbids ``stage``, if any.

    ``user_stages`` are the duties the user already performed on this case.
    """
    if stage not in SEPARATED:
        return None
    for held in user_stages:
        if held == Stage.APPLY:
            return held
        if held in SEPARATED and not may_share(stage, held, single_approver=single_approver):
            return held
    return None


def separation_holds(participants: Mapping[str, set[int]], *, single_approver: bool) -> bool:
    """Invariant check over a whole case: no person in two stages that may not share."""
    stages = [s for s in participants if s in SEPARATED]
    for i, a in enumerate(stages):
        for b in stages[i + 1:]:
            if participants[a] & participants[b] and not may_share(
                    a, b, single_approver=single_approver):
                return False
    applicants = participants.get(Stage.APPLY, set())
    return not any(applicants & participants[s] for s in stages)


def separation_message(stage: str, held: str) -> str:
    return str(_("依据“受理、审查、勘验、出证”四分离规定，您已在本件承担“{held}”职责，"
                 "不能再承担“{stage}”职责。").format(held=STAGE_LABEL[held],
                                                   stage=STAGE_LABEL[stage]))
