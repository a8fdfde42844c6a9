"""The statistics dashboard in Chromium, in French and in Arabic, every page checked by axe-core.

An analyst signs in, lands on the dashboard, filters it, switches to Arabic and downloads a
table; a national coordinator drills down from a region to the matching case list.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from masarat.organisations.regions import Region
from tests.browser.conftest import check_accessibility, html_language, screenshot, sign_in, switch_language, tr
from tests.factories import make_case

pytestmark = pytest.mark.browser


@pytest.fixture
def referrals(alice, charlie):
    """7 referrals in Rabat, 6 in Casablanca and 1 in Tanger: Tanger's is hidden, and Casablanca's with it
    (the smallest other count), or the total would give Tanger's away."""
    for _ in range(7):
        make_case(by=alice)
    for _ in range(6):
        make_case(by=alice, region=Region.CASABLANCA_SETTAT)
    make_case(by=charlie, region=Region.TANGER_TETOUAN_AL_HOCEIMA)


def test_an_analyst_reads_and_filters_the_dashboard_in_french_and_arabic(page: Page, live_server, analyst,
                                                                          referrals):
    sign_in(page, live_server, analyst)  # the analyst's home is the dashboard
    expect(page).to_have_url(re.compile(reverse("overview")))
    language = html_language(page)
    assert language == "fr"
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Statistics of the referral mechanism", language))
    region_table = page.locator("#region-caption").locator("xpath=..")
    expect(region_table.get_by_role("row", name=re.compile(str(Region.RABAT_SALE_KENITRA.label)))).to_contain_text("7")
    expect(region_table.get_by_role("row", name=re.compile("Tanger"))).to_contain_text(tr("hidden", language))
    expect(region_table.get_by_role("row", name=re.compile("Casablanca"))).to_contain_text(tr("hidden", language))
    expect(region_table.locator("tr.total")).to_contain_text("14")
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.locator(".tile-map .tile")).to_have_count(12)
    # No way to the cases for an analyst.
    expect(page.locator(f"a[href^='{reverse('queue')}']")).to_have_count(0)
    screenshot(page, "statistics-fr")

    page.get_by_label(tr("Sex", language), exact=True).select_option("male")
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Show", language)).click()
    check_accessibility(page)
    expect(page.locator("#sex-caption").locator("xpath=..").locator("tr.total")).to_contain_text("0")

    switch_language(page, "ar")
    language = "ar"
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Statistics of the referral mechanism", language))
    screenshot(page, "statistics-ar")
    with page.expect_download() as download:
        page.locator("#region-caption").locator("xpath=../../..").get_by_role(
            "link", name=re.compile("^CSV")).first.click()
    assert download.value.suggested_filename.startswith("masarat-region-")


def test_a_coordinator_drills_down_to_the_cases_of_a_region(page: Page, live_server, nadia, referrals):
    sign_in(page, live_server, nadia)
    page.goto(f"{live_server.url}{reverse('overview')}")
    check_accessibility(page)
    with page.expect_navigation():
        page.locator("#region-caption").locator("xpath=..").get_by_role(
            "link", name=str(Region.RABAT_SALE_KENITRA.label)).click()
    check_accessibility(page)
    expect(page).to_have_url(re.compile(r"region=MA-04"))
    expect(page.locator("tbody tr")).to_have_count(7)
