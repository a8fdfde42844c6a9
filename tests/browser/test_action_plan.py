"""The action plan in Chromium, in French and in Arabic, every page checked by axe-core.

An analyst reads the progress report and its print-friendly page, marked as example content;
the commission's secretariat posts progress on a measure.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from masarat.actionplan.models import Measure, MeasureStatus, ProgressUpdate
from masarat.actionplan.services import install_shipped_plans
from tests.browser.conftest import check_accessibility, html_language, screenshot, sign_in, switch_language, tr

pytestmark = pytest.mark.browser


@pytest.fixture
def plans(transactional_db):
    install_shipped_plans()  # a no-op when migrate's are still there


def test_an_analyst_reads_the_action_plan_in_french_and_arabic(page: Page, live_server, analyst, plans):
    sign_in(page, live_server, analyst)
    page.goto(f"{live_server.url}{reverse('action-plan')}")
    check_accessibility(page)
    language = html_language(page)
    assert language == "fr"
    expect(page.get_by_role("heading", level=1)).to_contain_text(tr("Action plan monitoring: %(period)s",
                                                                     language).split(":")[0])
    expect(page.locator(".notice--example").first).to_contain_text(tr("Example content", language))
    expect(page.get_by_role("heading", name="Plan d'action 2023-2026 (exemple)")).to_be_visible()
    screenshot(page, "action-plan-fr")

    page.get_by_label(tr("Period", language), exact=True).select_option("2025")
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Show", language)).click()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")

    with page.expect_navigation():
        page.get_by_role("link", name=tr("Print-friendly page", language)).click()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")

    switch_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".notice--example").first).to_contain_text(tr("Example content", "ar"))
    expect(page.get_by_role("heading", name="خطة العمل 2023-2026 (مثال)")).to_be_visible()
    page.goto(f"{live_server.url}{reverse('action-plan')}")
    check_accessibility(page)
    screenshot(page, "action-plan-ar")


def test_the_secretariat_posts_progress(page: Page, live_server, nadia, plans):
    sign_in(page, live_server, nadia)
    page.goto(f"{live_server.url}{reverse('action-plan')}")
    check_accessibility(page)
    language = html_language(page)
    measure = Measure.objects.get(code="ap-prot-shelters")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(tr("Post progress", language) + ".*" + re.escape(measure.title_fr))
                         ).click()
    check_accessibility(page)
    page.get_by_label(tr("Status of the measure", language)).select_option(MeasureStatus.IN_PROGRESS)
    page.get_by_label(tr("Progress", language), exact=True).fill("Deux centres ouverts.")
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Post progress", language)).click()
    check_accessibility(page)
    expect(page.get_by_role("status")).to_contain_text(tr("Progress recorded.", language))
    expect(page.locator(".updates")).to_contain_text("Deux centres ouverts.")
    assert ProgressUpdate.objects.get(measure=measure).by == nadia
