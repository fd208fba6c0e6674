"""Catalogue editing in the Django admin; the single-approver switch is recorded."""

from __future__ import annotations

import pytest
from django.test import Client

from approvals.models import Matter
from portal.core.models import AuditEntry
from tests.factories import CaseFactory, MatterFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_switching_single_approver_in_admin_is_recorded(admin_client):
    matter = MatterFactory()
    page = admin_client.get(f"/admin/approvals/matter/{matter.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"section": matter.section_id, "single_approver": "on",
                 "stage_limits": "{}", "form_schema": "[]",
                 "materials-TOTAL_FORMS": 0, "materials-INITIAL_FORMS": 0,
                 "setting_changes-TOTAL_FORMS": 0, "setting_changes-INITIAL_FORMS": 0})
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    response = admin_client.post(f"/admin/approvals/matter/{matter.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.single_approver
    assert matter.setting_changes.get().new_value == "True"
    assert AuditEntry.objects.filter(action="matter.single_approver").count() == 1


def test_admin_lists_render_and_cases_are_read_only(admin_client):
    case = CaseFactory()
    for url in ("/admin/approvals/matter/", "/admin/approvals/case/",
                "/admin/accounts/applicant/", "/admin/accounts/user/"):
        assert admin_client.get(url).status_code == 200, url
    html = admin_client.get("/admin/approvals/case/").content.decode()
    assert case.applicant.id_number not in html
    assert admin_client.get("/admin/approvals/case/add/").status_code == 403
