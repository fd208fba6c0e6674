"""Standard pages: the staff editor (list, history, revision form, guidance upload), the
applicant's 开卷考试 page of a case, the public page and the guarded media."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from approvals.workflow import CaseStatus
from inspections.demo.figures import Figure, render_png
from inspections.models import GuidanceMedia, StandardVersion
from inspections.services.guidance import standard_add_guidance, standard_revise
from inspections.services.standards import current_version, standard_publish
from portal.accounts.roles import Role
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory, UserFactory, staff
from tests.factories.workflow import drive

pytestmark = pytest.mark.django_db
PNG = render_png(Figure("示例", ("甲", "乙")))
ITEMS = [
    {"key": "premises-layout", "category": "premises", "title": "经营场所面积与布局",
     "requirement": "加工区与就餐区分开", "method": "现场查看", "weight": 60, "veto": True,
     "guidance": "请准备平面布局图"},
    {"key": "pest-control", "category": "equipment", "title": "防蝇防鼠防尘设施",
     "requirement": "纱窗完好", "method": "现场查看", "weight": 40, "veto": False,
     "guidance": "请检查纱窗"},
]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def matter(db):
    matter = MatterFactory(inspected=True, name="食品经营许可", code="SC-FOOD-T")
    standard_publish(matter=matter, items=ITEMS, note="首版")
    return matter


@pytest.fixture
def dispatcher(crew):
    return crew.users[Role.DISPATCHER]


@pytest.fixture
def filed(crew, matter):
    """A case filed on version 1, then the standard revised to version 2 with a picture."""
    case = drive(CaseFactory(matter=matter), crew, CaseStatus.SUBMITTED)
    v1 = current_version(matter)
    standard_add_guidance(matter=matter, item_key="pest-control", caption="新纱窗示例",
                          upload=SimpleUploadedFile("a.png", PNG), by=crew.users["dispatcher"])
    case.v1 = v1
    return case


# ---- the applicant's page ------------------------------------------------------------

def test_applicant_sees_the_pinned_version_with_guidance_not_the_newer_one(filed):
    page = client_for(filed.applicant.user).get(reverse("inspection-case-standard",
                                                        args=[filed.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "KY-SC-FOOD-T-V1" in html and "KY-SC-FOOD-T-V2" not in html
    assert "请准备平面布局图" in html and "否决项" in html and "60 分" in html
    assert "本件的现场勘验将按此版本" in html
    assert "新纱窗示例" not in html  # that picture came with version 2


def test_a_stranger_gets_404_and_an_anonymous_visitor_is_sent_to_login(filed):
    url = reverse("inspection-case-standard", args=[filed.pk])
    stranger = ApplicantFactory().user
    assert client_for(stranger).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert client_for(staff(Role.REVIEWER)).get(url).status_code == 200


def test_case_media_follow_the_case_version_and_its_permission(crew, matter):
    standard_add_guidance(matter=matter, item_key="premises-layout", caption="布局图",
                          upload=SimpleUploadedFile("a.png", PNG), by=crew.users["dispatcher"])
    case = drive(CaseFactory(matter=matter), crew, CaseStatus.SUBMITTED)
    media = GuidanceMedia.objects.get(item__version=current_version(matter))
    url = reverse("inspection-case-standard-media", args=[case.pk, media.pk])
    page = client_for(case.applicant.user)
    response = page.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    html = page.get(reverse("inspection-case-standard", args=[case.pk])).content.decode()
    assert url in html and "布局图" in html
    assert client_for(ApplicantFactory().user).get(url).status_code == 404
    older = drive(CaseFactory(matter=matter), crew, CaseStatus.SUBMITTED)
    standard_revise(matter=matter, by=crew.users["dispatcher"], note="撤图",
                    items=[{**i, "drop_media": True} for i in ITEMS])
    newer = drive(CaseFactory(matter=matter), crew, CaseStatus.SUBMITTED)
    assert client_for(older.applicant.user).get(
        reverse("inspection-case-standard-media", args=[older.pk, media.pk])).status_code == 200
    assert client_for(newer.applicant.user).get(
        reverse("inspection-case-standard-media", args=[newer.pk, media.pk])).status_code == 404


def test_public_guide_page_shows_the_current_version_without_login(filed, matter):
    html = Client().get(reverse("inspection-guide-standard", args=[matter.code])).content.decode()
    assert "KY-SC-FOOD-T-V2" in html and "新纱窗示例" in html
    media = GuidanceMedia.objects.get(item__version__number=2)
    assert Client().get(reverse("inspection-guide-standard-media",
                                args=[matter.code, media.pk])).status_code == 200
    plain = MatterFactory()
    assert Client().get(reverse("inspection-guide-standard", args=[plain.code])).status_code == 404


# ---- staff: list, history -----------------------------------------------------------

def test_standard_list_query_count_does_not_grow_with_rows(dispatcher,
                                                          django_assert_max_num_queries):
    client = client_for(dispatcher)
    url = reverse("inspection-standards")

    def add(n):
        for _ in range(n):
            m = MatterFactory(inspected=True)
            standard_publish(matter=m, items=ITEMS)
            standard_publish(matter=m, items=ITEMS[:1])

    add(2)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    add(8)
    MatterFactory(inspected=True, name="尚未编制的事项")
    with django_assert_max_num_queries(8):
        html = client.get(url).content.decode()
    assert html.count("V2") == 10 and "尚未编制的事项" in html and "未发布" in html


def test_history_shows_any_version_and_applicants_are_refused(filed, matter, dispatcher):
    client = client_for(dispatcher)
    url = reverse("inspection-standard-detail", args=[matter.pk])
    html = client.get(url).content.decode()
    media = GuidanceMedia.objects.get(item__version__number=2)
    media_url = reverse("inspection-standard-media", args=[matter.pk, media.pk])
    assert "KY-SC-FOOD-T-V2" in html and "现行版本" in html and media_url in html
    assert "上传指引图片或短视频" in html  # editors upload on the current version
    old = client.get(url, {"version": 1}).content.decode()
    assert "KY-SC-FOOD-T-V1" in old and "历史版本" in old and media_url not in old
    assert "上传指引图片或短视频" not in old
    assert client.get(media_url).status_code == 200
    assert client.get(url, {"version": 9}).status_code == 404
    assert client_for(filed.applicant.user).get(url).status_code == 403
    assert client_for(staff(Role.INSPECTOR)).get(url).status_code == 200


# ---- staff: the revision form -----------------------------------------------------------

def form_data(version: StandardVersion | None, items: list[dict], **extra) -> dict:
    data = {"note": "修订说明", "pass_score": "80",
            "base_version": str(version.number if version else 0),
            "items-TOTAL_FORMS": str(len(items)), "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "60", **extra}
    for n, it in enumerate(items):
        for field, value in it.items():
            if field == "veto" or field == "DELETE" or field == "drop_media":
                if value:
                    data[f"items-{n}-{field}"] = "on"
            else:
                data[f"items-{n}-{field}"] = str(value)
    return data


def test_edit_form_starts_from_the_current_version(matter, dispatcher):
    page = client_for(dispatcher).get(reverse("inspection-standard-edit", args=[matter.pk]))
    assert page.status_code == 200
    formset = page.context["formset"]
    assert [f.initial.get("key") for f in formset.forms] == ["premises-layout", "pest-control",
                                                             None]
    assert page.context["revision"].initial["base_version"] == 1


def test_saving_the_form_publishes_the_next_version_reordered_without_deleted_rows(
        matter, dispatcher):
    rows = [dict(ITEMS[0], order=2), dict(ITEMS[1], order=1, weight=30),
            {"key": "fire-safety-exits", "category": "premises", "title": "消防设施",
             "requirement": "通道畅通", "weight": 10, "order": 3, "DELETE": True},
            {"key": "", "title": "", "requirement": "", "weight": "", "order": 4}]
    response = client_for(dispatcher).post(reverse("inspection-standard-edit", args=[matter.pk]),
                                           form_data(current_version(matter), rows))
    assert response.status_code == 302
    version = current_version(matter)
    assert version.number == 2 and version.note == "修订说明"
    assert list(version.items.values_list("key", "weight", "order")) == [
        ("pest-control", 30, 1), ("premises-layout", 60, 2)]
    assert StandardVersion.objects.get(standard__matter=matter, number=1).items.count() == 2


def test_invalid_input_is_shown_in_chinese_and_nothing_typed_is_lost(matter, dispatcher):
    rows = [dict(ITEMS[0], title="经营场所（已改）"),
            {"key": "new-item", "category": "staff", "title": "新增项目甲", "requirement": "",
             "method": "查阅台账", "weight": "很多", "guidance": "新的指引文字"}]
    response = client_for(dispatcher).post(reverse("inspection-standard-edit", args=[matter.pk]),
                                           form_data(current_version(matter), rows, note=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写修订说明。" in html
    assert "第2项：编码、项目名称和标准要求必须填写。" in html
    assert "第2项：分值须为 0–100 的整数。" in html
    for typed in ("经营场所（已改）", "新增项目甲", "查阅台账", "很多", "新的指引文字"):
        assert typed in html, typed
    assert current_version(matter).number == 1


def test_add_row_keeps_the_rows_and_publishes_nothing(matter, dispatcher):
    rows = [ITEMS[0], dict(ITEMS[1], title="改过的标题"), {"order": 3}]
    response = client_for(dispatcher).post(reverse("inspection-standard-edit", args=[matter.pk]),
                                           form_data(current_version(matter), rows, add_row="1"))
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert len(forms) == 4 and forms[1].initial["title"] == "改过的标题"
    assert current_version(matter).number == 1


def test_a_revision_from_a_stale_page_is_refused_with_the_typed_rows_kept(matter, dispatcher):
    stale = current_version(matter)
    standard_revise(matter=matter, by=dispatcher, note="他人修订", items=ITEMS)
    rows = [dict(ITEMS[0], title="我的修改")]
    response = client_for(dispatcher).post(reverse("inspection-standard-edit", args=[matter.pk]),
                                           form_data(stale, rows))
    html = response.content.decode()
    assert response.status_code == 409 and "第 2 版" in html and "我的修改" in html
    assert response.context["revision"]["base_version"].value() == "2"


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.REVIEWER])
def test_only_dispatchers_open_the_editor(matter, role):
    client = client_for(staff(role))
    assert client.get(reverse("inspection-standard-edit", args=[matter.pk])).status_code == 403
    assert client_for(UserFactory(is_staff=True)).get(
        reverse("inspection-standard-edit", args=[matter.pk])).status_code == 200


# ---- staff: guidance upload ---------------------------------------------------------------

def test_uploading_a_picture_publishes_a_version_and_a_fake_is_refused(matter, dispatcher):
    client = client_for(dispatcher)
    url = reverse("inspection-standard-guidance", args=[matter.pk])
    fake = SimpleUploadedFile("photo.png", b"just text, not a picture" * 10)
    refused = client.post(url, {"item_key": "pest-control", "caption": "我的说明", "file": fake})
    html = refused.content.decode()
    assert refused.status_code == 400 and "文件格式不支持" in html and "我的说明" in html
    assert current_version(matter).number == 1
    ok = client.post(url, {"item_key": "pest-control", "caption": "纱窗",
                           "file": SimpleUploadedFile("a.png", PNG)})
    assert ok.status_code == 302 and ok["Location"].endswith("#item-pest-control")
    assert current_version(matter).items.get(key="pest-control").media.get().caption == "纱窗"
    assert client_for(staff(Role.INSPECTOR)).post(url, {"item_key": "pest-control"}).status_code \
        == 403


# ---- admin ----------------------------------------------------------------------------

def test_admin_shows_standards_and_versions_read_only(matter):
    client = client_for(UserFactory(is_superuser=True, is_staff=True))
    version = current_version(matter)
    for model in ("standard", "standardversion", "inspectorprofile", "inspectorabsence",
                  "conflictdeclaration", "inspectiontask"):
        assert client.get(f"/admin/inspections/{model}/").status_code == 200, model
    page = client.get(f"/admin/inspections/standardversion/{version.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and "加工区与就餐区分开" in html and 'name="_save"' not in html
    assert client.get("/admin/inspections/standardversion/add/").status_code == 403
    refused = client.post(f"/admin/inspections/standardversion/{version.pk}/change/",
                          {"pass_score": "10"})
    assert refused.status_code == 403
    assert StandardVersion.objects.get(pk=version.pk).pass_score == 80
    assert client.get(f"/admin/inspections/standard/{version.standard_id}/change/") \
        .status_code == 200
