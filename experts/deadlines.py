"""The reply deadline of expert invitations as a source for the working-day deadline
sweep: a pending invitation is due on the day of its ``reply_due``. The expert (if they
have an account) hears yellow and red, the dispatcher who made the draw red too, and
escalation goes to the dispatchers. Timeouts themselves are handled every few minutes by
``experts.tasks.invitation_timeouts``; this source makes the wait visible on the case page
and alerts when that task is not running.

Registered in ``ExpertsConfig.ready``.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import DrawStatus, Invitation, InvitationStatus
from portal.accounts.roles import Role
from portal.notifications.deadlines.policy import ESCALATION, RED
from portal.notifications.deadlines.registry import Deadline


class InvitationDeadlines:
    code = "experts.invitation"

    def open_deadlines(self, *, horizon: date | None = None, case=None) -> list[Deadline]:
        qs = (Invitation.objects.filter(status=InvitationStatus.PENDING,
                                        draw__status=DrawStatus.OPEN)
              .select_related("expert", "draw"))
        if case is not None:
            qs = qs.filter(draw__case=case)
        rows = []
        for invitation in qs.order_by("reply_due", "pk"):
            due = timezone.localdate(invitation.reply_due)
            if horizon is not None and due > horizon:
                continue
            rows.append(Deadline(self.code, invitation.pk, due, None,
                                 _("专家{name}答复评审邀请").format(name=invitation.expert.name),
                                 invitation.draw.case_id))
        return rows

    def recipients(self, deadline: Deadline, level: str) -> list:
        invitation = (Invitation.objects.select_related("expert__user", "draw__requested_by")
                      .get(pk=deadline.object_id))
        User = get_user_model()
        if level == ESCALATION:
            return list(User.objects.filter(is_active=True, groups__name=Role.DISPATCHER)
                        .distinct().order_by("pk"))
        users = []
        expert_user = invitation.expert.user
        if expert_user is not None and expert_user.is_active:
            users.append(expert_user)
        requester = invitation.draw.requested_by
        if level == RED and requester.is_active and requester not in users:
            users.append(requester)
        return users
