"""Pages and API: who sees what (strangers 403/404, an expert only their own), the pool
list with masked phones and an audited reveal, bounded query counts, the draw form and
record, the expert's own page (accept, decline with a reason, unavailable dates), import
and export by page, and an OpenAPI schema without warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from experts.models import Expert, ExpertDraw, ExpertUnavailability, InvitationStatus
from experts.services.invitations import invitation_accept
from portal.core.models import AuditEntry
from tests.experts.conftest import logged_in, make_expert, meeting_time, new_draw
from tests.experts.test_spreadsheet import csv_bytes, row
from tests.factories import staff


def test_pool_list_masks_phones_and_stays_flat(field, dispatcher, django_assert_max_num_queries):
    for _ in range(3):
        make_expert(field, login=True)
    client = logged_in(dispatcher)
    client.get(reverse("experts-pool"))  # warm caches
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("experts-pool")).status_code == 200
    for _ in range(20):
        make_expert(field, login=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("experts-pool"))
    html = response.content.decode()
    expert = Expert.objects.last()
    assert expert.masked_phone in html and expert.phone not in html


def test_pool_filters(field, dispatcher):
    make_expert(field, name="放射专家")
    make_expert(name="别的专家")
    make_expert(field, name="停用专家", active=False)
    client = logged_in(dispatcher)
    html = client.get(reverse("experts-pool"), {"field": field.pk, "active": "1"}).content
    html = html.decode()
    assert "放射专家" in html and "别的专家" not in html and "停用专家" not in html


@pytest.mark.parametrize("role", ["reviewer", "inspector", "clerk"])
def test_other_staff_cannot_open_the_pool(db, role):
    client = logged_in(staff(role))
    assert client.get(reverse("experts-pool")).status_code == 403
    assert client.get(reverse("experts-import")).status_code == 403
    assert client.get(reverse("experts-export")).status_code == 403
    assert client.get(reverse("api-experts")).status_code == 403


def test_an_expert_sees_only_their_own_page(field):
    mine = make_expert(field, login=True)
    other = make_expert(field, login=True)
    client = logged_in(mine.user)
    assert client.get(reverse("experts-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("experts-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("api-expert", args=[other.pk])).status_code == 404
    assert client.get(reverse("api-expert", args=[mine.pk])).json()["name"] == mine.name
    assert client.get(reverse("experts-pool")).status_code == 403
    assert client.get(reverse("experts-draws")).status_code == 403


def test_contact_reveal_is_audited(field, dispatcher):
    expert = make_expert(field, email="x@example.cn")
    client = logged_in(dispatcher)
    page = client.get(reverse("experts-detail", args=[expert.pk])).content.decode()
    assert expert.phone not in page
    page = client.post(reverse("experts-contact", args=[expert.pk])).content.decode()
    assert expert.phone in page and "x@example.cn" in page
    entry = AuditEntry.objects.get(action="pii.view", object_id=str(expert.pk))
    assert entry.actor == dispatcher and entry.object_type == "experts.expert"
    api = client.post(reverse("api-expert-contact", args=[expert.pk]), {"purpose": "电话确认"})
    assert api.json() == {"phone": expert.phone, "email": "x@example.cn"}
    assert AuditEntry.objects.filter(action="pii.view").count() == 2
    stranger = logged_in(staff("reviewer"))
    assert stranger.post(reverse("api-expert-contact", args=[expert.pk])).status_code == 404


def test_expert_form_creates_and_reports_errors_per_field(field, dispatcher):
    client = logged_in(dispatcher)
    bad = client.post(reverse("experts-new"), {"name": "新专家", "expertise": [field.pk],
                                               "employer": "运城学院", "phone": "12345"})
    assert bad.status_code == 400 and "电话号码格式不正确" in bad.content.decode()
    assert "新专家" in bad.content.decode()  # what was typed is kept
    ok = client.post(reverse("experts-new"), {"name": "新专家", "expertise": [field.pk],
                                              "employer": "运城学院", "phone": "13988887777",
                                              "active": "on"})
    expert = Expert.objects.get(phone="13988887777")
    assert ok.status_code == 302 and list(expert.fields.all()) == [field]


def test_api_pool_crud(field, dispatcher):
    client = logged_in(dispatcher)
    created = client.post(reverse("api-experts"), {
        "name": "接口专家", "fields": ["放射卫生"], "employer": "某大学", "phone": "13900001111"},
        content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["phone"] == "139****1111" and body["fields"] == ["放射卫生"]
    assert body["records"]["invited"] == 0
    unknown = client.post(reverse("api-experts"), {
        "name": "x", "fields": ["天文"], "employer": "y", "phone": "13900002222"},
        content_type="application/json")
    assert unknown.status_code == 400 and "天文" in unknown.json()["detail"]
    url = reverse("api-expert", args=[body["id"]])
    patched = client.patch(url, {"title": "教授", "active": False},
                           content_type="application/json")
    assert patched.status_code == 200 and patched.json()["title"] == "教授"
    assert patched.json()["active"] is False
    listed = client.get(reverse("api-experts"), {"active": "false"}).json()
    assert [e["id"] for e in listed["results"]] == [body["id"]]
    assert client.delete(url).status_code == 204


def test_expert_with_records_cannot_be_deleted(draw, dispatcher):
    expert = draw.invitations.first().expert
    response = logged_in(dispatcher).delete(reverse("api-expert", args=[expert.pk]))
    assert response.status_code == 409 and "停用" in response.json()["detail"]


def test_draw_page_flow(case, field, dispatcher, pool, crew):
    client = logged_in(dispatcher)
    url = reverse("experts-draw-new") + f"?case={case.pk}"
    form = client.get(url)
    assert form.status_code == 200 and "当前符合条件：5 人" in form.content.decode()
    when = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, {"field": field.pk, "count": 9, "meeting_at": when,
                                "mode": "onsite", "case": case.pk})
    assert refused.status_code == 409 and "符合条件的专家不足" in refused.content.decode()
    done = client.post(url, {"field": field.pk, "count": 2, "meeting_at": when,
                             "mode": "online", "place": "腾讯会议 123", "case": case.pk,
                             "exclude": str(pool[0].pk), "exclude_reason": "近期出差"})
    draw = ExpertDraw.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("experts-draw",
                                                                   args=[draw.pk])
    assert draw.exclusions == {str(pool[0].pk): "近期出差"}
    page = client.get(done["Location"]).content.decode()
    assert 'data-verified="1"' in page and draw.rounds.get().seed in page
    assert "近期出差" in page
    reviewer = logged_in(crew.users["reviewer"])
    assert reviewer.get(done["Location"]).status_code == 200  # staff may read the record
    assert reviewer.get(url).status_code == 403  # but only dispatchers draw
    assert logged_in(case.applicant.user).get(done["Location"]).status_code == 404


def test_draw_list_query_count_is_bounded(case, field, dispatcher, pool,
                                          django_assert_max_num_queries):
    from experts.services.draws import draw_cancel

    client = logged_in(dispatcher)
    first = new_draw(case, field, dispatcher, count=1)
    client.get(reverse("experts-draws"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("experts-draws"))
    draw_cancel(draw=first, by=dispatcher, reason="改期")
    for _ in range(4):
        draw_cancel(draw=new_draw(case, field, dispatcher, count=1), by=dispatcher, reason="改期")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("experts-draws")).status_code == 200


def test_api_draw_create_get_verify(case, field, dispatcher, pool, crew):
    client = logged_in(dispatcher)
    response = client.post(reverse("api-expert-draws"), {
        "case": case.pk, "field": field.pk, "count": 2, "mode": "onsite",
        "meeting_at": meeting_time().isoformat(), "exclusions": {str(pool[1].pk): "回避"}},
        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["verified"] is True and len(body["rounds"]) == 1
    assert pool[1].pk not in body["rounds"][0]["eligible"]
    assert len(body["invitations"]) == 2
    verify = client.get(reverse("api-expert-draw-verify", args=[body["id"]])).json()
    assert verify["verified"] is True
    assert logged_in(case.applicant.user).get(
        reverse("api-expert-draw", args=[body["id"]])).status_code == 404
    refused = logged_in(crew.users["reviewer"]).post(reverse("api-expert-draws"), {
        "case": case.pk, "field": field.pk, "count": 1, "mode": "onsite",
        "meeting_at": meeting_time().isoformat()}, content_type="application/json")
    assert refused.status_code == 403


def test_expert_page_accept_and_decline(case, field, dispatcher):
    experts = [make_expert(field, login=True) for _ in range(3)]
    draw = new_draw(case, field, dispatcher, count=2)
    invited = [i for i in draw.invitations.select_related("expert__user")]
    client = logged_in(invited[0].expert.user)
    page = client.get(reverse("experts-me")).content.decode()
    assert case.matter.name in page and "接受邀请" in page
    no_reason = client.post(reverse("experts-invitation-decline", args=[invited[0].pk]),
                            {f"inv{invited[0].pk}-reason": ""})
    assert no_reason.status_code == 400 and "谢绝邀请须说明理由" in no_reason.content.decode()
    client.post(reverse("experts-invitation-accept", args=[invited[0].pk]))
    invited[0].refresh_from_db()
    assert invited[0].status == InvitationStatus.ACCEPTED
    other = logged_in(invited[1].expert.user)
    assert other.post(reverse("experts-invitation-accept",
                              args=[invited[0].pk])).status_code == 404
    other.post(reverse("experts-invitation-decline", args=[invited[1].pk]),
               {f"inv{invited[1].pk}-reason": "出国开会"})
    invited[1].refresh_from_db()
    assert invited[1].status == InvitationStatus.DECLINED
    third = next(e for e in experts if e.pk not in {i.expert_id for i in invited})
    assert draw.invitations.filter(expert=third, status=InvitationStatus.PENDING).exists()


def test_expert_sets_own_unavailable_dates(field):
    expert = make_expert(field, login=True)
    client = logged_in(expert.user)
    start = timezone.localdate() + timedelta(days=5)
    bad = client.post(reverse("experts-unavailable-add", args=[expert.pk]),
                      {"start": start, "end": start - timedelta(days=1)})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in bad.content.decode()
    client.post(reverse("experts-unavailable-add", args=[expert.pk]),
                {"start": start, "end": start + timedelta(days=2), "reason": "出差"})
    period = ExpertUnavailability.objects.get(expert=expert)
    assert "出差" in client.get(reverse("experts-me")).content.decode()
    other = make_expert(field, login=True)
    assert logged_in(other.user).post(reverse("experts-unavailable-remove",
                                              args=[expert.pk, period.pk])).status_code == 404
    api = client.post(reverse("api-expert-unavailability", args=[expert.pk]),
                      {"start": start + timedelta(days=10), "end": start + timedelta(days=10)},
                      content_type="application/json")
    assert api.status_code == 201
    client.post(reverse("experts-unavailable-remove", args=[expert.pk, period.pk]))
    assert ExpertUnavailability.objects.filter(expert=expert).count() == 1


def test_api_me_and_invitation_answers(case, field, dispatcher):
    experts = [make_expert(field, login=True) for _ in range(3)]
    draw = new_draw(case, field, dispatcher, count=1)
    invitation = draw.invitations.select_related("expert__user").get()
    client = logged_in(invitation.expert.user)
    me = client.get(reverse("api-experts-me")).json()
    assert [i["id"] for i in me["invitations"]] == [invitation.pk]
    refused = client.post(reverse("api-expert-invitation-decline", args=[invitation.pk]),
                          {"reason": ""}, content_type="application/json")
    assert refused.status_code == 400 and "谢绝邀请须说明理由" in refused.json()["detail"]
    declined = client.post(reverse("api-expert-invitation-decline", args=[invitation.pk]),
                           {"reason": "回避：曾为该单位顾问"}, content_type="application/json")
    assert declined.status_code == 200
    assert declined.json()["redraw"]["kind"] == "redraw"
    assert declined.json()["redraw"]["chosen"][0] in {e.pk for e in experts}
    assert logged_in(staff("reviewer")).get(reverse("api-experts-me")).status_code == 404


def test_meeting_page_permissions(draw, crew, field):
    meeting = draw.meeting
    url = reverse("experts-meeting", args=[meeting.pk])
    assert logged_in(crew.users["reviewer"]).get(url).status_code == 200
    assert logged_in(draw.case.applicant.user).get(url).status_code == 404
    invited = draw.invitations.select_related("expert__user").filter(
        expert__user__isnull=False).first()
    if invited is not None:  # invited, not yet accepted: not in the meeting yet
        assert logged_in(invited.expert.user).get(url).status_code == 404
        invitation_accept(invitation=invited, by=invited.expert.user)
        assert logged_in(invited.expert.user).get(url).status_code == 200
    outsider = make_expert(field, login=True)
    assert logged_in(outsider.user).get(url).status_code == 404
    assert logged_in(outsider.user).get(reverse("api-expert-meeting",
                                                args=[meeting.pk])).status_code == 404


def test_import_and_export_pages(field, dispatcher):
    client = logged_in(dispatcher)
    upload = SimpleUploadedFile("pool.csv", csv_bytes([row(), row(姓名="", 手机号="x")]),
                                content_type="text/csv")
    page = client.post(reverse("experts-import"), {"file": upload})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-outcome="created"' in html
    assert 'data-outcome="rejected"' in html and "请填写姓名" in html
    export = client.get(reverse("experts-export"), {"format": "xlsx"})
    assert export.status_code == 200 and export.content[:2] == b"PK"
    template = client.get(reverse("experts-import-template", args=["csv"]))
    assert template.content.decode("utf-8-sig").startswith("编号,姓名")
    api = client.post(reverse("api-experts-import"),
                      {"file": SimpleUploadedFile("p.csv", csv_bytes([row(手机号="13900009999")]))})
    assert api.status_code == 201 and api.json()["rows"][0]["outcome"] == "created"


def test_ratings_by_the_bureau(field, dispatcher):
    expert = make_expert(field)
    client = logged_in(dispatcher)
    bad = client.post(reverse("api-expert-ratings", args=[expert.pk]), {"score": 6},
                      content_type="application/json")
    assert bad.status_code == 400
    client.post(reverse("experts-rating-add", args=[expert.pk]), {"score": 4, "comment": "认真"})
    client.post(reverse("experts-rating-add", args=[expert.pk]), {"score": 5})
    detail = client.get(reverse("api-expert", args=[expert.pk])).json()
    assert detail["records"]["rating_avg"] == 4.5 and detail["records"]["rating_count"] == 2
    own = make_expert(field, login=True)
    assert logged_in(own.user).post(reverse("experts-rating-add", args=[own.pk]),
                                    {"score": 5}).status_code == 403


def test_openapi_schema_has_the_expert_endpoints_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out),
                 "--urlconf", "tests.experts.urls")
    text = out.read_text()
    for path in ("/api/v1/experts/", "/api/v1/experts/draws/{draw_id}/verify/",
                 "/api/v1/experts/meetings/{meeting_id}/sheet/",
                 "/api/v1/experts/invitations/{invitation_id}/decline/"):
        assert f"{path}:" in text
