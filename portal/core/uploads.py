"""Upload checks by content, not by name: PDF, JPEG and PNG only, within the size limit,
with the SHA-256 computed while reading. Pure functions over file-like objects."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
_TRAILERS = {
    "application/pdf": lambda tail: b"%%EOF" in tail,
    "image/jpeg": lambda tail: b"\xff\xd9" in tail,
    "image/png": lambda tail: b"IEND" in tail,
}
CHUNK = 64 * 1024


@dataclass(frozen=True)
class UploadInfo:
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def inspect_upload(fileobj: BinaryIO, *, max_bytes: int | None = None) -> UploadInfo:
    """Check type by magic bytes and trailer, enforce the size limit, hash the content."""
    limit = max_bytes or settings.ONESEAL_MAX_UPLOAD_BYTES
    fileobj.seek(0)
    head = fileobj.read(16)
    content_type = sniff(head)
    if content_type is None:
        raise ApplicationError(_("文件格式不支持：仅接受 PDF、JPG、PNG 文件（按文件内容识别）。"),
                               "unsupported_file_type")
    digest = hashlib.sha256(head)
    size, tail = len(head), head
    while chunk := fileobj.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise ApplicationError(
                _("文件过大：单个文件不能超过 {mb} MB。").format(mb=limit // (1024 * 1024)),
                "file_too_large")
        digest.update(chunk)
        tail = (tail + chunk)[-1024:]
    if not _TRAILERS[content_type](tail):
        raise ApplicationError(_("文件不完整或已损坏，请重新上传。"), "file_corrupt")
    fileobj.seek(0)
    return UploadInfo(content_type, size, digest.hexdigest())
