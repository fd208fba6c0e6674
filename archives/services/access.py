"""Who may use a package, and the record of every use: each access is written to the
archive's own log (searchable per package) and appended to the audit chain."""

from __future__ import annotations

from django.utils.translation import gettext as _

from archives.models import AccessLog, ArchivePackage
from archives.permissions import can_decide_destruction, can_manage_archives, can_read_archives
from portal.core.audit import audit_log
from portal.core.errors import ConflictError, PermissionRefused


def require_reader(user) -> None:
    if not can_read_archives(user):
        raise PermissionRefused(_("只有档案员和经授权的局领导可以查阅档案。"), "archive_forbidden")


def require_archivist(user) -> None:
    if not can_manage_archives(user):
        raise PermissionRefused(_("只有档案员可以办理此项档案业务。"), "archive_forbidden")


def require_approver(user) -> None:
    if not can_decide_destruction(user):
        raise PermissionRefused(_("档案销毁须经局领导（督查）审批。"), "archive_forbidden")


def require_not_destroyed(package: ArchivePackage) -> None:
    if package.is_destroyed:
        raise ConflictError(_("档案 {number} 已于 {day} 经批准销毁，只保留目录和销毁记录。").format(
            number=package.number, day=package.destroyed_at.date() if package.destroyed_at
            else ""), "archive_destroyed")


def access_record(*, package: ArchivePackage, by, action: str, detail: str = "") -> AccessLog:
    entry = AccessLog.objects.create(package=package, user=by, action=action,
                                     detail=detail[:300])
    audit_log(action=f"archive.{action}", actor=by, obj=package,
              after={"number": package.number, "detail": detail[:300]})
    return entry


def package_view(*, package: ArchivePackage, by) -> ArchivePackage:
    """Open a package's record (page or API): readers only, and the view is logged."""
    require_reader(by)
    access_record(package=package, by=by, action=AccessLog.Action.VIEW)
    return package
