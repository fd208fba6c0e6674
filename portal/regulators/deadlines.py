"""The ``regulators.claim`` deadline source: results a department has not claimed, due
by their claim date. Yellow and red go to the department's users; red and escalation
also to the bureau's supervisors (督查), who follow up with the department."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from portal.notifications.deadlines.policy import ESCALATION, RED
from portal.notifications.deadlines.registry import Deadline
from portal.regulators.models import Claim
from portal.regulators.selectors import department_users, supervisors


class ClaimDeadlines:
    code = "regulators.claim"

    def open_deadlines(self, *, horizon: date | None = None, case=None) -> list[Deadline]:
        qs = (Claim.objects.filter(claimed_at__isnull=True, event__department__is_active=True)
              .select_related("event__department"))
        if horizon is not None:
            qs = qs.filter(claim_due__lte=horizon)
        if case is not None:
            qs = qs.filter(event__case=case)
        return [Deadline(self.code, c.pk, c.claim_due, c.limit_days,
                         _("{department}认领“{kind}”结果").format(
                             department=c.event.department.name,
                             kind=c.event.get_kind_display()),
                         c.event.case_id)
                for c in qs.order_by("claim_due", "pk")]

    def recipients(self, deadline: Deadline, level: str) -> list:
        claim = Claim.objects.select_related("event__department").get(pk=deadline.object_id)
        users = department_users(claim.event.department)
        if level in (RED, ESCALATION):
            users += [u for u in supervisors() if u not in users]
        return users
