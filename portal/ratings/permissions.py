"""Who may see and do what in 好差评, callbacks and risk alerts. Services enforce what a
person may do; these predicates also decide what pages and the API show (404 otherwise).

- the applicant side (the applicant's account or an authorised agent) rates the steps of
  its own cases online, sees its ratings and rectification items, and appeals a dismissal;
- counter clerks and supervisors record a paper or telephone rating on an applicant's
  behalf (marked as such), never about a step they performed themselves;
- the rectification role (督查, configurable) receives bad ratings, assigns handlers,
  calls back, dismisses and decides appeals; a handler sees the items assigned to them;
- the callback role runs the sampled callbacks; the risk-alert role assigns and closes
  alerts, an assignee sees and closes the alerts assigned to them.
"""

from __future__ import annotations

from approvals.permissions import acts_for_applicant
from portal.accounts.roles import Role
from portal.ratings.conf import setting


def _has(user, role: str) -> bool:
    return bool(user.is_authenticated and user.has_role(role))


def is_rectify_staff(user) -> bool:
    return _has(user, setting("ONESEAL_RATING_RECTIFY_ROLE"))


def is_callback_staff(user) -> bool:
    return _has(user, setting("ONESEAL_CALLBACK_ROLE"))


def is_alert_staff(user) -> bool:
    return _has(user, setting("ONESEAL_RISK_ALERT_ROLE"))


def may_see_all_ratings(user) -> bool:
    return is_rectify_staff(user) or _has(user, Role.SUPERVISOR)


def may_record_on_behalf(user) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.CLERK, Role.SUPERVISOR))


def is_applicant_side(user, case) -> bool:
    return bool(user.is_authenticated and acts_for_applicant(user, case.applicant))


def can_view_rectification(user, item) -> bool:
    if not user.is_authenticated:
        return False
    if is_rectify_staff(user) or (item.assignee_id is not None and item.assignee_id == user.pk):
        return True
    return is_applicant_side(user, item.case)


def can_view_callback_task(user, task) -> bool:
    return is_callback_staff(user) or (user.is_authenticated and task.assignee_id == user.pk)


def can_view_alert(user, alert) -> bool:
    return is_alert_staff(user) or (user.is_authenticated and alert.assignee_id == user.pk)
