"""Destruction: only packages past their review date may be listed, never a permanent
one; nothing is deleted until a supervisor other than the proposer approves; approval
deletes the package's own generated files and keeps the catalogue, the destruction record,
the case and the originals owned by other records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from approvals.models import Case
from approvals.workflow import CaseStatus
from archives import selectors
from archives.models import AccessLog, ArchivePackage, DestructionList
from archives.services import destruction_decide, destruction_propose, package_export
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.models import AuditEntry
from tests.archives.conftest import archive, closed_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def due(package, days: int = 1):
    """Pretend the review date has come (as it will, years after binding)."""
    ArchivePackage.objects.filter(pk=package.pk).update(
        retention_review_date=timezone.localdate() - timedelta(days=days))
    package.refresh_from_db()
    return package


def exists(name: str) -> bool:
    return default_storage.exists(name)


def test_a_package_not_yet_due_cannot_be_listed(package, archivist):
    assert package.retention_review_date > timezone.localdate()
    assert package not in selectors.packages_due()
    with pytest.raises(ConflictError) as refused:
        destruction_propose(by=archivist, items=[(package, "到期")], reason="鉴定")
    assert "保管期限未满" in refused.value.message
    assert not DestructionList.objects.exists()


def test_a_permanent_package_is_never_due_and_never_listed(crew, archivist):
    package = archive(closed_case(crew, CaseStatus.REJECTED, industry="危险化学品"),
                      crew).archive_package
    assert package.retention_review_date is None
    assert package not in selectors.packages_due(today=timezone.localdate()
                                                 + timedelta(days=365 * 200))
    with pytest.raises(ConflictError) as refused:
        destruction_propose(by=archivist, items=[(package, "到期")], reason="鉴定")
    assert "永久保存" in refused.value.message


def test_proposing_deletes_nothing_and_takes_the_package_off_the_due_list(package, archivist):
    package = due(package)
    assert list(selectors.packages_due()) == [package]
    names = [d.storage_name for d in package.documents.all()]
    destruction = destruction_propose(by=archivist, items=[(package, "保管期满")],
                                      reason="经鉴定无继续保存价值")
    assert destruction.status == DestructionList.Status.PROPOSED
    assert all(exists(n) for n in names)
    package.refresh_from_db()
    assert not package.is_destroyed and list(selectors.packages_due()) == []
    with pytest.raises(ConflictError) as twice:
        destruction_propose(by=archivist, items=[(package, "保管期满")], reason="再次")
    assert "待审批" in twice.value.message


def test_reasons_are_required(package, archivist):
    package = due(package)
    with pytest.raises(ApplicationError):
        destruction_propose(by=archivist, items=[(package, " ")], reason="鉴定")
    with pytest.raises(ApplicationError):
        destruction_propose(by=archivist, items=[(package, "到期")], reason="")
    with pytest.raises(ApplicationError):
        destruction_propose(by=archivist, items=[], reason="鉴定")


def test_only_archivists_propose_and_only_supervisors_decide(package, archivist, supervisor,
                                                            crew):
    package = due(package)
    with pytest.raises(PermissionRefused):
        destruction_propose(by=supervisor, items=[(package, "到期")], reason="鉴定")
    destruction = destruction_propose(by=archivist, items=[(package, "到期")], reason="鉴定")
    for user in (archivist, crew.users["approver"], crew.users["clerk"]):
        with pytest.raises(PermissionRefused):
            destruction_decide(destruction=destruction, by=user, approve=True)
    package.refresh_from_db()
    assert not package.is_destroyed


def test_the_proposer_cannot_approve_their_own_list(package):
    both = UserFactory(roles=["archivist", "supervisor"])
    package = due(package)
    destruction = destruction_propose(by=both, items=[(package, "到期")], reason="鉴定")
    with pytest.raises(PermissionRefused) as refused:
        destruction_decide(destruction=destruction, by=both, approve=True)
    assert refused.value.code == "separation_of_duties"


def test_rejection_needs_a_reason_and_destroys_nothing(package, archivist, supervisor):
    package = due(package)
    destruction = destruction_propose(by=archivist, items=[(package, "到期")], reason="鉴定")
    with pytest.raises(ApplicationError):
        destruction_decide(destruction=destruction, by=supervisor, approve=False)
    destruction = destruction_decide(destruction=destruction, by=supervisor, approve=False,
                                     note="涉及未结诉讼，继续保存")
    assert destruction.status == DestructionList.Status.REJECTED
    package.refresh_from_db()
    assert not package.is_destroyed
    assert all(exists(d.storage_name) for d in package.documents.all())
    assert list(selectors.packages_due()) == [package]  # may be listed again later


def test_approval_destroys_the_packages_own_files_and_keeps_the_rest(
        full_case, crew, archivist, supervisor, django_capture_on_commit_callbacks):
    case = archive(full_case.case, crew)
    package = due(case.archive_package)
    owned = list(package.documents.filter(owned=True))
    originals = list(package.documents.filter(owned=False))
    assert owned and originals
    destruction = destruction_propose(by=archivist, items=[(package, "保管期满")],
                                      reason="经鉴定无继续保存价值")
    with django_capture_on_commit_callbacks(execute=True):
        destruction_decide(destruction=destruction, by=supervisor, approve=True, note="同意销毁")
    package.refresh_from_db()
    assert package.is_destroyed and package.destruction == destruction
    assert all(not exists(d.storage_name) for d in owned)
    assert all(d.destroyed_at for d in package.documents.filter(owned=True))
    # catalogue, documents' rows, originals and the case itself remain
    assert package.documents.count() == len(owned) + len(originals)
    assert exists(package.catalogue_name)
    assert all(exists(d.storage_name) and d.destroyed_at is None
               for d in package.documents.filter(owned=False))
    assert Case.objects.filter(pk=case.pk, status=CaseStatus.ARCHIVED).exists()
    item = destruction.items.get()
    assert (item.files_deleted, item.originals_kept) == (len(owned), len(originals))
    assert AccessLog.objects.filter(package=package, action="destroy").exists()
    assert AuditEntry.objects.filter(action="archive.destruction_approve").exists()
    with pytest.raises(ConflictError):
        package_export(package=package, by=archivist)
    with pytest.raises(ConflictError):
        destruction_decide(destruction=destruction, by=supervisor, approve=False, note="撤回")


def test_a_list_whose_package_became_permanent_is_not_carried_out(package, archivist,
                                                                  supervisor):
    package = due(package)
    destruction = destruction_propose(by=archivist, items=[(package, "到期")], reason="鉴定")
    ArchivePackage.objects.filter(pk=package.pk).update(retention="permanent")
    with pytest.raises(ConflictError):
        destruction_decide(destruction=destruction, by=supervisor, approve=True)
    package.refresh_from_db()
    destruction.refresh_from_db()
    assert not package.is_destroyed and destruction.is_open
    assert all(exists(d.storage_name) for d in package.documents.all())
