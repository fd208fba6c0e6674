"""Fixtures for the 好差评 tests: a crew (one person per duty), a case driven through the
real services to the state a test needs, logged-in clients, and a calendar with holidays
set up for the next weeks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from approvals.workflow import CaseStatus
from portal.core.calendar import calendar_invalidate
from portal.core.models import CalendarDay
from tests.factories import ApplicantFactory, CaseFactory, MatterFactory, staff
from tests.factories.workflow import Crew, drive


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def crew(db) -> Crew:
    return Crew.make()


@pytest.fixture
def supervisor(crew):
    return crew.users["supervisor"]


@pytest.fixture
def supervisor2(db):
    return staff("supervisor")


@pytest.fixture
def matter(db):
    return MatterFactory(name="公共场所卫生许可")


def make_case(crew, until: str, **kwargs):
    kwargs.setdefault("matter", MatterFactory())
    return drive(CaseFactory(**kwargs), crew, until)


@pytest.fixture
def accepted_case(crew, matter):
    return make_case(crew, CaseStatus.ACCEPTED, matter=matter, title="好味道饭店")


@pytest.fixture
def issued_case(crew, matter):
    return make_case(crew, CaseStatus.ISSUED, matter=matter, title="好味道饭店")


@pytest.fixture
def other_applicant(db):
    return ApplicantFactory()


def weekdays_after(start: date, n: int, *, skip: set[date] = frozenset()) -> date:
    """The n-th Monday-Friday day after ``start`` that is not in ``skip``."""
    day = start
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in skip:
            n -= 1
    return day


@pytest.fixture
def plain_calendar(db):
    """No holidays or make-up days in the coming 60 days; returns a function that adds
    holidays (and reloads the calendar)."""
    today = timezone.localdate()
    CalendarDay.objects.filter(date__gte=today - timedelta(days=400),
                               date__lte=today + timedelta(days=60)).delete()
    calendar_invalidate()

    def holidays(*days: date) -> None:
        for day in days:
            CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name="测试假日")
        calendar_invalidate()

    return holidays
