"""Issuing a licence through the workflow, its lifecycle (变更, 延续, 注销, 撤销, 出件) and
the public verification page reflecting each status at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from approvals.models import Certificate
from approvals.services import case_transition
from approvals.services.certificates import (
    certificate_cancel,
    certificate_change,
    certificate_deliver,
    certificate_renew,
    certificate_revoke,
)
from approvals.workflow import CaseStatus
from portal.core.errors import ApplicationError, PermissionRefused
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory
from tests.factories.workflow import Crew, drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew():
    return Crew.make()


@pytest.fixture
def issued(crew):
    case = drive(CaseFactory(matter=MatterFactory(name="食品经营许可"), title="好味道饭店"),
                 crew, CaseStatus.APPROVED)
    case_transition(case_id=case.pk, name="issue", by=crew.users["certifier"],
                    data={"scope": "热食类食品制售", "valid_years": 5})
    return Certificate.objects.get(case=case)


def verify_status(code: str) -> tuple[int, str]:
    response = Client().get(f"/verify/{code}/")
    return response.status_code, response.content.decode()


def test_issue_transition_produces_a_signed_valid_licence(issued):
    from approvals.certificates.signing import validate_pdf

    with issued.file.open("rb") as handle:
        pdf = handle.read()
    check = validate_pdf(pdf)
    assert check.valid and check.intact and check.trusted
    assert issued.scope == "热食类食品制售" and issued.matters == ["食品经营许可"]
    assert issued.valid_until == issued.valid_from.replace(year=issued.valid_from.year + 5) \
        - timedelta(days=1)
    status, html = verify_status(issued.verify_code)
    assert status == 200 and "有效" in html and issued.number in html


def test_changed_byte_breaks_the_signature(issued):
    from approvals.certificates.signing import validate_pdf

    with issued.file.open("rb") as handle:
        pdf = bytearray(handle.read())
    pdf[len(pdf) // 3] ^= 0x01
    check = validate_pdf(bytes(pdf))
    assert not check.valid


def test_change_creates_a_new_version_and_supersedes_the_old(issued, crew):
    new = certificate_change(certificate=issued, by=crew.users["certifier"],
                             address="运城市盐湖区河东东街88号", note="经营场所门牌号变更")
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.SUPERSEDED and new.version == 2
    assert new.number == issued.number and new.previous == issued
    _, old_html = verify_status(issued.verify_code)
    assert "已变更" in old_html and f"/verify/{new.verify_code}/" in old_html
    _, new_html = verify_status(new.verify_code)
    assert "有效" in new_html and "河东东街88号" in new_html


def test_renewal_extends_validity(issued, crew):
    later = issued.valid_until + timedelta(days=365 * 5)
    new = certificate_renew(certificate=issued, by=crew.users["certifier"], valid_until=later)
    assert new.valid_until == later and new.version == 2
    with pytest.raises(ApplicationError):
        certificate_renew(certificate=new, by=crew.users["certifier"],
                          valid_until=new.valid_until)


def test_cancel_and_revoke_show_on_the_verification_page_at_once(crew, issued):
    with pytest.raises(PermissionRefused):
        certificate_revoke(certificate=issued, by=crew.users["certifier"], reason="x")
    certificate_revoke(certificate=issued, by=crew.users["approver"],
                       reason="以欺骗手段取得许可（监管部门提请撤销）")
    assert "已撤销" in verify_status(issued.verify_code)[1]
    with pytest.raises(ApplicationError):
        certificate_cancel(certificate=issued, by=crew.users["certifier"], reason="歇业")


def test_expired_licence_is_shown_expired(issued):
    Certificate.objects.filter(pk=issued.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1))
    assert "已过期" in verify_status(issued.verify_code)[1]


def test_unknown_code_is_404_and_page_shows_no_personal_data(issued):
    status, _ = verify_status("no-such-code")
    assert status == 404
    html = verify_status(issued.verify_code)[1]
    applicant = issued.case.applicant
    assert applicant.phone not in html and applicant.id_number not in html


def test_verification_is_rate_limited():
    client = Client()
    codes = [client.get("/verify/x/").status_code for _ in range(32)]
    assert codes[:30] == [404] * 30 and codes[-1] == 429


def test_delivery_is_recorded_with_its_evidence(issued, crew):
    with pytest.raises(ApplicationError):
        certificate_deliver(certificate=issued, by=crew.users["certifier"], method="post")
    cert = certificate_deliver(certificate=issued, by=crew.users["certifier"], method="post",
                               note="EMS 1234567890")
    assert cert.delivery == "post" and cert.delivered_at is not None


def test_lifecycle_through_the_api_and_download_by_holder_only(issued, crew):
    def api(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token "
                           + Token.objects.get_or_create(user=user)[0].key)
        return client

    holder = api(issued.case.applicant.user)
    listed = holder.get(f"/api/v1/certificates/?case={issued.case_id}").json()["results"]
    assert [c["number"] for c in listed] == [issued.number]
    pdf = holder.get(f"/api/v1/certificates/{issued.pk}/download/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert api(ApplicantFactory().user).get(
        f"/api/v1/certificates/{issued.pk}/download/").status_code == 404
    cancelled = api(crew.users["certifier"]).post(
        f"/api/v1/certificates/{issued.pk}/cancel/", {"reason": "申请人歇业，申请注销"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    public = APIClient().get(f"/api/v1/verify/{issued.verify_code}/").json()
    assert public["status"] == "cancelled" and "phone" not in public


def test_bundle_gets_one_integrated_licence_for_all_its_matters(crew):
    from approvals.models import Bundle, BundleItem, CaseGroup
    from approvals.services.intake import bundle_apply

    food, hygiene = MatterFactory(name="食品经营许可"), MatterFactory(name="公共场所卫生许可")
    bundle = Bundle.objects.create(code="RESTAURANT", name="我要开饭店", integrated_licence=True)
    BundleItem.objects.create(bundle=bundle, matter=food, order=1)
    BundleItem.objects.create(bundle=bundle, matter=hygiene, order=2)
    applicant = ApplicantFactory()
    group = bundle_apply(bundle=bundle, applicant=applicant, by=applicant.user, form_data={},
                         title="好味道饭店")
    first, second = group.cases.order_by("pk")
    drive(first, crew, CaseStatus.APPROVED)
    drive(second, crew, CaseStatus.DECISION_PENDING)
    with pytest.raises(ApplicationError) as refused:
        case_transition(case_id=first.pk, name="issue", by=crew.users["certifier"])
    assert refused.value.code == "bundle_not_ready" and "公共场所卫生许可" in refused.value.message
    case_transition(case_id=second.pk, name="approve", by=crew.users["approver"])
    case_transition(case_id=first.pk, name="issue", by=crew.users["certifier"])
    cert = Certificate.objects.get(group=group)
    assert cert.matters == ["食品经营许可", "公共场所卫生许可"]
    assert cert.number.startswith("ZH-RESTAURANT-")
    assert set(CaseGroup.objects.get(pk=group.pk).cases.values_list("status", flat=True)) == {
        CaseStatus.ISSUED}
    assert Certificate.objects.count() == 1
    from pypdf import PdfReader

    with cert.file.open("rb") as handle:
        text = PdfReader(handle).pages[0].extract_text()
    assert "行业综合许可证" in text.replace(" ", "").replace("\u3000", "")


def test_rotating_x_forwarded_for_does_not_escape_the_limit_without_a_proxy():
    client = Client()
    codes = [client.get("/verify/x/", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code
             for i in range(32)]
    assert codes[-1] == 429
