"""Media storage on a real S3-compatible server: moto's server mode on loopback, configured
with production's own media storage (``portal.settings.sections.services.s3_storage``, which
production.py calls), so the django-storages path that runs in production is the one tested: inspection photos,
inspection reports and case materials are written to the bucket, read back byte-identical
and handed out through the audited download services. The photo round trip also runs
against the local filesystem storage of the embedded default.

No network beyond 127.0.0.1; the AWS variables are set only while the server runs.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from approvals.services import case_create
from approvals.services.intake import material_upload
from inspections.models import ItemEvidence
from inspections.services.report import report_create, report_download
from portal.core.downloads import download_response
from portal.settings.sections import services
from tests.factories import ApplicantFactory, MaterialFactory, MatterFactory
from tests.inspections.test_report import build, png_bytes, stored_evidence
from tests.intake.conftest import PDF

PRODUCTION = Path(settings.BASE_DIR) / "portal" / "settings" / "production.py"
#: Moto keeps its buckets in process-wide state, and xdist may set this module's fixture up
#: more than once in one worker (when the module's tests are not run back to back): each
#: setup gets a bucket of its own.
BUCKET_PREFIX = "oneseal-media-test"
REGION = "cn-north-1"
LOOPBACK = "127.0.0.1"
#: The embedded default (portal/settings/test.py), as collected before any override.
FILESYSTEM_STORAGES = dict(settings.STORAGES)


@pytest.fixture(scope="module")
def s3():
    """A moto S3 server on a free loopback port with one bucket, and production's media
    storage pointing at it for the duration of the module; everything restored after."""
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "oneseal-test")
        env.setenv("AWS_SECRET_ACCESS_KEY", "oneseal-test-secret")
        env.setenv("AWS_DEFAULT_REGION", REGION)
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        env.setenv("AWS_CONFIG_FILE", os.devnull)
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        env.delenv("AWS_PROFILE", raising=False)
        for proxy in ("NO_PROXY", "no_proxy"):
            env.setenv(proxy, f"{LOOPBACK},localhost")
        server = ThreadedMotoServer(ip_address=LOOPBACK, port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            endpoint = f"http://{host}:{port}"
            client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                                  aws_access_key_id="oneseal-test",
                                  aws_secret_access_key="oneseal-test-secret")
            bucket = f"{BUCKET_PREFIX}-{secrets.token_hex(4)}"
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={
                "LocationConstraint": REGION})
            media = services.s3_storage(bucket=bucket, endpoint_url=endpoint, region=REGION,
                                        access_key="oneseal-test",
                                        secret_key="oneseal-test-secret")
            override = override_settings(STORAGES={**settings.STORAGES, "default": media})
            override.enable()  # setting_changed resets django.core.files.storage's caches
            try:
                yield SimpleNamespace(client=client, endpoint=endpoint, options=media,
                                      bucket=bucket)
            finally:
                override.disable()
        finally:
            server.stop()


def objects(s3, prefix: str = "") -> dict[str, bytes]:
    listing = s3.client.list_objects_v2(Bucket=s3.bucket, Prefix=prefix).get("Contents", [])
    return {o["Key"]: s3.client.get_object(Bucket=s3.bucket, Key=o["Key"])["Body"].read()
            for o in listing}


def test_the_production_configuration_is_s3_and_is_what_the_fixture_uses(s3):
    from storages.backends.s3 import S3Storage

    assert "services.s3_storage(" in PRODUCTION.read_text(encoding="utf-8")
    assert s3.options["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3.options["OPTIONS"]
    assert options["bucket_name"] == s3.bucket and options["endpoint_url"] == s3.endpoint
    assert options["querystring_auth"] is True and options["file_overwrite"] is False
    assert isinstance(default_storage, S3Storage)  # the lazy default was reset
    assert isinstance(ItemEvidence._meta.get_field("file").storage, S3Storage)


# ---------------------------------------------------------------- (a) photos

def _photo_round_trip(item, by) -> tuple[ItemEvidence, bytes]:
    data = png_bytes((320, 240), (10, 160, 90))
    evidence = ItemEvidence(item=item, purpose=ItemEvidence.Purpose.INSPECTION,
                            content_type="image/png", size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), uploaded_by=by,
                            original_name="门头.png", captured_at=timezone.now(),
                            file=SimpleUploadedFile("门头.png", data,
                                                    content_type="image/png"))
    evidence.save()
    evidence.refresh_from_db()
    return evidence, data


def _assert_read_back(evidence: ItemEvidence, data: bytes) -> None:
    with default_storage.open(evidence.file.name, "rb") as handle:
        stored = handle.read()
    assert stored == data
    assert hashlib.sha256(stored).hexdigest() == evidence.sha256
    assert default_storage.size(evidence.file.name) == len(data)


@pytest.mark.django_db
def test_photo_upload_reads_back_identical_from_s3(s3):
    built = build()
    evidence, data = _photo_round_trip(built.items["sink"], built.inspectors[0])
    assert evidence.file.name == (f"inspections/tasks/{built.task.pk}/"
                                  f"{evidence.sha256}.png")
    _assert_read_back(evidence, data)
    head = s3.client.head_object(Bucket=s3.bucket, Key=evidence.file.name)
    assert head["ContentLength"] == len(data) and head["ContentType"] == "image/png"
    grants = s3.client.get_object_acl(Bucket=s3.bucket, Key=evidence.file.name)["Grants"]
    assert not any("AllUsers" in str(g["Grantee"].get("URI", "")) for g in grants)  # private


@pytest.mark.django_db
def test_same_photo_twice_gets_a_new_key_instead_of_overwriting(s3):
    built = build()
    first, data = _photo_round_trip(built.items["sink"], built.inspectors[0])
    second, _ = _photo_round_trip(built.items["sink"], built.inspectors[0])
    assert first.file.name != second.file.name  # file_overwrite=False
    stored = objects(s3, f"inspections/tasks/{built.task.pk}/")
    assert stored[first.file.name] == stored[second.file.name] == data


@pytest.mark.django_db
def test_presigned_url_points_at_the_bucket_and_serves_the_photo(s3):
    built = build()
    evidence, data = _photo_round_trip(built.items["sink"], built.inspectors[0])
    url = evidence.file.url
    assert url.startswith(f"{s3.endpoint}/{s3.bucket}/") and "Signature=" in url
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        assert response.read() == data


@pytest.mark.django_db
def test_photo_upload_reads_back_identical_from_the_filesystem(settings):
    settings.STORAGES = FILESYSTEM_STORAGES  # whether or not the s3 module fixture is up
    assert settings.STORAGES["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage")
    assert isinstance(default_storage, FileSystemStorage)
    built = build()
    evidence, data = _photo_round_trip(built.items["sink"], built.inspectors[0])
    _assert_read_back(evidence, data)
    assert (Path(settings.MEDIA_ROOT) / evidence.file.name).read_bytes() == data


# ---------------------------------------------------------------- (b) reports

@pytest.mark.django_db
def test_report_is_stored_in_s3_and_downloads_the_same_bytes(s3):
    built = build()
    stored_evidence(built.items["fridge"], built.inspectors[1],
                    data=png_bytes((200, 100), (200, 10, 10)))  # a photo read back from S3
    report = report_create(conclusion=built.conclusion)
    in_bucket = objects(s3, f"inspections/reports/{built.task.pk}/")
    assert list(in_bucket) == [report.file.name]
    pdf = in_bucket[report.file.name]
    assert hashlib.sha256(pdf).hexdigest() == report.sha256 and len(pdf) == report.size
    response = download_response(report_download(report=report,
                                                  by=built.task.applicant.user))
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Type"] == "application/pdf"
    assert sum(len(p.images) for p in PdfReader(io.BytesIO(pdf)).pages) == 2


# ---------------------------------------------------------------- (c) case materials

@pytest.mark.django_db
def test_case_material_upload_lands_in_the_bucket(s3):
    matter = MatterFactory(name="食品经营许可")
    requirement = MaterialFactory(matter=matter, name="营业执照", required=True)
    applicant = ApplicantFactory()
    case = case_create(matter=matter, applicant=applicant, by=applicant.user)
    material = material_upload(case=case, requirement=requirement, by=applicant.user,
                               upload=SimpleUploadedFile("营业执照.pdf", PDF,
                                                         content_type="application/pdf"))
    assert material.file.name.startswith("materials/")
    stored = objects(s3, "materials/")
    assert material.file.name in stored
    assert stored[material.file.name] == PDF
    assert hashlib.sha256(PDF).hexdigest() == material.sha256
