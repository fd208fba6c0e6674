"""approvals.certificates.signing: a licence signed with the configured bureau key
validates as signed, intact, valid and trusted; any change to a signed byte breaks it; a
change appended after signing is seen; another CA's signature is untrusted; a missing or
unreadable key is a clear ApplicationError; the signer is cached per key file."""

from __future__ import annotations

import io
import os

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from approvals.certificates.licence import SEAL_BOX, render_licence
from approvals.certificates.signing import bureau_signer, sign_pdf, signing_config, validate_pdf
from portal.core.errors import ApplicationError
from tests.certificates.conftest import (
    BUREAU,
    PASSPHRASE,
    byte_range,
    flat_text,
    licence_data,
    reader,
)


@pytest.fixture(scope="module")
def licence() -> bytes:
    return render_licence(licence_data())


@pytest.fixture
def signed(signing, licence) -> bytes:
    return sign_pdf(licence, reason="准予行政许可", location=BUREAU)


def test_a_signed_licence_is_valid_intact_and_trusted(signed):
    check = validate_pdf(signed)
    assert (check.signed, check.intact, check.valid, check.trusted) == (True,) * 4
    assert check.ok
    assert check.signer == BUREAU
    assert check.signed_at is not None and check.signed_at.tzinfo is not None
    assert not check.modified_after_signing
    assert "签名有效" in check.message


def test_signing_keeps_the_page_and_records_field_reason_and_location(signed, licence):
    assert signed.startswith(licence)  # an incremental update: the rendered bytes are kept
    assert flat_text(signed) == flat_text(licence)
    fields = reader(signed).get_fields()
    value = fields["BureauSeal"]["/V"]
    assert value["/Reason"] == "准予行政许可"
    assert value["/Location"] == BUREAU
    assert value["/SubFilter"] == "/ETSI.CAdES.detached"


def test_the_signature_certifies_the_document_against_any_change(signed):
    perms = reader(signed).trailer["/Root"]["/Perms"]
    reference = perms["/DocMDP"]["/Reference"][0]
    assert reference["/TransformParams"]["/P"] == 1


def test_an_unsigned_pdf_is_reported_unsigned(signing, licence):
    check = validate_pdf(licence)
    assert not check.signed and not check.valid and not check.ok
    assert check.message == "文件未签名。"


def test_one_flipped_byte_anywhere_in_the_signed_range_breaks_the_signature(signed):
    start, first, second, length = byte_range(signed)
    assert start == 0 and second + length == len(signed)
    positions = {1, 9, first // 3, first // 2, first - 2, second + 1, second + length // 2,
                 len(signed) - 3}
    positions |= set(range(50, first, max(first // 12, 1)))
    for position in sorted(positions):
        tampered = bytearray(signed)
        tampered[position] ^= 0x01
        check = validate_pdf(bytes(tampered))
        assert not check.intact, position
        assert not check.valid and not check.ok, position


def test_a_flipped_byte_in_the_signature_value_fails_too(signed):
    _, first, second, _ = byte_range(signed)
    tampered = bytearray(signed)
    middle = (first + second) // 2  # inside the hex-encoded CMS blob
    tampered[middle] = ord("0") if tampered[middle] != ord("0") else ord("1")
    check = validate_pdf(bytes(tampered))
    assert not check.valid and not check.ok


def test_garbage_gives_a_verdict_not_an_exception(signing):
    check = validate_pdf(b"%PDF-1.4 not really /ByteRange")
    assert not check.valid and not check.intact and check.signed
    assert "无法核验" in check.message
    assert not validate_pdf(b"").signed


def _append_change(pdf: bytes) -> bytes:
    """An incremental update after signing: a black box drawn over the page."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    stream = generic.StreamObject(stream_data=b"0 0 0 rg 100 300 200 40 re f")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_content_added_after_signing_is_detected_and_invalidates(signed):
    check = validate_pdf(_append_change(signed))
    assert check.modified_after_signing
    assert check.intact  # the signed revision itself is untouched …
    assert not check.valid and not check.ok  # … but the certified document was changed
    assert "签署后文件被修改" in check.message


def test_a_signature_from_another_ca_is_intact_but_untrusted(settings, signing, rogue_pki,
                                                               licence):
    settings.ONESEAL_SIGNING_P12 = str(rogue_pki.p12_path)  # forger's key, same bureau name
    forged = sign_pdf(licence, reason="准予行政许可", location=BUREAU)
    settings.ONESEAL_SIGNING_P12 = str(signing.p12_path)
    check = validate_pdf(forged)
    assert check.signed and check.intact and check.valid
    assert not check.trusted and not check.ok
    assert check.signer == BUREAU
    assert "不受信任" in check.message


def test_without_a_trust_root_nothing_is_trusted(settings, signed, tmp_path):
    settings.ONESEAL_SIGNING_TRUST_ROOT = str(tmp_path / "missing.pem")
    check = validate_pdf(signed)
    assert check.intact and not check.trusted


def test_a_visible_field_over_the_seal_validates_too(signing, licence):
    signed = sign_pdf(licence, reason="准予行政许可", location=BUREAU, box=SEAL_BOX)
    assert validate_pdf(signed).ok
    widget = reader(signed).get_fields()["BureauSeal"]
    assert "/Rect" in widget.indirect_reference.get_object()


def test_a_missing_key_file_is_a_clear_error(settings, licence, tmp_path):
    settings.ONESEAL_SIGNING_P12 = str(tmp_path / "nowhere.p12")
    with pytest.raises(ApplicationError) as error:
        sign_pdf(licence, reason="r", location="l")
    assert error.value.message == (
        "签章证书未配置：请运行 python manage.py pki_init_demo 或配置 ONESEAL_SIGNING_P12")
    assert error.value.code == "signing_not_configured"


def test_a_wrong_passphrase_is_a_clear_error(settings, signing, licence):
    settings.ONESEAL_SIGNING_PASSPHRASE = PASSPHRASE + "-wrong"
    with pytest.raises(ApplicationError) as error:
        sign_pdf(licence, reason="r", location="l")
    assert error.value.code == "signing_key_unreadable"


def test_relative_paths_are_under_base_dir(settings):
    settings.ONESEAL_SIGNING_P12 = "var/pki/x.p12"
    assert signing_config().p12 == settings.BASE_DIR / "var/pki/x.p12"


def test_the_signer_is_loaded_once_per_key_file(signing):
    first = bureau_signer()
    assert bureau_signer() is first
    stat = signing.p12_path.stat()
    os.utime(signing.p12_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert bureau_signer() is not first  # a replaced file is read again
