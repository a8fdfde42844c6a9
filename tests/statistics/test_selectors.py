"""Every aggregate against the small dataset of ``dataset.py``, worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from masarat.deadlines.calendar import WorkingCalendar
from masarat.organisations.models import AgencyKind
from masarat.organisations.regions import Region
from masarat.statistics import selectors
from masarat.statistics.selectors import Filters
from tests.statistics.dataset import build

NO_HOLIDAYS = WorkingCalendar()
Q1, Q2 = date(2025, 1, 1), date(2025, 4, 1)


@pytest.fixture
def data(alice, charlie, bob):
    return build(alice, charlie, bob)


def test_referrals_per_quarter_by_where_they_stand(data):
    assert selectors.outcomes_per_period(Filters(), "quarter") == {
        (Q1, "identified"): 1, (Q1, "not_presumed"): 1, (Q2, "awaiting_preliminary"): 1, (Q2, "anonymous"): 1}
    assert selectors.outcomes_per_period(Filters(), "year") == {
        (Q1, "identified"): 1, (Q1, "not_presumed"): 1, (Q1, "awaiting_preliminary"): 1, (Q1, "anonymous"): 1}
    months = selectors.outcomes_per_period(Filters(), "month")
    assert months[(date(2025, 1, 1), "identified")] == 1 and months[(date(2025, 4, 1), "anonymous")] == 1


def test_a_closed_case_counts_with_the_decision_it_had(data):
    data.c1.status, data.c1.status_before_close = "closed", "identified"
    data.c1.save()
    assert selectors.outcomes_per_period(Filters(), "year")[(Q1, "identified")] == 1


def test_the_period_filter_is_on_the_date_of_referral(data):
    assert selectors.outcomes_per_period(Filters(start=date(2025, 4, 1), end=date(2025, 4, 1)), "year") == {
        (Q1, "awaiting_preliminary"): 1}


def test_breakdowns_by_profile(data):
    assert selectors.breakdown(Filters(), "sex") == {"female": 2, "male": 2}
    assert selectors.breakdown(Filters(), "nationality") == {"GN": 3, "NG": 1}
    assert selectors.breakdown(Filters(), "region") == {Region.RABAT_SALE_KENITRA: 3,
                                                       Region.TANGER_TETOUAN_AL_HOCEIMA: 1}
    assert selectors.breakdown(Filters(), "agency_kind") == {AgencyKind.POLICE: 3, AgencyKind.NGO: 1}
    assert selectors.breakdown(Filters(), "exploitation") == {"ForcedLabour": 3, "SexualExploitation": 1}
    # Born in 1995 and 2012, referred in 2026 (the bands are set at referral).
    assert selectors.breakdown(Filters(), "age_band") == {"30--38": 3, "9--17": 1}


def test_profile_filters_combine(data):
    assert selectors.breakdown(Filters(sex="female", exploitation="ForcedLabour"), "region") == {
        Region.RABAT_SALE_KENITRA: 2}
    assert selectors.breakdown(Filters(region=Region.TANGER_TETOUAN_AL_HOCEIMA), "sex") == {"male": 1}
    assert selectors.breakdown(Filters(agency_kind=AgencyKind.NGO, nationality="NG"), "sex") == {"male": 1}
    assert selectors.breakdown(Filters(age_band="9--17"), "sex") == {"female": 1}


def test_time_spent_in_each_stage(data):
    durations = {d.stage.code: d for d in selectors.stage_durations(Filters())}
    # Acknowledged after 6, 48 and 2 hours: the median is 6, the 90th percentile 48 (nearest rank).
    assert (durations["acknowledgement"].count, durations["acknowledgement"].median_hours,
            durations["acknowledgement"].p90_hours) == (3, 6, 48)
    assert (durations["preliminary"].count, durations["preliminary"].median_hours,
            durations["preliminary"].p90_hours) == (2, 96, 312)
    assert (durations["review"].count, durations["review"].median_hours) == (1, 96)
    # 59 days, and one hour more: Morocco's clocks go back an hour during Ramadan.
    elapsed = data.c1.formal_decided_at - data.c1.preliminary_decided_at
    assert (durations["formal"].count, durations["formal"].median_hours) == (1, elapsed.total_seconds() // 3600)
    # Stages that ended in the first quarter only.
    first_quarter = {d.stage.code: d.count for d in selectors.stage_durations(Filters(end=date(2025, 3, 31)))}
    assert first_quarter == {"acknowledgement": 2, "preliminary": 2, "review": 1, "formal": 1}


def test_deadline_compliance(data):
    assert selectors.deadline_compliance(Filters(), NO_HOLIDAYS) == {
        ("acknowledgement", "on_time"): 2, ("acknowledgement", "late"): 1,
        ("preliminary", "on_time"): 1, ("preliminary", "late"): 1,
        ("review", "on_time"): 1,  # 20 January to 24 January: 4 working days of 5
        ("formal", "late"): 1,  # reflection ended 10 February, due 17 February, decided 10 March
    }


def test_backlog_by_age_and_deadline(data):
    ages, timeliness = selectors.backlog(Filters(), today=date(2025, 6, 30))
    assert ages == {("preliminary", 90): 1}  # referred 1 April: 90 days on 30 June
    assert timeliness == {("preliminary", "overdue"): 1}
    ages, timeliness = selectors.backlog(Filters(), today=date(2025, 4, 5))
    assert ages == {("preliminary", 0): 1} and timeliness == {("preliminary", "within"): 1}
    assert selectors.backlog(Filters(sex="male"), today=date(2025, 4, 5)) == ({}, {})


def test_flows_and_forecast(data):
    flows = selectors.stage_flows(Filters(), today=date(2025, 4, 10))
    assert flows == {
        ("acknowledgement", "in"): 1, ("acknowledgement", "out"): 1,  # c3 only: c1, c2 came before the window
        ("preliminary", "in"): 1, ("preliminary", "out"): 1,
        ("review", "in"): 1, ("review", "out"): 1,
        ("formal", "in"): 1, ("formal", "out"): 1,
    }
    forecast = selectors.forecasts({"preliminary": 6}, {("preliminary", "in"): 9, ("preliminary", "out"): 3})[1]
    # Three decisions in 90 days is one every 30 days: six waiting would wait 180 days; the queue grows by 2 a month.
    assert forecast.expected_wait_days == 180
    assert forecast.growth_per_30_days == 2.0
    assert forecast.arrivals_per_30_days == 3.0
    assert selectors.forecasts({"formal": 4}, {})[3].expected_wait_days is None
    # Published figures are rounded, so that the counts of the window cannot be recovered from them.
    assert (forecast.about_arrivals, forecast.about_departures, forecast.about_growth) == (5, 0, 0)
    assert forecast.about_wait == (6, "months")
    busy = selectors.forecasts({"formal": 40}, {("formal", "in"): 100, ("formal", "out"): 250})[3]
    assert busy.expected_wait_days == 14 and busy.about_wait == (2, "weeks")
    assert (busy.about_arrivals, busy.about_departures, busy.about_growth) == (35, 85, -50)


def test_nearest_rank_percentiles():
    from collections import Counter

    assert selectors.nearest_rank(Counter({1: 1, 2: 1, 3: 1, 4: 1}), 0.5) == 2
    assert selectors.nearest_rank(Counter({1: 9, 100: 1}), 0.9) == 1
    assert selectors.nearest_rank(Counter({1: 9, 100: 2}), 0.9) == 100
    assert selectors.nearest_rank(Counter(), 0.5) is None
