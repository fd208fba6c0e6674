"""Binding: the archive transition binds one package holding every document the case
produced, each with its SHA-256 and pages, in catalogue order, classified by the rules;
once per case, and not at all if an original is missing or altered."""

from __future__ import annotations

import hashlib
import io
import json

import pypdf
import pytest
from django.core.files.storage import default_storage

from approvals.models import Case, CaseStatusChange
from approvals.services import case_transition
from approvals.workflow import CaseStatus
from archives.models import ArchiveDocument, ArchivePackage, DocumentKind, Retention, RetentionRule
from archives.services import package_bind
from experts.models import MeetingMinutes
from inspections.models import InspectionReport, ItemEvidence
from portal.core.errors import ConflictError, PermissionRefused
from portal.core.models import AuditEntry
from tests.archives.conftest import archive, closed_case
from tests.certificates.conftest import flat_text

K = DocumentKind
pytestmark = pytest.mark.django_db


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def sources(package, kind) -> set[tuple[str, str]]:
    return {(d.source_type, d.source_id) for d in package.documents.filter(kind=kind)}


def test_package_holds_every_document_of_the_case(full_case, crew):
    case = archive(full_case.case, crew)
    assert case.status == CaseStatus.ARCHIVED
    package = ArchivePackage.objects.get(case=case)
    docs = list(package.documents.all())

    # every upload, the superseded version included
    assert sources(package, K.MATERIAL) == {("approvals.casematerial", str(m.pk))
                                            for m in case.materials.all()}
    assert len(sources(package, K.MATERIAL)) == full_case.material_versions
    assert sources(package, K.NOTICE) == {("approvals.notice", str(n.pk))
                                          for n in case.notices.all()}
    assert sources(package, K.INSPECTION_REPORT) == {
        ("inspections.inspectionreport", str(r.pk))
        for r in InspectionReport.objects.filter(task__cases=case)}
    assert sources(package, K.EVIDENCE) == {
        ("inspections.itemevidence", str(e.pk))
        for e in ItemEvidence.objects.filter(item__task__cases=case)}
    assert len(sources(package, K.EVIDENCE)) == full_case.evidence_count
    assert sources(package, K.MINUTES) == {("experts.meetingminutes", str(m.pk))
                                           for m in MeetingMinutes.objects.filter(case=case)}
    assert sources(package, K.CERTIFICATE) == {("approvals.certificate", str(c.pk))
                                               for c in case.certificates.all()}
    assert all(sources(package, kind) for kind in K.values), "a kind of document is missing"
    # catalogue order: by kind, numbered 1..n without gaps, stable paths
    assert [d.seq for d in docs] == list(range(1, len(docs) + 1))
    order = list(K.values)
    assert [order.index(d.kind) for d in docs] == sorted(order.index(d.kind) for d in docs)
    assert all(d.path == f"documents/{d.seq:03d}-{d.kind}{d.path[d.path.rfind('.'):]}"
               for d in docs)
    assert package.document_count == len(docs)
    assert package.page_count == sum(d.pages for d in docs)


def test_each_document_is_recorded_with_its_hash_size_and_pages(full_case, crew):
    package = ArchivePackage.objects.get(case=archive(full_case.case, crew))
    for doc in package.documents.all():
        data = stored(doc.storage_name)
        assert hashlib.sha256(data).hexdigest() == doc.sha256, doc.title
        assert len(data) == doc.size
        if doc.content_type == "application/pdf":
            assert doc.pages == len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 1, doc.title
        elif doc.content_type.startswith("image/"):
            assert doc.pages == 1
        else:
            assert doc.pages == 0
        if not doc.owned:  # the original is referenced, not copied
            model_hash = {"approvals.casematerial", "approvals.notice", "approvals.certificate",
                          "inspections.inspectionreport", "inspections.itemevidence",
                          "experts.meetingminutes"}
            assert doc.source_type in model_hash
    versions = package.documents.filter(kind=K.MATERIAL).order_by("seq")
    assert [d.pages for d in versions] == [1, len(pypdf.PdfReader(io.BytesIO(
        stored(versions[1].storage_name))).pages)]
    assert "旧版本" in versions[0].title


def test_generated_documents_record_form_history_and_audit(full_case, crew):
    case = archive(full_case.case, crew)
    package = ArchivePackage.objects.get(case=case)
    form = json.loads(stored(package.documents.get(kind=K.FORM).storage_name))
    assert form["case"] == case.number and form["applicant"]["name"] == "张明"
    audit = json.loads(stored(package.documents.get(kind=K.AUDIT).storage_name))
    actions = {e["action"] for e in audit["entries"]}
    assert {"case.submit", "case.accept", "case.approve", "case.issue", "material.upload",
            "review.opinion"} <= actions
    task = case.inspection_tasks.get()
    assert any(e["object_type"] == "inspections.inspectiontask"
               and e["object_id"] == str(task.pk) for e in audit["entries"])
    by_seq = {e.seq: e.hash for e in AuditEntry.objects.all()}
    assert all(by_seq[e["seq"]] == e["hash"] for e in audit["entries"])
    history = flat_text(stored(package.documents.get(kind=K.HISTORY).storage_name))
    for step in CaseStatusChange.objects.filter(case=case).exclude(transition="archive"):
        assert step.action_label in history
    opinions = flat_text(stored(package.documents.get(kind=K.OPINION).storage_name))
    assert "材料齐全" in opinions and "同意提请勘验" in opinions
    catalogue = flat_text(stored(package.catalogue_name))
    assert "卷内目录" in catalogue and package.number in catalogue
    assert hashlib.sha256(stored(package.catalogue_name)).hexdigest() == package.catalogue_sha256


def test_granted_case_is_kept_thirty_years_from_the_next_january(full_case, crew):
    package = ArchivePackage.objects.get(case=archive(full_case.case, crew))
    assert (package.outcome, package.closing_status) == ("granted", CaseStatus.ISSUED)
    assert package.retention == Retention.Y30 and package.classification_code == "XK01"
    year = package.closed_on.year
    assert package.retention_review_date.isoformat() == f"{year + 31}-01-01"
    assert package.number == f"XK01-{year}-D30-0001"
    assert package.bound_by == crew.users["archivist"]


def test_hazardous_chemicals_package_is_permanent_and_has_no_review_date(crew):
    case = archive(closed_case(crew, CaseStatus.REJECTED, industry="危险化学品"), crew)
    package = case.archive_package
    assert (package.outcome, package.retention) == ("rejected", Retention.PERMANENT)
    assert package.retention_review_date is None
    assert package.number.startswith("XK03-") and "-Y-" in package.number


def test_an_administrators_rule_decides_the_class_and_period(crew):
    case = closed_case(crew)
    RetentionRule.objects.create(matter=case.matter, retention=Retention.Y30,
                                 classification_code="XK99", classification_name="测试类")
    package = archive(case, crew).archive_package
    assert (package.classification_code, package.retention) == ("XK99", Retention.Y30)
    assert package.outcome == "terminated"


def test_archiving_twice_is_refused_and_binds_nothing_more(crew):
    case = archive(closed_case(crew), crew)
    with pytest.raises(ConflictError) as refused:
        archive(case, crew)
    assert refused.value.code == "invalid_transition"
    with pytest.raises(ConflictError) as again:
        package_bind(case=Case.objects.get(pk=case.pk), by=crew.users["archivist"])
    assert again.value.code == "already_archived"
    assert ArchivePackage.objects.filter(case=case).count() == 1


def test_an_altered_original_refuses_the_archiving_and_nothing_changes(full_case, crew):
    case = full_case.case
    material = case.materials.get(is_current=True)
    with default_storage.open(material.file.name, "wb") as handle:
        handle.write(b"%PDF-1.4 replaced behind the system's back")
    with pytest.raises(ConflictError) as refused:
        archive(case, crew)
    assert refused.value.code == "archive_files_invalid"
    assert "营业执照" in refused.value.message
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ISSUED
    assert not ArchivePackage.objects.exists() and not ArchiveDocument.objects.exists()


def test_only_an_archivist_archives(crew):
    case = closed_case(crew)
    with pytest.raises(PermissionRefused):
        case_transition(case_id=case.pk, name="archive", by=crew.users["supervisor"])
    assert not ArchivePackage.objects.exists()


def test_binding_happens_only_inside_the_archive_transition(crew):
    case = closed_case(crew)
    with pytest.raises(ConflictError) as refused:
        package_bind(case=case, by=crew.users["archivist"])
    assert refused.value.code == "archive_via_transition"
    open_case = closed_case(crew, CaseStatus.SUBMITTED)
    with pytest.raises(ConflictError) as not_closed:
        package_bind(case=open_case, by=crew.users["archivist"])
    assert not_closed.value.code == "case_not_closed"
    assert not ArchivePackage.objects.exists()
