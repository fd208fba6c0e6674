"""The service steps an applicant rates (好差评) and how they map onto the case workflow.

A step is offered for rating once one of its transitions is in the case's status history
(``CaseStatusChange``). The people a rating is about are those who ran the step's
transitions and those holding its duties on the case (``CaseParticipant``): the staff
complained about by a bad rating, who never handle the complaint about themselves.
Pure data, no database access.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from approvals.workflow import Stage


class RatableStep(models.TextChoices):
    ACCEPTANCE = "acceptance", _("受理")
    INSPECTION = "inspection", _("勘验")
    COMPLETION = "completion", _("办结")


class Level(models.IntegerChoices):
    """The five levels of 好差评, best first."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASIC = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


#: 差评: a rating at these levels opens a rectification item.
BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})

#: The case transitions (approvals.workflow.TRANSITIONS) that complete each step.
STEP_TRANSITIONS: dict[str, tuple[str, ...]] = {
    RatableStep.ACCEPTANCE: ("accept", "request_supplement", "reject"),
    RatableStep.INSPECTION: ("conclude_inspection",),
    RatableStep.COMPLETION: ("approve", "deny", "issue"),
}
TRANSITION_STEP: dict[str, str] = {
    name: step for step, names in STEP_TRANSITIONS.items() for name in names}

#: The duties whose holders answer for each step.
STEP_DUTIES: dict[str, tuple[str, ...]] = {
    RatableStep.ACCEPTANCE: (Stage.ACCEPT,),
    RatableStep.INSPECTION: (Stage.INSPECT,),
    RatableStep.COMPLETION: (Stage.DECIDE, Stage.ISSUE),
}


def is_bad(level: int) -> bool:
    return level in BAD_LEVELS


def steps_done(transitions: set[str] | frozenset[str]) -> list[str]:
    """The steps completed by a case whose history holds ``transitions``, in step order."""
    return [step for step, names in STEP_TRANSITIONS.items()
            if any(name in transitions for name in names)]
