"""The task pages: "我的勘验任务", the applicant side's list, and the one role-aware task page
where inspectors do the inspection on a phone and the applicant side rectifies. Every
action posts a plain form (no JS needed), refusals come back as messages with what was
typed kept, success redirects."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.workflow import CaseStatus
from inspections.models import (
    InspectionReport,
    ItemEvidence,
    Outcome,
    Result,
    TaskStatus,
)
from inspections.services import booking as booking_services
from inspections.services import conduct
from portal.core.models import AuditEntry
from tests.factories import ApplicantFactory, staff
from tests.factories.workflow import Crew
from tests.inspections.test_conduct import (
    PLAIN_KEY,
    VETO_KEY,
    fake_image,
    item_of,
    make_task,
    png_bytes,
    png_upload,
    rectifying,
    started,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def task_url(task, name: str = "inspection-task", *args) -> str:
    return reverse(name, args=[task.pk, *args])


def text(response) -> str:
    return response.content.decode()


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------- lists

def _book(task, crew, day: int = 1):
    inspector = crew.inspectors[0]
    start = (timezone.localtime() + timedelta(days=day)).replace(hour=10, minute=0, second=0,
                                                                  microsecond=0)
    slot = booking_services.slot_publish(inspector=inspector, starts_at=start,
                                         ends_at=start + timedelta(hours=1), by=inspector)
    return booking_services.booking_create(task=task, slot=slot, by=task.applicant.user)


def test_my_tasks_lists_the_inspectors_tasks_with_the_booking_time(crew):
    task = make_task(crew)
    booking = _book(task, crew)
    response = logged_in(crew.inspectors[1]).get(reverse("inspection-my-tasks"))
    assert response.status_code == 200
    html = text(response)
    assert task.number in html and task_url(task) in html
    assert timezone.localtime(booking.starts_at).strftime("%Y-%m-%d %H:%M") in html
    assert task.cases.get().matter.name in html
    other = staff("inspector")
    assert task.number not in text(logged_in(other).get(reverse("inspection-my-tasks")))


def test_my_tasks_puts_work_in_progress_first_and_hides_finished_work_by_default(crew):
    waiting, running = make_task(crew), started(crew)
    client = logged_in(crew.inspectors[0])
    tasks = list(client.get(reverse("inspection-my-tasks")).context["page"].object_list)
    assert [t.pk for t in tasks] == [running.pk, waiting.pk]
    conduct.task_start(task=waiting, by=crew.inspectors[0])
    for item in waiting.items.all():
        conduct.item_record(item=item, result=Result.PASS, by=crew.inspectors[0])
    proposal = conduct.conclusion_propose(task=waiting, outcome=Outcome.PASS, note="合格",
                                          by=crew.inspectors[0])
    conduct.conclusion_confirm(conclusion=proposal, by=crew.inspectors[1])
    open_ = client.get(reverse("inspection-my-tasks")).context["page"].object_list
    done = client.get(reverse("inspection-my-tasks") + "?show=done").context["page"].object_list
    assert [t.pk for t in open_] == [running.pk] and [t.pk for t in done] == [waiting.pk]


def test_my_tasks_is_for_inspectors_only(crew):
    task = make_task(crew)
    assert logged_in(task.applicant.user).get(reverse("inspection-my-tasks")).status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_my_tasks_query_count_is_flat_in_the_number_of_tasks(crew, django_assert_max_num_queries):
    _book(make_task(crew), crew)
    client = logged_in(crew.inspectors[0])
    url = reverse("inspection-my-tasks")
    client.get(url)  # warm the session and caches
    few = _queries(client, url)
    for day in range(2, 5):
        _book(make_task(crew), crew, day)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 4


def test_the_applicant_lists_only_their_own_tasks_in_bounded_queries(
        crew, django_assert_max_num_queries):
    mine = make_task(crew)
    theirs = make_task(crew)
    client = logged_in(mine.applicant.user)
    url = reverse("inspection-task-list")
    client.get(url)
    few = _queries(client, url)
    html = text(client.get(url))
    assert mine.number in html and theirs.number not in html
    assert "请预约勘验时间" in html  # the state in plain words
    with django_assert_max_num_queries(few):
        client.get(url)


# ---------------------------------------------------------------- who sees the page

def test_a_stranger_gets_404_on_the_task_page_and_its_evidence(crew):
    task = started(crew)
    evidence = conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(),
                                    by=crew.inspectors[0])
    stranger = ApplicantFactory().user
    client = logged_in(stranger)
    assert client.get(task_url(task)).status_code == 404
    assert client.get(reverse("inspection-evidence", args=[evidence.pk])).status_code == 404
    response = client.post(task_url(task, "inspection-item-result", item_of(task, VETO_KEY).pk),
                           {"result": "pass"})
    assert response.status_code == 404
    assert Client().get(task_url(task)).status_code == 302  # anonymous: to the login page


def test_an_unassigned_inspector_reads_but_is_refused_with_403(crew):
    task = make_task(crew)
    outsider = staff("inspector")
    client = logged_in(outsider)
    page = client.get(task_url(task))
    assert page.status_code == 200
    assert task_url(task, "inspection-task-start") not in text(page)
    response = client.post(task_url(task, "inspection-task-start"))
    assert response.status_code == 403
    assert "只有本任务指派的勘验人员可以办理。" in page_messages(response)
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_the_applicant_side_reads_the_state_and_finds_the_booking_page(crew):
    task = make_task(crew)
    html = text(logged_in(task.applicant.user).get(task_url(task)))
    assert "已安排两名勘验人员，请预约勘验时间。" in html
    assert reverse("inspection-booking", args=[task.pk]) in html
    assert task_url(task, "inspection-task-start") not in html
    booking = _book(task, crew)
    html = text(logged_in(task.applicant.user).get(task_url(task)))
    assert timezone.localtime(booking.starts_at).strftime("%Y-%m-%d %H:%M") in html
    for person in crew.inspectors:
        assert str(person) in html


# ---------------------------------------------------------------- the inspection

def test_start_then_the_checklist_by_category_with_camera_upload(crew):
    task = make_task(crew)
    client = logged_in(crew.inspectors[0])
    html = text(client.get(task_url(task)))
    assert task_url(task, "inspection-task-start") in html
    assert task.address in html and task.cases.get().number in html
    response = client.post(task_url(task, "inspection-task-start"))
    assert response.status_code == 302 and response["Location"].endswith("#checklist")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    html = text(client.get(task_url(task)))
    # grouped by category in the fixed order 制度/人员/场所/设备/管理
    assert html.index('class="cat-head">人员') < html.index('class="cat-head">场所')
    assert "否决项" in html and "经营场所布局" in html and "布局合理，生熟分开" in html
    assert 'accept="image/*,video/*" capture="environment"' in html
    for name in ("captured_at", "latitude", "longitude", "accuracy_m"):
        assert f'name="{name}"' in html
    assert 'value="pass"' in html and 'value="fail"' in html and 'value="na"' in html
    assert "js/inspection.js" in html and "css/inspection.css" in html
    assert "合格线 80%" in html and "未记录 2 项" in html


def test_results_are_recorded_from_the_buttons_and_the_score_runs(crew):
    task = started(crew)
    client = logged_in(crew.inspectors[1])
    item = item_of(task, PLAIN_KEY)
    response = client.post(task_url(task, "inspection-item-result", item.pk),
                           {"result": "fail", "comment": "一人健康证过期"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert (item.result, item.comment, item.recorded_by) == (Result.FAIL, "一人健康证过期",
                                                             crew.inspectors[1])
    html = text(client.get(task_url(task)))
    assert "不符合 1 项" in html and "未记录 1 项" in html
    assert html.count('aria-pressed="true"') == 1


def test_fail_without_a_comment_is_refused_on_the_page(crew):
    task = started(crew)
    item = item_of(task, PLAIN_KEY)
    response = logged_in(crew.inspectors[0]).post(
        task_url(task, "inspection-item-result", item.pk), {"result": "fail", "comment": ""})
    assert response.status_code == 400
    assert "判定“不符合”须写明存在的问题。" in page_messages(response)
    item.refresh_from_db()
    assert item.result == ""


def test_not_applicable_on_a_veto_item_is_refused_and_the_typed_comment_kept(crew):
    task = started(crew)
    item = item_of(task, VETO_KEY)
    response = logged_in(crew.inspectors[0]).post(
        task_url(task, "inspection-item-result", item.pk),
        {"result": "na", "comment": "本店无后厨，我写的说明"})
    assert response.status_code == 400
    assert "否决项不能判定为“不适用”。" in page_messages(response)
    assert "本店无后厨，我写的说明</textarea>" in text(response)
    item.refresh_from_db()
    assert item.result == ""


def test_evidence_upload_stores_hash_gps_and_capture_time(crew):
    task = started(crew)
    item = item_of(task, VETO_KEY)
    data = png_bytes(5, 5)
    taken = (timezone.now() - timedelta(minutes=2)).replace(microsecond=0)
    response = logged_in(crew.inspectors[0]).post(
        task_url(task, "inspection-item-evidence", item.pk),
        {"file": SimpleUploadedFile("IMG_0001.png", data, content_type="image/png"),
         "captured_at": taken.isoformat(), "latitude": "35.0264121",
         "longitude": "111.0075294", "accuracy_m": "8.4"})
    assert response.status_code == 302
    evidence = ItemEvidence.objects.get(item=item)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.captured_at == taken and evidence.accuracy_m == 8
    assert str(evidence.latitude) == "35.026412" and str(evidence.longitude) == "111.007529"
    assert evidence.uploaded_by == crew.inspectors[0]
    html = text(logged_in(crew.inspectors[1]).get(task_url(task)))
    assert evidence.sha256[:12] in html and "35.026412, 111.007529" in html
    assert reverse("inspection-evidence", args=[evidence.pk]) in html


def test_evidence_without_js_fields_is_stored_without_position(crew):
    task = started(crew)
    item = item_of(task, VETO_KEY)
    response = logged_in(crew.inspectors[0]).post(
        task_url(task, "inspection-item-evidence", item.pk),
        {"file": png_upload(), "captured_at": "", "latitude": "", "longitude": "",
         "accuracy_m": ""})
    assert response.status_code == 302
    evidence = ItemEvidence.objects.get(item=item)
    assert evidence.latitude is None and evidence.captured_at is None


def test_a_fake_image_is_refused_on_the_page(crew):
    task = started(crew)
    response = logged_in(crew.inspectors[0]).post(
        task_url(task, "inspection-item-evidence", item_of(task, VETO_KEY).pk),
        {"file": fake_image()})
    assert response.status_code == 400
    assert any("文件格式不支持" in m for m in page_messages(response))
    assert not ItemEvidence.objects.exists()


def test_evidence_is_streamed_to_who_may_see_the_task_and_audited(crew):
    task = started(crew)
    data = png_bytes(3, 3)
    evidence = conduct.evidence_add(item=item_of(task, VETO_KEY),
                                    upload=SimpleUploadedFile("a.png", data),
                                    by=crew.inspectors[0])
    url = reverse("inspection-evidence", args=[evidence.pk])
    response = logged_in(task.applicant.user).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == data
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    attachment = logged_in(crew.users["supervisor"]).get(url + "?download=1")
    assert attachment["Content-Disposition"].startswith("attachment")
    views = AuditEntry.objects.filter(action="inspections.evidence_view")
    assert views.count() == 2
    assert {e.actor_id for e in views} == {task.applicant.user.pk, crew.users["supervisor"].pk}


# ---------------------------------------------------------------- conclusion

def _record_all(task, inspector, result=Result.PASS):
    for item in task.items.all():
        conduct.item_record(item=item, result=result, by=inspector,
                            comment="" if result == Result.PASS else "不符合")


def test_full_pass_flow_through_the_pages(crew):
    task = make_task(crew)
    first, second = (logged_in(u) for u in crew.inspectors)
    first.post(task_url(task, "inspection-task-start"))
    for item in task.items.all():
        assert first.post(task_url(task, "inspection-item-result", item.pk),
                          {"result": "pass"}).status_code == 302
    response = first.post(task_url(task, "inspection-conclusion-propose"),
                          {"outcome": "pass", "note": "场所与人员均符合要求", "rectify_due": ""})
    assert response.status_code == 302
    proposal = task.conclusions.get()
    html = text(second.get(task_url(task)))
    assert "待确认的勘验结论" in html
    assert task_url(task, "inspection-conclusion-confirm", proposal.pk) in html
    mine = text(first.get(task_url(task)))
    assert task_url(task, "inspection-conclusion-confirm", proposal.pk) not in mine
    assert task_url(task, "inspection-conclusion-withdraw", proposal.pk) in mine
    assert "场所与人员均符合要求" not in text(logged_in(task.applicant.user).get(task_url(task)))
    # the proposer cannot confirm their own proposal
    refused = first.post(task_url(task, "inspection-conclusion-confirm", proposal.pk))
    assert refused.status_code == 403 and "结论须由另一名勘验人员确认。" in page_messages(refused)
    assert second.post(task_url(task, "inspection-conclusion-confirm",
                                proposal.pk)).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED
    assert task.cases.get().status == CaseStatus.DECISION_PENDING
    report = InspectionReport.objects.get(task=task)
    html = text(logged_in(task.applicant.user).get(task_url(task)))
    assert "场所与人员均符合要求" in html and report.number in html
    assert reverse("inspection-report-download", args=[report.pk]) in html


def test_a_refused_conclusion_keeps_the_typed_opinion(crew):
    task = started(crew)
    first = crew.inspectors[0]
    conduct.item_record(item=item_of(task, VETO_KEY), result=Result.FAIL, comment="生熟混放",
                        by=first)
    conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.PASS, by=first)
    response = logged_in(first).post(task_url(task, "inspection-conclusion-propose"),
                                     {"outcome": "pass", "note": "我认为基本合格"})
    assert response.status_code == 400
    assert any("不能判定合格" in m for m in page_messages(response))
    html = text(response)
    assert "我认为基本合格</textarea>" in html
    assert 'value="pass" checked' in html
    assert not task.conclusions.exists()


def test_the_other_inspector_declines_a_proposal_with_a_reason(crew):
    task = started(crew)
    _record_all(task, crew.inspectors[0])
    proposal = conduct.conclusion_propose(task=task, outcome=Outcome.PASS, note="合格",
                                          by=crew.inspectors[0])
    response = logged_in(crew.inspectors[1]).post(
        task_url(task, "inspection-conclusion-withdraw", proposal.pk),
        {"reason": "健康证需再核"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.withdrawn_at is not None
    entry = AuditEntry.objects.filter(action="inspections.conclusion_withdraw").get()
    assert entry.after["reason"] == "健康证需再核"


# ---------------------------------------------------------------- rectification

def test_rectification_loop_through_the_pages(crew):
    task = started(crew)
    first, second = crew.inspectors
    conduct.item_record(item=item_of(task, VETO_KEY), result=Result.PASS, by=first)
    conduct.item_record(item=item_of(task, PLAIN_KEY), result=Result.FAIL,
                        comment="两名员工健康证过期", by=first)
    due = timezone.localdate() + timedelta(days=10)
    insp1, insp2 = logged_in(first), logged_in(second)
    assert insp1.post(task_url(task, "inspection-conclusion-propose"),
                      {"outcome": "rectify", "note": "限期整改健康证",
                       "rectify_due": due.isoformat()}).status_code == 302
    proposal = task.conclusions.get()
    assert insp2.post(task_url(task, "inspection-conclusion-confirm",
                               proposal.pk)).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.RECTIFYING and task.rectify_due == due

    applicant = logged_in(task.applicant.user)
    html = text(applicant.get(task_url(task)))
    assert "两名员工健康证过期" in html and due.strftime("%Y-%m-%d") in html
    assert "整改期间审批时限暂停计算" in html
    item = item_of(task, PLAIN_KEY)
    assert task_url(task, "inspection-item-rectify", item.pk) in html
    assert task_url(task, "inspection-item-rectify", item_of(task, VETO_KEY).pk) not in html
    refused = applicant.post(task_url(task, "inspection-rectification-submit"))
    assert refused.status_code == 400
    assert any("从业人员健康证明" in m for m in page_messages(refused))

    data = png_bytes(7, 4)
    response = applicant.post(task_url(task, "inspection-item-rectify", item.pk),
                              {"note": "已换发新证", "file": SimpleUploadedFile("new.png", data)})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.rectify_note == "已换发新证"
    evidence = item.evidence.get(purpose=ItemEvidence.Purpose.RECTIFICATION)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert applicant.post(task_url(task, "inspection-rectification-submit")).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.VERIFYING

    html = text(insp2.get(task_url(task)))
    assert "已换发新证" in html and evidence.sha256[:12] in html
    assert task_url(task, "inspection-item-verify", item.pk) in html
    assert insp2.post(task_url(task, "inspection-item-verify", item.pk),
                      {"ok": "1", "comment": "新证有效"}).status_code == 302
    assert insp2.post(task_url(task, "inspection-conclusion-propose"),
                      {"outcome": "pass", "note": "整改到位"}).status_code == 302
    proposal = task.conclusions.get(round=2, withdrawn_at__isnull=True)
    assert insp1.post(task_url(task, "inspection-conclusion-confirm",
                               proposal.pk)).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED and task.outcome == Outcome.PASS
    assert task.cases.get().status == CaseStatus.DECISION_PENDING


def test_the_applicant_cannot_upload_on_an_item_that_needs_no_rectification(crew):
    task = rectifying(crew)
    response = logged_in(task.applicant.user).post(
        task_url(task, "inspection-item-rectify", item_of(task, VETO_KEY).pk),
        {"note": "顺便上传", "file": png_upload()})
    assert response.status_code == 400
    assert "该项目无需整改。" in page_messages(response)
    assert not ItemEvidence.objects.filter(purpose=ItemEvidence.Purpose.RECTIFICATION).exists()


def test_a_refused_verification_keeps_the_typed_comment(crew):
    task = submitted(crew)
    item = item_of(task, PLAIN_KEY)
    response = logged_in(crew.inspectors[0]).post(
        task_url(task, "inspection-item-verify", item.pk), {"ok": "0", "comment": ""})
    assert response.status_code == 400 and "核验不通过须说明原因。" in page_messages(response)
    item.refresh_from_db()
    assert item.rectify_verified is None


def test_verify_not_ok_then_fail_through_the_pages(crew):
    task = submitted(crew)
    item = item_of(task, PLAIN_KEY)
    insp1, insp2 = (logged_in(u) for u in crew.inspectors)
    insp1.post(task_url(task, "inspection-item-verify", item.pk),
               {"ok": "0", "comment": "照片看不清证件有效期"})
    insp1.post(task_url(task, "inspection-conclusion-propose"),
               {"outcome": "fail", "note": "整改不到位"})
    proposal = task.conclusions.get(round=2)
    insp2.post(task_url(task, "inspection-conclusion-confirm", proposal.pk))
    task.refresh_from_db()
    assert task.status == TaskStatus.CONCLUDED and task.outcome == Outcome.FAIL


# ---------------------------------------------------------------- query counts

def test_task_page_query_count_is_flat_in_evidence(crew, django_assert_max_num_queries):
    task = started(crew)
    inspector = crew.inspectors[0]
    conduct.evidence_add(item=item_of(task, VETO_KEY), upload=png_upload(), by=inspector)
    client = logged_in(inspector)
    client.get(task_url(task))
    few = _queries(client, task_url(task))
    for n in range(4):
        conduct.evidence_add(item=item_of(task, PLAIN_KEY), upload=png_upload(width=n + 2),
                             by=crew.inspectors[1])
    _record_all(task, inspector)
    with django_assert_max_num_queries(few):
        response = client.get(task_url(task))
    assert sum(len(i.photos) for i in response.context["items"]) == 5


def test_applicant_page_query_count_is_bounded(crew, django_assert_max_num_queries):
    task = rectifying(crew)
    client = logged_in(task.applicant.user)
    client.get(task_url(task))
    few = _queries(client, task_url(task))
    for n in range(3):
        conduct.evidence_add(item=item_of(task, PLAIN_KEY), upload=png_upload(width=n + 2),
                             by=task.applicant.user)
    with django_assert_max_num_queries(few):
        client.get(task_url(task))
