"""Classification and retention are pure: the default per outcome, 安全生产/危化品 kept
permanently, administrators' rules by specificity, and the review date per period
(counted from 1 January after the closing year; never for 永久)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approvals.workflow import CaseStatus
from archives.retention import (
    Classification,
    MatterFacts,
    Outcome,
    Retention,
    Rule,
    archive_number,
    classify,
    outcome_of,
    review_date,
)

FOOD = MatterFacts(1, "SC-FOOD-01", "食品经营许可", "餐饮服务")
HAZMAT = MatterFacts(2, "SC-SAFE-01", "危险化学品经营许可（安全生产许可类）", "危险化学品")


@pytest.mark.parametrize(("status", "outcome"), [
    (CaseStatus.ISSUED, Outcome.GRANTED), (CaseStatus.DENIED, Outcome.DENIED),
    (CaseStatus.REJECTED, Outcome.REJECTED), (CaseStatus.RETURNED, Outcome.TERMINATED),
    (CaseStatus.WITHDRAWN, Outcome.TERMINATED)])
def test_closing_status_gives_the_outcome(status, outcome):
    assert outcome_of(status) == outcome


def test_an_open_status_has_no_outcome():
    with pytest.raises(ValueError):
        outcome_of(CaseStatus.UNDER_REVIEW)


@pytest.mark.parametrize(("outcome", "code", "retention"), [
    (Outcome.GRANTED, "XK01", Retention.Y30), (Outcome.DENIED, "XK02", Retention.Y10),
    (Outcome.REJECTED, "XK03", Retention.Y10), (Outcome.TERMINATED, "XK04", Retention.Y10)])
def test_defaults_granted_thirty_years_refusals_ten(outcome, code, retention):
    result = classify(FOOD, outcome)
    assert (result.code, result.retention) == (code, retention)


@pytest.mark.parametrize("outcome", Outcome.values)
def test_safety_and_hazardous_chemicals_are_kept_permanently(outcome):
    assert classify(HAZMAT, outcome).retention == Retention.PERMANENT
    by_name = MatterFacts(3, "X", "烟花爆竹安全生产许可", "")
    assert classify(by_name, outcome).retention == Retention.PERMANENT


def test_the_most_specific_rule_wins():
    general = Rule(id=1, retention=Retention.Y10)
    keyword = Rule(id=2, retention=Retention.Y30, keyword="餐饮", code="XK09", name="餐饮类")
    matter = Rule(id=3, retention=Retention.PERMANENT, matter_id=FOOD.id)
    matter_granted = Rule(id=4, retention=Retention.Y10, matter_id=FOOD.id,
                          outcome=Outcome.GRANTED)
    assert classify(FOOD, Outcome.GRANTED, [general]).retention == Retention.Y10
    assert classify(FOOD, Outcome.GRANTED, [general, keyword]) == Classification(
        "XK09", "餐饮类", Retention.Y30)
    assert classify(FOOD, Outcome.DENIED, [general, keyword, matter]).retention \
        == Retention.PERMANENT
    assert classify(FOOD, Outcome.GRANTED, [general, keyword, matter, matter_granted]) \
        .retention == Retention.Y10
    # a rule for another matter or another outcome does not apply
    assert classify(HAZMAT, Outcome.DENIED, [matter, matter_granted]).retention \
        == Retention.PERMANENT
    assert classify(FOOD, Outcome.DENIED, [matter_granted]).retention == Retention.Y10


def test_a_rule_may_shorten_even_a_keyword_default():
    rule = Rule(id=1, retention=Retention.Y30, keyword="危险化学品", outcome=Outcome.REJECTED)
    assert classify(HAZMAT, Outcome.REJECTED, [rule]).retention == Retention.Y30
    assert classify(HAZMAT, Outcome.GRANTED, [rule]).retention == Retention.PERMANENT


@pytest.mark.parametrize(("closed", "retention", "expected"), [
    (date(2026, 3, 15), Retention.Y10, date(2037, 1, 1)),
    (date(2026, 12, 31), Retention.Y10, date(2037, 1, 1)),
    (date(2026, 1, 1), Retention.Y30, date(2057, 1, 1)),
    (date(2026, 6, 1), Retention.PERMANENT, None)])
def test_review_date_counts_from_the_next_first_of_january(closed, retention, expected):
    assert review_date(closed, retention) == expected


@given(closed=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
       retention=st.sampled_from([Retention.Y10, Retention.Y30]))
def test_review_date_is_always_after_the_full_period(closed, retention):
    years = 10 if retention == Retention.Y10 else 30
    review = review_date(closed, retention)
    assert (review.month, review.day) == (1, 1)
    assert review.year == closed.year + years + 1
    assert (review - closed).days >= years * 365


def test_archive_number_carries_class_year_and_period():
    assert archive_number(code="XK01", year=2026, retention=Retention.Y30, seq=7) \
        == "XK01-2026-D30-0007"
    assert archive_number(code="XK03", year=2026, retention=Retention.PERMANENT, seq=12) \
        == "XK03-2026-Y-0012"
