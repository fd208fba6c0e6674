"""What the case page shows about expert review (专家评审): each draw with its panel of
experts, the meeting's outcome and the signed minutes; for a dispatcher, a link to request
a draw. Include ``experts/case_panel.html`` with ``experts`` = ``case_expert_panel(...)``."""

from __future__ import annotations

from approvals.models import Case
from experts.models import DrawStatus
from experts.notices import url
from experts.permissions import is_dispatcher
from experts.selectors import case_draws
from experts.services.draws import DRAWABLE_STATES


def case_expert_panel(case: Case, user) -> dict | None:
    """None when the matter needs no expert review or the user is not bureau staff."""
    if not case.matter.needs_expert_review or not user.is_authenticated \
            or not user.is_bureau_staff:
        return None
    draws = list(case_draws(case))
    for draw in draws:
        draw.page_url = url("experts-draw", draw.pk)
        meeting = getattr(draw, "meeting", None)
        draw.meeting_url = url("experts-meeting", meeting.pk) if meeting else ""
        minutes = getattr(meeting, "minutes", None) if meeting else None
        draw.minutes_url = url("experts-minutes", minutes.pk) if minutes else ""
        draw.minutes_obj = minutes
    can_draw = (is_dispatcher(user) and case.status in DRAWABLE_STATES
                and not any(d.status == DrawStatus.OPEN for d in draws))
    new_url = url("experts-draw-new")
    return {"draws": draws,
            "new_url": f"{new_url}?case={case.pk}" if can_draw and new_url else ""}
