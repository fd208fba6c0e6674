"""The rectification deadline (整改期限) as a source for the working-day deadline sweep:
a task waiting for the applicant's rectification is due on its ``rectify_due``. The
assigned inspectors hear yellow and red, the applicant side too (it is the applicant who
owes the rectification), and escalation goes to the dispatchers.

Registered in ``InspectionsConfig.ready``.
"""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import Conclusion, InspectionTask, Outcome, TaskStatus
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.calendar import get_calendar
from portal.notifications.deadlines.policy import ESCALATION, RED, YELLOW
from portal.notifications.deadlines.registry import Deadline


class RectificationDeadlines:
    code = "inspections.rectification"

    def open_deadlines(self, *, horizon: date | None = None, case=None) -> list[Deadline]:
        concluded = (Conclusion.objects.filter(task=OuterRef("pk"), outcome=Outcome.RECTIFY,
                                               confirmed_at__isnull=False,
                                               withdrawn_at__isnull=True)
                     .order_by("-round", "-id").values("confirmed_at")[:1])
        first_case = (InspectionTask.cases.through.objects.filter(inspectiontask=OuterRef("pk"))
                      .order_by("case_id").values("case_id")[:1])
        qs = (InspectionTask.objects.filter(status=TaskStatus.RECTIFYING,
                                            rectify_due__isnull=False)
              .annotate(required_at=Subquery(concluded), first_case=Subquery(first_case)))
        if horizon is not None:
            qs = qs.filter(rectify_due__lte=horizon)
        if case is not None:
            qs = qs.filter(cases=case)
        cal = get_calendar()
        return [Deadline(self.code, t.pk, t.rectify_due, self._limit(cal, t),
                         _("整改期限 {number}").format(number=t.number), t.first_case,
                         applicant_levels=frozenset({YELLOW, RED}))
                for t in qs.order_by("rectify_due", "id")]

    @staticmethod
    def _limit(cal, task) -> int | None:
        if task.required_at is None:
            return None
        return max(0, cal.between(timezone.localdate(task.required_at), task.rectify_due))

    def recipients(self, deadline: Deadline, level: str) -> list[User]:
        if level == ESCALATION:
            return list(User.objects.filter(is_active=True, groups__name=Role.DISPATCHER)
                        .distinct().order_by("pk"))
        return list(User.objects.filter(
            is_active=True, inspection_assignments__task_id=deadline.object_id,
            inspection_assignments__released_at__isnull=True).distinct().order_by("pk"))
