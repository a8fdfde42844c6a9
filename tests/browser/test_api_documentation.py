"""The API documentation page in Chromium, in French and in Arabic, with axe-core checks."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, html_language, switch_language, tr

pytestmark = pytest.mark.browser


def test_the_api_documentation_reads_in_french_and_in_arabic(page: Page, live_server):
    page.goto(f"{live_server.url}{reverse('api-docs')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("API documentation", "fr"))
    expect(page.locator("#cases_list")).to_be_visible()
    check_accessibility(page)
    switch_language(page, "ar")
    assert html_language(page) == "ar"
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("API documentation", "ar"))
    check_accessibility(page)
