"""In a real browser, the whole online intake of one application, as people do it:

an applicant registers, finds 食品经营许可 in the service guide, fills the form and uploads
PDFs, submits; the clerk sends a one-time supplement notice (一次性告知) from the counter;
the applicant replaces the material and resubmits; the clerk accepts; the applicant sees
the timeline and both notices on the case page. Only the catalogue and the staff are set
up in the database, and the database is read only at the end to check what happened.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from approvals.models import Case, CaseMaterial, Notice, SupplementRequest
from approvals.workflow import CaseStatus
from portal.accounts.models import Applicant
from tests.factories import MaterialFactory, MatterFactory, SectionFactory
from tests.factories.ids import resident_id
from tests.factories.workflow import Crew
from tests.intake.conftest import PDF

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOT = "/tmp/e2e-intake-final.png"
APPLICANT = {"name": "张明", "phone": "13912345678", "username": "zhangming",
             "password": "Qwer-7788-zxcv"}
CLERK_PASSWORD = "pw-12345678"
FORM = [
    {"name": "shop_name", "label": "店铺名称", "type": "text", "required": True},
    {"name": "floor_area", "label": "经营面积（平方米）", "type": "number", "required": True},
    {"name": "business_format", "label": "主体业态", "type": "select", "required": True,
     "choices": ["餐饮服务经营者", "食品销售经营者"]},
]
KEY, PREMISES, HEALTH = "营业执照", "经营场所使用证明", "健康证明"
REASON = "营业执照扫描件模糊，请重新扫描清晰的彩色件"
NOTE = "请按以下清单一次性补正"


@pytest.fixture
def catalogue(db):
    """食品经营许可 (a small form, three required materials, one tolerable) and a second
    matter the guide search must filter out."""
    section = SectionFactory(code="SP", name="食品审批科")
    food = MatterFactory(name="食品经营许可", code="SP-JY-01", section=section, form_schema=FORM)
    food.key = MaterialFactory(matter=food, name=KEY, required=True, order=1)
    food.premises = MaterialFactory(matter=food, name=PREMISES, required=True, order=2)
    food.health = MaterialFactory(matter=food, name=HEALTH, required=True, tolerable=True,
                                  order=3)
    MatterFactory(name="公共场所卫生许可", code="SW-GG-01",
                  section=SectionFactory(code="SW", name="卫生审批科"))
    return food


@pytest.fixture
def pdfs(tmp_path):
    """Real small PDF files on disk, as a person would pick them in the file dialog."""
    names = ("营业执照.pdf", "场所租赁合同.pdf", "健康证.pdf", "营业执照-清晰版.pdf")
    paths = {}
    for name in names:
        path = tmp_path / name
        path.write_bytes(PDF)
        paths[name] = path
    return paths


# -- what a person does in the browser --------------------------------------------------

def login(page: Page, site: str, username: str, password: str) -> None:
    page.goto(f"{site}/accounts/login/")
    form = page.locator("form:has(input[name=password])")  # not the language switch
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{site}/")


def logout(page: Page, site: str) -> None:
    page.locator("header.topbar").get_by_role("button", name="退出").click()
    page.wait_for_url(f"{site}/accounts/login/")


def expect_flash(page: Page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


def material_row(page: Page, name: str):
    return page.locator(".material-row").filter(
        has=page.locator(".m-name").get_by_text(name, exact=True))


def upload(page: Page, name: str, path, *, label: str = "选择文件") -> None:
    """Choose a file for one material: htmx uploads it at once and redraws the row; wait
    for the row to confirm, so a later submit does not post the same file again."""
    page.get_by_label(f"{label}：{name}").set_input_files(path)
    row = material_row(page, name)
    expect(row.get_by_role("status")).to_have_text("已上传")
    expect(row.get_by_role("link", name=path.name)).to_be_visible()


def open_case_from_list(page: Page, site: str, case_id: int) -> None:
    """From the start page (我的办件 / 办件工作台), open the case by its number."""
    page.locator("tr", has_text="食品经营许可").locator("a.case-link").click()
    page.wait_for_url(f"{site}/cases/{case_id}/")


def submit_and_wait(page: Page, button, url: str) -> None:
    """Click a form's submit button and wait for the redirect to ``url`` (which may be the
    URL the page is already on)."""
    with page.expect_navigation(url=url):
        button.click()


# -- the test ---------------------------------------------------------------------------

def test_online_application_with_supplement_and_acceptance(page: Page, site, catalogue, pdfs):
    matter = catalogue
    crew = Crew.make()
    clerk = crew.users["clerk"]
    page.set_default_timeout(10_000)

    # 1. The applicant registers as a person and ends up logged in, on the guide.
    page.goto(f"{site}/register/")
    form = page.locator("form:has(input[name=password2])")
    form.get_by_label("自然人").check()
    form.locator("input[name=name]").fill(APPLICANT["name"])
    form.locator("input[name=id_number]").fill(resident_id())
    form.locator("input[name=phone]").fill(APPLICANT["phone"])
    form.locator("input[name=address]").fill("运城市盐湖区解放路1号")
    form.locator("input[name=username]").fill(APPLICANT["username"])
    form.locator("input[name=password]").fill(APPLICANT["password"])
    form.locator("input[name=password2]").fill(APPLICANT["password"])
    form.get_by_role("button", name="注册并登录").click()
    page.wait_for_url(f"{site}/guide/")
    expect_flash(page, "注册成功")
    expect(page.locator("header.topbar .who")).to_be_visible()

    # 2. Searches the guide for 食品, opens 食品经营许可 and starts an online application.
    expect(page.locator("#guide-results")).to_contain_text("公共场所卫生许可")
    page.locator("#guide-q").fill("食品")
    page.locator("form.guide-search").get_by_role("button", name="搜索").click()
    results = page.locator("#guide-results")
    expect(results).not_to_contain_text("公共场所卫生许可")  # htmx swapped the results
    results.get_by_role("link", name="食品经营许可").click()
    page.wait_for_url(f"{site}/guide/{matter.code}/")
    expect(page.locator("h1")).to_have_text("食品经营许可")
    page.locator(".apply-card").get_by_role("button", name="在线申请").click()
    page.wait_for_url(re.compile(r"/cases/\d+/edit/$"))
    case_id = int(re.search(r"/cases/(\d+)/edit/$", page.url).group(1))

    # 3. Fills the form, uploads the three PDFs and submits.
    page.get_by_label("项目名称").fill("好味道饭店")
    page.get_by_label("店铺名称").fill("好味道饭店")
    page.get_by_label("经营面积（平方米）").fill("120")
    page.get_by_label("主体业态").select_option("餐饮服务经营者")
    upload(page, KEY, pdfs["营业执照.pdf"])
    upload(page, PREMISES, pdfs["场所租赁合同.pdf"])
    upload(page, HEALTH, pdfs["健康证.pdf"])
    submit_and_wait(page, page.locator(".submit-bar").get_by_role("button", name="提交申请"),
                    f"{site}/cases/{case_id}/")
    expect_flash(page, "已完成“提交申请”")
    expect(page.locator(".page-head .badge")).to_have_text("已提交待受理")

    # 4. Logs out; the clerk logs in, opens the counter queue and the case, and sends a
    #    one-time supplement notice for 营业执照.
    logout(page, site)
    login(page, site, clerk.username, CLERK_PASSWORD)
    page.locator("nav.nav").get_by_role("link", name="综合窗口").click()
    page.wait_for_url(f"{site}/counter/")
    expect(page.locator("#queue-caption")).to_have_text("待受理 1 件")
    open_case_from_list(page, site, case_id)
    decision = page.locator("#decision")
    decision.locator("summary", has_text="一次性告知补正").click()
    notice_form = decision.locator("form[action$='/act/request-supplement/']")
    expect(notice_form).to_be_visible()
    notice_form.get_by_role("checkbox", name=KEY).check()
    notice_form.get_by_label(f"{KEY}的问题").select_option(label="不符合要求")
    notice_form.get_by_label(f"{KEY}的具体要求").fill(REASON)
    notice_form.get_by_label("告知说明").fill(NOTE)
    submit_and_wait(page, notice_form.get_by_role("button", name="发出一次性告知书"),
                    f"{site}/cases/{case_id}/")
    expect_flash(page, "已完成“一次性告知补正”")
    expect(page.locator(".page-head .badge")).to_have_text("待补正")

    # 5. The applicant logs back in, sees the item and reason, replaces 营业执照, resubmits.
    logout(page, site)
    login(page, site, APPLICANT["username"], APPLICANT["password"])
    open_case_from_list(page, site, case_id)
    owed = page.locator("section.owed")
    expect(owed).to_contain_text(KEY)
    expect(owed).to_contain_text("不符合要求")
    expect(owed).to_contain_text(REASON)
    expect(owed).to_contain_text("计时暂停")
    owed.get_by_role("link", name="补正材料").click()
    page.wait_for_url(f"{site}/cases/{case_id}/edit/")
    expect(page.locator("#sup-h")).to_have_text("一次性告知：请按以下要求补正")
    expect(material_row(page, KEY).locator(".flag-note")).to_contain_text(REASON)
    upload(page, KEY, pdfs["营业执照-清晰版.pdf"], label="更换文件")
    submit_and_wait(page,
                    page.locator(".submit-bar").get_by_role("button", name="补正后重新提交"),
                    f"{site}/cases/{case_id}/")
    expect_flash(page, "已完成“补正后重新提交”")
    expect(page.locator(".page-head .badge")).to_have_text("已提交待受理")

    # 6. The clerk accepts (all materials are in: no 容缺 rows).
    logout(page, site)
    login(page, site, clerk.username, CLERK_PASSWORD)
    page.goto(f"{site}/counter/")
    open_case_from_list(page, site, case_id)
    accept_form = page.locator("#decision form[action$='/act/accept/']")
    expect(accept_form).to_be_visible()  # the 受理 panel is open when nothing is missing
    expect(page.locator("#decision")).not_to_contain_text("一次性告知补正")  # only once
    accept_form.get_by_label("受理意见").fill("材料齐全，予以受理")
    submit_and_wait(page, accept_form.get_by_role("button", name="受理并出具受理通知书"),
                    f"{site}/cases/{case_id}/")
    expect_flash(page, "已完成“受理”")

    # 7. The applicant sees the timeline (by role, never a clerk's name) and both notices.
    logout(page, site)
    login(page, site, APPLICANT["username"], APPLICANT["password"])
    open_case_from_list(page, site, case_id)
    expect(page.locator(".page-head .badge")).to_have_text("已受理")
    steps = page.locator("ol.timeline > li")
    submitted = [("已提交待受理", "申请人"), ("待补正", "综合窗口受理员"),
                 ("已提交待受理", "申请人"), ("已受理", "综合窗口受理员")]
    expect(steps.locator(".badge")).to_have_text([s for s, _ in submitted])
    expect(steps.locator(".who")).to_have_text([w for _, w in submitted])
    expect(steps.nth(1)).to_contain_text(NOTE)
    timeline = page.locator("ol.timeline")
    expect(timeline).not_to_contain_text(clerk.real_name)
    docs = page.locator("section[aria-labelledby=notices-h] li")
    expect(docs.locator(".doc-kind")).to_have_text(["一次性告知书", "受理通知书"])
    expect(docs.get_by_role("link", name="下载 PDF")).to_have_count(2)
    expect(page.locator("section.owed")).to_contain_text(REASON)  # the notice stays listed
    mats = page.locator("section[aria-labelledby=mats-h] tbody")
    expect(mats).to_contain_text("营业执照-清晰版.pdf")
    expect(mats).not_to_contain_text("营业执照.pdf")
    expect(page.locator("body")).not_to_contain_text(clerk.real_name)
    page.screenshot(path=SCREENSHOT, full_page=True)

    # What the database recorded.
    case = Case.objects.get(pk=case_id)
    applicant = Applicant.objects.get(user__username=APPLICANT["username"])
    assert case.status == CaseStatus.ACCEPTED and case.applicant == applicant
    assert case.matter_id == matter.pk and case.channel == Case.Channel.ONLINE
    assert case.form_data == {"shop_name": "好味道饭店", "floor_area": 120,
                              "business_format": "餐饮服务经营者"}
    request = SupplementRequest.objects.get(case=case)
    assert request.note == NOTE and request.resubmitted_at is not None
    assert [(i.requirement_id, i.problem, i.reason) for i in request.items.all()] == [
        (matter.key.pk, "defective", REASON)]
    assert sorted(Notice.objects.filter(case=case).values_list("kind", flat=True)) == [
        "acceptance", "supplement"]
    key_files = CaseMaterial.objects.filter(case=case, requirement=matter.key)
    assert key_files.count() == 2
    assert key_files.get(is_current=True).original_name == "营业执照-清晰版.pdf"
    assert key_files.get(is_current=False).original_name == "营业执照.pdf"
    for requirement in (matter.premises, matter.health):
        assert CaseMaterial.objects.filter(case=case, requirement=requirement).count() == 1
    assert [h.transition for h in case.history.all()][-4:] == [
        "submit", "request_supplement", "resubmit", "accept"]
