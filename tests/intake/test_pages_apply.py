"""Pages: apply (idempotent token), the edit page (nothing typed or uploaded is lost),
uploads checked by content, submit refused then accepted, bundles (one form, one set of
materials, one submit), 告知承诺, and object-level 404s for other applicants."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from approvals.models import Bundle, BundleItem, Case, CaseMaterial, Commitment
from approvals.services.intake import material_upload
from approvals.workflow import CaseStatus
from portal.core.models import AuditEntry
from tests.factories import ApplicantFactory, MaterialFactory, MatterFactory
from tests.intake.conftest import FORM_OK, pdf_upload

pytestmark = pytest.mark.django_db

FORM_POST = {f"f_{k}": v for k, v in FORM_OK.items()}
FAKE_PDF = b"This is plain text pretending to be a PDF.\n"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def apply(client, matter) -> Case:
    html = client.get(f"/guide/{matter.code}/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post(f"/guide/{matter.code}/apply/", {"token": token})
    assert response.status_code == 302 and response["Location"].endswith("/edit/")
    return Case.objects.get(pk=int(response["Location"].split("/")[2]))


@pytest.fixture
def applicant():
    return ApplicantFactory()


@pytest.fixture
def client(applicant):
    return logged_in(applicant.user)


@pytest.fixture
def draft(client, food_matter):
    case = apply(client, food_matter)
    case.matter = food_matter  # the fixture's matter knows its materials (key, premises …)
    return case


def test_apply_creates_a_draft_and_opens_the_edit_page(client, draft, food_matter, applicant):
    assert draft.status == CaseStatus.DRAFT and draft.applicant == applicant
    html = client.get(f"/cases/{draft.pk}/edit/").content.decode()
    for text in ("店铺名称", "经营面积（平方米）", "主体业态", "餐饮服务经营者", "营业执照",
                 "经营场所使用证明", "健康证明", "保存草稿", "提交申请", "告知承诺"):
        assert text in html, text
    assert 'enctype="multipart/form-data"' in html


def test_double_post_of_the_apply_form_creates_one_case(client, food_matter, applicant):
    html = client.get(f"/guide/{food_matter.code}/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    first = client.post(f"/guide/{food_matter.code}/apply/", {"token": token})
    second = client.post(f"/guide/{food_matter.code}/apply/", {"token": token})
    assert first["Location"] == second["Location"]
    assert Case.objects.filter(applicant=applicant).count() == 1


def test_apply_without_a_token_is_refused_with_a_message(client, food_matter):
    response = client.post(f"/guide/{food_matter.code}/apply/", {}, follow=True)
    assert "页面已过期" in response.content.decode()
    assert not Case.objects.exists()


def test_save_with_an_invalid_number_keeps_every_answer_and_the_typed_text(client, draft):
    response = client.post(f"/cases/{draft.pk}/edit/", {
        "title": "好味道饭店", "f_shop_name": "好味道", "f_floor_area": "一百二十平",
        "f_business_format": "食品销售经营者", "action": "save"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="一百二十平"' in html and "请填写数字" in html
    assert 'value="好味道"' in html and 'value="好味道饭店"' in html
    assert '<option value="食品销售经营者" selected>' in html
    saved = Case.objects.get(pk=draft.pk)
    assert saved.form_data == {"shop_name": "好味道", "business_format": "食品销售经营者"}
    assert saved.title == "好味道饭店"


def test_valid_save_redirects_back_with_a_message(client, draft):
    response = client.post(f"/cases/{draft.pk}/edit/", {**FORM_POST, "action": "save"},
                           follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/{draft.pk}/edit/"
    assert "已保存" in response.content.decode()
    assert Case.objects.get(pk=draft.pk).form_data["floor_area"] == 120


def test_uploaded_pdf_is_listed_with_name_size_and_time_and_can_be_replaced(client, draft):
    key = draft.matter.key
    client.post(f"/cases/{draft.pk}/edit/", {"action": "upload",
                                             f"file_{key.pk}": pdf_upload("执照.pdf")})
    html = client.get(f"/cases/{draft.pk}/edit/").content.decode()
    material = CaseMaterial.objects.get(case=draft, requirement=key, is_current=True)
    assert "执照.pdf" in html and f"/files/materials/{material.pk}/" in html
    uploaded = timezone.localtime(material.uploaded_at)  # the page shows local time
    assert "更换文件" in html and uploaded.strftime("%Y-%m-%d") in html
    client.post(f"/cases/{draft.pk}/edit/", {"action": "upload",
                                             f"file_{key.pk}": pdf_upload("执照-清晰版.pdf")})
    current = CaseMaterial.objects.get(case=draft, requirement=key, is_current=True)
    assert current.original_name == "执照-清晰版.pdf"
    assert CaseMaterial.objects.filter(case=draft, requirement=key).count() == 2


def test_fake_pdf_is_refused_next_to_its_material_and_nothing_else_is_lost(client, draft):
    key, premises = draft.matter.key, draft.matter.premises
    response = client.post(f"/cases/{draft.pk}/edit/", {
        **FORM_POST, "f_floor_area": "很大", "action": "save",
        f"file_{key.pk}": pdf_upload("执照.pdf"),
        f"file_{premises.pk}": pdf_upload("租赁合同.pdf", FAKE_PDF)})
    html = response.content.decode()
    assert response.status_code == 200
    row = html[html.index(f'id="mat-{draft.pk}-{premises.pk}"'):]
    row = row[:row.index("</div>\n</div>") if "</div>\n</div>" in row else 2000]
    assert "文件格式不支持" in html and "文件格式不支持" in row
    assert 'value="很大"' in html and 'value="好味道饭店"' in html
    assert CaseMaterial.objects.filter(case=draft, requirement=key, is_current=True).exists()
    assert not CaseMaterial.objects.filter(case=draft, requirement=premises).exists()
    assert Case.objects.get(pk=draft.pk).form_data["shop_name"] == "好味道饭店"


def test_htmx_upload_answers_with_the_material_row(client, draft):
    key = draft.matter.key
    url = f"/cases/{draft.pk}/materials/{key.pk}/"
    good = client.post(url, {f"file_{key.pk}": pdf_upload("执照.pdf")}, HTTP_HX_REQUEST="true")
    assert good.status_code == 200
    html = good.content.decode()
    assert html.lstrip().startswith("<div class=\"material-row") and "执照.pdf" in html
    assert "已上传" in html
    bad = client.post(url, {f"file_{key.pk}": pdf_upload("假.pdf", FAKE_PDF)},
                      HTTP_HX_REQUEST="true").content.decode()
    assert "文件格式不支持" in bad and "执照.pdf" in bad  # the earlier file is still there


def test_plain_upload_post_redirects_back_with_a_message(client, draft):
    key = draft.matter.key
    response = client.post(f"/cases/{draft.pk}/materials/{key.pk}/",
                           {f"file_{key.pk}": pdf_upload("假.pdf", FAKE_PDF)}, follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/{draft.pk}/edit/"
    assert "营业执照：文件格式不支持" in response.content.decode()


def test_submit_is_refused_listing_missing_materials_then_accepted(client, draft):
    refused = client.post(f"/cases/{draft.pk}/edit/", {**FORM_POST, "action": "submit"})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "尚缺必须提交的材料" in html and "营业执照" in html and "经营场所使用证明" in html
    assert "提交前须上传该材料" in html
    assert Case.objects.get(pk=draft.pk).status == CaseStatus.DRAFT
    matter = draft.matter
    response = client.post(f"/cases/{draft.pk}/edit/", {
        "action": "submit", **FORM_POST,
        f"file_{matter.key.pk}": pdf_upload(), f"file_{matter.premises.pk}": pdf_upload()})
    assert response.status_code == 302 and response["Location"] == f"/cases/{draft.pk}/"
    case = Case.objects.get(pk=draft.pk)
    assert case.status == CaseStatus.SUBMITTED and case.number
    assert "已完成“提交申请”" in client.get(response["Location"]).content.decode()


def test_incomplete_form_refusal_marks_each_required_field(client, draft):
    matter = draft.matter
    for req in (matter.key, matter.premises):
        material_upload(case=draft, requirement=req, upload=pdf_upload(), by=draft.created_by)
    html = client.post(f"/cases/{draft.pk}/submit/").content.decode()
    assert "申请表尚未填写完整" in html
    assert "“店铺名称”为必填项" in html and 'aria-invalid="true"' in html


def test_submit_from_the_case_page(client, draft):
    matter = draft.matter
    client.post(f"/cases/{draft.pk}/edit/", {"action": "save", **FORM_POST,
                                             f"file_{matter.key.pk}": pdf_upload(),
                                             f"file_{matter.premises.pk}": pdf_upload()})
    page = client.get(f"/cases/{draft.pk}/").content.decode()
    assert f"/cases/{draft.pk}/submit/" in page and f"/cases/{draft.pk}/edit/" in page
    client.post(f"/cases/{draft.pk}/submit/")
    assert Case.objects.get(pk=draft.pk).status == CaseStatus.SUBMITTED
    after = client.get(f"/cases/{draft.pk}/edit/", follow=True).content.decode()
    assert "不能修改申请内容" in after


def test_commitment_is_shown_and_signed_on_the_edit_page(client, draft):
    html = client.get(f"/cases/{draft.pk}/edit/").content.decode()
    assert "愿意接受审批部门及行业主管部门的事后核查" in html
    refused = client.post(f"/cases/{draft.pk}/edit/", {**FORM_POST, "action": "sign",
                                                       "signer_name": ""})
    assert "请填写签署人姓名" in refused.content.decode()
    client.post(f"/cases/{draft.pk}/edit/", {**FORM_POST, "action": "sign",
                                             "signer_name": "张明"})
    commitment = Commitment.objects.get(case=draft)
    assert commitment.signer_name == "张明" and draft.matter.name in commitment.text
    assert "已由 张明" in client.get(f"/cases/{draft.pk}/").content.decode()


def test_other_applicant_gets_404_on_edit_upload_submit_and_download(client, draft):
    material = material_upload(case=draft, requirement=draft.matter.key, upload=pdf_upload(),
                               by=draft.created_by)
    stranger = logged_in(ApplicantFactory().user)
    key = draft.matter.key
    assert stranger.get(f"/cases/{draft.pk}/edit/").status_code == 404
    assert stranger.post(f"/cases/{draft.pk}/edit/", FORM_POST).status_code == 404
    assert stranger.post(f"/cases/{draft.pk}/materials/{key.pk}/",
                         {f"file_{key.pk}": pdf_upload()}).status_code == 404
    assert stranger.post(f"/cases/{draft.pk}/submit/").status_code == 404
    assert stranger.post(f"/cases/{draft.pk}/commitment/", {"signer_name": "x"}) \
        .status_code == 404
    assert stranger.get(f"/files/materials/{material.pk}/").status_code == 404
    assert CaseMaterial.objects.filter(case=draft).count() == 1
    assert Case.objects.get(pk=draft.pk).form_data == {}


def test_material_download_is_audited(client, draft):
    material = material_upload(case=draft, requirement=draft.matter.key, upload=pdf_upload(),
                               by=draft.created_by)
    response = client.get(f"/files/materials/{material.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(action="material.view").count() == 1


def test_anonymous_is_sent_to_login_from_the_intake_pages(draft):
    for url in (f"/cases/{draft.pk}/edit/", "/counter/", "/agents/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def bundle(food_matter):
    hygiene = MatterFactory(name="公共场所卫生许可", form_schema=[
        {"name": "shop_name", "label": "店铺名称", "type": "text", "required": True},
        {"name": "rooms", "label": "客房数", "type": "number", "required": True}])
    hygiene.licence = MaterialFactory(matter=hygiene, name="营业执照", required=True)
    hygiene.plan = MaterialFactory(matter=hygiene, name="卫生管理制度", required=True)
    bundle = Bundle.objects.create(code="B-REST", name="我要开饭店")
    BundleItem.objects.create(bundle=bundle, matter=food_matter, order=1)
    BundleItem.objects.create(bundle=bundle, matter=hygiene, order=2)
    bundle.hygiene = hygiene
    return bundle


def test_bundle_is_one_form_one_material_list_and_one_submit(client, bundle, food_matter):
    html = client.get("/guide/bundles/B-REST/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post("/bundles/B-REST/apply/", {"token": token})
    again = client.post("/bundles/B-REST/apply/", {"token": token})
    assert response["Location"] == again["Location"]
    edit = response["Location"]
    cases = list(Case.objects.order_by("pk"))
    assert len(cases) == 2 and cases[0].group_id == cases[1].group_id
    page = client.get(edit).content.decode()
    assert page.count('name="f_shop_name"') == 1 and 'name="f_rooms"' in page
    assert page.count('<span class="m-name">营业执照</span>') == 1
    assert "卫生管理制度" in page and "我要开饭店" in page
    assert client.get(f"/cases/{cases[1].pk}/edit/")["Location"] == edit
    hygiene = bundle.hygiene
    files = {f"file_{food_matter.key.pk}": pdf_upload("执照.pdf"),
             f"file_{food_matter.premises.pk}": pdf_upload(),
             f"file_{hygiene.plan.pk}": pdf_upload()}
    refused = client.post(edit, {**FORM_POST, "action": "submit", **files})
    assert "客房数" in refused.content.decode()
    assert CaseMaterial.objects.get(case=cases[1], requirement=hygiene.licence).original_name \
        == "执照.pdf"  # one upload, attached to both cases
    response = client.post(edit, {**FORM_POST, "f_rooms": "12", "action": "submit"})
    assert response.status_code == 302
    assert {c.status for c in Case.objects.all()} == {CaseStatus.SUBMITTED}
    assert Case.objects.get(pk=cases[1].pk).form_data["rooms"] == 12


def test_other_applicant_gets_404_on_a_bundle_application(client, bundle):
    html = client.get("/guide/bundles/B-REST/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    edit = client.post("/bundles/B-REST/apply/", {"token": token})["Location"]
    stranger = logged_in(ApplicantFactory().user)
    assert stranger.get(edit).status_code == 404
    assert stranger.post(edit, FORM_POST).status_code == 404
