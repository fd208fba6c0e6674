"""Licence pages on the case page: the certifier issues (出证) from the form and a signed
PDF is stored; change, renew, cancel, deliver and revoke through the pages, with the
services' refusals shown as messages; downloads are audited and object-level checked;
the applicant sees their licences and the download link only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from approvals.models import Certificate
from approvals.workflow import CaseStatus
from portal.core.models import AuditEntry
from tests.factories import ApplicantFactory
from tests.review.conftest import logged_in, messages_of

pytestmark = pytest.mark.django_db


def act(user, cert: Certificate, action: str, data: dict):
    prefixed = {f"c{cert.pk}-{action}-{key}": value for key, value in data.items()}
    return logged_in(user).post(f"/review/licences/{cert.pk}/{action}/", prefixed, follow=True)


def pdf_head(cert: Certificate) -> bytes:
    with cert.file.open("rb") as handle:
        return handle.read(5)


# ---- 出证 ------------------------------------------------------------------------------

def test_certifier_sees_the_issue_form_prefilled_and_no_plain_issue_button(crew, approved):
    html = logged_in(crew.users["certifier"]).get(f"/cases/{approved.pk}/").content.decode()
    assert f'action="/review/cases/{approved.pk}/issue/"' in html
    assert "好味道饭店</textarea>" in html and 'name="valid_years" value="5"' in html
    assert f"/cases/{approved.pk}/act/issue/" not in html


def test_certifier_issues_from_the_page_and_a_signed_pdf_is_stored(crew, approved):
    response = logged_in(crew.users["certifier"]).post(
        f"/review/cases/{approved.pk}/issue/",
        {"scope": "热食类食品制售", "valid_years": "3", "note": "准予出证"}, follow=True)
    cert = Certificate.objects.get(case=approved)
    assert pdf_head(cert) == b"%PDF-"
    assert cert.scope == "热食类食品制售"
    assert cert.valid_until == cert.valid_from.replace(year=cert.valid_from.year + 3) \
        - timedelta(days=1)
    approved.refresh_from_db()
    assert approved.status == CaseStatus.ISSUED
    assert any("已出证" in m for m in messages_of(response))
    html = response.content.decode()
    assert cert.number in html and f"/verify/{cert.verify_code}/" in html


def test_invalid_validity_is_refused_before_the_service(crew, approved):
    response = logged_in(crew.users["certifier"]).post(
        f"/review/cases/{approved.pk}/issue/", {"scope": "x", "valid_years": "0"}, follow=True)
    assert not Certificate.objects.filter(case=approved).exists()
    assert any("有效期（年）" in m for m in messages_of(response))


def test_approver_cannot_issue_and_sees_the_refusal(crew, approved):
    response = logged_in(crew.users["approver"]).post(
        f"/review/cases/{approved.pk}/issue/", {"scope": "x", "valid_years": "5"}, follow=True)
    assert not Certificate.objects.filter(case=approved).exists()
    assert any("出证" in m and "权限" in m for m in messages_of(response))


def test_another_applicant_gets_404_on_issue(approved):
    stranger = ApplicantFactory().user
    response = logged_in(stranger).post(f"/review/cases/{approved.pk}/issue/",
                                        {"scope": "x", "valid_years": "5"})
    assert response.status_code == 404


# ---- lifecycle -------------------------------------------------------------------------

def test_certifier_changes_the_licence_and_both_versions_are_listed_newest_first(crew, licence):
    response = act(crew.users["certifier"], licence, "change",
                   {"scope": licence.scope, "address": "运城市盐湖区河东东街88号",
                    "holder_name": licence.holder_name, "note": "门牌号变更"})
    licence.refresh_from_db()
    new = licence.next_version
    assert licence.status == Certificate.Status.SUPERSEDED
    assert new.version == 2 and new.address == "运城市盐湖区河东东街88号"
    assert new.scope == licence.scope and pdf_head(new) == b"%PDF-"
    html = response.content.decode()
    assert html.index("第 2 版") < html.index("第 1 版")
    assert 'data-status="superseded"' in html and 'data-status="valid"' in html
    assert any("变更" in m for m in messages_of(response))


def test_change_without_any_changed_field_shows_the_services_refusal(crew, licence):
    response = act(crew.users["certifier"], licence, "change",
                   {"scope": licence.scope, "note": "无变化"})
    assert any("没有需要变更的内容" in m for m in messages_of(response))
    assert Certificate.objects.filter(case=licence.case).count() == 1


def test_certifier_renews_the_licence(crew, licence):
    until = licence.valid_until + timedelta(days=365)
    response = act(crew.users["certifier"], licence, "renew",
                   {"valid_until": until.isoformat(), "note": "到期延续"})
    new = Certificate.objects.get(case=licence.case, version=2)
    assert new.valid_until == until
    assert any("延续" in m for m in messages_of(response))


def test_renewal_to_an_earlier_date_is_refused_with_a_message(crew, licence):
    response = act(crew.users["certifier"], licence, "renew",
                   {"valid_until": licence.valid_from.isoformat()})
    assert any("须晚于原有效期" in m for m in messages_of(response))
    assert Certificate.objects.filter(case=licence.case).count() == 1


def test_certifier_cancels_with_reason_and_confirmation(crew, licence):
    refused = act(crew.users["certifier"], licence, "cancel", {"reason": "停业"})
    licence.refresh_from_db()
    assert licence.status == Certificate.Status.VALID
    assert any("确认" in m for m in messages_of(refused))
    act(crew.users["certifier"], licence, "cancel", {"reason": "停业", "confirm": "1"})
    licence.refresh_from_db()
    assert licence.status == Certificate.Status.CANCELLED and licence.status_reason == "停业"


def test_certifier_records_delivery_and_pickup_needs_the_collector(crew, licence):
    refused = act(crew.users["certifier"], licence, "deliver", {"method": "pickup"})
    assert any("领取人" in m for m in messages_of(refused))
    act(crew.users["certifier"], licence, "deliver", {"method": "post", "note": "SF1234567890"})
    licence.refresh_from_db()
    assert licence.delivery == "post" and licence.delivery_note == "SF1234567890"


def test_certifier_cannot_revoke_and_sees_the_refusal(crew, licence):
    response = act(crew.users["certifier"], licence, "revoke",
                   {"reason": "以欺骗手段取得", "confirm": "1"})
    licence.refresh_from_db()
    assert licence.status == Certificate.Status.VALID
    assert any("没有办理该证照事项的权限" in m for m in messages_of(response))


def test_approver_revokes_and_the_verify_page_says_so(crew, licence, client):
    page = logged_in(crew.users["approver"]).get(f"/cases/{licence.case_id}/").content.decode()
    assert f"/review/licences/{licence.pk}/revoke/" in page
    assert f"/review/licences/{licence.pk}/change/" not in page
    act(crew.users["approver"], licence, "revoke", {"reason": "以欺骗手段取得", "confirm": "1"})
    licence.refresh_from_db()
    assert licence.status == Certificate.Status.REVOKED
    assert "已撤销" in client.get(f"/verify/{licence.verify_code}/").content.decode()


def test_ended_licence_offers_no_more_forms(crew, licence):
    act(crew.users["certifier"], licence, "cancel", {"reason": "停业", "confirm": "1"})
    html = logged_in(crew.users["certifier"]).get(f"/cases/{licence.case_id}/").content.decode()
    assert "/review/licences/" not in html.replace(f"/review/licences/{licence.pk}/download", "")
    assert 'data-status="cancelled"' in html


def test_unknown_action_is_404(crew, licence):
    response = logged_in(crew.users["certifier"]).post(f"/review/licences/{licence.pk}/burn/")
    assert response.status_code == 404


# ---- applicant side and downloads -------------------------------------------------------

def test_applicant_sees_licence_and_download_link_but_no_lifecycle_forms(licence):
    owner = licence.case.applicant.user
    html = logged_in(owner).get(f"/cases/{licence.case_id}/").content.decode()
    assert licence.number in html and f"/licences/{licence.pk}/download/" in html
    assert "/review/licences/" not in html


def test_applicant_downloads_the_pdf_and_the_view_is_audited(licence):
    owner = licence.case.applicant.user
    response = logged_in(owner).get(f"/licences/{licence.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="certificate.view", actor=owner).exists()


def test_another_applicant_gets_404_on_the_download(licence):
    stranger = ApplicantFactory().user
    assert logged_in(stranger).get(f"/licences/{licence.pk}/download/").status_code == 404
    assert logged_in(stranger).post(f"/review/licences/{licence.pk}/cancel/").status_code == 404
    assert not AuditEntry.objects.filter(action="certificate.view").exists()
