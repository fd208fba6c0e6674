"""Export (导出) of a package as one ZIP: each document under its stable path
(``documents/NNN-kind.ext``), ``manifest.json`` (the sealed manifest, its seal and the
paper location) and ``catalogue.pdf`` (卷内目录). Files are hashed while they are copied;
if one is missing or no longer matches its recorded hash the export stops and says which
(run a verification for the full report), so an export is always complete and true."""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from archives.models import AccessLog, ArchivePackage
from archives.services import files, manifest
from archives.services.access import access_record, require_not_destroyed, require_reader
from portal.core.errors import ConflictError

#: Already compressed: stored as they are.
STORED_TYPES = ("image/", "video/")


@dataclass
class ExportFile:
    handle: IO[bytes]
    filename: str
    size: int


def _copy(archive: zipfile.ZipFile, name: str, path: str, content_type: str) -> str | None:
    """Copy a stored file into the ZIP; its SHA-256, or None if it is missing."""
    info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED if content_type.startswith(STORED_TYPES) \
        else zipfile.ZIP_DEFLATED
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as source, \
                archive.open(info, "w", force_zip64=True) as target:
            while chunk := source.read(files.CHUNK):
                digest.update(chunk)
                target.write(chunk)
    except (FileNotFoundError, OSError):
        return None
    return digest.hexdigest()


def write_zip(package: ArchivePackage, handle: IO[bytes], *, by) -> None:
    documents = list(package.documents.all())
    problems = []
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for doc in documents:
            if _copy(archive, doc.storage_name, doc.path, doc.content_type) != doc.sha256:
                problems.append(f"{doc.seq} {doc.title}")
        if _copy(archive, package.catalogue_name, manifest.CATALOGUE,
                 "application/pdf") != package.catalogue_sha256:
            problems.append(_("卷内目录"))
        if problems:
            raise ConflictError(_("导出中止：以下文件缺失或与归档时的 SHA-256 不符，请先核验档案：{items}")
                                .format(items="；".join(problems)), "archive_files_invalid",
                                extra={"problems": problems})
        archive.writestr(zipfile.ZipInfo(manifest.MANIFEST, date_time=(1980, 1, 1, 0, 0, 0)),
                         manifest.manifest_bytes(manifest.export_manifest(package, documents,
                                                                          by=by)),
                         compress_type=zipfile.ZIP_DEFLATED)


def package_export(*, package: ArchivePackage, by) -> ExportFile:
    """The package as a ZIP in a temporary file (read it, then close it); logged."""
    require_reader(by)
    require_not_destroyed(package)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    try:
        write_zip(package, handle, by=by)
    except BaseException:
        handle.close()
        raise
    size = handle.tell()
    handle.seek(0)
    access_record(package=package, by=by, action=AccessLog.Action.EXPORT,
                  detail=_("{n} 件，{size} 字节").format(n=package.document_count, size=size))
    return ExportFile(handle, f"{package.number}.zip", size)
