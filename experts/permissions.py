"""Who may see what in the expert pool. What a person may do is decided by the services;
these predicates decide what pages and the API show (and hide with a 404 otherwise).

- pool managers (勘验调度员, 督查/局领导) keep the pool: list, import, export, edit, rate;
- dispatchers draw, and answer or mark attendance on an expert's behalf;
- bureau staff may read draw records and, once scoring is over, a meeting's results;
- an expert sees their own profile, invitations and the meetings they accepted.
"""

from __future__ import annotations

from portal.accounts.roles import Role


def is_pool_manager(user) -> bool:
    return user.is_authenticated and user.has_role(Role.DISPATCHER, Role.SUPERVISOR)


def is_dispatcher(user) -> bool:
    return user.is_authenticated and user.has_role(Role.DISPATCHER)


def expert_of(user):
    """The expert record linked to ``user`` (an expert's login), or None."""
    if not user.is_authenticated or not user.has_role(Role.EXPERT):
        return None
    from experts.models import Expert

    cached = getattr(user, "_expert_profile_cache", False)
    if cached is False:
        cached = Expert.objects.filter(user=user).first()
        user._expert_profile_cache = cached
    return cached


def can_view_expert(user, expert) -> bool:
    if is_pool_manager(user):
        return True
    own = expert_of(user)
    return own is not None and own.pk == expert.pk


def can_view_draw(user, draw) -> bool:
    return user.is_authenticated and user.is_bureau_staff


def meeting_expert(user, meeting):
    """The expert ``user`` is in ``meeting`` as (an accepted invitation), or None."""
    from experts.models import InvitationStatus

    own = expert_of(user)
    if own is None:
        return None
    accepted = meeting.draw.invitations.filter(expert=own,
                                               status=InvitationStatus.ACCEPTED).exists()
    return own if accepted else None


def can_view_meeting(user, meeting) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_bureau_staff or meeting_expert(user, meeting) is not None
