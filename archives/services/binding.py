"""Binding a package (组卷归档): when a case is archived, everything it produced is put in
one package with a catalogue, a SHA-256 per file, a class and a retention period.

``package_bind`` runs inside the ``archive`` transition (``approvals.services.hooks``), so
the case is archived with its package or not at all; ``case_archive`` is how the archive
pages, the API and the nightly sweep ask for it: through ``case_transition``, the one
path by which a case changes state."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Case, CaseStatusChange
from approvals.workflow import CLOSED, CaseStatus
from archives import retention
from archives.models import AccessLog, ArchiveDocument, ArchivePackage, RetentionRule
from archives.services import collect, files, generated, manifest
from archives.services.access import access_record
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError
from portal.core.numbering import next_number


def closing_status(case: Case) -> str:
    """The status the case ended in, read from its history (the case is being archived)."""
    if case.status == CaseStatus.ARCHIVED:
        last = (CaseStatusChange.objects.filter(case=case).exclude(to_status=CaseStatus.ARCHIVED)
                .order_by("-at", "-id").first())
        if last is not None and last.to_status in CLOSED:
            return last.to_status
    if case.status in CLOSED:
        raise ConflictError(_("组卷在“归档”办理环节中进行，请通过归档操作办理。"), "archive_via_transition")
    raise ConflictError(_("办件尚未办结（当前状态：{status}），不能归档。").format(
        status=case.get_status_display()), "case_not_closed")


def classification_for(case: Case, outcome: str) -> retention.Classification:
    matter = case.matter
    rules = [r.as_rule() for r in RetentionRule.objects.filter(is_active=True)]
    return retention.classify(retention.MatterFacts(matter.pk, matter.code, matter.name,
                                                    matter.industry), outcome, rules)


def _documents(case: Case) -> list[ArchiveDocument]:
    """Every document with its facts read from storage; refuses (listing every problem)
    if an original is missing or no longer matches the hash recorded when it was made."""
    sources = collect.in_catalogue_order([*generated.generated(case), *collect.originals(case)])
    documents, problems = [], []
    for seq, source in enumerate(sources, 1):
        if source.data is not None:
            facts = files.facts_of_bytes(source.data, source.content_type)
            name = files.store_generated(source.data, source.suffix)
        else:
            name = source.storage_name
            facts = files.stored_facts(name, source.content_type)
            if facts is None:
                problems.append(_("{title}：文件缺失").format(title=source.title))
                continue
            if facts.sha256 != source.recorded_sha256:
                problems.append(_("{title}：内容与登记的 SHA-256 不符").format(title=source.title))
                continue
        documents.append(ArchiveDocument(
            seq=seq, kind=source.kind, title=source.title, doc_number=source.doc_number,
            doc_date=source.doc_date, pages=facts.pages, content_type=source.content_type,
            size=facts.size, sha256=facts.sha256, storage_name=name,
            path=f"documents/{seq:03d}-{source.kind}{source.suffix}",
            source_type=source.source_type, source_id=source.source_id,
            owned=source.data is not None))
    if problems:
        raise ConflictError(_("以下文件缺失或已被改动，不能归档，请先查明原因：\n{items}").format(
            items="\n".join(problems)), "archive_files_invalid", extra={"problems": problems})
    return documents


def package_bind(*, case: Case, by) -> ArchivePackage:
    """Bind the package of ``case`` as ``by``, once per case. Runs inside the ``archive``
    transition (the case row locked, its status already 已归档, permission and separation
    checked by ``case_transition``); anything else archives through ``case_archive``."""
    with transaction.atomic():
        existing = ArchivePackage.objects.filter(case=case).first()
        if existing is not None:
            raise ConflictError(_("本件已归档（档号 {number}），不能重复组卷。").format(
                number=existing.number), "already_archived")
        status = closing_status(case)
        outcome = retention.outcome_of(status)
        klass = classification_for(case, outcome)
        closed_on = timezone.localtime(case.closed_at).date() if case.closed_at \
            else timezone.localdate()
        seq = next_number(f"archive:{klass.code}:{closed_on.year}:{klass.retention}")
        documents = _documents(case)
        package = ArchivePackage.objects.create(
            case=case, outcome=outcome, closing_status=status, closed_on=closed_on,
            number=retention.archive_number(code=klass.code, year=closed_on.year,
                                            retention=klass.retention, seq=seq),
            classification_code=klass.code, classification_name=klass.name,
            retention=klass.retention,
            retention_review_date=retention.review_date(closed_on, klass.retention),
            bound_by=by, bound_at=timezone.now(), document_count=len(documents),
            page_count=sum(d.pages for d in documents))
        for doc in documents:
            doc.package = package
        ArchiveDocument.objects.bulk_create(documents)
        _seal(package, documents)
        access_record(package=package, by=by, action=AccessLog.Action.BIND,
                      detail=_("{n} 件 {pages} 页").format(n=len(documents),
                                                         pages=package.page_count))
        audit_log(action="archive.package_bind", actor=by, obj=case,
                  after={"package": package.number, "documents": len(documents),
                         "seal": package.seal, "retention": package.retention})
    return package


def _seal(package: ArchivePackage, documents: list[ArchiveDocument]) -> None:
    pdf = manifest.catalogue_pdf(package, documents)
    package.catalogue_name = files.store_generated(pdf, ".pdf")
    package.catalogue_sha256 = files.facts_of_bytes(pdf, "application/pdf").sha256
    package.seal = manifest.seal_of(manifest.sealed_manifest(package, documents))
    package.save(update_fields=["catalogue_name", "catalogue_sha256", "seal"])


def case_archive(*, case: Case, by, note: str = "") -> ArchivePackage:
    """Archive a closed case (the ``archive`` transition binds its package)."""
    from approvals.services import case_transition

    if not isinstance(case, Case):
        raise ApplicationError(_("办件不存在。"), "not_found", status=404)
    case = case_transition(case_id=case.pk, name="archive", by=by, note=note)
    return ArchivePackage.objects.get(case=case)
