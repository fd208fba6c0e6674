"""Upload checks by content, not by name: the file's bytes must be one of the kinds the
caller accepts (PDF, JPEG, PNG; MP4 and WebM video where media are allowed), complete, and
within the size limit, with the SHA-256 computed while reading. Pure functions over
file-like objects."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError

PDF, JPEG, PNG, MP4, WEBM = ("application/pdf", "image/jpeg", "image/png", "video/mp4",
                              "video/webm")
#: What intake accepts for materials.
DOCUMENTS = frozenset({PDF, JPEG, PNG})
#: Photos and short videos (inspection evidence, guidance media).
MEDIA = frozenset({JPEG, PNG, MP4, WEBM})
#: Media or a scanned document (rectification evidence).
EVIDENCE = MEDIA | {PDF}
VIDEO = frozenset({MP4, WEBM})

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
_TRAILERS = {
    PDF: lambda tail: b"%%EOF" in tail,
    JPEG: lambda tail: b"\xff\xd9" in tail,
    PNG: lambda tail: b"IEND" in tail,
}
_NAMES = {PDF: "PDF", JPEG: "JPG", PNG: "PNG", MP4: "MP4", WEBM: "WebM"}
CHUNK = 64 * 1024


@dataclass(frozen=True)
class UploadInfo:
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    """The content type the first bytes announce (``head`` should be 64 bytes or more)."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[4:8] == b"ftyp":  # ISO base media: MP4, QuickTime-compatible MP4 from phones
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:  # EBML, DocType webm
        return WEBM
    return None


def _video_complete(content_type: str, seen_moov: bool) -> bool:
    # An MP4 without a movie box cannot be played; a WebM recording is streamed and has
    # no trailer to check.
    return seen_moov if content_type == MP4 else True


def inspect_upload(fileobj: BinaryIO, *, max_bytes: int | None = None,
                   kinds: frozenset[str] = DOCUMENTS) -> UploadInfo:
    """Check type by magic bytes (one of ``kinds``) and completeness, enforce the size
    limit (videos have their own, larger one), hash the content."""
    fileobj.seek(0)
    head = fileobj.read(64)
    content_type = sniff(head)
    if content_type is None or content_type not in kinds:
        names = "、".join(_NAMES[k] for k in (PDF, JPEG, PNG, MP4, WEBM) if k in kinds)
        raise ApplicationError(
            _("文件格式不支持：仅接受 {names} 文件（按文件内容识别）。").format(names=names),
            "unsupported_file_type")
    default = (settings.ONESEAL_MAX_VIDEO_BYTES if content_type in VIDEO
               else settings.ONESEAL_MAX_UPLOAD_BYTES)
    limit = max_bytes or default
    digest = hashlib.sha256(head)
    size, tail = len(head), head
    seen_moov = b"moov" in head
    while chunk := fileobj.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise ApplicationError(
                _("文件过大：单个文件不能超过 {mb} MB。").format(mb=limit // (1024 * 1024)),
                "file_too_large")
        digest.update(chunk)
        seen_moov = seen_moov or b"moov" in (tail[-8:] + chunk)
        tail = (tail + chunk)[-1024:]
    complete = (_TRAILERS[content_type](tail) if content_type in _TRAILERS
                else _video_complete(content_type, seen_moov))
    if not complete:
        raise ApplicationError(_("文件不完整或已损坏，请重新上传。"), "file_corrupt")
    fileobj.seek(0)
    return UploadInfo(content_type, size, digest.hexdigest())
