"""Every figure on the hand-built dataset of ``conftest`` (March 2025), worked out by hand
from the table there: counts by period, each rate's definition, stage averages, today's
overdue and near-due cases, the breakdowns, staff workload and the map."""

from __future__ import annotations

import pytest

from portal.dashboards import selectors
from portal.dashboards.scope import filters_from

pytestmark = pytest.mark.django_db

MARCH = {"period": "month", "date": "2025-03-15"}


def figs(user, **params):
    return selectors.summary(filters_from({**MARCH, **params}, user))


def test_counts_follow_their_own_dates_and_the_period(dated, supervisor):
    march = figs(supervisor)
    # c1-c10 were submitted in March (c11 in April, c12 never); c10 was not accepted
    assert (march["applications"], march["accepted"]) == (10, 9)
    # 办结: issued or denied (c1, c2, c3, c5); the return (c4) is not 办结
    assert (march["completed"], march["returned"], march["closed"]) == (4, 1, 5)
    week = figs(supervisor, period="week", date="2025-03-05")  # Mon 3 - Sun 9 March
    assert week["applications"] == 6  # c1-c6
    assert week["completed"] == 1     # c1 closed on the 5th
    assert figs(supervisor, period="quarter")["applications"] == 10
    year = figs(supervisor, period="year")
    assert (year["applications"], year["accepted"]) == (11, 10)
    assert figs(supervisor, period="month", date="2025-04-30")["applications"] == 1


def test_on_time_and_return_rates(dated, supervisor):
    march = figs(supervisor)
    # on time: c1 (5 ≤ 10), c3 (14 ≤ 14, the promised day itself), c5 (21 ≤ 25); c2 late
    assert (march["on_time"], march["late"], march["on_time_rate"]) == (3, 1, 75.0)
    # 退件率 = returned / (completed + returned) = 1 / 5
    assert march["return_rate"] == 20.0


def test_inspection_rates(dated, supervisor):
    march = figs(supervisor)
    # inspected: c5 (passed first time), c6 (one rectification round, then passed), c7 (failed)
    assert (march["inspected"], march["first_pass"], march["rectified"]) == (3, 1, 1)
    assert march["first_pass_rate"] == 33.3 and march["rectification_rate"] == 33.3
    # matters without inspection have no rate at all (no denominator), not 0 %
    other = figs(supervisor, matter="A")
    assert other["inspected"] == 0 and other["first_pass_rate"] is None


def test_stage_averages_count_working_days_less_pauses(dated, supervisor):
    rows = {r["stage"]: r for r in selectors.stages(filters_from(MARCH, supervisor))}
    # review: c1 2, c2 5-1 paused = 4, c3 5, c5 0  → 11 / 4
    assert (rows["review"]["cases"], rows["review"]["avg_workdays"]) == (4, 2.75)
    assert (rows["inspection"]["cases"], rows["inspection"]["avg_workdays"]) == (1, 2.0)
    # the denied case c3 has no issue stage
    assert (rows["issue"]["cases"], rows["issue"]["avg_workdays"]) == (3, 0.0)


def test_overdue_and_near_due_are_as_of_today_and_skip_paused_clocks(dated, supervisor):
    march = figs(supervisor)
    # open with the promise passed: c6, c7 (28 March), c8 (two days ago), c11 (10 April);
    # c10's acceptance clock ran out long ago but it waits for the applicant (paused)
    assert march["overdue"] == 4
    assert march["near_due"] == 1  # c9, due today
    # today's figures do not depend on the period
    assert figs(supervisor, period="year", date="2024-06-01")["overdue"] == 4
    deadlines = selectors.deadlines(filters_from(MARCH, supervisor), "district")
    assert {r["key"]: r["overdue"] for r in deadlines["rows"]} == {"140802": 2, "140821": 2}


def test_breakdowns_by_section_matter_industry_and_district(dated, supervisor):
    f = filters_from(MARCH, supervisor)

    def apps(dim):
        return {r["key"]: r["applications"] for r in selectors.breakdown(f, dim)}

    assert apps("section") == {"S1": 7, "S2": 3}
    assert apps("matter") == {"A": 4, "B": 3, "C": 3}
    assert apps("industry") == {"餐饮服务": 7, "药品零售": 3}
    assert apps("district") == {"140802": 7, "140821": 3}
    by_district = {r["key"]: r for r in selectors.breakdown(f, "district")}
    assert by_district["140802"]["on_time_rate"] == 66.7   # c1, c5 of c1, c2, c5
    assert by_district["140821"]["on_time_rate"] == 100.0  # c3
    # filters narrow every figure the same way
    assert figs(supervisor, section="S2", district="140802")["applications"] == 2  # c8, c9


def test_trend_shows_the_last_periods_oldest_first(dated, supervisor):
    rows = selectors.trend(filters_from(MARCH, supervisor))
    assert len(rows) == 12 and rows[-1]["period"] == "2025-03"
    assert rows[-1]["applications"] == 10 and rows[-2]["applications"] == 0
    weeks = selectors.trend(filters_from({"period": "week", "date": "2025-03-12"}, supervisor))
    assert [w["applications"] for w in weeks[-2:]] == [6, 4]  # c1-c6, then c7-c10


def test_workload_counts_each_duty_once_per_case(dated, supervisor, crew):
    rows = {r["user_id"]: r for r in selectors.workload(filters_from(MARCH, supervisor))}
    clerk, reviewer = crew.users["clerk"], crew.users["reviewer"]
    assert rows[clerk.pk]["by_stage"] == {"accept": 10}  # c1-c9 accepted, c10 sent back
    # c1-c8 reviewed (c4 returned by the same reviewer: still one review duty)
    assert rows[reviewer.pk]["by_stage"] == {"review": 8}
    assert rows[crew.users["certifier"].pk]["by_stage"] == {"issue": 3}
    assert all("apply" not in r["by_stage"] for r in rows.values())


def test_map_has_every_county_district_with_volume_and_on_time_rate(dated, supervisor):
    rows = {r["code"]: r for r in selectors.district_map(filters_from(MARCH, supervisor))}
    assert set(rows) == {"140802", "140821"}  # the city itself is not on the map
    assert (rows["140802"]["applications"], rows["140802"]["on_time_rate"]) == (7, 66.7)
    assert rows["140821"]["on_time_rate"] == 100.0
