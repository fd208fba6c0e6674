"""What the case page shows about the archive (归档): for archive readers, the package's
number, class, retention and paper location with a link to it, or, for a closed case not
archived yet, that it waits. Include ``archives/case_panel.html`` with ``archive`` =
``case_archive_panel(case, user)``."""

from __future__ import annotations

from django.urls import reverse

from approvals.models import Case
from approvals.workflow import CLOSED
from archives.models import ArchivePackage
from archives.permissions import can_manage_archives, can_read_archives


def case_archive_panel(case: Case, user) -> dict | None:
    """None unless ``user`` may read archives and the case is closed or archived."""
    if not can_read_archives(user):
        return None
    package = ArchivePackage.objects.filter(case=case).first()
    if package is None:
        if case.status not in CLOSED:
            return None
        return {"package": None, "pending": True,
                "bind_url": reverse("archives-bind", args=[case.pk])
                if can_manage_archives(user) else ""}
    return {"package": package, "pending": False,
            "url": reverse("archives-package", args=[package.pk])}
