"""Verification (核验) of a package: against the bureau's record, or an exported ZIP
against its manifest.

- A package: every document still in storage is read and hashed (a file changed or
  removed in storage is reported), the catalogue PDF likewise, and the catalogue rows are
  checked against the seal made at binding (a hash edited in the database is reported).
- A ZIP: every file the manifest lists must be there with its SHA-256 (changed, missing),
  nothing else may be (extra), the manifest must match its own seal, and, if the bureau
  holds the package, that seal must be the one recorded at binding (a manifest rewritten to
  fit altered files is reported).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from archives.models import AccessLog, ArchivePackage
from archives.services import files, manifest
from archives.services.access import access_record, require_reader
from portal.core.audit import audit_log


@dataclass(frozen=True)
class Problem:
    kind: str  # changed | missing | extra | manifest
    path: str
    detail: str


@dataclass
class VerifyReport:
    number: str
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def paths(self, kind: str) -> list[str]:
        return [p.path for p in self.problems if p.kind == kind]

    @property
    def changed(self) -> list[str]:
        return self.paths("changed")

    @property
    def missing(self) -> list[str]:
        return self.paths("missing")

    @property
    def extra(self) -> list[str]:
        return self.paths("extra")

    def add(self, kind: str, path: str, detail: str) -> None:
        self.problems.append(Problem(kind, path, str(detail)))

    def summary(self) -> str:
        if self.ok:
            return _("核验通过：{n} 个文件与清单一致。").format(n=self.checked)
        return _("核验发现 {n} 处问题：{items}").format(
            n=len(self.problems), items="；".join(f"{p.path} {p.detail}" for p in self.problems))


def _check(report: VerifyReport, path: str, actual: str | None, expected: str) -> None:
    report.checked += 1
    if actual is None:
        report.add("missing", path, _("文件缺失"))
    elif actual != expected:
        report.add("changed", path, _("内容已被改动（SHA-256 不符）"))


def verify_stored(package: ArchivePackage) -> VerifyReport:
    report = VerifyReport(package.number)
    documents = list(package.documents.all())
    if manifest.seal_of(manifest.sealed_manifest(package, documents)) != package.seal:
        report.add("manifest", "manifest", _("卷内文件记录与归档时封存的清单哈希不符（记录被改动）"))
    for doc in documents:
        if doc.destroyed_at is None:
            _check(report, doc.path, files.stored_sha256(doc.storage_name), doc.sha256)
    if package.catalogue_name:
        _check(report, manifest.CATALOGUE, files.stored_sha256(package.catalogue_name),
               package.catalogue_sha256)
    return report


def _sha(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with archive.open(name) as handle:
        while chunk := handle.read(files.CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _read_manifest(archive: zipfile.ZipFile, report: VerifyReport) -> dict | None:
    try:
        data = json.loads(archive.read(manifest.MANIFEST))
    except KeyError:
        report.add("missing", manifest.MANIFEST, _("档案包中没有清单文件"))
        return None
    except (ValueError, UnicodeDecodeError):
        report.add("manifest", manifest.MANIFEST, _("清单文件无法解析"))
        return None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        report.add("manifest", manifest.MANIFEST, _("清单文件格式不正确"))
        return None
    return data


def _check_seal(data: dict, report: VerifyReport) -> None:
    sealed = {k: data.get(k) for k in ("format", "package", "documents")}
    if manifest.seal_of(sealed) != data.get("seal"):
        report.add("manifest", manifest.MANIFEST, _("清单内容与其封存哈希不符（清单被改动）"))
    number = (data.get("package") or {}).get("number", "")
    report.number = str(number)
    recorded = ArchivePackage.objects.filter(number=number).values_list("seal", flat=True).first()
    if recorded is not None and recorded != data.get("seal"):
        report.add("manifest", manifest.MANIFEST, _("清单封存哈希与本局归档记录不符"))


def verify_zip(source) -> VerifyReport:
    """``source``: a path or a binary file object holding an exported ZIP."""
    report = VerifyReport("")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        report.add("manifest", "", _("不是有效的 ZIP 档案包"))
        return report
    with archive:
        data = _read_manifest(archive, report)
        if data is None:
            return report
        _check_seal(data, report)
        names = set(archive.namelist())
        listed = {manifest.MANIFEST}
        for entry in data["documents"]:
            path = str(entry.get("path", ""))
            listed.add(path)
            _check(report, path, _sha(archive, path) if path in names else None,
                   str(entry.get("sha256", "")))
        catalogue = data.get("catalogue") or {}
        if catalogue.get("path"):
            listed.add(catalogue["path"])
            _check(report, catalogue["path"], _sha(archive, catalogue["path"])
                   if catalogue["path"] in names else None, str(catalogue.get("sha256", "")))
        for extra in sorted(n for n in names - listed if not n.endswith("/")):
            report.add("extra", extra, _("清单中没有的文件"))
    return report


def package_verify(*, package: ArchivePackage | None = None, zip_file=None,
                   by=None) -> VerifyReport:
    """Verify a package in storage, or an exported ZIP (path or file object). With ``by``
    the check is an access by that person: readers only, and logged."""
    if (package is None) == (zip_file is None):
        raise ValueError("give a package or a zip file")
    if by is not None:
        require_reader(by)
    report = verify_stored(package) if package is not None else verify_zip(zip_file)
    if by is not None:
        target = package or ArchivePackage.objects.filter(number=report.number).first()
        if target is not None:
            access_record(package=target, by=by, action=AccessLog.Action.VERIFY,
                          detail=report.summary()[:300])
        else:
            audit_log(action="archive.verify", actor=by, object_type="archives.archivepackage",
                      object_repr=report.number, after={"detail": report.summary()[:300]})
    return report
