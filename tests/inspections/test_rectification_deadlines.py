"""The rectification deadline (整改期限) as a source of the deadline sweep: a task in
rectification due tomorrow raises one yellow warning to its inspectors and the applicant
side, a second sweep sends nothing more, overdue escalates to the dispatchers, and the
case page's deadline list shows it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from inspections.deadlines import RectificationDeadlines
from inspections.models import Conclusion, InspectionTask, TaskStatus
from portal.core.calendar import get_calendar
from portal.notifications.deadlines.registry import deadline_sources
from portal.notifications.deadlines.sweep import deadline_status, deadline_sweep
from portal.notifications.models import DeadlineAlert, Notification

pytestmark = pytest.mark.django_db
SOURCE = "inspections.rectification"
WEDNESDAY, THURSDAY = date(2026, 11, 18), date(2026, 11, 19)


def rectifying(task: InspectionTask, due: date) -> InspectionTask:
    """Put ``task`` into rectification due on ``due`` (the status field is protected)."""
    InspectionTask.objects.filter(pk=task.pk).update(status=TaskStatus.RECTIFYING,
                                                     rectify_due=due)
    task.refresh_from_db()
    return task


def told(user, event: str) -> int:
    return Notification.objects.filter(recipient=user, event=event).count()


def alerts() -> list[tuple[str, date]]:
    return list(DeadlineAlert.objects.filter(source=SOURCE).order_by("id")
                .values_list("level", "due_date"))


def test_the_source_is_registered_by_the_app():
    assert SOURCE in {source.code for source in deadline_sources()}


def test_due_tomorrow_warns_once_inspectors_and_applicant_side(assigned_task, inspectors,
                                                                dispatcher):
    task = rectifying(assigned_task, THURSDAY)
    applicant = task.applicant.user
    deadline_sweep(today=WEDNESDAY)
    assert alerts() == [("yellow", THURSDAY)]
    assert [told(i, "deadline_warning") for i in inspectors] == [1, 1]
    assert told(applicant, "deadline_warning") == 1
    assert told(dispatcher, "deadline_warning") == 0
    alert = DeadlineAlert.objects.get(source=SOURCE)
    assert alert.object_id == task.pk and alert.case == task.cases.get()
    assert task.number in alert.label
    body = Notification.objects.get(recipient=applicant, event="deadline_warning").body
    assert f"整改期限 {task.number}" in body

    deadline_sweep(today=WEDNESDAY)  # twice: nothing more
    assert alerts() == [("yellow", THURSDAY)]
    assert [told(i, "deadline_warning") for i in inspectors] == [1, 1]
    assert told(applicant, "deadline_warning") == 1


def test_overdue_rectification_goes_red_then_escalates_to_dispatchers(assigned_task,
                                                                      inspectors, dispatcher):
    task = rectifying(assigned_task, THURSDAY)
    deadline_sweep(today=date(2026, 11, 20))  # overdue by 1 working day
    assert alerts() == [("red", THURSDAY)]
    assert [told(i, "deadline_overdue") for i in inspectors] == [1, 1]
    assert told(task.applicant.user, "deadline_overdue") == 1
    deadline_sweep(today=date(2026, 11, 23))  # Monday: overdue by 2 working days
    assert alerts() == [("red", THURSDAY), ("escalation", THURSDAY)]
    assert told(dispatcher, "deadline_escalated") == 1
    assert [told(i, "deadline_escalated") for i in inspectors] == [0, 0]
    assert told(task.applicant.user, "deadline_escalated") == 0


def test_only_tasks_in_rectification_have_the_deadline(assigned_task):
    InspectionTask.objects.filter(pk=assigned_task.pk).update(
        status=TaskStatus.VERIFYING, rectify_due=THURSDAY)  # the applicant has submitted
    deadline_sweep(today=WEDNESDAY)
    assert alerts() == []
    assert RectificationDeadlines().open_deadlines() == []


def test_the_limit_runs_from_the_confirmed_conclusion(assigned_task, inspectors):
    task = rectifying(assigned_task, date(2026, 11, 30))
    confirmed = timezone.make_aware(datetime(2026, 11, 16, 15, 0))
    Conclusion.objects.create(task=task, round=1, outcome="rectify", score="70.0", note="整改",
                              rectify_due=task.rectify_due, proposed_by=inspectors[0],
                              proposed_at=confirmed, confirmed_by=inspectors[1],
                              confirmed_at=confirmed)
    [deadline] = RectificationDeadlines().open_deadlines(case=task.cases.get())
    assert deadline.limit == get_calendar().between(date(2026, 11, 16), date(2026, 11, 30)) == 10
    assert deadline.case_id == task.cases.get().pk
    deadline_sweep(today=date(2026, 11, 26))  # 2 working days left = 20% of 10: yellow
    assert alerts() == [("yellow", date(2026, 11, 30))]


def test_the_case_page_lists_the_rectification_deadline(assigned_task):
    task = rectifying(assigned_task, THURSDAY)
    rows = deadline_status(task.cases.get(), today=WEDNESDAY)
    mine = [row for row in rows if row.label == f"整改期限 {task.number}"]
    assert len(mine) == 1 and mine[0].remaining == 1 and mine[0].level == "yellow"
