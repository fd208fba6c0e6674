"""Uploads are checked by content, size and completeness, and hashed."""

from __future__ import annotations

import hashlib

import pytest
from django.test import override_settings

from portal.core.errors import ApplicationError
from portal.core.uploads import inspect_upload
from tests.intake.conftest import PDF, PNG, stream

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"


@pytest.mark.parametrize(("body", "kind"), [(PDF, "application/pdf"), (PNG, "image/png"),
                                            (JPEG, "image/jpeg")])
def test_accepted_types_are_recognised_by_content(body, kind):
    info = inspect_upload(stream(body))
    assert info.content_type == kind
    assert info.size == len(body)
    assert info.sha256 == hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize("body", [b"MZ\x90\x00 not a document", b"<html><script>", b"",
                                  b"GIF89a\x01\x00"])
def test_other_content_is_refused_whatever_its_name(body):
    with pytest.raises(ApplicationError) as refused:
        inspect_upload(stream(body))
    assert refused.value.code == "unsupported_file_type"
    assert "PDF" in refused.value.message


def test_truncated_pdf_is_refused():
    with pytest.raises(ApplicationError) as refused:
        inspect_upload(stream(PDF[:-8]))
    assert refused.value.code == "file_corrupt"


@override_settings(ONESEAL_MAX_UPLOAD_BYTES=1024 * 1024)
def test_oversized_file_is_refused_with_the_limit_in_the_message():
    body = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10) + b"%%EOF"
    with pytest.raises(ApplicationError) as refused:
        inspect_upload(stream(body))
    assert refused.value.code == "file_too_large" and "1 MB" in refused.value.message
