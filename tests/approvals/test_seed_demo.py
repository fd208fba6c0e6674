"""``manage.py seed_demo``: the demo bureau, accounts, catalogue, bundle and cases."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from approvals.demo import catalogue as data
from approvals.demo.checks import case_problems
from approvals.demo.identity import org_code, uscc
from approvals.models import Bundle, Case, MaterialRequirement, Matter, MatterSettingChange
from approvals.workflow import CaseStatus
from portal.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from portal.accounts.models import Applicant, Bureau, District, Section, User, Window
from portal.accounts.roles import STAFF_ROLES
from portal.accounts.validators import is_valid_resident_id, is_valid_uscc

pytestmark = pytest.mark.django_db
S = CaseStatus
SEED_MATTERS = ("食品经营许可", "小餐饮登记", "药品零售", "第三类医疗器械经营许可", "公共场所卫生许可",
                "医疗机构执业许可", "放射诊疗许可", "民办职业培训学校设立", "出版物批发", "农药经营许可",
                "集体用餐配送", "危险化学品经营许可")
FORM_TYPES = {"text", "textarea", "number", "date", "select"}


def run_seed() -> str:
    out = io.StringIO()
    with override_settings(ONESEAL_DEMO=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    return run_seed()


def snapshot() -> dict:
    models = (District, Bureau, Section, Window, Matter, MaterialRequirement, Bundle, User,
              Applicant, Case, MatterSettingChange)
    counts = {m.__name__: m.objects.count() for m in models}
    counts["matter_updates"] = sorted(Matter.objects.values_list("code", "updated_at"))
    counts["passwords"] = sorted(User.objects.values_list("username", "password"))
    return counts


def test_seed_demo_refuses_outside_demo_settings():
    with pytest.raises(CommandError, match="演示环境"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Matter.objects.exists()


def test_catalogue_has_the_seed_matters_each_with_materials_and_form(seeded):
    matters = list(Matter.objects.prefetch_related("materials"))
    assert len(matters) >= 12
    names = " ".join(m.name for m in matters)
    assert all(name in names for name in SEED_MATTERS)
    for matter in matters:
        assert 4 <= matter.materials.count() <= 10, matter.code
        assert matter.promised_days < matter.statutory_days, matter.code
        assert set(matter.stage_limits) == {"acceptance", "review", "inspection", "decision",
                                            "issue"}
        assert {f["type"] for f in matter.form_schema} <= FORM_TYPES
        assert all("choices" in f for f in matter.form_schema if f["type"] == "select")
        assert matter.legal_basis.startswith("《")
        assert not matter.needs_inspection or matter.inspection_modes, matter.code


def test_tolerable_materials_are_required_but_never_all_of_them(seeded):
    for matter in Matter.objects.all():
        materials = list(matter.materials.all())
        assert not any(m.tolerable and not m.required for m in materials)
        assert any(m.required and not m.tolerable for m in materials), matter.code


def test_public_places_hygiene_is_an_instant_single_approver_matter_and_recorded(seeded):
    matter = Matter.objects.get(name="公共场所卫生许可")
    assert matter.single_approver and not matter.needs_inspection
    assert matter.promised_days == 0
    change = MatterSettingChange.objects.get(matter=matter, field="single_approver")
    assert change.new_value == "True" and change.changed_by.username == "supervisor"


def test_expert_review_matters_include_radiation_and_training_schools(seeded):
    experts = set(Matter.objects.filter(needs_expert_review=True).values_list("name", flat=True))
    assert {"放射诊疗许可", "民办职业培训学校设立"} <= experts


def test_restaurant_bundle_holds_food_and_hygiene_licences_with_one_integrated_licence(seeded):
    bundle = Bundle.objects.get(code="BUNDLE-RESTAURANT")
    assert bundle.name == "我要开饭店" and bundle.integrated_licence
    names = list(bundle.items.values_list("matter__name", flat=True))
    assert names[:2] == ["食品经营许可", "公共场所卫生许可"]
    for spec in data.BUNDLES:
        assert Bundle.objects.get(code=spec["code"]).items.count() == len(spec["matters"])


def test_districts_are_yuncheng_with_its_county_level_divisions(seeded):
    city = District.objects.get(code="140800")
    assert city.name == "运城市"
    children = dict(city.children.values_list("code", "name"))
    assert len(children) == 13
    assert children["140802"] == "盐湖区" and children["140882"] == "河津市"


def test_one_user_per_demo_account_with_its_role_group_and_password(seeded):
    for demo in DEMO_USERS:
        user = User.objects.get(username=demo.username)
        assert list(user.groups.values_list("name", flat=True)) == [demo.role]
        assert user.check_password(DEMO_PASSWORD)
        assert user.phone and user.real_name == demo.real_name
        if demo.section:
            assert user.section.code == demo.section
        assert (user.bureau is not None) == (demo.role in STAFF_ROLES)
    assert User.objects.get(username="clerk").window.number == "1"


def test_demo_applicants_carry_valid_identity_numbers(seeded):
    person = Applicant.objects.get(user__username="applicant")
    company = Applicant.objects.get(user__username="company")
    assert person.kind == "person" and is_valid_resident_id(person.id_number)
    assert company.kind == "organisation" and is_valid_uscc(company.id_number)
    assert all(is_valid_uscc(a.id_number) for a in Applicant.objects.filter(kind="organisation"))
    assert is_valid_uscc(Bureau.objects.get().uscc)


def test_demo_cases_cover_the_workflow_and_are_consistent(seeded):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {S.DRAFT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.UNDER_REVIEW, S.NEEDS_INSPECTION,
            S.INSPECTING, S.DECISION_PENDING, S.APPROVED, S.ISSUED, S.ARCHIVED} <= statuses
    assert case_problems(Case.objects.values_list("pk", flat=True)) == []
    for case in Case.objects.exclude(status=S.DRAFT):
        assert case.history.order_by("at", "id").last().to_status == case.status


def test_single_approver_case_was_handled_by_one_clerk_and_issued_by_another(seeded):
    case = Case.objects.get(matter__name="公共场所卫生许可")
    duties = dict(case.participants.exclude(stage="apply")
                  .values_list("stage", "user__username"))
    assert duties == {"accept": "clerk2", "review": "clerk2", "decide": "clerk2",
                      "issue": "certifier"}


def test_second_run_changes_nothing(seeded):
    before = snapshot()
    output = run_seed()
    assert snapshot() == before
    assert "新建 0 条，更新 0 条" in output and "新建演示办件 0 件" in output


def test_summary_lists_every_demo_account(seeded):
    assert all(demo.username in seeded for demo in DEMO_USERS)
    assert DEMO_PASSWORD in seeded


def test_identity_helpers_match_the_published_uscc_example():
    # GB 32100-2015 example: 91350100M000100Y43 (organisation code M000100Y4).
    assert org_code("M000100Y") == "M000100Y4"
    assert uscc("91", "350100", "M000100Y") == "91350100M000100Y43"


def test_application_forms_have_a_sample_pdf_in_the_guide(seeded):
    from approvals.models import MaterialRequirement

    with_sample = MaterialRequirement.objects.exclude(sample="")
    assert with_sample.count() >= 12
    assert with_sample.first().sample.read()[:5] == b"%PDF-"
