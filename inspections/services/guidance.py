"""Editing inspection standards: who may edit them; selectors for the overview of inspected
matters, the case whose standard a user may see and guidance files; a revision of the
current version (checked against the version the editor started from); guidance media
(勘前辅导图片/视频) checked by content and stored under their hash.

Versions are immutable, so every change, including a new picture for one item, publishes
the next version through ``standard_publish``; cases and tasks keep theirs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from approvals.models import Case, Matter
from approvals.permissions import can_view_case
from approvals.services.downloads import Download
from inspections.models import GuidanceMedia, Standard, StandardItem, StandardVersion
from inspections.services.standards import (
    case_standard,
    current_version,
    standard_items_as_dicts,
    standard_publish,
)
from portal.accounts.roles import Role
from portal.core.audit import audit_log
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from portal.core.uploads import JPEG, MEDIA, MP4, PNG, VIDEO, WEBM, inspect_upload, sniff

#: Guidance videos are short clips (勘前辅导短视频): 50 MB at most.
GUIDANCE_VIDEO_MAX_BYTES = 50 * 1024 * 1024
_SUFFIX = {PNG: ".png", JPEG: ".jpg", MP4: ".mp4", WEBM: ".webm"}


def may_edit_standards(user) -> bool:
    """Dispatchers (勘验评审科) and system administrators revise standards."""
    return bool(user.is_authenticated and (user.is_staff or user.has_role(Role.DISPATCHER)))


def may_view_standard_history(user) -> bool:
    """Bureau staff see every version (applicants see theirs and the current one)."""
    return bool(user.is_authenticated and (user.is_staff or user.is_bureau_staff))


def require_standards_editor(user) -> None:
    if user is None or not may_edit_standards(user):
        raise PermissionRefused(_("只有勘验调度员或系统管理员可以修订踏勘标准。"),
                                "not_standards_editor")


def inspected_matters() -> QuerySet[Matter]:
    """Matters that need inspection or have a standard, each annotated with its current
    version (``latest_id``, ``latest_number``, ``latest_published_at``) and that
    version's ``item_count``: one query however many rows."""
    latest = StandardVersion.objects.filter(standard__matter=OuterRef("pk")).order_by("-number")
    items = (StandardItem.objects.filter(version_id=OuterRef("latest_id")).order_by()
             .values("version_id").annotate(n=Count("pk")).values("n"))
    return (Matter.objects.filter(Q(needs_inspection=True)
                                  | Q(inspection_standard__isnull=False))
            .select_related("section", "inspection_standard")
            .annotate(latest_id=Subquery(latest.values("pk")[:1]),
                      latest_number=Subquery(latest.values("number")[:1]),
                      latest_published_at=Subquery(latest.values("published_at")[:1]))
            .annotate(item_count=Subquery(items))
            .order_by("code"))


def standard_case_get(*, user, case_id: int) -> Case:
    """A case whose standard ``user`` may see: its applicant side (the applicant or an
    authorised agent), a counter clerk who filed it, or bureau staff; 404 otherwise."""
    case = (Case.objects.select_related("matter", "matter__section", "applicant")
            .filter(pk=case_id).first())
    if case is None or not can_view_case.test(user, case):
        raise Http404
    return case


def matter_media_get(*, user, matter: Matter, media_id: int) -> GuidanceMedia:
    """A guidance file of ``matter``'s standard: any version for bureau staff, the current
    (public) version for everyone else; 404 otherwise."""
    qs = GuidanceMedia.objects.filter(pk=media_id, item__version__standard__matter=matter)
    if not may_view_standard_history(user):
        current = current_version(matter)
        qs = qs.filter(item__version=current) if current else qs.none()
    media = qs.first()
    if media is None:
        raise Http404
    return media


def case_media_get(*, user, case_id: int, media_id: int) -> GuidanceMedia:
    """A guidance file of the version a case is inspected against, for whoever may see
    the case; 404 otherwise."""
    case = standard_case_get(user=user, case_id=case_id)
    media = GuidanceMedia.objects.filter(pk=media_id, item__version=case_standard(case)).first()
    if media is None:
        raise Http404
    return media


def media_download(media: GuidanceMedia) -> Download:
    """A guidance file as handed out (shown inline): public guidance, so not audited; the
    caller has checked that the user may see it."""
    ext = os.path.splitext(media.file.name)[1]
    return Download(media.file, f"guidance-{media.pk}{ext}", media.content_type)


@dataclass(frozen=True)
class StoredFile:
    name: str


@dataclass(frozen=True)
class StoredMedia:
    """A checked file already in storage, in the shape ``standard_publish`` copies."""

    kind: str
    file: StoredFile
    content_type: str
    size: int
    sha256: str
    caption: str


def media_store(fileobj: BinaryIO, *, caption: str = "") -> StoredMedia:
    """Check an image or video by content (videos up to 50 MB) and store it under its
    hash (an identical file is stored once)."""
    fileobj.seek(0)
    announced = sniff(fileobj.read(64))
    fileobj.seek(0)
    limit = GUIDANCE_VIDEO_MAX_BYTES if announced in VIDEO else None
    info = inspect_upload(fileobj, kinds=MEDIA, max_bytes=limit)
    name = f"inspections/guidance/{info.sha256[:2]}/{info.sha256}{_SUFFIX[info.content_type]}"
    if not default_storage.exists(name):
        name = default_storage.save(name, File(fileobj, name=name))
    kind = GuidanceMedia.Kind.VIDEO if info.content_type in VIDEO else GuidanceMedia.Kind.IMAGE
    return StoredMedia(kind=kind, file=StoredFile(name), content_type=info.content_type,
                       size=info.size, sha256=info.sha256, caption=caption.strip()[:200])


def _locked_current(matter: Matter) -> StandardVersion | None:
    Standard.objects.select_for_update().filter(matter=matter).first()
    return current_version(matter)


_KEY = re.compile(r"^[-a-z0-9_]+$")


def _key_problems(items: Sequence[dict]) -> list[str]:
    """Item keys name a requirement across matters: lower-case letters, digits, hyphens."""
    return [_("第{n}项：编码只能使用小写字母、数字和连字符（如 staff-health-certificates）。")
            .format(n=n) for n, item in enumerate(items, start=1)
            if str(item.get("key") or "").strip()
            and not _KEY.match(str(item.get("key")).strip())]


def standard_revise(*, matter: Matter, items: Sequence[dict], by, note: str,
                    pass_score: int | None = None,
                    base_number: int | None = None) -> StandardVersion:
    """Publish the next version from an editor's items. ``base_number`` is the version the
    editor started from: if someone published since, nothing is saved (409). Guidance
    media stay with their item key unless the item says ``drop_media``. A revision note
    is required; every problem is reported at once."""
    require_standards_editor(by)
    note = (note or "").strip()
    own_problems = ([] if note else [_("请填写修订说明。")]) + _key_problems(items)
    with transaction.atomic():
        current = _locked_current(matter)
        if base_number is not None and (current.number if current else 0) != base_number:
            raise ConflictError(
                _("踏勘标准已被他人修订为第 {n} 版：您填写的内容未保存，请在最新版本的基础上"
                  "重新修改。").format(n=current.number if current else 0),
                "standard_changed")
        media = ({i["key"]: i["media"] for i in standard_items_as_dicts(current)}
                 if current else {})
        prepared = [{**item, "media": [] if item.get("drop_media")
                     else media.get(str(item.get("key") or "").strip(), [])}
                    for item in items]
        try:
            version = standard_publish(matter=matter, items=prepared, by=by, note=note,
                                       pass_score=pass_score)
        except ApplicationError as exc:
            problems = own_problems + list(exc.extra.get("problems") or [exc.message])
            raise ApplicationError("\n".join(problems), exc.code,
                                   extra={"problems": problems}) from None
        if own_problems:  # nothing else wrong: still refuse, the atomic block rolls back
            raise ApplicationError("\n".join(own_problems), "invalid_standard",
                                   extra={"problems": own_problems})
    return version


def standard_add_guidance(*, matter: Matter, item_key: str, upload: BinaryIO, caption: str,
                          by) -> StandardVersion:
    """Attach an image or short video to one item of the current version: the items are
    copied into the next version with the new file on the item with ``item_key``."""
    require_standards_editor(by)
    with transaction.atomic():
        current = _locked_current(matter)
        if current is None:
            raise ApplicationError(_("该事项尚未发布踏勘标准，请先发布标准再上传指引。"),
                                   "no_standard")
        items = standard_items_as_dicts(current)
        target = next((i for i in items if i["key"] == item_key), None)
        if target is None:
            raise ApplicationError(_("当前版本中没有编码为“{key}”的勘验项目。").format(
                key=item_key), "unknown_item")
        stored = media_store(upload, caption=caption)
        target["media"].append(stored)
        kind = _("视频") if stored.kind == GuidanceMedia.Kind.VIDEO else _("图片")
        note = _("为“{title}”新增指引{kind}").format(title=target["title"], kind=kind)
        version = standard_publish(matter=matter, items=items, by=by,
                                   note=f"{note}：{stored.caption}" if stored.caption else note,
                                   pass_score=current.pass_score)
        audit_log(action="inspections.guidance_add", actor=by, obj=version,
                  after={"item": item_key, "content_type": stored.content_type,
                         "size": stored.size, "sha256": stored.sha256})
    return version
