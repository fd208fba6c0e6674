"""The bureau's digital signature on licences: sign with pyHanko, validate with pyHanko.

Owns the signing key's configuration and use (ADR 0016):

- ``signing_config()`` reads ``ONESEAL_SIGNING_P12`` (the bureau's PKCS#12: key,
  certificate, chain), ``ONESEAL_SIGNING_PASSPHRASE`` and ``ONESEAL_SIGNING_TRUST_ROOT``
  (PEM: the CA certificate(s) a licence must chain to) from the settings, falling back to
  ``portal.settings.env``. Relative paths are taken from ``BASE_DIR``.
- ``sign_pdf`` adds a PAdES baseline-B certification signature (SHA-256, DocMDP "no
  changes") in the field ``BureauSeal``: invisible by default, or a blank widget over a
  given box (the printed seal) so a reader's signature panel opens from the seal. The
  loaded signer is cached per process, keyed by path, file mtime and passphrase, so a
  replaced key file is picked up.
- ``validate_pdf`` runs pyHanko's validator with the configured trust roots and answers
  with a ``SignatureCheck``: signed, intact (the signed bytes hash to the signed digest),
  valid (intact, the signature value verifies, no disallowed change after signing),
  trusted (the signer chains to a configured root), the signer, the claimed signing time
  and whether bytes were appended after signing. It never raises on bad input.

pyHanko's synchronous API runs its own event loop: call these from sync code (a Celery
task, a sync view or ``sync_to_async``), never inside a running loop.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError
from portal.settings import env as E

logger = logging.getLogger(__name__)

FIELD_NAME = "BureauSeal"


@dataclass(frozen=True)
class SigningConfig:
    p12: Path
    passphrase: str
    trust_root: Path


@dataclass(frozen=True)
class SignatureCheck:
    """The verdict on a PDF's signature. ``ok`` is the bottom line: signed, valid and
    trusted. ``signed_at`` is the signer's claimed time (no timestamp authority yet)."""

    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    signer: str
    signed_at: datetime | None
    modified_after_signing: bool
    message: str

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted


def _path(value) -> Path:
    path = Path(value)
    return path if path.is_absolute() else Path(settings.BASE_DIR) / path


def _setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    return default if value is None else value


def signing_config() -> SigningConfig:
    """The configured key file, passphrase and trust root (settings, else env defaults)."""
    return SigningConfig(
        p12=_path(_setting("ONESEAL_SIGNING_P12", E.SIGNING_P12)),
        passphrase=_setting("ONESEAL_SIGNING_PASSPHRASE", E.SIGNING_PASSPHRASE),
        trust_root=_path(_setting("ONESEAL_SIGNING_TRUST_ROOT", E.SIGNING_TRUST_ROOT)),
    )


@functools.lru_cache(maxsize=4)
def _load_signer(path: str, mtime_ns: int, passphrase: str):
    from pyhanko.sign.signers import SimpleSigner

    try:
        return SimpleSigner.load_pkcs12_data(Path(path).read_bytes(), other_certs=(),
                                             passphrase=passphrase.encode())
    except Exception as exc:  # wrong passphrase, not PKCS#12, unsupported key
        logger.error("cannot load the signing key %s: %s", path, exc)
        raise ApplicationError(
            _("签章证书无法读取：请检查 ONESEAL_SIGNING_P12 文件和 ONESEAL_SIGNING_PASSPHRASE 口令"),
            "signing_key_unreadable", status=503) from exc


def bureau_signer():
    """The bureau's pyHanko signer (cached per process until the file changes)."""
    config = signing_config()
    try:
        mtime = config.p12.stat().st_mtime_ns
    except OSError as exc:
        raise ApplicationError(
            _("签章证书未配置：请运行 python manage.py pki_init_demo 或配置 ONESEAL_SIGNING_P12"),
            "signing_not_configured", status=503) from exc
    return _load_signer(str(config.p12), mtime, config.passphrase)


@functools.lru_cache(maxsize=4)
def _load_roots(path: str, mtime_ns: int) -> tuple:
    from pyhanko.keys import load_certs_from_pemder

    return tuple(load_certs_from_pemder([path]))


def trust_roots() -> tuple:
    """The configured trust-root certificates (asn1crypto); empty when none is configured."""
    path = signing_config().trust_root
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        logger.warning("no signing trust root at %s: every signer is untrusted", path)
        return ()
    return _load_roots(str(path), mtime)


def outside_event_loop(fn):
    """pyHanko's synchronous API starts its own event loop (asyncio.run). When this thread
    already runs one (an async view, a browser-test driver), run the call in a helper thread."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return fn(*args, **kwargs)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(fn, *args, **kwargs).result()

    return wrapper


@outside_event_loop
def sign_pdf(pdf: bytes, *, reason: str, location: str, field_name: str = FIELD_NAME,
             box: tuple[float, float, float, float] | None = None) -> bytes:
    """Sign ``pdf`` with the bureau's key as an incremental update and return the result.

    ``box`` (x1, y1, x2, y2 on page 1) makes the field visible there with a blank
    appearance; without it the field is invisible. Raises ``ApplicationError`` when the key
    is not configured or cannot be read.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = bureau_signer()
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason, location=location, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES)
    spec = fields.SigFieldSpec(field_name, on_page=0,
                               box=tuple(round(v) for v in box) if box else None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    pdf_signer = signers.PdfSigner(meta, signer=signer, new_field_spec=spec,
                                   stamp_style=_blank_stamp() if box else None)
    out = pdf_signer.sign_pdf(writer)
    return out.getvalue()


def _blank_stamp():
    """A stamp style that draws nothing: the seal is already printed on the page."""
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle(border_width=0, background=None)


def _common_name(cert) -> str:
    if cert is None:
        return ""
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


def _unreadable(pdf: bytes, exc: Exception) -> SignatureCheck:
    return SignatureCheck(
        signed=b"/ByteRange" in pdf, intact=False, valid=False, trusted=False, signer="",
        signed_at=None, modified_after_signing=False,
        message=_("文件已损坏或不是有效的PDF，无法核验签名：{error}").format(error=exc))


@outside_event_loop
def validate_pdf(pdf: bytes) -> SignatureCheck:
    """Validate every signature in ``pdf`` against the configured trust roots; the verdict
    holds only if all hold (the signer and time are the first signature's)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as exc:  # a damaged file must give a verdict, not a 500
        return _unreadable(pdf, exc)
    if not signatures:
        return SignatureCheck(False, False, False, False, "", None, False, _("文件未签名。"))
    try:
        checks = [_check(sig) for sig in signatures]
    except Exception as exc:
        logger.info("signature validation failed: %s", exc)
        return _unreadable(pdf, exc)
    if len(checks) == 1:
        return checks[0]
    first = checks[0]
    failing = next((c for c in checks if not c.ok), first)
    return SignatureCheck(
        signed=True, intact=all(c.intact for c in checks), valid=all(c.valid for c in checks),
        trusted=all(c.trusted for c in checks), signer=first.signer,
        signed_at=first.signed_at,
        modified_after_signing=any(c.modified_after_signing for c in checks),
        message=failing.message)


def _check(embedded) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=list(trust_roots()), allow_fetching=False)
    status = validate_pdf_signature(embedded, signer_validation_context=context)
    modified = getattr(status.coverage, "name", "") != "ENTIRE_FILE"
    docmdp_ok = status.docmdp_ok or status.modification_level is None
    valid = bool(status.intact and status.valid and docmdp_ok)
    signer = _common_name(status.signing_cert)
    return SignatureCheck(
        signed=True, intact=bool(status.intact), valid=valid, trusted=bool(status.trusted),
        signer=signer, signed_at=status.signer_reported_dt,
        modified_after_signing=modified,
        message=_message(status, valid=valid, docmdp_ok=docmdp_ok, signer=signer))


def _message(status, *, valid: bool, docmdp_ok: bool, signer: str) -> str:
    if not status.intact:
        return _("签名无效：签署后文件内容被篡改（摘要不符）。")
    if not status.valid:
        return _("签名无效：签名值校验失败。")
    if not docmdp_ok:
        return _("签名无效：签署后文件被修改（{level}）。").format(
            level=getattr(status.modification_level, "name", ""))
    if not status.trusted:
        return _("签名完整，但签署证书不受信任（未链接到本局配置的根证书）：{signer}。").format(
            signer=signer)
    return _("签名有效：由“{signer}”签署，签署后文件未被修改。").format(signer=signer)
