"""Access: archivists do everything, supervisors read (and decide destruction lists);
applicants, other bureau staff and strangers get 403 on every page and API; every view,
download and export of a package is logged."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from archives.models import AccessLog, DocumentKind
from portal.core.models import AuditEntry
from tests.archives.conftest import logged_in
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


def read_pages(package) -> list[str]:
    p = package.pk
    return [reverse("archives-search"), reverse("archives-loans"),
            reverse("archives-retention"), reverse("archives-verify-zip"),
            reverse("archives-package", args=[p]), reverse("archives-catalogue", args=[p]),
            reverse("archives-export", args=[p]),
            reverse("archives-document", args=[p, 1])]


def read_apis(package) -> list[str]:
    p = package.pk
    return [reverse("api-archives"), reverse("api-archive", args=[p]),
            reverse("api-archive-export", args=[p]), reverse("api-archive-catalogue", args=[p]),
            reverse("api-archive-loans", args=[p]), reverse("api-archives-loans"),
            reverse("api-archives-retention-due"), reverse("api-archives-destruction-lists")]


def write_posts(package) -> list[tuple[str, dict]]:
    p = package.pk
    return [(reverse("archives-paper", args=[p]), {"binding_status": "bound", "box_number": "1",
                                                   "volume_number": "1"}),
            (reverse("archives-loan-create", args=[p]), {"borrower_name": "王五",
                                                         "purpose": "查阅", "due_date": "2099-01-01"}),
            (reverse("archives-bind", args=[package.case_id]), {}),
            (reverse("archives-destruction-propose"), {"reason": "x", "package": p})]


@pytest.fixture
def outsiders(package, crew):
    return {"applicant": package.case.applicant.user, "clerk": crew.users["clerk"],
            "approver": crew.users["approver"], "plain": UserFactory()}


def test_outsiders_get_403_everywhere(package, outsiders):
    views_before = AccessLog.objects.count()
    for who, user in outsiders.items():
        client = logged_in(user)
        for url in read_pages(package) + [reverse("archives-pending")]:
            assert client.get(url).status_code == 403, (who, url)
        for url in read_apis(package):
            assert client.get(url).status_code == 403, (who, url)
        for url, data in write_posts(package):
            assert client.post(url, data).status_code == 403, (who, url)
        assert client.post(reverse("api-archive-verify", args=[package.pk])).status_code == 403
        assert client.post(reverse("api-archives-bind"), {"case": package.case_id}) \
            .status_code == 403
    assert AccessLog.objects.count() == views_before


def test_anonymous_is_sent_to_login_or_refused(package):
    client = Client()
    response = client.get(reverse("archives-package", args=[package.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("api-archive", args=[package.pk])).status_code in (401, 403)


def test_supervisor_reads_but_does_not_manage(package, supervisor):
    client = logged_in(supervisor)
    for url in read_pages(package):
        assert client.get(url).status_code == 200, url
    for url in read_apis(package):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("archives-pending")).status_code == 403
    for url, data in write_posts(package):
        assert client.post(url, data).status_code == 403, url
    api = client.put(reverse("api-archive-paper", args=[package.pk]),
                     {"binding_status": "bound", "box_number": "1", "volume_number": "2"},
                     content_type="application/json")
    assert api.status_code == 403 and api.json()["code"] == "archive_forbidden"
    package.refresh_from_db()
    assert package.box_number == ""


def test_archivist_pages_render(package, archivist):
    client = logged_in(archivist)
    for url in read_pages(package) + [reverse("archives-pending")]:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("archives-package", args=[package.pk])).content.decode()
    assert package.number in page and "登记存放位置与装订" in page and "卷内目录" in page


def test_every_view_download_and_export_is_logged(package, supervisor):
    client = logged_in(supervisor)
    client.get(reverse("archives-package", args=[package.pk]))
    client.get(reverse("api-archive", args=[package.pk]))
    doc = client.get(reverse("archives-document", args=[package.pk, 1]))
    assert b"".join(doc.streaming_content) and doc["X-Content-Type-Options"] == "nosniff"
    export = client.get(reverse("api-archive-export", args=[package.pk]))
    data = b"".join(export.streaming_content)
    assert export["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    catalogue = client.get(reverse("archives-catalogue", args=[package.pk]))
    assert b"".join(catalogue.streaming_content).startswith(b"%PDF")
    actions = list(AccessLog.objects.filter(package=package, user=supervisor)
                   .values_list("action", flat=True))
    assert sorted(actions) == sorted(["view", "view", "download", "export", "catalogue"])
    assert AuditEntry.objects.filter(action="archive.export", actor=supervisor).count() == 1


def test_verify_page_and_api(package, supervisor):
    client = logged_in(supervisor)
    page = client.post(reverse("archives-verify", args=[package.pk]))
    assert page.status_code == 200 and 'data-verify-ok="1"' in page.content.decode()
    api = client.post(reverse("api-archive-verify", args=[package.pk]))
    assert api.status_code == 200 and api.json()["ok"] is True
    data = b"".join(client.get(reverse("archives-export", args=[package.pk])).streaming_content)
    doc = package.documents.get(kind=DocumentKind.FORM)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            if name != doc.path:
                target.writestr(name, source.read(name))
    buffer.seek(0)
    buffer.name = "package.zip"
    api = client.post(reverse("api-archives-verify-zip"), {"file": buffer})
    assert api.status_code == 200 and api.json()["missing"] == [doc.path]
    buffer.seek(0)
    page = client.post(reverse("archives-verify-zip"), {"file": buffer})
    assert 'data-verify-ok="0"' in page.content.decode() and doc.path in page.content.decode()


def test_other_staff_roles_are_refused_too(package):
    for role in ("reviewer", "inspector", "dispatcher", "certifier", "regulator", "expert"):
        client = logged_in(staff(role))
        assert client.get(reverse("archives-search")).status_code == 403, role
        assert client.get(reverse("api-archive", args=[package.pk])).status_code == 403, role
