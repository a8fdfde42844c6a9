"""A coordinator finds, links and unlinks two referrals of one person written in two scripts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from masarat.cases.models import Case
from masarat.duplicates.models import PersonLink
from tests.browser.conftest import check_accessibility, html_language, screenshot, sign_in, switch_language, tr
from tests.factories import make_case

pytestmark = pytest.mark.browser

MOHAMED = {"given_name_latin": "Mohamed", "family_name_latin": "Benali", "sex": "male", "birth_year": 1990,
           "nationalities": ["MA"]}
MOHAMED_ARABIC = {"given_name_latin": "", "family_name_latin": "", "given_name_arabic": "محمد",
                  "family_name_arabic": "بن علي", "sex": "male", "birth_year": 1990, "nationalities": ["MA"]}


def test_the_coordinator_links_a_second_referral_to_the_person_then_undoes_it(
    open_page: Callable[..., Page], live_server: Any, alice: Any, bob: Any
):
    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)  # the same man, referred again in Arabic script
    page = open_page()
    sign_in(page, live_server, bob)
    page.goto(f"{live_server.url}{reverse('case', args=[second.reference])}")
    check_accessibility(page)
    language = html_language(page)
    duplicates = page.get_by_role("region", name=tr("Possible duplicates", language))
    candidate = duplicates.get_by_role("article", name="Mohamed Benali")
    expect(candidate).to_contain_text(first.reference)
    expect(candidate).to_contain_text(tr("Date of birth", language))
    screenshot(page, "duplicates-candidate")

    with page.expect_navigation():
        candidate.get_by_role("button", name=tr("The same person: link the cases", language)).click()
    check_accessibility(page)
    expect(page.get_by_role("status")).to_be_visible()
    both = page.get_by_role("region", name=tr("Other cases of this person", language))
    expect(both.get_by_role("link", name=first.reference)).to_be_visible()
    expect(page.get_by_role("region", name=tr("The person", language))).to_contain_text("Mohamed Benali")
    second.refresh_from_db()
    assert second.person_id == first.person_id

    with page.expect_navigation():
        both.get_by_role("button", name=tr("Undo the link", language)).click()
    check_accessibility(page)
    expect(page.get_by_role("region", name=tr("Other cases of this person", language))).to_have_count(0)
    expect(page.get_by_role("region", name=tr("The person", language))).to_contain_text("محمد بن علي")
    assert Case.objects.get(pk=second.pk).person_id == PersonLink.objects.get().merged_id

    # In Arabic (right to left), the coordinator asks for the comparison again: the pair is found anew.
    switch_language(page, "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    duplicates = page.get_by_role("region", name=tr("Possible duplicates", "ar"))
    with page.expect_navigation():
        duplicates.get_by_role("button", name=tr("Check again now", "ar")).click()
    check_accessibility(page)
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("region", name=tr("Possible duplicates", "ar"))
           .get_by_role("article", name="Mohamed Benali")).to_contain_text(first.reference)
    screenshot(page, "duplicates-check-again-ar")
