"""Throwaway PKI for the certificate tests: a CA and a bureau key made once per session
with ``approvals.certificates.pki``, and (for every test in this directory) the signing
settings pointed at them, so nothing here reads or writes var/pki."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from approvals.certificates import pki
from approvals.certificates.licence import LicenceData

BUREAU = "测试市行政审批服务局"
PASSPHRASE = "test-passphrase"
VERIFY_URL = "https://oneseal.example.cn/verify/Xy7Qp2mB9kLw4RtA/"


def make_pki(directory: Path, *, bureau: str = BUREAU, passphrase: str = PASSPHRASE
             ) -> pki.DemoPki:
    return pki.create_demo_pki(ca_path=directory / "ca.pem", p12_path=directory / "bureau.p12",
                               bureau=bureau, passphrase=passphrase)


@pytest.fixture(scope="session")
def bureau_pki(tmp_path_factory) -> pki.DemoPki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def rogue_pki(tmp_path_factory) -> pki.DemoPki:
    """Another CA and a key with the same bureau name: a forger's."""
    return make_pki(tmp_path_factory.mktemp("rogue"))


@pytest.fixture(autouse=True)
def signing(settings, bureau_pki):
    settings.ONESEAL_SIGNING_P12 = str(bureau_pki.p12_path)
    settings.ONESEAL_SIGNING_PASSPHRASE = PASSPHRASE
    settings.ONESEAL_SIGNING_TRUST_ROOT = str(bureau_pki.ca_path)
    return bureau_pki


def licence_data(**overrides) -> LicenceData:
    data = LicenceData(
        bureau=BUREAU, certificate_number="JY14108012026000123",
        holder_name="测试市好味道餐饮管理有限公司", holder_id="91140802MA0K1234X5",
        legal_representative="王建国", address="测试市盐湖区河东东街188号",
        matters=["食品经营许可"], scope="热食类食品制售；冷食类食品制售",
        valid_from=date(2026, 11, 22), valid_until=date(2031, 11, 21),
        issued_on=date(2026, 11, 22), verify_url=VERIFY_URL)
    return replace(data, **overrides)


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def flat_text(pdf: bytes) -> str:
    """All extracted text without whitespace (wrapping puts line breaks anywhere)."""
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader(pdf).pages))


def byte_range(pdf: bytes) -> list[int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match, "no /ByteRange in the signed PDF"
    return [int(v) for v in match.groups()]
