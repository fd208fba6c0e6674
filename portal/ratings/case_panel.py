"""What the case page shows about 好差评: for the applicant side, each service step that
has happened with its rating or a link to rate it, and the state of any rectification
item; for bureau staff, the case's ratings and (clerks, supervisors) a link to record a
paper or telephone rating on the applicant's behalf.

Include ``ratings/case_panel.html`` with ``ratings`` = ``case_rating_panel(case, user)``.
Two queries (the case's transitions and its ratings).
"""

from __future__ import annotations

from approvals.models import Case, CaseStatusChange
from portal.ratings.models import Rating
from portal.ratings.notices import url
from portal.ratings.permissions import (
    can_view_rectification,
    is_applicant_side,
    may_record_on_behalf,
)
from portal.ratings.steps import RatableStep, steps_done


def case_rating_panel(case: Case, user) -> dict | None:
    """None for strangers, and while no step has happened and nothing is rated."""
    if not user.is_authenticated:
        return None
    applicant_side = is_applicant_side(user, case)
    if not applicant_side and not user.is_bureau_staff:
        return None
    done = set(steps_done(set(CaseStatusChange.objects.filter(case=case)
                              .values_list("transition", flat=True))))
    ratings = {r.step: r for r in Rating.objects.filter(case=case)
               .select_related("rectification", "rectification__appeal")}
    if not done and not ratings:
        return None
    steps = []
    for step in RatableStep:
        rating = ratings.get(step.value)
        if step.value not in done and rating is None:
            continue
        item = getattr(rating, "rectification", None) if rating else None
        if item is not None:
            item.case = case
        steps.append({
            "code": step.value, "label": step.label, "rating": rating, "rectification": item,
            "rate_url": (url("ratings-rate", case.pk, step.value)
                         if applicant_side and rating is None else ""),
            "rectification_url": (url("ratings-rectification", item.pk)
                                  if item and can_view_rectification(user, item) else "")})
    unrated = any(s["rating"] is None for s in steps)
    return {"steps": steps, "applicant_side": applicant_side,
            "record_url": (url("ratings-record", case.pk)
                           if unrated and may_record_on_behalf(user) else ""),
            "mine_url": url("ratings-mine") if applicant_side else ""}
