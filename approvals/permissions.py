"""Object-level permissions (django-rules predicates) for cases and the catalogue.

Who may perform a duty is decided here (role, ownership, section); the separation of
duties between people on one case is decided in ``approvals.separation``.
"""

from __future__ import annotations

import rules

from approvals.workflow import Stage
from portal.accounts.roles import STAFF_ROLES, Role


def acts_for_applicant(user, applicant) -> bool:
    """The applicant's own account, or an agent with an active authorisation (帮办代办)."""
    if not user.is_authenticated:
        return False
    if applicant.user_id == user.pk:
        return True
    if not user.has_role(Role.AGENT):
        return False
    from django.db.models import Q
    from django.utils import timezone

    return applicant.agent_authorizations.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()),
        agent=user, revoked_at__isnull=True).exists()


@rules.predicate
def is_case_applicant(user, case) -> bool:
    if case is None or not user.is_authenticated:
        return False
    return acts_for_applicant(user, case.applicant)


@rules.predicate
def is_counter_filer(user, case) -> bool:
    """A counter clerk may fill in and submit a walk-in application for the applicant."""
    return case is not None and case.channel == "counter" and user.has_role(Role.CLERK)


@rules.predicate
def in_case_section(user, case) -> bool:
    """Section staff act on their section's matters; staff without a section, bureau-wide."""
    return case is not None and (user.section_id is None
                                 or user.section_id == case.matter.section_id)


def has_role(role: str):
    @rules.predicate(name=f"has_role:{role}")
    def predicate(user) -> bool:
        return user.is_authenticated and user.has_role(role)
    return predicate


@rules.predicate
def is_bureau_staff(user) -> bool:
    return user.is_authenticated and user.is_bureau_staff


@rules.predicate
def single_approver_matter(user, case) -> bool:
    return case is not None and case.matter.single_approver


is_clerk = has_role(Role.CLERK)
is_reviewer = has_role(Role.REVIEWER)
is_inspector = has_role(Role.INSPECTOR)
is_dispatcher = has_role(Role.DISPATCHER)
is_approver = has_role(Role.APPROVER)
is_certifier = has_role(Role.CERTIFIER)
is_archivist = has_role(Role.ARCHIVIST)
is_supervisor = has_role(Role.SUPERVISOR)

#: Who may perform each duty (before the separation rule is applied).
STAGE_PERMISSION = {
    Stage.APPLY: is_case_applicant | is_counter_filer,
    Stage.ACCEPT: is_clerk,
    Stage.REVIEW: (is_reviewer & in_case_section) | (is_clerk & single_approver_matter),
    Stage.INSPECT: is_inspector,
    Stage.DECIDE: (is_approver & in_case_section) | (is_clerk & single_approver_matter),
    Stage.ISSUE: is_certifier,
    Stage.ARCHIVE: is_archivist,
}

#: The role a person acts in for a duty, as shown in the history (by role, not by name).
STAGE_ROLE = {
    Stage.APPLY: Role.APPLICANT, Stage.ACCEPT: Role.CLERK, Stage.REVIEW: Role.REVIEWER,
    Stage.INSPECT: Role.INSPECTOR, Stage.DECIDE: Role.APPROVER, Stage.ISSUE: Role.CERTIFIER,
    Stage.ARCHIVE: Role.ARCHIVIST,
}

for _stage, _predicate in STAGE_PERMISSION.items():
    rules.add_perm(f"approvals.duty_{_stage}", _predicate)

can_view_case = is_case_applicant | is_counter_filer | is_bureau_staff
rules.add_perm("approvals.view_case", can_view_case)

__all__ = ["STAFF_ROLES", "STAGE_PERMISSION", "STAGE_ROLE", "can_view_case"]
