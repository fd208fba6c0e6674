"""Paper archive (纸质档案): where the volume is (box, volume, shelf), whether it is bound,
and lending (借阅) with due dates and returns; and handing out single electronic documents
and the catalogue. Every step is logged as an access to the package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.services.downloads import Download
from archives.models import AccessLog, ArchiveDocument, ArchivePackage, Loan
from archives.services.access import (
    access_record,
    require_archivist,
    require_not_destroyed,
    require_reader,
)
from archives.services.files import StoredFile
from portal.core.errors import ApplicationError, ConflictError

Binding = ArchivePackage.Binding


def max_loan_days() -> int:
    return int(getattr(settings, "ONESEAL_ARCHIVE_MAX_LOAN_DAYS", 30))


@dataclass(frozen=True)
class PaperLocation:
    box_number: str = ""
    volume_number: str = ""
    shelf_location: str = ""
    binding_status: str = Binding.UNBOUND


def paper_update(*, package: ArchivePackage, by, location: PaperLocation) -> ArchivePackage:
    """Record where the paper volume is and whether it is bound (装订入盒)."""
    require_archivist(by)
    if location.binding_status not in Binding.values:
        raise ApplicationError(_("请选择装订状态。"), "invalid_binding")
    box, volume = location.box_number.strip(), location.volume_number.strip()
    if location.binding_status == Binding.BOUND and not (box and volume):
        raise ApplicationError(_("已装订的案卷须填写盒号和卷号。"), "paper_location_required")
    with transaction.atomic():
        package = ArchivePackage.objects.select_for_update().get(pk=package.pk)
        require_not_destroyed(package)
        if package.binding_status == Binding.BOUND and location.binding_status != Binding.BOUND \
                and package.loans.filter(returned_at__isnull=True).exists():
            raise ConflictError(_("案卷借出期间不能改为未装订。"), "archive_on_loan")
        package.box_number, package.volume_number = box, volume
        package.shelf_location = location.shelf_location.strip()
        package.binding_status = location.binding_status
        package.paper_updated_at = timezone.now()
        package.save(update_fields=["box_number", "volume_number", "shelf_location",
                                    "binding_status", "paper_updated_at"])
        access_record(package=package, by=by, action=AccessLog.Action.PAPER,
                      detail=f"{package.get_binding_status_display()} {box}/{volume} "
                             f"{package.shelf_location}")
    return package


def loan_create(*, package: ArchivePackage, by, borrower_name: str, purpose: str,
                due_date: date, borrower_unit: str = "", borrower=None) -> Loan:
    """Lend the paper volume (借出): bound volumes only, one loan at a time, due within
    ``ONESEAL_ARCHIVE_MAX_LOAN_DAYS``."""
    require_archivist(by)
    borrower_name, purpose = borrower_name.strip(), purpose.strip()
    if not borrower_name or not purpose:
        raise ApplicationError(_("请填写借阅人和借阅目的。"), "loan_incomplete")
    today = timezone.localdate()
    if not today <= due_date <= today + timedelta(days=max_loan_days()):
        raise ApplicationError(_("应还日期须在今天到 {n} 天之内。").format(n=max_loan_days()),
                               "invalid_due_date")
    try:
        with transaction.atomic():
            package = ArchivePackage.objects.select_for_update().get(pk=package.pk)
            require_not_destroyed(package)
            if package.binding_status != Binding.BOUND:
                raise ConflictError(_("纸质案卷尚未装订入盒，不能借出。"), "archive_not_bound")
            open_loan = package.loans.filter(returned_at__isnull=True).first()
            if open_loan is not None:
                raise ConflictError(_("该案卷已借给{name}，应还日期 {due}，归还后才能再借。").format(
                    name=open_loan.borrower_name, due=open_loan.due_date), "archive_on_loan")
            loan = Loan.objects.create(
                package=package, borrower_name=borrower_name[:50],
                borrower_unit=borrower_unit.strip()[:100], borrower=borrower,
                purpose=purpose[:300], lent_at=timezone.now(), due_date=due_date, lent_by=by)
            access_record(package=package, by=by, action=AccessLog.Action.LOAN,
                          detail=_("借给{name}，应还 {due}：{purpose}").format(
                              name=borrower_name, due=due_date, purpose=purpose))
    except IntegrityError as exc:  # a concurrent loan won
        raise ConflictError(_("该案卷刚被借出，请刷新后查看。"), "archive_on_loan") from exc
    return loan


def loan_return(*, loan: Loan, by, note: str = "") -> Loan:
    require_archivist(by)
    with transaction.atomic():
        loan = Loan.objects.select_for_update().select_related("package").get(pk=loan.pk)
        if loan.returned_at is not None:
            raise ConflictError(_("该借阅已于 {day} 归还。").format(
                day=timezone.localtime(loan.returned_at).date()), "loan_returned")
        loan.returned_at, loan.received_by = timezone.now(), by
        loan.return_note = note.strip()[:300]
        loan.save(update_fields=["returned_at", "received_by", "return_note"])
        overdue = (timezone.localdate() - loan.due_date).days
        access_record(package=loan.package, by=by, action=AccessLog.Action.RETURN,
                      detail=_("{name} 归还").format(name=loan.borrower_name)
                      + (_("，逾期 {n} 天").format(n=overdue) if overdue > 0 else ""))
    return loan


def document_download(*, document: ArchiveDocument, by) -> Download:
    require_reader(by)
    package = document.package
    require_not_destroyed(package)
    access_record(package=package, by=by, action=AccessLog.Action.DOWNLOAD,
                  detail=f"{document.seq} {document.title}")
    filename = f"{package.number}-{document.path.rsplit('/', 1)[-1]}"
    return Download(StoredFile(document.storage_name), filename, document.content_type)


def catalogue_download(*, package: ArchivePackage, by) -> Download:
    require_reader(by)
    access_record(package=package, by=by, action=AccessLog.Action.CATALOGUE)
    return Download(StoredFile(package.catalogue_name),
                    f"{package.number}-卷内目录.pdf", "application/pdf")
