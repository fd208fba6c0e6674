"""Who may see and do what in 审管互动. Pages and the API hide what a user may not see
with a 404; the services refuse what a user may not do.

- a regulator user (role 行业主管部门 with a department membership) sees and claims their
  department's results and submits and follows its requests;
- approvers (审批负责人; with a section, of their section's matters) and supervisors
  (督查/局领导) handle incoming requests;
- supervisors and administrators watch the outbox and offer failed events again;
- other bureau staff may read requests and events of the cases they can see.
"""

from __future__ import annotations

from portal.accounts.roles import Role


def department_of(user):
    """The active department ``user`` acts for, or None (cached on the user object)."""
    if not user.is_authenticated or not user.has_role(Role.REGULATOR):
        return None
    cached = getattr(user, "_regulator_department", False)
    if cached is False:
        from portal.regulators.models import RegulatorMembership

        membership = (RegulatorMembership.objects.select_related("department")
                      .filter(user=user, department__is_active=True).first())
        cached = membership.department if membership else None
        user._regulator_department = cached
    return cached


def is_request_handler(user) -> bool:
    return user.is_authenticated and user.has_role(Role.APPROVER, Role.SUPERVISOR)


def may_handle(user, request) -> bool:
    """Supervisors handle any request; approvers those of their section's matters (an
    approver without a section acts bureau-wide)."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.SUPERVISOR):
        return True
    return user.has_role(Role.APPROVER) and (
        user.section_id is None or user.section_id == request.case.matter.section_id)


def is_outbox_monitor(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.is_staff
                                      or user.has_role(Role.SUPERVISOR))


def can_view_request(user, request) -> bool:
    department = department_of(user)
    if department is not None:
        return request.department_id == department.pk
    return user.is_authenticated and user.is_bureau_staff


def can_view_event(user, event) -> bool:
    department = department_of(user)
    if department is not None:
        return event.department_id == department.pk
    return user.is_authenticated and (user.is_bureau_staff or is_outbox_monitor(user))
