"""The bureau's signing keys: a demo PKI made with ``cryptography`` (ADR 0016).

Owns certificate generation for demos and tests: a self-signed root CA
("OneSeal Demo Root CA", ECDSA P-256, 10 years) and the bureau's document-signing
certificate issued by it (CN and O = the bureau's name, keyUsage digitalSignature +
nonRepudiation, extendedKeyUsage id-kp-documentSigning (RFC 9336), 3 years), written as
``ca.pem`` (the trust root the validator uses), ``bureau.p12`` (key + certificate + chain,
PKCS#12 with a passphrase, mode 0600) and a README. ``manage.py pki_init_demo`` calls
``create_demo_pki``. Production never uses these functions: it configures a PKCS#12 from
a real CA (``ONESEAL_SIGNING_P12``) and its passphrase.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID, ObjectIdentifier

ROOT_CN = "OneSeal Demo Root CA"
ROOT_DAYS = 3650
SIGNER_DAYS = 3 * 365 + 1
#: id-kp-documentSigning, RFC 9336 (cryptography has no constant for it).
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
CA_FILE = "ca.pem"
P12_FILE = "bureau.p12"
README_FILE = "README.md"

Key = ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class DemoPki:
    """What ``create_demo_pki`` wrote (or found): paths, the signer's subject, and whether
    anything was created on this call."""

    ca_path: Path
    p12_path: Path
    readme_path: Path | None
    signer: str
    created: bool


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing, content_commitment=signing, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=not signing,
        crl_sign=not signing, encipher_only=False, decipher_only=False)


def create_root_ca(*, common_name: str = ROOT_CN, organization: str = "OneSeal Demo",
                   days: int = ROOT_DAYS, now: dt.datetime | None = None
                   ) -> tuple[Key, x509.Certificate]:
    """A self-signed root CA (ECDSA P-256) valid for ``days`` from ``now``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name, organization)
    start = (now or _now()) - dt.timedelta(minutes=5)  # tolerate small clock skew
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def issue_signing_certificate(*, ca_key: Key, ca_cert: x509.Certificate, common_name: str,
                              organization: str | None = None, days: int = SIGNER_DAYS,
                              now: dt.datetime | None = None
                              ) -> tuple[Key, x509.Certificate]:
    """A document-signing certificate for ``common_name`` (the bureau), issued by the CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    start = (now or _now()) - dt.timedelta(minutes=5)
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization or common_name))
        .issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([DOCUMENT_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def pkcs12_bytes(*, key: Key, cert: x509.Certificate, chain: list[x509.Certificate],
                 passphrase: str, friendly_name: str = "bureau") -> bytes:
    """Key, certificate and chain as PKCS#12, encrypted with AES-256 / PBKDF2-SHA256."""
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder()
                  .kdf_rounds(100_000)
                  .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
                  .hmac_hash(hashes.SHA256())
                  .build(passphrase.encode()))
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode(), key, cert, chain, encryption)


def pem_bytes(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def load_pkcs12_subject(path: Path, passphrase: str) -> str:
    """The common name of the certificate in ``path`` (raises ValueError if the passphrase
    is wrong or the file is not PKCS#12)."""
    bundle = pkcs12.load_pkcs12(Path(path).read_bytes(), passphrase.encode())
    if bundle.cert is None:
        raise ValueError(f"{path}: no certificate in the PKCS#12 file")
    return common_name(bundle.cert.certificate)


def common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def write_atomically(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o600 if private else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


README = """# Demo signing keys (演示签章证书) — NOT FOR PRODUCTION

Generated by `python manage.py pki_init_demo` for {bureau}.

| file | what |
|---|---|
| `{ca}` | the demo root CA "{root}" (public certificate; the validator's trust root, `ONESEAL_SIGNING_TRUST_ROOT`) |
| `{p12}` | the bureau's signing key + certificate + chain, PKCS#12 (`ONESEAL_SIGNING_P12`), passphrase in `ONESEAL_SIGNING_PASSPHRASE` |

- Signer: CN={bureau}, keyUsage digitalSignature + nonRepudiation, extendedKeyUsage
  documentSigning (1.3.6.1.5.5.7.3.36), ECDSA P-256, valid {signer_years} years from {start}.
- The CA's private key was not kept: issuing another certificate means
  `pki_init_demo --force` (new CA, new key; licences signed before then no longer
  validate as trusted against the new `{ca}`).
- The passphrase is the published demo one unless `ONESEAL_SIGNING_PASSPHRASE` was set.
  Anyone can sign as this "bureau": never use these files outside a demo.
- To see "signature valid" in a PDF reader, import `{ca}` as a trusted certificate
  (Adobe Acrobat: Preferences → Signatures → Identities & Trusted Certificates).

Production: obtain a document-signing certificate for the bureau from a recognised CA
(e.g. the provincial e-government CA), store it as PKCS#12 outside the repository and set
`ONESEAL_SIGNING_P12`, `ONESEAL_SIGNING_PASSPHRASE` and `ONESEAL_SIGNING_TRUST_ROOT`.
See docs/adr/0016-signed-licences-pyhanko.md.
"""


def create_demo_pki(*, ca_path: Path, p12_path: Path, bureau: str, passphrase: str,
                    force: bool = False, now: dt.datetime | None = None) -> DemoPki:
    """Write a demo CA and the bureau's PKCS#12 unless both exist (``force`` replaces them).

    Idempotent: with both files present and ``force`` false nothing is written. A half
    state (one file without the other) raises ``FileExistsError``: the CA key is not kept,
    so the missing half cannot be made to match; ``force`` starts over.
    """
    ca_path, p12_path = Path(ca_path), Path(p12_path)
    present = [p for p in (ca_path, p12_path) if p.exists()]
    if not force and len(present) == 2:
        return DemoPki(ca_path, p12_path, None, load_pkcs12_subject(p12_path, passphrase),
                       created=False)
    if not force and present:
        raise FileExistsError(present[0])
    moment = now or _now()
    ca_key, ca_cert = create_root_ca(now=moment)
    key, cert = issue_signing_certificate(ca_key=ca_key, ca_cert=ca_cert, common_name=bureau,
                                          now=moment)
    write_atomically(p12_path, pkcs12_bytes(key=key, cert=cert, chain=[ca_cert],
                                            passphrase=passphrase, friendly_name=bureau),
                     private=True)
    write_atomically(ca_path, pem_bytes(ca_cert))
    readme = p12_path.parent / README_FILE
    write_atomically(readme, README.format(
        bureau=bureau, ca=ca_path.name, p12=p12_path.name, root=ROOT_CN,
        signer_years=SIGNER_DAYS // 365, start=moment.date().isoformat()).encode())
    return DemoPki(ca_path, p12_path, readme, bureau, created=True)
