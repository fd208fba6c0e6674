"""Rating a step (好差评): only a step that happened, once per case and step (a second is
refused with 409, also when both arrive at once), only by the applicant side online or by
a clerk/supervisor on its behalf (marked, and never about a step they performed); a bad
rating needs a reason and opens a rectification item due in N working days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import AgentAuthorization
from approvals.workflow import CaseStatus
from portal.core.errors import ApplicationError
from portal.core.models import AuditEntry
from portal.notifications.models import Notification
from portal.ratings.models import Rating, RatingChannel, Rectification, RectificationStatus
from portal.ratings.services.ratings import case_steps_done, rating_submit, step_staff_ids
from portal.ratings.steps import STEP_TRANSITIONS, TRANSITION_STEP, Level, RatableStep
from tests.factories import CaseFactory, UserFactory, staff
from tests.ratings.conftest import make_case, weekdays_after

pytestmark = pytest.mark.django_db


def test_every_step_transition_is_a_workflow_transition():
    from approvals.workflow import TRANSITIONS

    assert set(TRANSITION_STEP) <= set(TRANSITIONS)
    assert set(STEP_TRANSITIONS) == set(RatableStep.values)


def test_applicant_rates_a_step_once_and_a_second_rating_is_refused(accepted_case):
    user = accepted_case.applicant.user
    rating = rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE,
                           level=Level.VERY_SATISFIED, comment="窗口热情", by=user)
    assert rating.channel == RatingChannel.ONLINE and not rating.on_behalf
    with pytest.raises(ApplicationError) as exc:
        rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE, level=Level.BASIC,
                      by=user)
    assert exc.value.status == 409 and exc.value.code == "already_rated"
    assert "只能评价一次" in exc.value.message
    assert Rating.objects.filter(case=accepted_case).count() == 1
    assert AuditEntry.objects.filter(action="ratings.rating_submit").count() == 1


def test_a_step_that_did_not_happen_cannot_be_rated(accepted_case):
    assert case_steps_done(accepted_case) == [RatableStep.ACCEPTANCE]
    for step in (RatableStep.INSPECTION, RatableStep.COMPLETION):
        with pytest.raises(ApplicationError) as exc:
            rating_submit(case=accepted_case, step=step, level=Level.SATISFIED,
                          by=accepted_case.applicant.user)
        assert exc.value.status == 409 and exc.value.code == "step_not_done"
    assert not Rating.objects.exists()


def test_strangers_and_other_applicants_cannot_rate(accepted_case, other_applicant):
    for user in (other_applicant.user, UserFactory(roles=["applicant"]), UserFactory()):
        with pytest.raises(ApplicationError) as exc:
            rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE,
                          level=Level.SATISFIED, by=user)
        assert exc.value.status == 404
    assert not Rating.objects.exists()


def test_an_authorised_agent_rates_for_the_applicant(accepted_case):
    agent = UserFactory(roles=["agent"])
    AgentAuthorization.objects.create(applicant=accepted_case.applicant, agent=agent,
                                      granted_by=accepted_case.applicant.user)
    rating = rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE,
                           level=Level.SATISFIED, by=agent)
    assert rating.rated_by == agent


def test_staff_cannot_rate_as_the_applicant(accepted_case):
    with pytest.raises(ApplicationError) as exc:
        rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE, level=Level.SATISFIED,
                      by=staff("clerk"))
    assert exc.value.status == 403


def test_clerk_records_a_paper_rating_marked_on_behalf_but_not_of_own_step(crew, accepted_case):
    own = crew.users["clerk"]  # accepted this case
    with pytest.raises(ApplicationError) as exc:
        rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE, level=Level.SATISFIED,
                      channel=RatingChannel.PAPER, by=own)
    assert exc.value.status == 403 and exc.value.code == "own_service"
    colleague = staff("clerk")
    rating = rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE,
                           level=Level.SATISFIED, channel=RatingChannel.PAPER, by=colleague)
    assert rating.on_behalf and rating.rated_by == colleague and rating.staff_ids == [own.pk]
    with pytest.raises(ApplicationError) as exc:
        rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE, level=Level.SATISFIED,
                      channel=RatingChannel.PHONE, by=staff("reviewer"))
    assert exc.value.status == 403


@pytest.mark.parametrize("level", [0, 6, "x", None])
def test_unknown_level_is_refused(accepted_case, level):
    with pytest.raises(ApplicationError) as exc:
        rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE, level=level,
                      by=accepted_case.applicant.user)
    assert exc.value.code == "level_required" and "非常满意" in exc.value.message


def test_a_bad_rating_needs_a_reason(accepted_case):
    with pytest.raises(ApplicationError) as exc:
        rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE,
                      level=Level.DISSATISFIED, comment="  ", by=accepted_case.applicant.user)
    assert exc.value.code == "comment_required"
    assert not Rating.objects.exists() and not Rectification.objects.exists()


@pytest.mark.parametrize("level", [Level.VERY_SATISFIED, Level.SATISFIED, Level.BASIC])
def test_good_ratings_open_nothing(accepted_case, level):
    rating_submit(case=accepted_case, step=RatableStep.ACCEPTANCE, level=level,
                  by=accepted_case.applicant.user)
    assert not Rectification.objects.exists()


def test_bad_rating_opens_an_item_due_in_working_days_across_a_holiday(
        crew, matter, plain_calendar):
    today = timezone.localdate()
    first, second = weekdays_after(today, 1), weekdays_after(today, 2)
    plain_calendar(first, second)
    supervisor = crew.users["supervisor"]
    case = make_case(crew, CaseStatus.ACCEPTED, matter=matter)
    rating = rating_submit(case=case, step=RatableStep.ACCEPTANCE,
                           level=Level.VERY_DISSATISFIED, comment="排队两小时无人理睬",
                           by=case.applicant.user)
    item = Rectification.objects.get(rating=rating)
    assert item.status == RectificationStatus.OPEN and item.assignee is None
    expected = weekdays_after(today, 5, skip={first, second})
    assert item.due_date == expected and expected > weekdays_after(today, 5)
    assert item.number.startswith(f"ZG-{today.year}-")
    assert Notification.objects.filter(recipient=supervisor,
                                       event="rating_rectification_assigned").count() == 1
    # the clerk complained about is told nothing and is on record as rated
    assert not Notification.objects.filter(recipient=crew.users["clerk"],
                                           event="rating_rectification_assigned").exists()
    assert rating.staff_ids == [crew.users["clerk"].pk]


def test_rectify_days_setting(crew, matter, settings, plain_calendar):
    settings.ONESEAL_RATING_RECTIFY_DAYS = 2
    case = make_case(crew, CaseStatus.ACCEPTED, matter=matter)
    rating_submit(case=case, step=RatableStep.ACCEPTANCE, level=Level.DISSATISFIED,
                  comment="态度差", by=case.applicant.user)
    assert Rectification.objects.get().due_date == weekdays_after(timezone.localdate(), 2)


def test_steps_of_an_issued_case_and_who_they_are_about(crew, matter):
    case = make_case(crew, CaseStatus.ISSUED, matter=matter)
    assert case_steps_done(case) == [RatableStep.ACCEPTANCE, RatableStep.COMPLETION]
    assert step_staff_ids(case, RatableStep.COMPLETION) == sorted(
        [crew.users["approver"].pk, crew.users["certifier"].pk])


def test_inspection_step_is_about_both_inspectors(crew):
    from tests.factories import MatterFactory

    case = make_case(crew, CaseStatus.DECISION_PENDING, matter=MatterFactory(inspected=True))
    assert RatableStep.INSPECTION in case_steps_done(case)
    assert step_staff_ids(case, RatableStep.INSPECTION) == sorted(u.pk for u in crew.inspectors)
    rating = rating_submit(case=case, step=RatableStep.INSPECTION, level=Level.DISSATISFIED,
                           comment="勘验迟到", by=case.applicant.user)
    assert set(rating.staff_ids) == {u.pk for u in crew.inspectors}


def test_a_rejected_application_can_be_rated_for_acceptance(crew, matter):
    from approvals.services import case_transition

    case = make_case(crew, CaseStatus.SUBMITTED, matter=matter)
    case_transition(case_id=case.pk, name="reject", by=crew.users["clerk"], note="不属于本机关")
    case.refresh_from_db()
    assert case_steps_done(case) == [RatableStep.ACCEPTANCE]


def test_draft_case_has_nothing_to_rate(db):
    case = CaseFactory()
    assert case_steps_done(case) == []
    assert case.created_at > timezone.now() - timedelta(minutes=5)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ratings_of_one_step_store_one(on_postgres):
    from tests.factories.race import race
    from tests.factories.workflow import Crew

    crew = Crew.make()
    case = make_case(crew, CaseStatus.ACCEPTED)
    user = case.applicant.user
    results = race(
        lambda: rating_submit(case=case, step=RatableStep.ACCEPTANCE, level=Level.SATISFIED,
                              by=user),
        lambda: rating_submit(case=case, step=RatableStep.ACCEPTANCE,
                              level=Level.VERY_DISSATISFIED, comment="等太久", by=user),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, ApplicationError) and error.status == 409
    assert "只能评价一次" in error.message
    assert Rating.objects.filter(case=case).count() == 1
    stored = Rating.objects.get(case=case)
    assert Rectification.objects.filter(rating=stored).exists() == stored.is_bad
