"""Verification: a package against the bureau's record (files in storage, the catalogue
rows against the seal) and an exported ZIP against its manifest; a changed byte, a
missing file, an extra file and a rewritten manifest are each reported. The export itself
refuses to hand out a package whose files no longer match."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from archives.models import AccessLog, ArchiveDocument, DocumentKind
from archives.services import package_export, package_verify
from archives.services.manifest import CATALOGUE, MANIFEST, seal_of
from portal.core.errors import ConflictError

pytestmark = pytest.mark.django_db


def exported(package, by) -> bytes:
    result = package_export(package=package, by=by)
    with result.handle:
        return result.handle.read()


def rewrite(data: bytes, *, change: dict | None = None, drop: str = "",
            add: dict | None = None) -> io.BytesIO:
    """A copy of the ZIP with entries changed, dropped or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name == drop:
                continue
            target.writestr(name, (change or {}).get(name, source.read(name)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    out.seek(0)
    return out


def flip_first_byte(data: bytes) -> bytes:
    return bytes([data[0] ^ 0x01]) + data[1:]


def test_a_fresh_package_verifies(package, archivist):
    report = package_verify(package=package, by=archivist)
    assert report.ok, report.problems
    assert report.checked == package.documents.count() + 1  # + the catalogue
    assert AccessLog.objects.filter(package=package, action="verify", user=archivist).exists()


def test_export_contains_manifest_catalogue_and_every_document(package, archivist):
    data = exported(package, archivist)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read(MANIFEST))
    docs = list(package.documents.all())
    assert names == {MANIFEST, CATALOGUE, *(d.path for d in docs)}
    assert manifest["seal"] == package.seal
    assert manifest["package"]["number"] == package.number
    assert [(e["path"], e["sha256"], e["size"], e["pages"], e["title"]) for e in
            manifest["documents"]] == [(d.path, d.sha256, d.size, d.pages, d.title) for d in docs]
    assert AccessLog.objects.filter(package=package, action="export").count() == 1
    assert package_verify(zip_file=io.BytesIO(data)).ok


def test_zip_with_a_changed_byte_is_reported(package, archivist):
    data = exported(package, archivist)
    doc = package.documents.get(kind=DocumentKind.HISTORY)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = archive.read(doc.path)
    report = package_verify(zip_file=rewrite(data, change={doc.path: flip_first_byte(content)}))
    assert not report.ok and report.changed == [doc.path]
    assert report.missing == [] and report.extra == []


def test_zip_with_a_missing_or_an_extra_file_is_reported(package, archivist):
    data = exported(package, archivist)
    doc = package.documents.get(kind=DocumentKind.FORM)
    report = package_verify(zip_file=rewrite(data, drop=doc.path))
    assert report.missing == [doc.path] and report.changed == []
    report = package_verify(zip_file=rewrite(data, add={"documents/999-note.txt": b"x"}))
    assert report.extra == ["documents/999-note.txt"] and not report.ok
    report = package_verify(zip_file=rewrite(data, drop=MANIFEST))
    assert report.missing == [MANIFEST]


def test_zip_whose_manifest_was_rewritten_to_fit_a_change_is_reported(package, archivist):
    data = exported(package, archivist)
    doc = package.documents.get(kind=DocumentKind.FORM)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    forged = b'{"forged": true}'
    for entry in manifest["documents"]:
        if entry["path"] == doc.path:
            entry["sha256"] = hashlib.sha256(forged).hexdigest()
    report = package_verify(zip_file=rewrite(data, change={
        doc.path: forged, MANIFEST: json.dumps(manifest).encode()}))
    assert report.changed == [] and not report.ok
    assert [p.kind for p in report.problems] == ["manifest"]  # no longer matches its seal
    # a forger who also recomputes the seal still differs from the bureau's record
    manifest["seal"] = seal_of({k: manifest[k] for k in ("format", "package", "documents")})
    report = package_verify(zip_file=rewrite(data, change={
        doc.path: forged, MANIFEST: json.dumps(manifest).encode()}))
    assert [p.kind for p in report.problems] == ["manifest"]
    assert "本局归档记录" in report.problems[0].detail


def test_not_a_zip_is_reported(package):
    report = package_verify(zip_file=io.BytesIO(b"PK not really"))
    assert not report.ok and report.problems[0].kind == "manifest"


def test_tampering_in_storage_is_detected(package):
    form = package.documents.get(kind=DocumentKind.FORM)
    history = package.documents.get(kind=DocumentKind.HISTORY)
    with default_storage.open(form.storage_name, "rb") as handle:
        content = handle.read()
    with default_storage.open(form.storage_name, "wb") as handle:
        handle.write(flip_first_byte(content))
    default_storage.delete(history.storage_name)
    report = package_verify(package=package)
    assert report.changed == [form.path] and report.missing == [history.path]


def test_a_hash_edited_in_the_database_breaks_the_seal(package):
    doc = package.documents.get(kind=DocumentKind.FORM)
    ArchiveDocument.objects.filter(pk=doc.pk).update(sha256="0" * 64)
    report = package_verify(package=package)
    kinds = [p.kind for p in report.problems]
    assert "manifest" in kinds and "changed" in kinds


def test_export_refuses_a_package_with_a_missing_file(package, archivist):
    doc = package.documents.get(kind=DocumentKind.AUDIT)
    default_storage.delete(doc.storage_name)
    with pytest.raises(ConflictError) as refused:
        package_export(package=package, by=archivist)
    assert refused.value.code == "archive_files_invalid" and doc.title in refused.value.message
    assert not AccessLog.objects.filter(package=package, action="export").exists()


def test_command_exits_non_zero_on_problems(package, archivist, tmp_path, capsys):
    call_command("archives_verify", package.number)
    assert "OK" in capsys.readouterr().out
    path = tmp_path / "package.zip"
    data = exported(package, archivist)
    path.write_bytes(data)
    call_command("archives_verify", str(path))
    doc = package.documents.get(kind=DocumentKind.FORM)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = archive.read(doc.path)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(rewrite(data, change={doc.path: flip_first_byte(content)}).getvalue())
    with pytest.raises(CommandError) as failed:
        call_command("archives_verify", str(bad))
    assert failed.value.returncode == 1
    assert f"changed: {doc.path}" in capsys.readouterr().out
    with pytest.raises(CommandError) as unknown:
        call_command("archives_verify", "XK01-1999-D30-0001")
    assert unknown.value.returncode == 2
    default_storage.delete(doc.storage_name)
    with pytest.raises(CommandError) as stored_failed:
        call_command("archives_verify", "--all")
    assert stored_failed.value.returncode == 1
