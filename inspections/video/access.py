"""Who may join a task's video call, decided on the server for every connection.

Only the task's active assigned inspectors and the applicant side (the applicant's own
account or an authorised agent) join, and only while the task is a video inspection that
is assigned, booked or in progress. The answer is a ``Participant`` (the server-known
identity stamped on everything relayed) or the reason for the refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from approvals.permissions import acts_for_applicant
from inspections.models import InspectionTask, TaskStatus
from inspections.services.conduct import is_task_inspector
from inspections.tiers import Mode
from portal.accounts.models import User
from portal.core.errors import ConflictError, PermissionRefused

#: Task states in which the call may be held (a dropped call may be rejoined meanwhile).
CALL_OPEN_STATES = (TaskStatus.ASSIGNED, TaskStatus.BOOKED, TaskStatus.IN_PROGRESS)

INSPECTOR = "inspector"
APPLICANT = "applicant"


@dataclass(frozen=True)
class Participant:
    user_id: int
    role: str  # INSPECTOR or APPLICANT
    name: str

    @property
    def is_inspector(self) -> bool:
        return self.role == INSPECTOR


def call_role(user: User, task: InspectionTask) -> str | None:
    """INSPECTOR, APPLICANT or None. An inspector who is also the applicant side (never
    allowed by separation) counts as the inspector."""
    if not user.is_authenticated or not user.is_active:
        return None
    if is_task_inspector(user, task):
        return INSPECTOR
    if acts_for_applicant(user, task.applicant):
        return APPLICANT
    return None


def call_is_open(task: InspectionTask) -> bool:
    return task.mode == Mode.VIDEO and task.status in CALL_OPEN_STATES


def call_admit(user: User, task: InspectionTask) -> Participant:
    """The participant ``user`` is in ``task``'s call, or PermissionRefused / ConflictError."""
    role = call_role(user, task)
    if role is None:
        raise PermissionRefused(_("只有本任务指派的勘验人员和申请人（或其授权代办人）可以加入视频勘验。"),
                                "not_call_participant")
    if task.mode != Mode.VIDEO:
        raise ConflictError(_("该勘验任务不是视频勘验。"), "not_video_task")
    if task.status not in CALL_OPEN_STATES:
        raise ConflictError(_("勘验任务当前状态为“{status}”，不能进行视频勘验。").format(
            status=task.get_status_display()), "call_closed")
    return Participant(user_id=user.pk, role=role, name=str(user))
