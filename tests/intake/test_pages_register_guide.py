"""Pages: applicant self-registration (person and organisation, check-digit errors per
field, password rules) and the service guide (search, filter, matter and bundle pages,
sample files, flat query counts)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from approvals.models import Bundle, BundleItem
from portal.accounts.models import Applicant
from tests.factories import MaterialFactory, MatterFactory, SectionFactory
from tests.factories.ids import resident_id, uscc
from tests.intake.conftest import PDF

pytestmark = pytest.mark.django_db


def form(**overrides) -> dict:
    return {"kind": "person", "name": "张明", "id_number": resident_id(),
            "phone": "13912345678", "address": "运城市盐湖区解放路1号",
            "username": "zhangming", "password": "Qwer-7788-zxcv",
            "password2": "Qwer-7788-zxcv"} | overrides


def test_login_page_links_to_registration_and_the_guide():
    html = Client().get("/accounts/login/").content.decode()
    assert 'href="/register/"' in html and 'href="/guide/"' in html


def test_person_registers_is_logged_in_and_lands_on_the_guide():
    client = Client()
    response = client.post("/register/", form(), follow=True)
    assert response.redirect_chain[-1][0] == "/guide/"
    html = response.content.decode()
    assert "注册成功" in html and "办事指南" in html
    applicant = Applicant.objects.get(name="张明")
    assert response.wsgi_request.user == applicant.user
    assert applicant.user.has_role("applicant")


def test_organisation_registers_with_its_uscc():
    response = Client().post("/register/", form(kind="organisation", name="好味道餐饮有限公司",
                                                id_number=uscc(), username="haoweidao"))
    assert response.status_code == 302
    assert Applicant.objects.get(name="好味道餐饮有限公司").kind == "organisation"


def test_invalid_id_number_and_phone_are_shown_next_to_their_fields():
    response = Client().post("/register/", form(id_number="110105194912310021", phone="123"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "居民身份证号码无效" in html and "校验码" in html
    assert "电话号码格式不正确" in html
    assert 'value="110105194912310021"' in html and 'value="张明"' in html
    assert "Qwer-7788-zxcv" not in html  # passwords are never echoed
    assert not Applicant.objects.exists()


def test_wrong_uscc_check_digit_is_reported_for_organisations():
    code = uscc()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    html = Client().post("/register/", form(kind="organisation", id_number=wrong)) \
        .content.decode()
    assert "统一社会信用代码无效" in html


def test_password_rules_and_confirmation_are_checked():
    html = Client().post("/register/", form(password="12345678", password2="12345679")) \
        .content.decode()
    assert "两次输入的密码不一致" in html
    assert "密码" in html and not Applicant.objects.exists()


def test_a_taken_username_is_reported_on_the_username_field():
    Client().post("/register/", form())
    html = Client().post("/register/", form(id_number=resident_id())).content.decode()
    assert "该用户名已被使用" in html


@pytest.fixture
def catalogue(food_matter):
    health = SectionFactory(code="SW", name="卫生审批科")
    hygiene = MatterFactory(code="SW-GG-01", name="公共场所卫生许可", section=health,
                            industry="住宿", instant=True)
    MaterialFactory(matter=hygiene, name="营业执照", required=True)
    bundle = Bundle.objects.create(code="B-HOTEL", name="我要开宾馆")
    BundleItem.objects.create(bundle=bundle, matter=food_matter, order=1)
    BundleItem.objects.create(bundle=bundle, matter=hygiene, order=2)
    return {"food": food_matter, "hygiene": hygiene, "bundle": bundle, "section": health}


def test_guide_search_by_name_code_industry_and_section(catalogue):
    client = Client()
    by_name = client.get("/guide/", {"q": "卫生"}).content.decode()
    assert "公共场所卫生许可" in by_name and "食品经营许可" not in by_name
    assert "公共场所卫生许可" in client.get("/guide/", {"q": "SW-GG"}).content.decode()
    assert "公共场所卫生许可" in client.get("/guide/", {"q": "住宿"}).content.decode()
    by_section = client.get("/guide/", {"section": "SW"}).content.decode()
    assert "公共场所卫生许可" in by_section and "食品经营许可" not in by_section
    assert "没有找到" in client.get("/guide/", {"q": "不存在的事项"}).content.decode()


def test_guide_lists_bundles_with_their_own_page_and_apply_button(catalogue):
    html = Client().get("/guide/").content.decode()
    assert "我要开宾馆" in html and "/guide/bundles/B-HOTEL/" in html
    page = Client().get("/guide/bundles/B-HOTEL/").content.decode()
    assert "食品经营许可" in page and "公共场所卫生许可" in page
    assert page.count("营业执照") == 1  # one material list, de-duplicated by name
    assert "登录后申请" in page


def test_matter_guide_shows_conditions_materials_limits_and_flags(catalogue):
    matter = catalogue["food"]
    matter.conditions, matter.legal_basis = "具有经营场所", "《中华人民共和国食品安全法》"
    matter.needs_inspection, matter.inspection_video = True, True
    matter.save()
    matter.key.sample = SimpleUploadedFile("template.pdf", PDF)
    matter.key.save()
    html = Client().get(f"/guide/{matter.code}/").content.decode()
    for text in ("具有经营场所", "《中华人民共和国食品安全法》", "营业执照", "经营场所使用证明",
                 "可容缺", "可选", "20 个工作日", "5 个工作日", "不收费", "视频勘验",
                 "告知承诺", "在线申请"):
        assert text in html, text
    sample = f"/guide/{matter.code}/materials/{matter.key.pk}/sample/"
    assert sample in html
    response = Client().get(sample)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert Client().get(f"/guide/{matter.code}/materials/{matter.premises.pk}/sample/") \
        .status_code == 404


def test_instant_matter_is_marked_in_the_guide(catalogue):
    html = Client().get("/guide/SW-GG-01/").content.decode()
    assert "即办件" in html and "即时办结" in html


def test_inactive_or_unknown_matter_is_404(catalogue):
    catalogue["hygiene"].is_active = False
    catalogue["hygiene"].save()
    assert Client().get("/guide/SW-GG-01/").status_code == 404
    assert Client().get("/guide/NOPE/").status_code == 404


@pytest.mark.parametrize("rows", [2, 20])
def test_guide_list_query_count_is_flat(rows, django_assert_max_num_queries):
    section = SectionFactory()
    for n in range(rows):
        matter = MatterFactory(section=section, name=f"事项{n}")
        MaterialFactory(matter=matter)
    bundle = Bundle.objects.create(code="B-X", name="套餐")
    BundleItem.objects.create(bundle=bundle, matter=matter)
    with django_assert_max_num_queries(7):
        assert Client().get("/guide/").status_code == 200
