"""Search by archive number, case number, applicant, matter, closing dates and licence
number; a person's name is masked in the list; the page and the API run the same number
of queries for three packages as for six."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.workflow import CaseStatus
from archives.models import ArchivePackage
from archives.selectors import SearchFilters, package_search
from tests.archives.conftest import archive, closed_case, logged_in
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory
from tests.factories.workflow import drive

pytestmark = pytest.mark.django_db


def issued_package(crew, applicant=None):
    case = CaseFactory(matter=MatterFactory(name="食品经营许可"),
                       applicant=applicant or ApplicantFactory())
    return archive(drive(case, crew, CaseStatus.ISSUED), crew).archive_package


def packages(crew, n: int):
    return [archive(closed_case(crew), crew).archive_package for _ in range(n)]


def test_filters_find_what_they_name(crew):
    person = ApplicantFactory(name="王小明")
    issued = issued_package(crew, person)
    other = packages(crew, 1)[0]
    certificate = issued.case.certificates.get()

    def found(**filters):
        return list(package_search(SearchFilters(**filters)))

    assert found(case_number=issued.case.number) == [issued]
    assert found(number=other.number) == [other]
    assert found(applicant="小明") == [issued]
    assert found(matter="食品经营") == [issued]
    assert found(matter=other.case.matter.code) == [other]
    assert found(certificate=certificate.number) == [issued]
    assert found(certificate="NO-SUCH-CERT") == []
    today = issued.closed_on
    assert set(found(closed_from=today, closed_to=today)) == {issued, other}
    assert found(closed_from=today + timedelta(days=1)) == []
    assert found(closed_to=today - timedelta(days=1)) == []


def test_list_masks_a_persons_name_but_not_an_organisations(crew, archivist):
    issued_package(crew, ApplicantFactory(name="王小明"))
    issued_package(crew, ApplicantFactory(organisation=True, name="运城市好味道餐饮有限公司"))
    page = logged_in(archivist).get(reverse("archives-search")).content.decode()
    assert "王*明" in page and "王小明" not in page
    assert "运城市好味道餐饮有限公司" in page
    api = logged_in(archivist).get(reverse("api-archives")).json()
    assert {r["applicant"] for r in api["results"]} == {"王*明", "运城市好味道餐饮有限公司"}


def test_bad_dates_are_reported_not_ignored(crew, archivist):
    client = logged_in(archivist)
    page = client.get(reverse("archives-search"), {"closed_from": "2026-05-01",
                                                   "closed_to": "2026-04-01"})
    assert page.status_code == 200 and "结束日期不能早于开始日期" in page.content.decode()
    api = client.get(reverse("api-archives"), {"closed_from": "not-a-date"})
    assert api.status_code == 400 and api.json()["code"] == "invalid"


@pytest.mark.parametrize("name", ["archives-search", "api-archives",
                                  "api-archives-retention-due", "archives-retention"])
def test_list_queries_do_not_grow_with_rows(crew, archivist, name,
                                            django_assert_max_num_queries):
    client = logged_in(archivist)
    url = reverse(name)
    packages(crew, 3)
    ArchivePackage.objects.update(retention_review_date="2000-01-01")
    client.get(url)  # warm session and caches
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    packages(crew, 3)
    ArchivePackage.objects.update(retention_review_date="2000-01-01")
    with django_assert_max_num_queries(len(three)):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert all(p.number in body for p in ArchivePackage.objects.all())
