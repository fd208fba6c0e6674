"""Inspection standards: the demo content, revising (a new version; pinned cases keep
theirs), refusals that name every problem, and guidance media checked by content."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.demo import catalogue
from approvals.demo.seed import seed_demo
from approvals.models import Matter
from approvals.workflow import CaseStatus
from inspections.demo.figures import Figure, render_png
from inspections.demo.standards import STANDARDS, load_standards
from inspections.models import (
    CaseStandard,
    Category,
    GuidanceMedia,
    Standard,
    StandardItem,
    StandardVersion,
)
from inspections.services import guidance
from inspections.services.guidance import standard_add_guidance, standard_revise
from inspections.services.standards import (
    case_standard,
    current_version,
    merged_checklist,
    standard_items_as_dicts,
)
from portal.accounts.roles import Role
from portal.core.errors import ApplicationError, ConflictError, PermissionRefused
from tests.factories import CaseFactory
from tests.factories.workflow import drive

pytestmark = pytest.mark.django_db
FOOD = ("SC-FOOD-01", "SC-FOOD-02", "SC-FOOD-03", "SC-FOOD-04")
INSPECTED = [m["code"] for m in catalogue.MATTERS if m["needs_inspection"]]
PNG_BYTES = render_png(Figure("测试", ("甲", "乙")))


def item(key: str, weight: int = 50, **kwargs) -> dict:
    return {"key": key, "category": "premises", "title": f"项目{key}", "requirement": "要求",
            "method": "现场查看", "weight": weight, "veto": False, "guidance": "请准备",
            **kwargs}


def snapshot(version: StandardVersion) -> list[tuple]:
    return list(version.items.order_by("order").values_list(
        "key", "title", "requirement", "weight", "veto", "order"))


@pytest.fixture
def demo(db):
    seed_demo(with_cases=False)
    return {m.code: m for m in Matter.objects.filter(code__in=INSPECTED)}


# ---- demo content ---------------------------------------------------------------------

def test_every_inspected_demo_matter_has_a_standard_of_6_to_12_items_weighing_100(demo):
    assert len(INSPECTED) >= 12 and set(INSPECTED) == set(STANDARDS)
    for code in INSPECTED:
        version = current_version(demo[code])
        assert version is not None, code
        assert version.label == f"KY-{code}-V1" and version.note == "首版"
        items = list(version.items.all())
        assert 6 <= len(items) <= 12, code
        categories = [Category.values.index(i.category) for i in items]
        assert categories == sorted(categories), code  # numbered as the checklist shows
        assert sum(i.weight for i in items) == 100, code
        assert any(i.veto for i in items), code
        assert {i.category for i in items} <= set(Category.values)
        assert len({i.category for i in items}) >= 4, code
        assert all(i.requirement and i.method and i.guidance for i in items), code


def test_food_standards_share_item_keys_so_merged_checklists_list_them_once(demo):
    keys = {code: set(current_version(demo[code]).items.values_list("key", flat=True))
            for code in FOOD + ("SC-DRUG-01",)}
    shared = set.intersection(*(keys[c] for c in FOOD))
    assert {"staff-health-certificates", "pest-control", "food-safety-system",
            "premises-layout"} <= shared
    # 我要开药店: the drug and the food standard of one shop, inspected once.
    pair = [(CaseFactory(matter=demo[c]), current_version(demo[c]))
            for c in ("SC-FOOD-01", "SC-DRUG-01")]
    merged = merged_checklist(pair)
    assert len(merged) == len(keys["SC-FOOD-01"] | keys["SC-DRUG-01"])
    cold = next(m for m in merged if m.key == "cold-storage")
    assert len(cold.cases) == 2 and "2～10℃" in cold.requirement and "0～8℃" in cold.requirement


def test_food_standards_carry_real_png_guidance_stored_under_their_hash(demo):
    for code in FOOD:
        media = GuidanceMedia.objects.filter(item__version__standard__matter=demo[code])
        assert media.exists(), code
        for m in media:
            body = m.file.open("rb").read()
            m.file.close()
            assert m.kind == "image" and m.content_type == "image/png"
            assert body.startswith(b"\x89PNG\r\n\x1a\n") and len(body) == m.size
            assert hashlib.sha256(body).hexdigest() == m.sha256
            assert m.caption


def test_loading_the_demo_standards_again_publishes_nothing(demo):
    before = (StandardVersion.objects.count(), StandardItem.objects.count(),
              GuidanceMedia.objects.count())
    assert load_standards() == 0
    seed_demo(with_cases=False)
    assert (StandardVersion.objects.count(), StandardItem.objects.count(),
            GuidanceMedia.objects.count()) == before
    assert Standard.objects.count() == len(INSPECTED)


# ---- revising ---------------------------------------------------------------------------

def test_revision_publishes_the_next_version_and_pinned_cases_keep_theirs(crew, inspected_matter):
    v1 = current_version(inspected_matter)
    filed = drive(CaseFactory(matter=inspected_matter), crew, CaseStatus.SUBMITTED)
    assert CaseStandard.objects.get(case=filed).version == v1
    before = snapshot(v1)
    v2 = standard_revise(matter=inspected_matter, by=crew.users[Role.DISPATCHER],
                         note="增加消防要求", base_number=1,
                         items=[item("a", 60), item("fire", 40, veto=True)])
    assert v2.number == 2 and v2.note == "增加消防要求"
    assert snapshot(v1) == before and v1.items.count() == 1
    assert case_standard(filed) == v1
    later = drive(CaseFactory(matter=inspected_matter), crew, CaseStatus.SUBMITTED)
    assert CaseStandard.objects.get(case=later).version == v2
    assert list(v2.items.values_list("key", flat=True)) == ["a", "fire"]


def test_a_draft_sees_the_current_version_until_it_is_filed(crew, inspected_matter):
    draft = CaseFactory(matter=inspected_matter)
    standard_revise(matter=inspected_matter, by=crew.users[Role.DISPATCHER], note="修订",
                    items=[item("b", 100)])
    assert case_standard(draft).number == 2
    assert not CaseStandard.objects.filter(case=draft).exists()


def test_refusal_names_every_problem_in_chinese_and_publishes_nothing(crew, inspected_matter):
    items = [item("a"), item("b", requirement=""), item("c", weight=120), item("a"),
             item("健康证 明")]
    with pytest.raises(ApplicationError) as refused:
        standard_revise(matter=inspected_matter, by=crew.users[Role.DISPATCHER], note=" ",
                        items=items)
    problems = refused.value.extra["problems"]
    assert problems[0] == "请填写修订说明。"
    assert "第2项：编码、项目名称和标准要求必须填写。" in problems
    assert "第3项：分值须为 0–100 的整数。" in problems
    assert "第4项：编码“a”重复。" in problems
    assert any(p.startswith("第5项：编码只能使用小写字母") for p in problems)
    assert inspected_matter.inspection_standard.versions.count() == 1


def test_valid_items_without_a_note_publish_nothing(crew, inspected_matter):
    with pytest.raises(ApplicationError) as refused:
        standard_revise(matter=inspected_matter, by=crew.users[Role.DISPATCHER], note="",
                        items=[item("a", 100)])
    assert refused.value.extra["problems"] == ["请填写修订说明。"]
    assert inspected_matter.inspection_standard.versions.count() == 1


def test_revising_from_a_stale_version_is_refused(crew, inspected_matter):
    dispatcher = crew.users[Role.DISPATCHER]
    standard_revise(matter=inspected_matter, by=dispatcher, note="甲", items=[item("a", 100)],
                    base_number=1)
    with pytest.raises(ConflictError, match="第 2 版"):
        standard_revise(matter=inspected_matter, by=dispatcher, note="乙",
                        items=[item("z", 100)], base_number=1)
    assert current_version(inspected_matter).number == 2


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.REVIEWER, Role.APPLICANT])
def test_only_dispatchers_and_administrators_revise(crew, inspected_matter, role):
    from tests.factories import UserFactory, staff

    user = UserFactory(roles=[role]) if role == Role.APPLICANT else staff(role)
    with pytest.raises(PermissionRefused):
        standard_revise(matter=inspected_matter, by=user, note="x", items=[item("a", 100)])
    admin = UserFactory(is_staff=True)
    assert standard_revise(matter=inspected_matter, by=admin, note="x",
                           items=[item("a", 100)]).number == 2


# ---- guidance media -------------------------------------------------------------------

def png_upload(name="guide.png", body=PNG_BYTES):
    return SimpleUploadedFile(name, body, content_type="image/png")


def test_guidance_upload_publishes_a_version_with_the_file_on_that_item(crew, inspected_matter):
    dispatcher = crew.users[Role.DISPATCHER]
    v2 = standard_add_guidance(matter=inspected_matter, item_key="a", upload=png_upload(),
                               caption="布局示例", by=dispatcher)
    assert v2.number == 2 and "布局示例" in v2.note
    media = GuidanceMedia.objects.get(item__version=v2)
    assert media.item.key == "a" and media.kind == "image" and media.caption == "布局示例"
    assert media.sha256 == hashlib.sha256(PNG_BYTES).hexdigest()
    assert media.file.name.endswith(".png")
    assert not GuidanceMedia.objects.filter(item__version__number=1).exists()
    # the next revision keeps the file on the item with that key, unless dropped
    v3 = standard_revise(matter=inspected_matter, by=dispatcher, note="改分值",
                         items=[item("a", 100)])
    assert v3.items.get().media.get().sha256 == media.sha256
    v4 = standard_revise(matter=inspected_matter, by=dispatcher, note="撤图",
                         items=[item("a", 100, drop_media=True)])
    assert not v4.items.get().media.exists()


def test_a_text_file_renamed_png_is_refused_and_nothing_is_published(crew, inspected_matter):
    fake = png_upload("photo.png", "这不是图片".encode() * 20)
    with pytest.raises(ApplicationError) as refused:
        standard_add_guidance(matter=inspected_matter, item_key="a", upload=fake, caption="",
                              by=crew.users[Role.DISPATCHER])
    assert refused.value.code == "unsupported_file_type"
    assert "仅接受" in refused.value.message
    assert current_version(inspected_matter).number == 1


MP4 = (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
       b"\x00\x00\x00\x08free\x00\x00\x00\x10moov\x00\x00\x00\x08mvhd")


def test_short_videos_are_accepted_and_long_ones_refused(crew, inspected_matter, monkeypatch):
    dispatcher = crew.users[Role.DISPATCHER]
    clip = SimpleUploadedFile("clip.mp4", MP4 + b"\x00" * 2000, content_type="video/mp4")
    version = standard_add_guidance(matter=inspected_matter, item_key="a", upload=clip,
                                    caption="操作演示", by=dispatcher)
    assert version.items.get().media.get().kind == "video"
    monkeypatch.setattr(guidance, "GUIDANCE_VIDEO_MAX_BYTES", 1024)
    long = SimpleUploadedFile("long.mp4", MP4 + b"\x00" * 4096, content_type="video/mp4")
    with pytest.raises(ApplicationError) as refused:
        standard_add_guidance(matter=inspected_matter, item_key="a", upload=long, caption="",
                              by=dispatcher)
    assert refused.value.code == "file_too_large"
    assert current_version(inspected_matter).number == version.number


def test_guidance_for_an_unknown_item_or_a_matter_without_standard_is_refused(crew,
                                                                               inspected_matter):
    dispatcher = crew.users[Role.DISPATCHER]
    with pytest.raises(ApplicationError, match="没有编码为“zz”"):
        standard_add_guidance(matter=inspected_matter, item_key="zz", upload=png_upload(),
                              caption="", by=dispatcher)
    other = CaseFactory().matter
    with pytest.raises(ApplicationError, match="尚未发布踏勘标准"):
        standard_add_guidance(matter=other, item_key="a", upload=png_upload(), caption="",
                              by=dispatcher)


def test_items_as_dicts_round_trip_into_an_identical_next_version(crew, inspected_matter):
    v1 = current_version(inspected_matter)
    v2 = standard_revise(matter=inspected_matter, by=crew.users[Role.DISPATCHER], note="复制",
                         items=standard_items_as_dicts(v1))
    assert snapshot(v2) == snapshot(v1)


def test_figures_are_deterministic_png():
    figure = Figure("示意", ("一", "二", "三"), ("说明文字",))
    assert render_png(figure) == render_png(figure)
    assert io.BytesIO(render_png(figure)).read(8) == b"\x89PNG\r\n\x1a\n"
