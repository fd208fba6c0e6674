"""Helpers shared by the archive pages: the reader and archivist gates (403 for everybody
else), package look-up (404), and a service refusal shown on the page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from archives import selectors
from archives.models import ArchivePackage
from archives.permissions import can_decide_destruction, can_manage_archives, can_read_archives


def require_reader(user) -> None:
    if not can_read_archives(user):
        raise PermissionDenied


def require_archivist(user) -> None:
    if not can_manage_archives(user):
        raise PermissionDenied


def require_approver(user) -> None:
    if not can_decide_destruction(user):
        raise PermissionDenied


def package_get(user, package_id: int) -> ArchivePackage:
    require_reader(user)
    package = selectors.package_detail(package_id)
    if package is None:
        raise Http404
    return package


def roles(user) -> dict:
    return {"archivist": can_manage_archives(user), "approver": can_decide_destruction(user)}


def refuse(request, exc) -> None:
    messages.error(request, exc.message)
