"""The sweep archives cases closed more than ONESEAL_ARCHIVE_AFTER_DAYS days ago as the
configured archivist; without one it does nothing; a refusal on one case does not stop
the others."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from approvals.models import Case, MaterialRequirement
from approvals.services import case_transition
from approvals.services.intake import material_upload
from approvals.workflow import CaseStatus
from archives.models import ArchivePackage
from archives.tasks import archive_closed_cases
from tests.archives.conftest import closed_case, png_bytes, upload
from tests.factories import CaseFactory, MatterFactory, UserFactory
from tests.factories.workflow import drive

pytestmark = pytest.mark.django_db


def closed_days_ago(case, days: int) -> Case:
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days))
    return Case.objects.get(pk=case.pk)


def test_without_a_configured_archivist_nothing_is_archived(crew, settings, caplog):
    settings.ONESEAL_ARCHIVE_SYSTEM_USER = ""
    closed_days_ago(closed_case(crew), 30)
    with caplog.at_level(logging.INFO, logger="archives.tasks"):
        assert archive_closed_cases.delay().get() == 0
    assert "ONESEAL_ARCHIVE_SYSTEM_USER" in caplog.text
    assert not ArchivePackage.objects.exists()


def test_a_configured_user_without_the_archivist_role_archives_nothing(crew, settings, caplog):
    settings.ONESEAL_ARCHIVE_SYSTEM_USER = UserFactory(roles=["clerk"]).username
    closed_days_ago(closed_case(crew), 30)
    assert archive_closed_cases() == 0
    assert "archivist role" in caplog.text


def test_cases_closed_long_enough_ago_are_archived_once(crew, settings):
    archivist = crew.users["archivist"]
    settings.ONESEAL_ARCHIVE_SYSTEM_USER = archivist.username
    settings.ONESEAL_ARCHIVE_AFTER_DAYS = 15
    old = closed_days_ago(closed_case(crew), 16)
    recent = closed_days_ago(closed_case(crew, CaseStatus.REJECTED), 3)
    assert archive_closed_cases() == 1
    assert Case.objects.get(pk=old.pk).status == CaseStatus.ARCHIVED
    assert ArchivePackage.objects.get(case=old).bound_by == archivist
    assert Case.objects.get(pk=recent.pk).status == CaseStatus.REJECTED
    assert old.history.last().note and old.history.last().actor == archivist
    assert archive_closed_cases() == 0  # idempotent


def test_one_refusal_does_not_hold_up_the_others(crew, settings):
    settings.ONESEAL_ARCHIVE_SYSTEM_USER = crew.users["archivist"].username
    matter = MatterFactory()
    requirement = MaterialRequirement.objects.create(matter=matter, name="照片")
    broken = CaseFactory(matter=matter)
    material = material_upload(case=broken, requirement=requirement, by=broken.applicant.user,
                               upload=upload("p.png", png_bytes(), "image/png"))
    drive(broken, crew, CaseStatus.SUBMITTED)
    case_transition(case_id=broken.pk, name="withdraw", by=broken.applicant.user)
    default_storage.delete(material.file.name)
    closed_days_ago(broken, 40)
    fine = closed_days_ago(closed_case(crew), 20)
    assert archive_closed_cases() == 1
    assert Case.objects.get(pk=broken.pk).status == CaseStatus.WITHDRAWN
    assert ArchivePackage.objects.filter(case=fine).exists()


def test_fixity_sweep_reports_a_tampered_package(package, caplog):
    from archives.models import DocumentKind
    from archives.tasks import verify_packages
    from portal.core.models import AuditEntry

    assert verify_packages() == 0
    default_storage.delete(package.documents.get(kind=DocumentKind.AUDIT).storage_name)
    assert verify_packages() == 1
    entry = AuditEntry.objects.get(action="archive.fixity_failed")
    assert entry.object_id == str(package.pk) and "missing" in entry.after["problems"][0]
    assert package.number in caplog.text
