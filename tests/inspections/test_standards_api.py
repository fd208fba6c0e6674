"""Standards API: list, versions with items and media, publishing (dispatchers only) and
the version of a case (its applicant side and bureau staff)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate

from approvals.workflow import CaseStatus
from inspections.api.standards import CaseStandardApi
from inspections.demo.figures import Figure, render_png
from inspections.services.guidance import standard_add_guidance
from inspections.services.standards import current_version, standard_publish
from portal.accounts.roles import Role
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory, staff
from tests.factories.workflow import drive

pytestmark = pytest.mark.django_db
ITEMS = [{"key": "premises-layout", "category": "premises", "title": "营业面积",
          "requirement": "不少于 50 平方米", "method": "测量", "weight": 70, "veto": True,
          "guidance": "请准备平面图"},
         {"key": "computer-system", "category": "equipment", "title": "信息系统",
          "requirement": "能记录进销存", "method": "演示", "weight": 30, "veto": False,
          "guidance": "请安装软件"}]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def matter(crew):
    matter = MatterFactory(inspected=True, code="SC-PUB-T", name="出版物批发")
    standard_publish(matter=matter, items=ITEMS, note="首版")
    standard_add_guidance(matter=matter, item_key="premises-layout", caption="平面图示例",
                          upload=SimpleUploadedFile("a.png", render_png(Figure("图", ("甲",)))),
                          by=crew.users[Role.DISPATCHER])
    return matter


def test_list_shows_inspected_matters_and_filters_by_matter(crew, matter):
    bare = MatterFactory(inspected=True)
    client = api(ApplicantFactory().user)
    rows = client.get(reverse("api-inspection-standards")).json()["results"]
    by_id = {r["matter_id"]: r for r in rows}
    assert by_id[matter.pk]["code"] == "KY-SC-PUB-T" and by_id[matter.pk]["current_version"] == 2
    assert by_id[matter.pk]["item_count"] == 2
    assert by_id[bare.pk]["code"] is None and by_id[bare.pk]["current_version"] is None
    one = client.get(reverse("api-inspection-standards"), {"matter": matter.pk}).json()
    assert [r["matter_id"] for r in one["results"]] == [matter.pk]
    bad = client.get(reverse("api-inspection-standards"), {"matter": "x"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_filter"


def test_versions_list_and_detail_with_items_and_media(crew, matter):
    client = api(crew.users[Role.REVIEWER])
    versions = client.get(reverse("api-inspection-standard-versions", args=[matter.pk])).json()
    assert [(v["number"], v["item_count"]) for v in versions] == [(2, 2), (1, 2)]
    body = client.get(reverse("api-inspection-standard-version", args=[matter.pk, 2])).json()
    assert body["label"] == "KY-SC-PUB-T-V2" and body["is_current"] is True
    first = body["items"][0]
    assert first["key"] == "premises-layout" and first["veto"] is True
    assert first["category_label"] == "场所"
    media = first["media"][0]
    assert media["kind"] == "image" and media["content_type"] == "image/png"
    assert len(media["sha256"]) == 64 and media["caption"] == "平面图示例"
    assert client.get(media["url"]).status_code == 200
    old = client.get(reverse("api-inspection-standard-version", args=[matter.pk, 1])).json()
    assert old["is_current"] is False and old["items"][0]["media"] == []
    assert client.get(reverse("api-inspection-standard-version",
                              args=[matter.pk, 7])).status_code == 404


def test_earlier_versions_files_are_for_bureau_staff_only(crew, matter):
    standard_publish(matter=matter, items=ITEMS, note="第三版：不再附图")
    url = reverse("api-inspection-standard-media", args=[
        matter.pk, matter.inspection_standard.versions.get(number=2).items.first()
        .media.get().pk])
    assert api(ApplicantFactory().user).get(url).status_code == 404
    assert api(crew.users[Role.INSPECTOR]).get(url).status_code == 200
    body = api(ApplicantFactory().user).get(
        reverse("api-inspection-standard-version", args=[matter.pk, 2])).json()
    assert body["items"][0]["media"][0]["url"] is None


def payload(**extra) -> dict:
    return {"note": "增加仓储要求", "pass_score": 85, "base_version": 2,
            "items": [*ITEMS, {"key": "storage", "category": "premises", "title": "仓储",
                               "requirement": "有仓库", "weight": 10}], **extra}


def test_dispatcher_publishes_the_next_version(crew, matter):
    response = api(crew.users[Role.DISPATCHER]).post(
        reverse("api-inspection-standard-versions", args=[matter.pk]), payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 3 and body["pass_score"] == 85 and body["note"] == "增加仓储要求"
    assert [i["key"] for i in body["items"]] == ["premises-layout", "computer-system", "storage"]
    assert len(body["items"][0]["media"]) == 1  # guidance carried over by key
    assert current_version(matter).number == 3


@pytest.mark.parametrize("who", ["applicant", Role.INSPECTOR, Role.REVIEWER])
def test_others_may_not_publish(crew, matter, who):
    user = ApplicantFactory().user if who == "applicant" else staff(who)
    response = api(user).post(reverse("api-inspection-standard-versions", args=[matter.pk]),
                              payload(), format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_standards_editor"
    assert current_version(matter).number == 2


def test_invalid_items_are_refused_with_every_problem(crew, matter):
    items = [dict(ITEMS[0], requirement=""), dict(ITEMS[1], key="premises-layout")]
    response = api(crew.users[Role.DISPATCHER]).post(
        reverse("api-inspection-standard-versions", args=[matter.pk]),
        payload(items=items), format="json")
    assert response.status_code == 400
    assert response.json()["problems"] == ["第1项：编码、项目名称和标准要求必须填写。",
                                           "第2项：编码“premises-layout”重复。"]
    stale = api(crew.users[Role.DISPATCHER]).post(
        reverse("api-inspection-standard-versions", args=[matter.pk]),
        payload(base_version=1), format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "standard_changed"
    assert current_version(matter).number == 2


def case_api(user, case):
    request = APIRequestFactory().get(f"/api/v1/cases/{case.pk}/inspection-standard/")
    force_authenticate(request, user=user)
    return CaseStandardApi.as_view()(request, case_id=case.pk)


def test_case_api_returns_the_pinned_version_to_its_applicant_only(crew, matter):
    case = drive(CaseFactory(matter=matter), crew, CaseStatus.SUBMITTED)
    standard_publish(matter=matter, items=ITEMS[:1], note="第三版")
    response = case_api(case.applicant.user, case)
    assert response.status_code == 200
    data = response.data
    assert data["pinned"] is True and data["version"]["number"] == 2
    assert data["version"]["is_current"] is False
    media_url = data["version"]["items"][0]["media"][0]["url"]
    assert f"/api/v1/cases/{case.pk}/inspection-standard/media/" in media_url
    assert api(case.applicant.user).get(media_url).status_code == 200
    assert api(ApplicantFactory().user).get(media_url).status_code == 404
    assert case_api(crew.users[Role.REVIEWER], case).status_code == 200
    assert case_api(ApplicantFactory().user, case).status_code == 404
    draft = CaseFactory(matter=matter)
    body = case_api(draft.applicant.user, draft).data
    assert body["pinned"] is False and body["version"]["number"] == 3


def test_case_api_route_is_reachable(crew, matter):
    """Needs the inspections API routes mounted before approvals' catch-all
    ``cases/<id>/<transition>/`` in portal/urls.py."""
    case = drive(CaseFactory(matter=matter), crew, CaseStatus.SUBMITTED)
    response = api(case.applicant.user).get(
        reverse("api-case-inspection-standard", args=[case.pk]))
    assert response.status_code == 200 and response.json()["version"]["number"] == 2
