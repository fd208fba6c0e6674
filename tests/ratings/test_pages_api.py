"""Pages and API: the applicant rates from the case page (five levels, a clear refusal for
a second rating), strangers and other applicants get 404, staff lists are masked and keep
a fixed number of queries, supervisors work rectification items, callbacks and alerts by
page and API alike, and the OpenAPI schema has no warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from approvals.workflow import CaseStatus
from portal.core.models import AuditEntry
from portal.ratings.case_panel import case_rating_panel
from portal.ratings.models import (
    CallbackTask,
    Rating,
    Rectification,
    RectificationStatus,
    RiskAlert,
)
from portal.ratings.services.alerts import risk_scan
from portal.ratings.services.callbacks import callback_sample_create
from portal.ratings.services.ratings import rating_submit
from portal.ratings.steps import Level, RatableStep
from tests.factories import UserFactory, staff
from tests.ratings.conftest import logged_in, make_case
from tests.ratings.test_callbacks import closed_cases
from tests.ratings.test_risk import inspection

pytestmark = pytest.mark.django_db


def bad_rating(case, level=Level.DISSATISFIED):
    return rating_submit(case=case, step=RatableStep.ACCEPTANCE, level=level,
                         comment="等候时间过长", by=case.applicant.user)


# ---- the case panel and the rating page ---------------------------------------------------

def test_case_panel_offers_the_steps_that_happened(issued_case):
    user = issued_case.applicant.user
    panel = case_rating_panel(issued_case, user)
    assert [s["code"] for s in panel["steps"]] == ["acceptance", "completion"]
    assert all(s["rate_url"] for s in panel["steps"]) and not panel["record_url"]
    html = render_to_string("ratings/case_panel.html", {"ratings": panel})
    assert reverse("ratings-rate", args=[issued_case.pk, "completion"]) in html
    assert case_rating_panel(issued_case, UserFactory(roles=["applicant"])) is None
    clerk_panel = case_rating_panel(issued_case, staff("clerk"))
    assert clerk_panel["record_url"] and not any(s["rate_url"] for s in clerk_panel["steps"])


def test_case_panel_query_count_is_fixed(issued_case, django_assert_max_num_queries):
    from approvals.models import Case

    bad_rating(issued_case)
    case = Case.objects.select_related("applicant__user").get(pk=issued_case.pk)
    user = case.applicant.user
    assert user.role_codes  # loaded once per request by the middleware's user
    with django_assert_max_num_queries(2):
        panel = case_rating_panel(case, user)
    assert panel["steps"][0]["rectification_url"]


def test_rate_page_five_big_buttons_then_one_rating_only(accepted_case):
    client = logged_in(accepted_case.applicant.user)
    url = reverse("ratings-rate", args=[accepted_case.pk, "acceptance"])
    html = client.get(url).content.decode()
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert f">{label}</label>" in html
    assert html.count('class="seg"') == 5
    bad = client.post(url, {"level": "2", "comment": ""})
    assert bad.status_code == 400 and "请写明不满意的原因" in bad.content.decode()
    ok = client.post(url, {"level": "5", "comment": "很好"})
    assert ok.status_code == 302 and Rating.objects.get().level == 5
    again = client.post(url, {"level": "1", "comment": "改评"})
    assert again.status_code == 409 and "每个环节只能评价一次" in again.content.decode()
    assert Rating.objects.get().level == 5


def test_rate_page_refuses_strangers_and_steps_not_done(accepted_case, other_applicant):
    url = reverse("ratings-rate", args=[accepted_case.pk, "acceptance"])
    assert logged_in(other_applicant.user).get(url).status_code == 404
    assert logged_in(staff("clerk")).get(url).status_code == 404
    own = logged_in(accepted_case.applicant.user)
    page = own.get(reverse("ratings-rate", args=[accepted_case.pk, "completion"]))
    assert "尚未办理" in page.content.decode()
    posted = own.post(reverse("ratings-rate", args=[accepted_case.pk, "completion"]),
                      {"level": "5"})
    assert posted.status_code == 409 and not Rating.objects.exists()
    assert own.get(reverse("ratings-rate", args=[accepted_case.pk, "nope"])).status_code == 404


def test_clerk_records_a_paper_rating_by_page(crew, accepted_case):
    url = reverse("ratings-record", args=[accepted_case.pk])
    assert logged_in(staff("reviewer")).get(url).status_code == 403
    form = logged_in(staff("clerk")).get(url).content.decode()
    assert "窗口评价表（代录）" in form and "受理" in form
    own = logged_in(crew.users["clerk"]).post(url, {"step": "acceptance", "channel": "paper",
                                                    "level": "4"})
    assert own.status_code == 403 and "不能代录" in own.content.decode()
    ok = logged_in(staff("clerk")).post(url, {"step": "acceptance", "channel": "paper",
                                             "level": "4"})
    assert ok.status_code == 302 and Rating.objects.get().on_behalf


def test_mine_lists_only_own_ratings(accepted_case, crew):
    bad_rating(accepted_case)
    other = make_case(crew, CaseStatus.ACCEPTED)
    rating_submit(case=other, step="acceptance", level=5, by=other.applicant.user)
    html = logged_in(accepted_case.applicant.user).get(reverse("ratings-mine")).content.decode()
    assert accepted_case.number in html and other.number not in html
    assert Rectification.objects.get().number in html
    staff_mine = logged_in(staff("supervisor")).get(reverse("ratings-mine")).content.decode()
    assert accepted_case.number not in staff_mine and other.number not in staff_mine


# ---- staff pages --------------------------------------------------------------------------

def test_ratings_list_stats_filters_and_flat_queries(crew, supervisor,
                                                     django_assert_max_num_queries):
    for level in (5, 4, 1):
        case = make_case(crew, CaseStatus.ACCEPTED)
        rating_submit(case=case, step="acceptance", level=level, comment="意见",
                      by=case.applicant.user)
    client = logged_in(supervisor)
    url = reverse("ratings-list")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        page = client.get(url)
    html = page.content.decode()
    assert "33.3%" in html and "满意率 66.7%" in html
    for level in (5, 3, 2):
        case = make_case(crew, CaseStatus.ACCEPTED)
        rating_submit(case=case, step="acceptance", level=level, comment="意见",
                      by=case.applicant.user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    filtered = client.get(url, {"level": "1"}).content.decode()
    assert filtered.count("data-rating=") == 1
    wrong = client.get(url, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert wrong.status_code == 400 and "起始日期不能晚于截止日期" in wrong.content.decode()
    assert logged_in(staff("clerk")).get(url).status_code == 403
    assert logged_in(crew.users["clerk"]).get(reverse("api-rating-stats")).status_code == 403


def test_rectification_pages_walk_the_item(crew, accepted_case, supervisor, supervisor2):
    rating = bad_rating(accepted_case)
    item = rating.rectification
    handler = staff("reviewer")
    sup = logged_in(supervisor)
    detail = reverse("ratings-rectification", args=[item.pk])
    html = sup.get(detail).content.decode()
    assert "分派承办人" in html
    # the clerk complained about is not on the assignee list
    assert f'value="{crew.users["clerk"].pk}"' not in html and f'value="{handler.pk}"' in html
    refused = sup.post(reverse("ratings-rectification-assign", args=[item.pk]),
                       {"assignee": crew.users["clerk"].pk})
    assert refused.status_code == 400
    assert sup.post(reverse("ratings-rectification-assign", args=[item.pk]),
                    {"assignee": handler.pk, "note": "请核实"}).status_code == 302
    worker = logged_in(handler)
    assert worker.get(reverse("ratings-rectifications")).content.decode().count(item.number) == 1
    empty = worker.post(reverse("ratings-rectification-answer", args=[item.pk]), {"measures": ""})
    assert empty.status_code == 400 and "请填写整改措施" in empty.content.decode()
    assert worker.post(reverse("ratings-rectification-answer", args=[item.pk]),
                       {"measures": "已约谈"}).status_code == 302
    call = logged_in(supervisor2).post(reverse("ratings-rectification-callback", args=[item.pk]),
                                       {"channel": "phone", "outcome": "satisfied",
                                        "response": "满意"})
    assert call.status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.CLOSED
    # the applicant sees the result but not who handled it
    html = logged_in(accepted_case.applicant.user).get(detail).content.decode()
    assert "已约谈" in html and str(handler) not in html
    assert logged_in(staff("clerk")).get(detail).status_code == 404


def test_appeal_by_page_and_decision_by_another_supervisor(accepted_case, supervisor,
                                                            supervisor2):
    item = bad_rating(accepted_case).rectification
    sup = logged_in(supervisor)
    sup.post(reverse("ratings-rectification-dismiss", args=[item.pk]), {"reason": "投诉不成立"})
    applicant = logged_in(accepted_case.applicant.user)
    detail = applicant.get(reverse("ratings-rectification", args=[item.pk])).content.decode()
    assert reverse("ratings-appeal", args=[item.pk]) in detail
    assert applicant.post(reverse("ratings-appeal", args=[item.pk]),
                          {"reason": "不服"}).status_code == 302
    second = applicant.post(reverse("ratings-appeal", args=[item.pk]), {"reason": "再申诉"})
    assert second.status_code == 409 and "只能申诉一次" in second.content.decode()
    same = sup.post(reverse("ratings-rectification-decide", args=[item.pk]),
                    {"decision": "upheld", "note": "维持"})
    assert same.status_code == 403
    assert logged_in(supervisor2).post(reverse("ratings-rectification-decide", args=[item.pk]),
                                       {"decision": "upheld", "note": "维持"}).status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.UPHELD


def test_callback_pages_mask_and_reveal_with_audit(supervisor, django_assert_max_num_queries):
    day = timezone.localdate() - timedelta(days=1)
    closed_cases(day, 3)
    callback_sample_create(day=day, rate="1")
    client = logged_in(supervisor)
    url = reverse("ratings-callbacks")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        html = client.get(url).content.decode()
    task = CallbackTask.objects.select_related("case__applicant").first()
    phone = task.case.applicant.phone
    assert task.case.applicant.masked_phone in html and phone not in html
    closed_cases(day - timedelta(days=1), 10)
    callback_sample_create(day=day - timedelta(days=1), rate="1")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    page = client.get(reverse("ratings-callback", args=[task.pk])).content.decode()
    assert phone not in page
    revealed = client.post(reverse("ratings-callback-reveal", args=[task.pk])).content.decode()
    assert phone in revealed
    assert AuditEntry.objects.filter(action="pii.view", actor=supervisor).count() == 1
    posted = client.post(reverse("ratings-callback", args=[task.pk]),
                         {"channel": "phone", "outcome": "satisfied", "response": "满意"})
    assert posted.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    sample_html = client.get(reverse("ratings-sample", args=[task.sample_id])).content.decode()
    assert 'data-verified="1"' in sample_html and task.sample.seed in sample_html
    assert logged_in(staff("clerk")).get(reverse("ratings-callback", args=[task.pk])) \
        .status_code == 404


def test_alert_pages(supervisor, django_assert_max_num_queries):
    from tests.factories import ApplicantFactory

    applicant, inspector = ApplicantFactory(), staff("inspector")
    for days in (90, 60, 30):
        inspection(applicant, inspector, days_ago=days)
    [alert] = risk_scan().raised
    client = logged_in(supervisor)
    url = reverse("ratings-alerts")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        html = client.get(url).content.decode()
    assert alert.number in html and 'data-level="medium"' in html
    for _ in range(4):
        other, who = ApplicantFactory(), staff("inspector")
        for days in (90, 60, 30):
            inspection(other, who, days_ago=days)
    risk_scan()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("data-alert=") == 5
    assert client.get(url, {"level": "high"}).content.decode().count("data-alert=") == 0
    checker = staff("reviewer")
    detail = client.get(reverse("ratings-alert", args=[alert.pk])).content.decode()
    assert f'value="{inspector.pk}"' not in detail and f'value="{checker.pk}"' in detail
    assert client.post(reverse("ratings-alert-assign", args=[alert.pk]),
                       {"assignee": checker.pk}).status_code == 302
    assert logged_in(checker).post(reverse("ratings-alert-close", args=[alert.pk]),
                                   {"note": ""}).status_code == 400
    assert logged_in(checker).post(reverse("ratings-alert-close", args=[alert.pk]),
                                   {"note": "已核查"}).status_code == 302
    assert RiskAlert.objects.get(pk=alert.pk).status == "closed"
    assert logged_in(staff("clerk")).get(reverse("ratings-alert", args=[alert.pk])) \
        .status_code == 404


# ---- API ----------------------------------------------------------------------------------

def test_api_rate_once_and_conflict(accepted_case, other_applicant):
    client = logged_in(accepted_case.applicant.user)
    url = reverse("api-ratings")
    body = {"case": accepted_case.pk, "step": "acceptance", "level": 1, "comment": "太慢"}
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["rectification"] is not None
    second = client.post(url, body, content_type="application/json")
    assert second.status_code == 409 and second.json()["code"] == "already_rated"
    assert "只能评价一次" in second.json()["detail"]
    stranger = logged_in(other_applicant.user).post(url, body, content_type="application/json")
    assert stranger.status_code == 404
    undone = client.post(url, body | {"step": "completion"}, content_type="application/json")
    assert undone.status_code == 409 and undone.json()["code"] == "step_not_done"
    listed = client.get(url).json()["results"]
    assert [r["case"]["id"] for r in listed] == [accepted_case.pk]
    steps = client.get(reverse("api-rating-case", args=[accepted_case.pk])).json()
    assert steps[0]["step"] == "acceptance" and steps[0]["can_rate"] is False
    assert logged_in(other_applicant.user).get(
        reverse("api-rating-case", args=[accepted_case.pk])).status_code == 404


def test_api_rectification_flow(accepted_case, supervisor, supervisor2):
    item = bad_rating(accepted_case).rectification
    handler = staff("reviewer")
    api = logged_in(supervisor)
    base = f"/api/v1/ratings/rectifications/{item.pk}/"
    assigned = api.post(base + "assign/", {"assignee": handler.pk},
                        content_type="application/json")
    assert assigned.status_code == 200 and assigned.json()["assignee"]["id"] == handler.pk
    answered = logged_in(handler).post(base + "answer/", {"measures": "已整改"},
                                       content_type="application/json")
    assert answered.json()["status"] == "answered"
    call = logged_in(supervisor2).post(base + "callback/", {
        "channel": "phone", "outcome": "unsatisfied", "response": "仍不满意"},
        content_type="application/json")
    assert call.status_code == 201 and call.json()["satisfied"] is False
    own = logged_in(accepted_case.applicant.user).get(base).json()
    assert own["status"] == "assigned" and "assignee" not in own and "calls" not in own
    staff_view = api.get(base).json()
    assert staff_view["calls"][0]["outcome"] == "unsatisfied"
    listed = api.get(reverse("api-rating-rectifications"), {"status": "assigned"}).json()
    assert [r["id"] for r in listed["results"]] == [item.pk]
    bad = api.get(reverse("api-rating-rectifications"), {"status": "nope"})
    assert bad.status_code == 400
    assert logged_in(staff("clerk")).get(base).status_code == 404


def test_api_dismiss_appeal_decision(accepted_case, supervisor, supervisor2):
    item = bad_rating(accepted_case).rectification
    base = f"/api/v1/ratings/rectifications/{item.pk}/"
    logged_in(supervisor).post(base + "dismiss/", {"reason": "不成立"},
                               content_type="application/json")
    applicant = logged_in(accepted_case.applicant.user)
    appealed = applicant.post(base + "appeal/", {"reason": "不服"}, content_type="application/json")
    assert appealed.status_code == 201
    again = applicant.post(base + "appeal/", {"reason": "不服"}, content_type="application/json")
    assert again.status_code == 409
    same = logged_in(supervisor).post(base + "decision/", {"decision": "overturned", "note": "改"},
                                      content_type="application/json")
    assert same.status_code == 403 and same.json()["code"] == "same_person"
    decided = logged_in(supervisor2).post(base + "decision/",
                                          {"decision": "overturned", "note": "重新整改"},
                                          content_type="application/json")
    assert decided.status_code == 200 and decided.json()["decision"] == "overturned"


def test_api_stats(crew, supervisor):
    for level in (5, 5, 2, 1):
        case = make_case(crew, CaseStatus.ACCEPTED)
        rating_submit(case=case, step="acceptance", level=level, comment="x",
                      by=case.applicant.user)
    stats = logged_in(supervisor).get(reverse("api-rating-stats")).json()
    assert stats["total"] == 4 and stats["bad"] == 2 and stats["satisfied_percent"] == 50.0
    shares = {s["level"]: s["percent"] for s in stats["levels"]}
    assert shares == {5: 50.0, 4: 0.0, 3: 0.0, 2: 25.0, 1: 25.0}
    bad = logged_in(supervisor).get(reverse("api-rating-stats"), {"date_from": "x"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_date"


def test_api_callbacks_and_alerts(supervisor):
    day = timezone.localdate() - timedelta(days=1)
    closed_cases(day, 2)
    sample = callback_sample_create(day=day, rate="1")
    api = logged_in(supervisor)
    tasks = api.get(reverse("api-callback-tasks")).json()["results"]
    assert len(tasks) == 2 and "****" in tasks[0]["applicant_phone"]
    call = api.post(reverse("api-callback-task-calls", args=[tasks[0]["id"]]),
                    {"channel": "sms", "outcome": "declined"}, content_type="application/json")
    assert call.status_code == 201
    detail = api.get(reverse("api-callback-sample", args=[sample.pk])).json()
    assert detail["verified"] is True and detail["seed"] == sample.seed
    assert logged_in(staff("clerk")).get(reverse("api-callback-samples")).status_code == 403
    from tests.factories import ApplicantFactory

    applicant, inspector = ApplicantFactory(), staff("inspector")
    for days in (90, 60, 30):
        inspection(applicant, inspector, days_ago=days)
    [alert] = risk_scan().raised
    listed = api.get(reverse("api-risk-alerts"), {"level": "medium"}).json()["results"]
    assert [a["id"] for a in listed] == [alert.pk]
    refused = api.post(reverse("api-risk-alert-assign", args=[alert.pk]),
                       {"assignee": inspector.pk}, content_type="application/json")
    assert refused.status_code == 403
    closed = api.post(reverse("api-risk-alert-close", args=[alert.pk]), {"note": "已核查"},
                      content_type="application/json")
    assert closed.json()["status"] == "closed"
    assert api.get(reverse("api-risk-alerts"), {"level": "nope"}).status_code == 400
    assert logged_in(staff("clerk")).get(reverse("api-risk-alert", args=[alert.pk])) \
        .status_code == 404


def test_schema_has_no_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out),
                 "--urlconf", "tests.ratings.urls")
    text = out.read_text()
    assert "/api/v1/ratings/rectifications/{item_id}/appeal/" in text
    assert "/api/v1/risk-alerts/{alert_id}/close/" in text


def test_rectification_list_stays_flat(crew, supervisor, django_assert_max_num_queries):
    def item():
        case = make_case(crew, CaseStatus.ACCEPTED)
        return bad_rating(case).rectification

    first = item()
    client = logged_in(supervisor)
    url = reverse("ratings-rectifications")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        assert first.number in client.get(url).content.decode()
    for _ in range(4):
        item()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("ZG-") == 5
    mine = logged_in(first.case.applicant.user)
    mine.get(reverse("ratings-mine"))
    with django_assert_max_num_queries(12):
        assert mine.get(reverse("ratings-mine")).status_code == 200
