"""A task keeps its checklist when the standard is revised; a withdrawn case lets its task
go (cancelled, booking lapsed) or leaves a merged task covering the others."""

from __future__ import annotations

import pytest

from approvals.services import case_transition
from approvals.workflow import CaseStatus
from inspections.models import Booking, TaskStatus
from inspections.services import booking as bookings
from inspections.services.standards import standard_items_as_dicts, standard_publish
from tests.factories import ApplicantFactory, MatterFactory
from tests.inspections.conftest import STANDARD_ITEMS, make_assigned_task, make_inspected_case

pytestmark = pytest.mark.django_db


def test_revising_the_standard_leaves_a_running_task_checklist_unchanged(
        crew, inspected_matter, assigned_task):
    before = list(assigned_task.items.values_list("key", "title", "requirement", "weight"))
    items = standard_items_as_dicts(inspected_matter.inspection_standard.versions.first())
    items[0].update(title="场所（新版）", requirement="新要求", weight=100)
    items.append({"key": "b", "category": "staff", "title": "人员", "requirement": "持证",
                  "method": "查验", "weight": 0, "veto": False, "guidance": ""})
    version = standard_publish(matter=inspected_matter, items=items, note="修订")
    assert version.number == 2
    assert list(assigned_task.items.values_list("key", "title", "requirement", "weight")) \
        == before
    # a case filed now is held to the new version
    fresh = make_inspected_case(crew, inspected_matter)
    assert fresh.inspection_standard.version == version


def test_withdrawing_cancels_the_task_and_lets_the_booking_lapse(
        crew, inspected_case, assigned_task, inspectors):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=1)
    slot = bookings.slot_publish(inspector=inspectors[0], starts_at=start,
                                 ends_at=start + timedelta(hours=1), by=inspectors[0])
    bookings.booking_create(task=assigned_task, slot=slot, by=inspected_case.applicant.user)
    case_transition(case_id=inspected_case.pk, name="withdraw",
                    by=inspected_case.applicant.user, note="不再经营")
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.CANCELLED
    assert not Booking.objects.filter(task=assigned_task, cancelled_at__isnull=True).exists()


def test_withdrawing_one_case_of_a_merged_task_keeps_the_task_for_the_other(
        crew, dispatcher, inspectors, inspected_matter):
    other = MatterFactory(inspected=True)
    standard_publish(matter=other, items=[*STANDARD_ITEMS, {
        "key": "only-other", "category": "staff", "title": "仅另一事项", "requirement": "要求",
        "method": "查看", "weight": 0, "veto": False, "guidance": ""}])
    for inspector in inspectors:
        inspector.inspector_profile.matters.add(other)
    applicant = ApplicantFactory()
    a = make_inspected_case(crew, inspected_matter, applicant=applicant)
    b = make_inspected_case(crew, other, applicant=applicant)
    task = make_assigned_task([a, b], dispatcher, inspectors)
    assert task.items.count() == 2

    case_transition(case_id=b.pk, name="withdraw", by=applicant.user, note="只办一项")
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED
    assert list(task.cases.all()) == [a]
    assert list(task.items.values_list("key", flat=True)) == ["a"]
    a.refresh_from_db()
    assert a.status == CaseStatus.NEEDS_INSPECTION
