"""Pages at the combined counter: the queue by acceptance deadline (flat query count), the
clerk's decisions (一次性告知 → 补正 → 容缺受理, 不予受理, 即办), what the applicant then
sees (items, promises, timeline by role, notices as PDFs) and the walk-in flow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from approvals.models import Case, CaseMaterial, Deficiency, Notice
from approvals.services import case_create, case_transition
from approvals.services.intake import case_save_form, material_upload
from approvals.workflow import CaseStatus
from portal.accounts.models import Applicant
from tests.factories import ApplicantFactory, MatterFactory, UserFactory
from tests.factories.ids import resident_id
from tests.factories.workflow import Crew
from tests.intake.conftest import FORM_OK, pdf_upload

pytestmark = pytest.mark.django_db

FORM_POST = {f"f_{k}": v for k, v in FORM_OK.items()}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def crew():
    return Crew.make()


@pytest.fixture
def clerk(crew):
    return logged_in(crew.users["clerk"])


@pytest.fixture
def submitted(food_matter):
    """Filed online with the key materials, 健康证明 (tolerable) still missing."""
    applicant = ApplicantFactory()
    case = case_create(matter=food_matter, applicant=applicant, by=applicant.user)
    case_save_form(case=case, by=applicant.user, form_data=FORM_OK)
    for req in (food_matter.key, food_matter.premises):
        material_upload(case=case, requirement=req, upload=pdf_upload(), by=applicant.user)
    case = case_transition(case_id=case.pk, name="submit", by=applicant.user)
    case.matter = food_matter
    return case


def test_supplement_resubmit_and_tolerated_acceptance_round_trip(submitted, clerk, crew):
    case, matter = submitted, submitted.matter
    page = clerk.get(f"/cases/{case.pk}/").content.decode()
    assert "受理审查" in page and "一次性告知补正" in page and "不予受理" in page
    assert f"/counter/cases/{case.pk}/act/request-supplement/" in page
    response = clerk.post(f"/counter/cases/{case.pk}/act/request-supplement/", {
        "note": "请一次性补齐以下材料",
        f"sup-{matter.key.pk}": "1", f"sup-{matter.key.pk}-problem": "defective",
        f"sup-{matter.key.pk}-reason": "营业执照复印件模糊，请重新扫描",
        "extra-0-name": "消毒设施照片", "extra-0-problem": "missing",
        "extra-0-reason": "请补充消毒柜照片"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUPPLEMENT_REQUESTED

    me = logged_in(case.applicant.user)
    detail = me.get(f"/cases/{case.pk}/").content.decode()
    for text in ("营业执照复印件模糊，请重新扫描", "消毒设施照片", "请补充消毒柜照片",
                 "补正材料", "补正后重新提交", "计时暂停"):
        assert text in detail, text
    edit = me.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "一次性告知：请按以下要求补正" in edit and "补正要求" in edit
    me.post(f"/cases/{case.pk}/materials/{matter.key.pk}/",
            {f"file_{matter.key.pk}": pdf_upload("执照-清晰.pdf")})
    assert me.post(f"/cases/{case.pk}/submit/").status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED

    page = clerk.get(f"/cases/{case.pk}/").content.decode()
    assert "/act/request-supplement/" not in page  # only once per case
    assert "容缺受理" in page and "健康证明" in page
    promise = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = clerk.post(f"/counter/cases/{case.pk}/act/accept/", {
        f"tol-{matter.tolerable.pk}": "1", f"tol-{matter.tolerable.pk}-date": promise},
        follow=True)
    assert "已完成“受理”" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED
    assert Deficiency.objects.get(case=case).promise_date.isoformat() == promise

    detail = me.get(f"/cases/{case.pk}/").content.decode()
    assert "容缺材料" in detail and promise in detail
    assert "综合窗口受理员" in detail and crew.users["clerk"].real_name not in detail
    notices = Notice.objects.filter(case=case).order_by("pk")
    assert [n.kind for n in notices] == ["supplement", "acceptance"]
    for notice in notices:
        assert notice.get_kind_display() in detail and notice.number in detail
        download = me.get(f"/files/notices/{notice.pk}/")
        assert download.status_code == 200 and pdf_bytes(download).startswith(b"%PDF")
        assert logged_in(ApplicantFactory().user).get(
            f"/files/notices/{notice.pk}/").status_code == 404
    me.post(f"/cases/{case.pk}/materials/{matter.tolerable.pk}/",
            {f"file_{matter.tolerable.pk}": pdf_upload("健康证.pdf"),
             "next": f"/cases/{case.pk}/"})
    assert Deficiency.objects.get(case=case).fulfilled_at is not None


def test_supplement_form_errors_keep_what_the_clerk_typed(submitted, clerk):
    matter = submitted.matter
    response = clerk.post(f"/counter/cases/{submitted.pk}/act/request-supplement/", {
        "note": "请补正", f"sup-{matter.key.pk}": "1",
        f"sup-{matter.premises.pk}": "1",
        f"sup-{matter.premises.pk}-reason": "租赁合同缺少出租方签字"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请写明具体要求" in html and 'value="租赁合同缺少出租方签字"' in html
    assert Case.objects.get(pk=submitted.pk).status == CaseStatus.SUBMITTED


def test_supplement_without_items_or_note_is_refused(submitted, clerk):
    empty = clerk.post(f"/counter/cases/{submitted.pk}/act/request-supplement/",
                       {"note": "请补正"})
    assert "请至少勾选或填写一项" in empty.content.decode()
    matter = submitted.matter
    no_note = clerk.post(f"/counter/cases/{submitted.pk}/act/request-supplement/", {
        f"sup-{matter.key.pk}": "1", f"sup-{matter.key.pk}-reason": "模糊"})
    assert "须书面说明理由" in no_note.content.decode()
    assert Case.objects.get(pk=submitted.pk).status == CaseStatus.SUBMITTED


def test_accept_without_the_tolerated_promise_is_refused_with_the_reason(submitted, clerk):
    response = clerk.post(f"/counter/cases/{submitted.pk}/act/accept/", {})
    assert response.status_code == 400
    assert "材料不齐全，不能受理" in response.content.decode()
    assert Case.objects.get(pk=submitted.pk).status == CaseStatus.SUBMITTED


def test_reject_needs_reason_legal_basis_and_confirmation(submitted, clerk):
    missing = clerk.post(f"/counter/cases/{submitted.pk}/act/reject/", {"note": "不属于本机关"})
    html = missing.content.decode()
    assert "请写明法律依据" in html and "请勾选确认" in html
    assert "不属于本机关" in html
    response = clerk.post(f"/counter/cases/{submitted.pk}/act/reject/", {
        "note": "申请事项不属于本机关职权范围", "legal_basis": "《行政许可法》第三十二条",
        "confirm": "1"})
    assert response.status_code == 302
    assert Case.objects.get(pk=submitted.pk).status == CaseStatus.REJECTED
    notice = Notice.objects.get(case=submitted, kind="rejection")
    page = logged_in(submitted.applicant.user).get(f"/cases/{submitted.pk}/").content.decode()
    assert "不予受理决定书" in page and f"/files/notices/{notice.pk}/" in page


def test_decisions_are_clerks_only(submitted):
    reviewer = logged_in(UserFactory(roles=["reviewer"]))
    assert reviewer.post(f"/counter/cases/{submitted.pk}/act/accept/").status_code == 403
    applicant = logged_in(submitted.applicant.user)
    assert applicant.post(f"/counter/cases/{submitted.pk}/act/accept/").status_code == 403
    page = applicant.get(f"/cases/{submitted.pk}/").content.decode()
    assert "受理审查" not in page and "撤回申请" in page


def test_applicant_withdraws_from_the_case_page(submitted):
    me = logged_in(submitted.applicant.user)
    me.post(f"/cases/{submitted.pk}/act/withdraw/", {"note": "不办了", "confirm": "1"})
    assert Case.objects.get(pk=submitted.pk).status == CaseStatus.WITHDRAWN


def test_case_page_shows_deadline_and_remaining_working_days(submitted):
    html = logged_in(submitted.applicant.user).get(f"/cases/{submitted.pk}/").content.decode()
    stage = submitted.stages.get(name="acceptance")
    assert "当前环节：受理" in html and stage.due_date.isoformat() in html
    assert "剩余" in html or "今日到期" in html
    assert "申请人" in html  # the timeline names the role, not the person


def test_instant_approval_is_offered_only_for_single_approver_matters(crew, clerk, submitted):
    ordinary = clerk.get(f"/cases/{submitted.pk}/").content.decode()
    assert "即办：受理并准予许可" not in ordinary
    refused = clerk.post(f"/counter/cases/{submitted.pk}/act/instant/", {"note": "即办"})
    assert refused.status_code == 403 and "不是即办件" in refused.content.decode()
    assert Case.objects.get(pk=submitted.pk).status == CaseStatus.SUBMITTED

    matter = MatterFactory(instant=True, name="公共场所卫生许可")
    applicant = ApplicantFactory()
    case = case_create(matter=matter, applicant=applicant, by=applicant.user)
    case_transition(case_id=case.pk, name="submit", by=applicant.user)
    page = clerk.get(f"/cases/{case.pk}/").content.decode()
    assert "即办：受理并准予许可" in page and f"/counter/cases/{case.pk}/act/instant/" in page
    response = clerk.post(f"/counter/cases/{case.pk}/act/instant/", {"note": "材料齐全，当场办结"})
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.status == CaseStatus.APPROVED
    assert [h.transition for h in case.history.all()][-4:] == [
        "accept", "start_review", "send_to_decision", "approve"]


def _submit(matter, applicant):
    case = case_create(matter=matter, applicant=applicant, by=applicant.user)
    return case_transition(case_id=case.pk, name="submit", by=applicant.user)


def test_counter_queue_orders_by_acceptance_deadline(clerk):
    applicant = ApplicantFactory()
    slow = _submit(MatterFactory(name="慢事项", stage_limits={"acceptance": 5}), applicant)
    fast = _submit(MatterFactory(name="快事项", stage_limits={"acceptance": 1}), applicant)
    middle = _submit(MatterFactory(name="中事项", stage_limits={"acceptance": 3}), applicant)
    _draft = case_create(matter=MatterFactory(name="草稿事项"), applicant=applicant,
                         by=applicant.user)
    html = clerk.get("/counter/").content.decode()
    positions = [html.index(f'href="/cases/{c.pk}/"') for c in (fast, middle, slow)]
    assert positions == sorted(positions)
    assert "草稿事项" not in html and "待受理 3 件" in html
    assert "1 个工作日" in html and "5 个工作日" in html


@pytest.mark.parametrize("rows", [2, 20])
def test_counter_queue_query_count_is_flat(rows, clerk, django_assert_max_num_queries):
    matter = MatterFactory()
    for _ in range(rows):
        _submit(matter, ApplicantFactory())
    with django_assert_max_num_queries(8):
        assert clerk.get("/counter/").status_code == 200


def test_counter_pages_are_clerks_only():
    applicant = logged_in(ApplicantFactory().user)
    for url in ("/counter/", "/counter/walk-in/"):
        assert applicant.get(url).status_code == 403


def test_walk_in_registers_the_applicant_files_uploads_and_submits(crew, clerk, food_matter):
    id_number = resident_id()
    found = clerk.post("/counter/walk-in/", {"action": "find", "id_number": id_number})
    html = found.content.decode()
    assert "未找到该证件号码的申请人" in html and f'value="{id_number}"' in html
    bad = clerk.post("/counter/walk-in/", {"action": "register", "kind": "person",
                                           "id_number": id_number[:-1] + "0"
                                           if id_number[-1] != "0" else id_number[:-1] + "1",
                                           "name": "李四", "phone": "12"})
    bad_html = bad.content.decode()
    assert "居民身份证号码无效" in bad_html and "电话号码格式不正确" in bad_html
    response = clerk.post("/counter/walk-in/", {"action": "register", "kind": "person",
                                                "id_number": id_number, "name": "李四",
                                                "phone": "13700001111"})
    applicant = Applicant.objects.get(id_number=id_number)
    assert response["Location"] == f"/counter/walk-in/?applicant={applicant.pk}"
    page = clerk.get(response["Location"]).content.decode()
    assert "李四" in page and id_number not in page and food_matter.code in page
    token = page.split('name="token" value="')[1].split('"')[0]
    created = clerk.post("/counter/walk-in/apply/", {"applicant": applicant.pk, "token": token,
                                                      "matter": f"matter:{food_matter.code}"})
    repeat = clerk.post("/counter/walk-in/apply/", {"applicant": applicant.pk, "token": token,
                                                     "matter": f"matter:{food_matter.code}"})
    assert created["Location"] == repeat["Location"]
    case = Case.objects.get(applicant=applicant)
    assert case.channel == "counter" and case.created_by == crew.users["clerk"]
    edit = created["Location"]
    assert "李四" in clerk.get(edit).content.decode()
    files = {f"file_{r.pk}": pdf_upload() for r in
             (food_matter.key, food_matter.premises, food_matter.tolerable)}
    assert clerk.post(edit, {**FORM_POST, "action": "submit", **files}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    assert CaseMaterial.objects.filter(case=case, uploaded_by=crew.users["clerk"]).count() == 3
    clerk.post(f"/counter/cases/{case.pk}/act/accept/", {"note": "材料齐全"})
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_walk_in_finds_an_existing_applicant_by_exact_id_number(clerk):
    applicant = ApplicantFactory()
    response = clerk.post("/counter/walk-in/", {"action": "find",
                                                "id_number": applicant.id_number.lower()})
    assert response["Location"] == f"/counter/walk-in/?applicant={applicant.pk}"
    partial = clerk.post("/counter/walk-in/", {"action": "find",
                                               "id_number": applicant.id_number[:10]})
    assert "未找到" in partial.content.decode()


def test_decision_page_renders_the_same_forms(submitted, clerk):
    html = clerk.get(f"/counter/cases/{submitted.pk}/act/").content.decode()
    assert "受理审查" in html and "容缺受理" in html and "健康证明" in html


def test_walk_in_can_start_a_bundle_at_the_counter(crew, clerk, food_matter):
    from approvals.models import Bundle, BundleItem

    hygiene = MatterFactory(name="公共场所卫生许可")
    bundle = Bundle.objects.create(code="B-REST", name="我要开饭店")
    BundleItem.objects.create(bundle=bundle, matter=food_matter, order=1)
    BundleItem.objects.create(bundle=bundle, matter=hygiene, order=2)
    applicant = ApplicantFactory(user=None)
    page = clerk.get(f"/counter/walk-in/?applicant={applicant.pk}").content.decode()
    assert "bundle:B-REST" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    response = clerk.post("/counter/walk-in/apply/", {"applicant": applicant.pk, "token": token,
                                                      "matter": "bundle:B-REST"})
    assert response["Location"].startswith("/bundle-applications/")
    assert {c.channel for c in Case.objects.filter(applicant=applicant)} == {"counter"}
    assert clerk.get(response["Location"]).status_code == 200
