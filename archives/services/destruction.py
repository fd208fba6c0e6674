"""Destruction (销毁) of packages past their retention period.

An archivist proposes a destruction list (销毁清册) of packages whose review date has
come, each with a reason, and an appraisal opinion for the list; a supervisor (局领导,
the unit head whose approval the archives law requires), not the proposer, approves or
rejects it. Nothing is destroyed without that approval, and a permanent (永久) package
can never be listed.

What approval destroys: the files the package owns (the generated form snapshot,
opinions, history and audit record); their rows stay in the catalogue, marked destroyed,
with the list as the destruction record. Originals referenced from other apps
(materials, notices, reports, media, minutes, licences) belong to those records and are
not deleted here; the item counts them. Source case rows are never deleted. Files are
deleted only after the transaction commits, so a failed approval deletes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archives.models import (
    AccessLog,
    ArchiveDocument,
    ArchivePackage,
    DestructionItem,
    DestructionList,
    Retention,
)
from archives.services import files
from archives.services.access import access_record, require_approver, require_archivist
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.numbering import next_number

Status = DestructionList.Status


def destroyable_refusal(package: ArchivePackage, *, today=None) -> str | None:
    """Why ``package`` may not be destroyed now (None if it may)."""
    today = today or timezone.localdate()
    if package.retention == Retention.PERMANENT:
        return _("{number} 为永久保存，不能销毁。").format(number=package.number)
    if package.is_destroyed:
        return _("{number} 已销毁。").format(number=package.number)
    if package.retention_review_date is None or package.retention_review_date > today:
        return _("{number} 保管期限未满（{day} 起方可鉴定销毁）。").format(
            number=package.number, day=package.retention_review_date)
    return None


def destruction_propose(*, by, items: Sequence[tuple[ArchivePackage, str]],
                        reason: str) -> DestructionList:
    """Propose a list of (package, reason); every problem is reported at once."""
    require_archivist(by)
    reason = reason.strip()
    if not items:
        raise ApplicationError(_("请至少选择一卷到期的档案。"), "destruction_empty")
    if not reason or any(not r.strip() for _p, r in items):
        raise ApplicationError(_("请填写鉴定意见和每卷的销毁理由。"), "destruction_reason_required")
    ids = [p.pk for p, _r in items]
    if len(set(ids)) != len(ids):
        raise ApplicationError(_("同一卷档案不能重复列入清册。"), "destruction_duplicate")
    with transaction.atomic():
        packages = {p.pk: p for p in ArchivePackage.objects.select_for_update().filter(pk__in=ids)}
        listed = set(DestructionItem.objects.filter(
            package_id__in=ids, destruction__status=Status.PROPOSED)
            .values_list("package__number", flat=True))
        problems = [refusal for p in packages.values()
                    if (refusal := destroyable_refusal(p))]
        problems += [_("{number} 已在待审批的销毁清册中。").format(number=n) for n in sorted(listed)]
        if problems:
            raise ConflictError("\n".join(problems), "not_destroyable",
                                extra={"problems": problems})
        year = timezone.localdate().year
        destruction = DestructionList.objects.create(
            number=f"XH-{year}-{next_number(f'archive-destruction:{year}'):04d}",
            reason=reason, proposed_by=by, proposed_at=timezone.now())
        DestructionItem.objects.bulk_create(
            DestructionItem(destruction=destruction, package=packages[p.pk],
                            reason=r.strip()[:300]) for p, r in items)
        audit_log(action="archive.destruction_propose", actor=by, obj=destruction,
                  after={"packages": [packages[p.pk].number for p, _r in items]})
    return destruction


def destruction_decide(*, destruction: DestructionList, by, approve: bool,
                       note: str = "") -> DestructionList:
    """Approve (and carry out) or reject a proposed list."""
    require_approver(by)
    note = note.strip()
    if not approve and not note:
        raise ApplicationError(_("不予批准须写明理由。"), "decision_reason_required")
    with transaction.atomic():
        destruction = DestructionList.objects.select_for_update().get(pk=destruction.pk)
        if not destruction.is_open:
            raise ConflictError(_("该销毁清册已于 {day} 审批（{status}）。").format(
                day=timezone.localtime(destruction.decided_at).date(),
                status=destruction.get_status_display()), "destruction_decided")
        if destruction.proposed_by_id == by.pk:
            raise PermissionRefused(_("销毁清册不能由提出人本人审批。"), "separation_of_duties")
        destruction.status = Status.APPROVED if approve else Status.REJECTED
        destruction.decided_by, destruction.decided_at = by, timezone.now()
        destruction.decision_note = note
        destruction.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if approve:
            _carry_out(destruction, by)
        audit_log(action="archive.destruction_" + ("approve" if approve else "reject"),
                  actor=by, obj=destruction, after={"note": note})
    return destruction


def _carry_out(destruction: DestructionList, by) -> None:
    items = list(destruction.items.select_related("package"))
    packages = {p.pk: p for p in ArchivePackage.objects.select_for_update().filter(
        pk__in=[i.package_id for i in items])}
    problems = [r for p in packages.values() if (r := destroyable_refusal(p))]
    if problems:  # e.g. a rule changed to 永久 after the list was proposed
        raise ConflictError("\n".join(problems), "not_destroyable", extra={"problems": problems})
    now = timezone.now()
    to_delete: list[str] = []
    for item in items:
        package = packages[item.package_id]
        owned = list(package.documents.filter(owned=True, destroyed_at__isnull=True))
        ArchiveDocument.objects.filter(pk__in=[d.pk for d in owned]).update(destroyed_at=now)
        to_delete += [d.storage_name for d in owned]
        item.files_deleted = len(owned)
        item.originals_kept = package.documents.filter(owned=False).count()
        item.save(update_fields=["files_deleted", "originals_kept"])
        package.status, package.destroyed_at = ArchivePackage.Status.DESTROYED, now
        package.destruction = destruction
        package.save(update_fields=["status", "destroyed_at", "destruction"])
        access_record(package=package, by=by, action=AccessLog.Action.DESTROY,
                      detail=_("依销毁清册 {number}：删除档案生成文件 {n} 件").format(
                          number=destruction.number, n=len(owned)))
    still_used = set(ArchiveDocument.objects.filter(storage_name__in=to_delete,
                                                    destroyed_at__isnull=True)
                     .values_list("storage_name", flat=True))
    doomed = sorted(set(to_delete) - still_used)
    transaction.on_commit(lambda: [files.delete_stored(name) for name in doomed])
