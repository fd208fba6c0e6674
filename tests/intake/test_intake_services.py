"""Intake through the services: forms, materials, submit checks, one-time supplement
notice, 容缺, rejection, idempotent filing, bundles, 告知承诺, 即办件 and agents."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import Case, CaseMaterial, Deficiency, Notice, SupplementRequest
from approvals.selectors import case_list, deficiencies_overdue
from approvals.services import case_create, case_transition
from approvals.services.intake import (
    agent_authorize,
    agent_revoke,
    bundle_apply,
    bundle_submit,
    case_instant_approve,
    case_save_form,
    commitment_sign,
    material_upload,
)
from approvals.workflow import CaseStatus
from portal.core.errors import ApplicationError, PermissionRefused
from portal.core.models import AuditEntry
from tests.factories import ApplicantFactory, MatterFactory, UserFactory, staff
from tests.factories.workflow import Crew
from tests.intake.conftest import FORM_OK, pdf_upload

pytestmark = pytest.mark.django_db


def pdf_text(notice: Notice) -> str:
    from pypdf import PdfReader

    with notice.file.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(handle).pages)


@pytest.fixture
def crew():
    return Crew.make()


@pytest.fixture
def draft(food_matter):
    applicant = ApplicantFactory()
    return case_create(matter=food_matter, applicant=applicant, by=applicant.user)


def upload(case, requirement, by=None):
    return material_upload(case=case, requirement=requirement, upload=pdf_upload(),
                           by=by or case.applicant.user)


def complete(case, *, skip=()):
    case_save_form(case=case, by=case.applicant.user, form_data=FORM_OK)
    for req in case.matter.materials.filter(required=True):
        if req.name not in skip:
            upload(case, req)
    return Case.objects.get(pk=case.pk)


def test_form_saves_valid_answers_and_reports_the_rest(draft):
    errors = case_save_form(case=draft, by=draft.applicant.user,
                            form_data={"shop_name": "好味道", "floor_area": "一百二十"})
    assert set(errors) == {"floor_area"} and "数字" in errors["floor_area"]
    assert Case.objects.get(pk=draft.pk).form_data == {"shop_name": "好味道"}


def test_submit_needs_a_complete_form(draft):
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=draft.pk, name="submit", by=draft.applicant.user)
    assert refused.value.code == "form_incomplete"
    assert "店铺名称" in refused.value.message
    assert set(refused.value.extra["errors"]) == {"shop_name", "floor_area", "business_format"}


def test_submit_lists_every_missing_key_material_but_not_tolerable_ones(draft):
    case_save_form(case=draft, by=draft.applicant.user, form_data=FORM_OK)
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=draft.pk, name="submit", by=draft.applicant.user)
    assert refused.value.code == "materials_missing"
    assert "营业执照" in refused.value.message and "经营场所使用证明" in refused.value.message
    assert "健康证明" not in refused.value.message
    case = complete(draft, skip=("健康证明",))
    assert case_transition(case_id=case.pk, name="submit", by=case.applicant.user).status == \
        CaseStatus.SUBMITTED


def test_new_upload_supersedes_the_old_one_and_is_hashed(draft):
    first = upload(draft, draft.matter.key)
    second = upload(draft, draft.matter.key)
    current = CaseMaterial.objects.filter(case=draft, requirement=draft.matter.key,
                                          is_current=True)
    assert list(current) == [second] and not CaseMaterial.objects.get(pk=first.pk).is_current
    assert len(second.sha256) == 64 and second.file.read()[:5] == b"%PDF-"
    assert AuditEntry.objects.filter(action="material.upload").count() == 2


def test_upload_for_another_matters_material_is_refused(draft):
    other = MatterFactory()
    from tests.factories import MaterialFactory

    with pytest.raises(ApplicationError) as refused:
        upload(draft, MaterialFactory(matter=other))
    assert refused.value.code == "wrong_requirement"


def test_stranger_cannot_upload(draft):
    with pytest.raises(ApplicationError) as refused:
        material_upload(case=draft, requirement=draft.matter.key, upload=pdf_upload(),
                        by=ApplicantFactory().user)
    assert refused.value.status == 404


def test_one_time_supplement_notice_lists_every_item_and_is_issued_once(draft, crew):
    case = complete(draft)
    case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    items = [{"requirement": draft.matter.key.pk, "problem": "defective",
              "reason": "营业执照复印件模糊，请重新扫描"},
             {"material_name": "消毒设施照片", "problem": "missing", "reason": "请补充照片"}]
    case = case_transition(case_id=case.pk, name="request_supplement",
                           by=crew.users["clerk"], note="请一次性补齐", data={"items": items})
    request = SupplementRequest.objects.get(case=case)
    assert [i.material_name for i in request.items.all()] == ["营业执照", "消毒设施照片"]
    notice = Notice.objects.get(case=case, kind="supplement")
    text = pdf_text(notice)
    assert "一次性告知书" in text and "营业执照复印件模糊" in text and "消毒设施照片" in text
    assert notice.number.startswith("示例审批补字〔")
    # the applicant replaces the defective material and resubmits
    upload(case, draft.matter.key)
    case = case_transition(case_id=case.pk, name="resubmit", by=case.applicant.user)
    assert SupplementRequest.objects.get(case=case).resubmitted_at is not None
    with pytest.raises(ApplicationError):
        case_transition(case_id=case.pk, name="request_supplement", by=crew.users["clerk"],
                        note="再补", data={"items": items})


def test_supplement_request_without_items_is_refused(draft, crew):
    case = complete(draft)
    case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=case.pk, name="request_supplement", by=crew.users["clerk"],
                        note="请补正", data={"items": []})
    assert refused.value.code == "supplement_items_required"


def test_accept_with_tolerated_material_records_the_promise(draft, crew):
    case = complete(draft, skip=("健康证明",))
    case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    clerk = crew.users["clerk"]
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=case.pk, name="accept", by=clerk)
    assert refused.value.code == "materials_missing" and "健康证明" in refused.value.message
    promise = timezone.localdate() + timedelta(days=10)
    case = case_transition(case_id=case.pk, name="accept", by=clerk, data={
        "tolerated": [{"requirement": draft.matter.tolerable.pk,
                       "promise_date": promise.isoformat()}]})
    deficiency = Deficiency.objects.get(case=case)
    assert deficiency.promise_date == promise and deficiency.fulfilled_at is None
    notice = Notice.objects.get(case=case, kind="acceptance")
    assert "受理通知书" in pdf_text(notice) and "健康证明" in pdf_text(notice)
    # the applicant brings the promised material after acceptance
    upload(case, draft.matter.tolerable)
    assert Deficiency.objects.get(case=case).fulfilled_at is not None


def test_key_material_cannot_be_tolerated(draft, crew):
    case = complete(draft, skip=("营业执照",))
    case = Case.objects.get(pk=case.pk)
    case.form_data = FORM_OK
    with pytest.raises(ApplicationError):
        case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    upload(case, draft.matter.key)
    case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=case.pk, name="accept", by=crew.users["clerk"], data={
            "tolerated": [{"requirement": draft.matter.key.pk,
                           "promise_date": (timezone.localdate() + timedelta(days=3)).isoformat()}]})
    assert refused.value.code == "not_tolerable"


def test_overdue_promise_is_listed_for_supervisors(draft, crew):
    case = complete(draft, skip=("健康证明",))
    case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    case_transition(case_id=case.pk, name="accept", by=crew.users["clerk"], data={
        "tolerated": [{"requirement": draft.matter.tolerable.pk,
                       "promise_date": (timezone.localdate() + timedelta(days=2)).isoformat()}]})
    assert not deficiencies_overdue().exists()
    Deficiency.objects.filter(case=case).update(
        promise_date=timezone.localdate() - timedelta(days=1))
    overdue = deficiencies_overdue().get()
    assert overdue.case == case and overdue.is_overdue


def test_rejection_decision_states_reason_and_remedies(draft, crew):
    case = complete(draft)
    case_transition(case_id=case.pk, name="submit", by=case.applicant.user)
    case = case_transition(case_id=case.pk, name="reject", by=crew.users["clerk"],
                           note="申请事项不属于本机关职权范围",
                           data={"legal_basis": "《中华人民共和国行政许可法》第三十二条"})
    text = pdf_text(Notice.objects.get(case=case, kind="rejection"))
    assert "不予受理决定书" in text and "不属于本机关职权范围" in text
    assert "行政复议" in text and "行政诉讼" in text


def test_filing_with_the_same_token_creates_one_case(food_matter):
    applicant = ApplicantFactory()
    token = uuid.uuid4()
    first = case_create(matter=food_matter, applicant=applicant, by=applicant.user, token=token)
    again = case_create(matter=food_matter, applicant=applicant, by=applicant.user, token=token)
    assert first.pk == again.pk
    assert Case.objects.filter(applicant=applicant).count() == 1


def test_bundle_creates_linked_cases_sharing_one_set_of_materials(food_matter):
    from approvals.models import Bundle, BundleItem
    from tests.factories import MaterialFactory

    hygiene = MatterFactory(name="公共场所卫生许可")
    shared = MaterialFactory(matter=hygiene, name="营业执照", required=True)
    bundle = Bundle.objects.create(code="B-REST", name="我要开饭店")
    BundleItem.objects.create(bundle=bundle, matter=food_matter, order=1)
    BundleItem.objects.create(bundle=bundle, matter=hygiene, order=2)
    applicant = ApplicantFactory()
    group = bundle_apply(bundle=bundle, applicant=applicant, by=applicant.user,
                         form_data=FORM_OK, title="好味道饭店")
    food_case, hygiene_case = group.cases.order_by("pk")
    assert {food_case.matter, hygiene_case.matter} == {food_matter, hygiene}
    material_upload(case=food_case, requirement=food_matter.key, upload=pdf_upload(),
                    by=applicant.user)
    copy = CaseMaterial.objects.get(case=hygiene_case, requirement=shared)
    assert copy.sha256 == CaseMaterial.objects.get(case=food_case, requirement=food_matter.key).sha256
    for req in (food_matter.premises,):
        material_upload(case=food_case, requirement=req, upload=pdf_upload(), by=applicant.user)
    submitted = bundle_submit(group=group, by=applicant.user)
    assert [c.status for c in submitted] == [CaseStatus.SUBMITTED] * 2


def test_commitment_lets_an_inspected_matter_be_decided_and_schedules_verification(crew):
    matter = MatterFactory(inspected=True, commitment_eligible=True)
    applicant = ApplicantFactory()
    case = case_create(matter=matter, applicant=applicant, by=applicant.user)
    commitment = commitment_sign(case=case, by=applicant.user, signer_name="张明")
    assert matter.name in commitment.text
    with pytest.raises(ApplicationError) as twice:
        commitment_sign(case=case, by=applicant.user, signer_name="张明")
    assert twice.value.code == "already_signed"
    for name, who in (("submit", applicant.user), ("accept", crew.users["clerk"]),
                      ("start_review", crew.users["reviewer"]),
                      ("send_to_decision", crew.users["reviewer"]),
                      ("approve", crew.users["approver"])):
        case = case_transition(case_id=case.pk, name=name, by=who)
    case.commitment.refresh_from_db()
    assert case.commitment.verification_due > timezone.localdate()


def test_commitment_refused_for_ineligible_matter():
    applicant = ApplicantFactory()
    case = case_create(matter=MatterFactory(), applicant=applicant, by=applicant.user)
    with pytest.raises(ApplicationError) as refused:
        commitment_sign(case=case, by=applicant.user, signer_name="张明")
    assert refused.value.code == "commitment_not_eligible"


def test_instant_matter_is_approved_in_one_sitting_with_every_step_recorded(crew):
    matter = MatterFactory(instant=True)
    applicant = ApplicantFactory()
    case = case_create(matter=matter, applicant=applicant, by=applicant.user)
    case_transition(case_id=case.pk, name="submit", by=applicant.user)
    case = case_instant_approve(case_id=case.pk, by=crew.users["clerk"], note="即办")
    assert case.status == CaseStatus.APPROVED
    assert [h.transition for h in case.history.all()][-4:] == [
        "accept", "start_review", "send_to_decision", "approve"]


def test_instant_approval_refused_for_ordinary_matter(crew, food_matter):
    applicant = ApplicantFactory()
    case = case_create(matter=MatterFactory(), applicant=applicant, by=applicant.user)
    case_transition(case_id=case.pk, name="submit", by=applicant.user)
    with pytest.raises(PermissionRefused):
        case_instant_approve(case_id=case.pk, by=crew.users["clerk"])
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_agent_files_for_an_authorising_applicant_until_revoked(food_matter):
    applicant = ApplicantFactory()
    agent = UserFactory(roles=["agent"])
    with pytest.raises(PermissionRefused):
        case_create(matter=food_matter, applicant=applicant, by=agent)
    authorization = agent_authorize(applicant=applicant, agent=agent, by=applicant.user)
    case = case_create(matter=food_matter, applicant=applicant, by=agent)
    assert case in case_list(user=agent)
    agent_revoke(authorization=authorization, by=applicant.user)
    with pytest.raises(PermissionRefused):
        case_create(matter=food_matter, applicant=applicant, by=agent)
    other_case = case_create(matter=food_matter, applicant=applicant, by=applicant.user)
    assert other_case not in case_list(user=agent)


def test_only_registered_agents_can_be_authorised():
    applicant = ApplicantFactory()
    with pytest.raises(ApplicationError) as refused:
        agent_authorize(applicant=applicant, agent=UserFactory(), by=applicant.user)
    assert refused.value.code == "not_agent"
    with pytest.raises(PermissionRefused):
        agent_authorize(applicant=applicant, agent=UserFactory(roles=["agent"]),
                        by=ApplicantFactory().user)


def test_clerk_files_a_walk_in_application_and_submits_it(food_matter, crew):
    from portal.accounts.services import applicant_find_or_create_walk_in
    from tests.factories.ids import resident_id

    clerk = crew.users["clerk"]
    applicant = applicant_find_or_create_walk_in(
        by=clerk, kind="person", name="李四", id_number=resident_id(), phone="13700001111")
    case = case_create(matter=food_matter, applicant=applicant, by=clerk, channel="counter")
    case = complete_by(case, clerk)
    case = case_transition(case_id=case.pk, name="submit", by=clerk)
    other_clerk = staff("clerk")
    case = case_transition(case_id=case.pk, name="accept", by=clerk)
    assert case.status == CaseStatus.ACCEPTED and other_clerk


def complete_by(case, user):
    case_save_form(case=case, by=user, form_data=FORM_OK)
    for req in case.matter.materials.filter(required=True):
        material_upload(case=case, requirement=req, upload=pdf_upload(), by=user)
    return Case.objects.get(pk=case.pk)


def test_submit_reports_form_and_materials_problems_together(draft):
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=draft.pk, name="submit", by=draft.applicant.user)
    assert "店铺名称" in refused.value.message and "营业执照" in refused.value.message
    assert refused.value.extra["missing"] and refused.value.extra["errors"]


def test_reusing_a_token_for_another_application_is_refused(food_matter):
    from portal.core.errors import ConflictError

    applicant = ApplicantFactory()
    token = uuid.uuid4()
    case_create(matter=food_matter, applicant=applicant, by=applicant.user, token=token)
    with pytest.raises(ConflictError) as refused:
        case_create(matter=MatterFactory(), applicant=applicant, by=applicant.user, token=token)
    assert refused.value.code == "idempotency_key_reused"


def test_bundle_submit_names_the_matter_that_is_not_ready(food_matter):
    from approvals.models import Bundle, BundleItem

    bundle = Bundle.objects.create(code="B-2", name="我要开饭店")
    BundleItem.objects.create(bundle=bundle, matter=food_matter, order=1)
    applicant = ApplicantFactory()
    group = bundle_apply(bundle=bundle, applicant=applicant, by=applicant.user, form_data={})
    with pytest.raises(ApplicationError) as refused:
        bundle_submit(group=group, by=applicant.user)
    assert refused.value.message.startswith("【食品经营许可】")
    assert Case.objects.filter(group=group, status=CaseStatus.DRAFT).count() == 1
