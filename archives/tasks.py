"""Archive tasks for Celery: the sweep that archives cases closed more than
``ONESEAL_ARCHIVE_AFTER_DAYS`` days ago (归档, "the system, by rule"). It runs the
``archive`` transition as the archivist named in ``ONESEAL_ARCHIVE_SYSTEM_USER`` (the
transition needs a person with the archivist role, and the status history shows who);
without one it does nothing and says so. Idempotent: an archived case is no longer
closed, and each case is archived in its own transaction, so one refusal (a missing
file) does not hold up the others. Acks late (see ``portal.notifications.tasks``)."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case
from approvals.workflow import CLOSED
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.core.errors import ApplicationError

logger = logging.getLogger(__name__)

#: Cases archived per run at most (the next run takes the rest).
BATCH = 200


def archive_after_days() -> int:
    return int(getattr(settings, "ONESEAL_ARCHIVE_AFTER_DAYS", 15))


def system_archivist() -> User | None:
    username = getattr(settings, "ONESEAL_ARCHIVE_SYSTEM_USER", "") or ""
    if not username:
        logger.info("archive sweep: ONESEAL_ARCHIVE_SYSTEM_USER is not set; nothing archived")
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user.has_role(Role.ARCHIVIST):
        logger.error("archive sweep: %r is not an active user with the archivist role; "
                     "nothing archived", username)
        return None
    return user


def due_cases(*, now=None) -> list[int]:
    cutoff = (now or timezone.now()) - timedelta(days=archive_after_days())
    return list(Case.objects.filter(status__in=list(CLOSED), closed_at__lte=cutoff)
                .order_by("closed_at", "pk").values_list("pk", flat=True)[:BATCH])


@shared_task(name="archives.tasks.archive_closed_cases", acks_late=True)
def archive_closed_cases() -> int:
    """Beat: archive every case closed long enough ago; returns how many were archived."""
    from archives.services import case_archive

    archivist = system_archivist()
    if archivist is None:
        return 0
    done = 0
    for case in Case.objects.filter(pk__in=due_cases()).order_by("closed_at", "pk"):
        try:
            case_archive(case=case, by=archivist, note=_("办结满期，系统按规则归档"))
        except ApplicationError as exc:
            logger.warning("archive sweep: case %s not archived: %s", case.number, exc.message)
            continue
        done += 1
    logger.info("archive sweep: %d case(s) archived", done)
    return done


@shared_task(name="archives.tasks.verify_packages", acks_late=True)
def verify_packages() -> int:
    """Beat (weekly): the fixity check: every package not destroyed is verified against
    its stored files and seal; each failure is logged and appended to the audit chain
    (an archivist then runs ``manage.py archives_verify <档号>`` for the details).
    Returns the number of packages that failed."""
    from archives.models import ArchivePackage
    from archives.services.verify import verify_stored
    from portal.core.audit import audit_log

    failed = 0
    packages = (ArchivePackage.objects.filter(status=ArchivePackage.Status.BOUND)
                .select_related("case__matter", "case__applicant", "bound_by")
                .order_by("pk"))
    for package in packages.iterator(chunk_size=200):
        report = verify_stored(package)
        if report.ok:
            continue
        failed += 1
        logger.error("archive fixity: %s failed: %s", package.number, report.summary())
        audit_log(action="archive.fixity_failed", obj=package,
                  after={"problems": [f"{p.kind} {p.path}" for p in report.problems]})
    logger.info("archive fixity: %d package(s) failed", failed)
    return failed
