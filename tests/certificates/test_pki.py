"""approvals.certificates.pki and ``manage.py pki_init_demo``: the demo CA and the bureau's
signing certificate have the right extensions and lifetimes; the command writes them
where signing reads them, changes nothing on a second run, replaces them only with
--force, and refuses outside a demo."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.management import CommandError, call_command

from approvals.certificates import pki
from approvals.certificates.licence import render_licence
from approvals.certificates.signing import sign_pdf, validate_pdf
from tests.certificates.conftest import BUREAU, PASSPHRASE, licence_data


def _bundle(p12_path, passphrase=PASSPHRASE):
    return pkcs12.load_pkcs12(p12_path.read_bytes(), passphrase.encode())


def test_root_ca_is_a_ten_year_self_signed_ca(bureau_pki):
    ca = x509.load_pem_x509_certificate(bureau_pki.ca_path.read_bytes())
    assert ca.subject == ca.issuer
    assert ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == pki.ROOT_CN
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
    assert ca.not_valid_after_utc - ca.not_valid_before_utc == timedelta(days=3650)


def test_bureau_certificate_is_a_three_year_document_signing_certificate(bureau_pki):
    bundle = _bundle(bureau_pki.p12_path)
    cert = bundle.cert.certificate
    ca = x509.load_pem_x509_certificate(bureau_pki.ca_path.read_bytes())
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == BUREAU
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == BUREAU
    assert cert.issuer == ca.subject
    cert.verify_directly_issued_by(ca)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    purposes = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(purposes) == [pki.DOCUMENT_SIGNING]
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION not in purposes
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=3 * 365) <= lifetime <= timedelta(days=3 * 366)
    assert [c.certificate for c in bundle.additional_certs] == [ca]


def test_the_key_file_is_private_and_needs_the_passphrase(bureau_pki):
    assert bureau_pki.p12_path.stat().st_mode & 0o077 == 0
    with pytest.raises(ValueError):
        _bundle(bureau_pki.p12_path, "wrong")


def test_create_demo_pki_refuses_a_half_state(tmp_path):
    (tmp_path / "ca.pem").write_text("left over")
    with pytest.raises(FileExistsError):
        pki.create_demo_pki(ca_path=tmp_path / "ca.pem", p12_path=tmp_path / "bureau.p12",
                            bureau=BUREAU, passphrase=PASSPHRASE)


@pytest.fixture
def demo(settings, tmp_path):
    """Demo settings with the signing paths in a temporary directory."""
    settings.ONESEAL_DEMO = True
    settings.BUREAU_NAME = BUREAU
    settings.ONESEAL_SIGNING_P12 = str(tmp_path / "pki" / "bureau.p12")
    settings.ONESEAL_SIGNING_TRUST_ROOT = str(tmp_path / "pki" / "ca.pem")
    settings.ONESEAL_SIGNING_PASSPHRASE = PASSPHRASE
    return tmp_path / "pki"


def _run(*args) -> str:
    out = io.StringIO()
    call_command("pki_init_demo", *args, stdout=out)
    return out.getvalue()


def _files(directory) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_command_writes_the_configured_files_and_signing_works_at_once(demo):
    output = _run()
    assert "已生成" in output
    assert set(_files(demo)) == {"ca.pem", "bureau.p12", "README.md"}
    assert "NOT FOR PRODUCTION" in (demo / "README.md").read_text()
    signed = sign_pdf(render_licence(licence_data()), reason="准予行政许可", location=BUREAU)
    assert validate_pdf(signed).ok


def test_command_is_idempotent(demo):
    _run()
    before = _files(demo)
    output = _run()
    assert "已存在" in output
    assert _files(demo) == before


def test_force_replaces_the_keys(demo):
    _run()
    before = _files(demo)
    _run("--force")
    after = _files(demo)
    assert after["ca.pem"] != before["ca.pem"]
    assert after["bureau.p12"] != before["bureau.p12"]


def test_dir_option_writes_there(demo, tmp_path):
    output = _run("--dir", str(tmp_path / "elsewhere"))
    assert set(_files(tmp_path / "elsewhere")) == {"ca.pem", "bureau.p12", "README.md"}
    assert not demo.exists()
    assert "ONESEAL_SIGNING_P12" in output


def test_half_state_is_refused_without_force(demo):
    demo.mkdir()
    (demo / "ca.pem").write_text("left over")
    with pytest.raises(CommandError, match="--force"):
        _run()


def test_wrong_passphrase_for_existing_files_is_refused(demo, settings):
    _run()
    settings.ONESEAL_SIGNING_PASSPHRASE = "another"
    with pytest.raises(CommandError, match="ONESEAL_SIGNING_PASSPHRASE"):
        _run()


def test_command_refuses_outside_a_demo_unless_forced(demo, settings):
    settings.ONESEAL_DEMO = False
    with pytest.raises(CommandError, match="ONESEAL_DEMO"):
        _run()
    assert not demo.exists()
    _run("--force")
    assert (demo / "bureau.p12").exists()
