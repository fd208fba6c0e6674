"""The answer deadline of rectification items (差评整改) as a source for the working-day
deadline sweep (``portal.notifications.deadlines``): an item waiting for assignment or for
its handler's answer is due on ``due_date``. Yellow and red go to the handler (to the
rectification role while nobody is assigned), escalation to the rectification role and the
supervisors. Registered in ``RatingsConfig.ready``."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from portal.accounts.roles import Role
from portal.notifications.deadlines.policy import ESCALATION
from portal.notifications.deadlines.registry import Deadline
from portal.ratings.conf import setting
from portal.ratings.models import Rectification
from portal.ratings.models.ratings import ANSWER_PENDING
from portal.ratings.notices import role_users


class RectificationDeadlines:
    code = "ratings.rectification"

    def open_deadlines(self, *, horizon: date | None = None, case=None) -> list[Deadline]:
        qs = Rectification.objects.filter(status__in=ANSWER_PENDING)
        if horizon is not None:
            qs = qs.filter(due_date__lte=horizon)
        if case is not None:
            qs = qs.filter(case=case)
        limit = int(setting("ONESEAL_RATING_RECTIFY_DAYS"))
        return [Deadline(self.code, item.pk, item.due_date, limit,
                         _("差评整改 {number} 答复").format(number=item.number), item.case_id)
                for item in qs.order_by("due_date", "pk")]

    def recipients(self, deadline: Deadline, level: str) -> list:
        item = Rectification.objects.select_related("assignee").get(pk=deadline.object_id)
        rated = set(item.rating.staff_ids or [])
        if level == ESCALATION:
            users = {u.pk: u for role in (setting("ONESEAL_RATING_RECTIFY_ROLE"), Role.SUPERVISOR)
                     for u in role_users(role)}
            return [u for pk, u in sorted(users.items()) if pk not in rated]
        if item.assignee is not None and item.assignee.is_active:
            return [item.assignee]
        return [u for u in role_users(setting("ONESEAL_RATING_RECTIFY_ROLE"))
                if u.pk not in rated]
