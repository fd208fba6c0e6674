"""Dispatcher board pages: who may see and act, what a row shows (and never shows), the
remaining-time colours, sorting and filters, a flat query count, making tasks and trips
from ticked rows, and the dispatch page of a task (eligibility, assign, draw, release)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections import selectors
from inspections.models import (
    AssignmentDraw,
    ConflictDeclaration,
    InspectionRequest,
    InspectionTask,
    TaskStatus,
)
from inspections.services import dispatch
from tests.factories import ApplicantFactory, MatterFactory, staff
from tests.factories.inspection import qualify
from tests.inspections.test_dispatch import district, new_task, open_request, requested_case

pytestmark = pytest.mark.django_db

BOARD = "/inspections/board/"


def task_url(task, action=""):
    return f"/inspections/board/tasks/{task.pk}/" + (f"{action}/" if action else "")


def html(response) -> str:
    return response.content.decode()


def checked(response, name: str) -> set[str]:
    return set(re.findall(rf'name="{name}" value="(\d+)" checked', html(response)))


# ---------------------------------------------------------------- access


def test_board_is_for_bureau_staff_and_only_dispatchers_act(client, crew, inspected_case):
    assert client.get(BOARD).status_code == 302  # to the login page
    client.force_login(inspected_case.applicant.user)
    assert client.get(BOARD).status_code == 403
    assert client.post(reverse("inspection-board-task-create"),
                       {"requests": [open_request(inspected_case).pk]}).status_code == 403

    client.force_login(crew.users["reviewer"])
    page = client.get(BOARD)
    assert page.status_code == 200 and inspected_case.number in html(page)
    assert 'name="requests"' not in html(page)  # read-only: nothing to tick
    refused = client.post(reverse("inspection-board-task-create"),
                          {"requests": [open_request(inspected_case).pk]})
    assert refused.status_code == 403 and "只有勘验调度员" in html(refused)
    assert not InspectionTask.objects.exists()


def test_task_pages_are_hidden_from_applicants_and_read_only_for_other_staff(
        client, crew, assigned_task):
    client.force_login(assigned_task.applicant.user)
    assert client.get(task_url(assigned_task)).status_code == 404
    assert client.post(task_url(assigned_task, "draw")).status_code == 404
    client.force_login(crew.users["supervisor"])
    page = client.get(task_url(assigned_task))
    assert page.status_code == 200 and 'id="assign-form"' not in html(page)
    assert "撤换…" not in html(page)


# ---------------------------------------------------------------- rows


def test_a_request_row_shows_the_case_and_promise_but_no_personal_numbers(
        client, crew, dispatcher, inspected_matter):
    yanhu = district()
    case = requested_case(crew, inspected_matter, district=yanhu, tier="simple",
                          mode="video", address="盐湖区河东街8号")
    client.force_login(dispatcher)
    page = html(client.get(BOARD))
    row = re.search(rf'<tr[^>]*data-request="{open_request(case).pk}".*?</tr>', page, re.S)[0]
    for text in (case.number, inspected_matter.name, case.applicant.name, "盐湖区",
                 "盐湖区河东街8号", "视频勘验", "极速办"):
        assert text in row
    assert "剩余" in row
    assert case.applicant.id_number not in page and case.applicant.phone not in page


def test_overdue_rows_are_red_and_nearly_due_rows_amber(client, crew, dispatcher,
                                                        inspected_matter):
    now = timezone.now()
    late = open_request(requested_case(crew, inspected_matter, tier="simple"))
    close = open_request(requested_case(crew, inspected_matter, tier="general"))
    easy = open_request(requested_case(crew, inspected_matter, tier="complex"))
    # review sent them earlier: 2 hours ago (1 hour promised), 23 hours ago (24 promised)
    InspectionRequest.objects.filter(pk=late.pk).update(
        requested_at=now - timedelta(hours=2), promised_by=now - timedelta(hours=1))
    InspectionRequest.objects.filter(pk=close.pk).update(
        requested_at=now - timedelta(hours=23), promised_by=now + timedelta(hours=1))
    client.force_login(dispatcher)
    page = html(client.get(BOARD))

    def row(r):
        return re.search(rf'<tr class="([^"]*)" data-request="{r.pk}" data-level="(\w+)"',
                         page).groups()

    assert row(late) == ("is-overdue", "overdue")
    assert row(close) == ("warn-yellow", "amber")
    assert row(easy) == ("", "ok")
    assert "已超时 1 小时" in page and 'class="badge s-overdue" data-warning="red"' in page


def test_board_clock_levels():
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    due = start + timedelta(hours=8)
    assert selectors.board_clock(start=start, due=due, now=start).level == "ok"
    assert selectors.board_clock(start=start, due=due,
                                 now=due - timedelta(hours=2, minutes=1)).level == "ok"
    amber = selectors.board_clock(start=start, due=due, now=due - timedelta(minutes=90))
    assert amber.level == "amber" and amber.label == "剩余 1 小时 30 分钟"
    late = selectors.board_clock(start=start, due=due, now=due + timedelta(days=1, hours=2))
    assert late.level == "overdue" and late.label == "已超时 1 天 2 小时"
    # 即时办: promised at once, so nothing is left to spend but it is not late yet
    assert selectors.board_clock(start=start, due=start, now=start).level == "amber"


def test_sorting_by_tier_groups_the_most_urgent_first(client, crew, dispatcher,
                                                      inspected_matter):
    for tier in ("complex", "general", "simple"):
        requested_case(crew, inspected_matter, tier=tier)
    client.force_login(dispatcher)
    page = html(client.get(BOARD, {"sort": "tier"}))
    assert re.findall(r'<tbody data-tier="(\w+)"', page) == ["simple", "general", "complex"]
    flat = html(client.get(BOARD))
    assert 'data-tier="' not in flat


def test_filters_by_tier_district_and_status(client, crew, dispatcher, inspected_matter,
                                             inspectors):
    yanhu, linyi = district("140802", "盐湖区"), district("140821", "临猗县")
    fast = requested_case(crew, inspected_matter, tier="simple", district=yanhu)
    slow = requested_case(crew, inspected_matter, tier="complex", district=linyi)
    waiting = new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
    staffed = new_task(requested_case(crew, inspected_matter, district=linyi), dispatcher)
    for inspector in inspectors:
        dispatch.task_assign(task=staffed, inspector=inspector, by=dispatcher, reason="就近")
    client.force_login(dispatcher)

    by_tier = html(client.get(BOARD, {"tier": "simple"}))
    assert fast.number in by_tier and slow.number not in by_tier
    by_district = html(client.get(BOARD, {"district": linyi.pk}))
    assert slow.number in by_district and fast.number not in by_district
    assert staffed.number in by_district and waiting.number not in by_district
    by_status = html(client.get(BOARD, {"status": TaskStatus.ASSIGNED}))
    assert staffed.number in by_status and waiting.number not in by_status
    nonsense = client.get(BOARD, {"status": "nonsense", "district": "x"})
    assert nonsense.status_code == 200 and waiting.number in html(nonsense)


def test_board_query_count_does_not_grow_with_rows(client, crew, dispatcher, inspected_matter,
                                                   inspectors, django_assert_max_num_queries):
    yanhu = district()

    def add_rows(n):
        for _ in range(n):
            requested_case(crew, inspected_matter, district=yanhu)
            task = new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
            for inspector in inspectors:
                dispatch.task_assign(task=task, inspector=inspector, by=dispatcher,
                                     reason="就近")
            if task.pk % 2:  # every other task on a trip of its own
                other = new_task(requested_case(crew, inspected_matter, district=yanhu),
                                 dispatcher)
                dispatch.trip_create(tasks=[task, other], by=dispatcher,
                                     day=timezone.localdate() + timedelta(days=1))

    add_rows(1)
    client.force_login(dispatcher)
    client.get(BOARD)  # the session and caches
    counts = {}
    for sort in ("promised", "tier"):
        with CaptureQueriesContext(connection) as one:
            assert client.get(BOARD, {"sort": sort}).status_code == 200
        counts[sort] = len(one.captured_queries)
    add_rows(19)
    assert len(dispatch.open_requests()) == 20 and InspectionTask.objects.count() >= 20
    for sort in ("promised", "tier"):
        with django_assert_max_num_queries(counts[sort]):
            page = client.get(BOARD, {"sort": sort})
        assert html(page).count('data-request="') == 20
        assert html(page).count('data-task="') == InspectionTask.objects.count()
        assert "HB-" in html(page)  # the trips are shown too


# ---------------------------------------------------------------- tasks from ticked requests


def test_ticked_requests_of_one_applicant_become_one_task(client, crew, dispatcher):
    applicant = ApplicantFactory()
    first, second = MatterFactory(inspected=True), MatterFactory(inspected=True)
    a = requested_case(crew, first, applicant=applicant)
    b = requested_case(crew, second, applicant=applicant)
    client.force_login(dispatcher)
    response = client.post(reverse("inspection-board-task-create"),
                           {"requests": [open_request(a).pk, open_request(b).pk]})
    task = InspectionTask.objects.get()
    assert response.status_code == 302 and response["Location"] == task_url(task)
    assert set(task.cases.all()) == {a, b}
    page = html(client.get(task_url(task)))
    assert "已生成勘验任务" in page and "多个事项共有" in page  # the shared standard items
    assert first.name in page and second.name in page


def test_ticking_requests_of_two_applicants_is_refused_and_the_ticks_stay(
        client, crew, dispatcher, inspected_matter):
    a = open_request(requested_case(crew, inspected_matter))
    b = open_request(requested_case(crew, inspected_matter))
    client.force_login(dispatcher)
    response = client.post(reverse("inspection-board-task-create") + "?sort=tier",
                           {"requests": [a.pk, b.pk]})
    assert response.status_code == 400
    assert "只有同一申请人的办件可以合并为一个勘验任务" in html(response)
    assert checked(response, "requests") == {str(a.pk), str(b.pk)}
    assert 'data-tier="general"' in html(response)  # the filters stay too
    assert not InspectionTask.objects.exists()
    nothing = client.post(reverse("inspection-board-task-create"), {})
    assert nothing.status_code == 400 and "请选择至少一个勘验申请" in html(nothing)


# ---------------------------------------------------------------- trips


def test_trip_from_ticked_tasks_of_one_district_and_one_draw_for_all(
        client, crew, dispatcher, inspected_matter, inspectors):
    yanhu, linyi = district("140802", "盐湖区"), district("140821", "临猗县")
    t1 = new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
    t2 = new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
    t3 = new_task(requested_case(crew, inspected_matter, district=linyi), dispatcher)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client.force_login(dispatcher)
    board = html(client.get(BOARD))
    assert f'type="date" name="date" value="{timezone.localdate().isoformat()}"' in board

    mixed = client.post(reverse("inspection-board-trip-create"),
                        {"tasks": [t1.pk, t3.pk], "date": tomorrow, "note": "上午出发"})
    assert mixed.status_code == 400 and "只有同一区划的任务可以合并为一次勘验" in html(mixed)
    assert checked(mixed, "tasks") == {str(t1.pk), str(t3.pk)}
    assert 'value="上午出发"' in html(mixed) and f'value="{tomorrow}"' in html(mixed)

    made = client.post(reverse("inspection-board-trip-create"),
                       {"tasks": [t1.pk, t2.pk], "date": tomorrow, "note": "上午出发"})
    assert made.status_code == 302
    t1.refresh_from_db()
    trip = t1.trip
    assert made["Location"] == reverse("inspection-board-trip", args=[trip.pk])
    assert set(trip.tasks.all()) == {t1, t2}
    page = html(client.get(made["Location"]))
    assert t1.number in page and t2.number in page and t3.number not in page
    assert 'id="trip-draw-form"' in page

    drawn = client.post(reverse("inspection-board-trip-draw", args=[trip.pk]))
    assert drawn.status_code == 302
    pairs = {frozenset(dispatch.active_inspector_ids(t)) for t in (t1, t2)}
    assert pairs == {frozenset(u.pk for u in inspectors)}
    page = html(client.get(made["Location"]))
    assert page.count('data-verified="true"') == 2 and 'id="trip-draw-form"' not in page
    again = client.post(reverse("inspection-board-trip-draw", args=[trip.pk]))
    assert again.status_code == 409 and "请先撤换" in html(again)


# ---------------------------------------------------------------- the dispatch page of a task


def test_eligibility_table_gives_the_reason_of_every_exclusion(client, crew, dispatcher,
                                                               inspected_case, inspectors):
    ConflictDeclaration.objects.create(user=inspectors[0], applicant=inspected_case.applicant,
                                       relation="同学")
    task = new_task(inspected_case, dispatcher)
    client.force_login(dispatcher)
    page = html(client.get(task_url(task)))

    def row(user):
        return re.search(rf'<tr data-inspector="{user.pk}" data-eligible="(\w+)">(.*?)</tr>',
                         page, re.S).groups()

    assert row(inspectors[0])[0] == "false" and "回避：已申报与申请人存在利害关系" in row(
        inspectors[0])[1]
    assert row(inspectors[1])[0] == "true"
    assert row(crew.inspectors[0])[0] == "false" and "未登记勘验资格" in row(crew.inspectors[0])[1]
    options = re.search(r'<select id="id_inspector".*?</select>', page, re.S)[0]
    assert f'value="{inspectors[1].pk}"' in options
    assert f'value="{inspectors[0].pk}"' not in options


def test_manual_assignment_of_an_excluded_person_is_refused_and_the_reason_typed_stays(
        client, dispatcher, inspected_case, inspectors):
    ConflictDeclaration.objects.create(user=inspectors[0], applicant=inspected_case.applicant,
                                       relation="同学")
    task = new_task(inspected_case, dispatcher)
    client.force_login(dispatcher)
    refused = client.post(task_url(task, "assign"),
                          {"inspector": inspectors[0].pk, "reason": "熟悉该行业"})
    assert refused.status_code == 400
    assert "回避：已申报与申请人存在利害关系" in html(refused)
    assert "熟悉该行业</textarea>" in html(refused)
    assert not task.assignments.exists()

    no_reason = client.post(task_url(task, "assign"), {"inspector": inspectors[1].pk})
    assert no_reason.status_code == 400 and "指派勘验人员须说明理由" in html(no_reason)
    assert f'<option value="{inspectors[1].pk}" selected>' in html(no_reason)

    done = client.post(task_url(task, "assign"),
                       {"inspector": inspectors[1].pk, "reason": "熟悉该行业"})
    assert done.status_code == 302
    assignment = task.assignments.get()
    assert (assignment.inspector, assignment.method, assignment.reason) == (
        inspectors[1], "manual", "熟悉该行业")


def test_draw_release_and_history_on_the_task_page(client, dispatcher, inspected_case,
                                                   inspectors, inspected_matter):
    spare = qualify(staff("inspector"), inspected_matter)
    task = new_task(inspected_case, dispatcher)
    client.force_login(dispatcher)
    assert client.post(task_url(task, "draw")).status_code == 302
    draw = AssignmentDraw.objects.get(task=task)
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED
    page = html(client.get(task_url(task)))
    assert f'data-draw="{draw.pk}" data-verified="true"' in page and draw.seed in page
    assert 'id="assign-form"' not in page and 'id="draw-form"' not in page  # full

    gone = draw.chosen[0]
    key = f"release-{gone}"
    blank = client.post(task_url(task, "release"),
                        {"inspector_id": gone, f"{key}-inspector": gone, f"{key}-reason": ""})
    assert blank.status_code == 400 and "撤换勘验人员须说明理由" in html(blank)
    released = client.post(task_url(task, "release"), {
        "inspector_id": gone, f"{key}-inspector": gone, f"{key}-reason": "临时抽调"})
    assert released.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.NEW
    page = html(client.get(task_url(task)))
    history = re.search(r'<table class="table stack-sm assignment-history">.*?</table>', page,
                        re.S)[0]
    assert history.count("<tr data-assignment=") == 2 and "临时抽调" in history
    assert 'id="assign-form"' in page and 'id="draw-form"' in page
    assert spare.pk in draw.eligible

    AssignmentDraw.objects.filter(pk=draw.pk).update(chosen=list(reversed(draw.chosen)))
    page = html(client.get(task_url(task)))
    assert f'data-draw="{draw.pk}" data-verified="false"' in page and "复核不一致" in page


def test_a_stranger_task_id_is_404(client, dispatcher):
    client.force_login(dispatcher)
    assert client.get("/inspections/board/tasks/999999/").status_code == 404
    assert client.get("/inspections/board/trips/999999/").status_code == 404


def test_task_page_query_count_does_not_grow_with_matters_inspectors_or_draws(
        client, crew, dispatcher, inspected_case, inspectors, django_assert_max_num_queries):
    small = new_task(inspected_case, dispatcher)
    dispatch.task_draw(task=small, by=dispatcher)
    client.force_login(dispatcher)
    client.get(task_url(small))
    with CaptureQueriesContext(connection) as one:
        assert client.get(task_url(small)).status_code == 200

    applicant = ApplicantFactory()
    matters = [MatterFactory(inspected=True) for _ in range(4)]
    cases = [requested_case(crew, m, applicant=applicant) for m in matters]
    big = dispatch.task_create(requests=[open_request(c) for c in cases], by=dispatcher)
    pool = [qualify(staff("inspector"), *matters) for _ in range(8)]
    for person in pool[:3]:
        ConflictDeclaration.objects.create(user=person, applicant=applicant, relation="同事")
    draw = dispatch.task_draw(task=big, by=dispatcher)
    dispatch.task_release(task=big, inspector=big.assignments.get(
        inspector_id=draw.chosen[0]).inspector, by=dispatcher, reason="调整")
    dispatch.task_draw(task=big, by=dispatcher)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(task_url(big))
    assert html(page).count("<tr data-inspector=") >= 12
    assert html(page).count("<tr data-assignment=") == 3
    assert html(page).count('class="draw-record"') == 2


def test_trip_page_query_count_does_not_grow_with_tasks(client, crew, dispatcher,
                                                       inspected_matter, inspectors,
                                                       django_assert_max_num_queries):
    yanhu = district()
    day = timezone.localdate() + timedelta(days=1)

    def trip_of(n):
        tasks = [new_task(requested_case(crew, inspected_matter, district=yanhu), dispatcher)
                 for _ in range(n)]
        trip = dispatch.trip_create(tasks=tasks, day=day, by=dispatcher)
        dispatch.trip_draw(trip=trip, by=dispatcher)
        return reverse("inspection-board-trip", args=[trip.pk])

    small, big = trip_of(2), trip_of(7)
    client.force_login(dispatcher)
    client.get(small)
    with CaptureQueriesContext(connection) as one:
        client.get(small)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(big)
    assert html(page).count('data-task="') == 7
    assert html(page).count('data-verified="true"') == 7
