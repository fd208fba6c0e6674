"""Who may use the archives: archivists manage them (bind, paper, loans, destruction
lists); supervisors read them (search, view, export, verify) and approve or reject
destruction lists (档案法: destruction needs the approval of the unit's head). Everybody
else, applicants and other bureau staff alike, is refused."""

from __future__ import annotations

import rules

from portal.accounts.roles import Role


@rules.predicate
def is_archivist(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ARCHIVIST)


@rules.predicate
def is_supervisor(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPERVISOR)


can_read_archives = is_archivist | is_supervisor
can_manage_archives = is_archivist
can_decide_destruction = is_supervisor

rules.add_perm("archives.read", can_read_archives)
rules.add_perm("archives.manage", can_manage_archives)
rules.add_perm("archives.decide_destruction", can_decide_destruction)
