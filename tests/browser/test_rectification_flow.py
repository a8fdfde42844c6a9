"""A coordinator corrects a person's name from the case page, in Arabic, then undoes the correction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from masarat.people.models import Person
from masarat.people.search import matching_person_ids
from masarat.rectification.models import Rectification
from tests.browser.conftest import check_accessibility, html_language, screenshot, sign_in, tr

pytestmark = pytest.mark.browser


def test_the_coordinator_corrects_the_name_then_restores_it(
    open_page: Callable[..., Page], live_server: Any, alice_case: Any, bob: Any
):
    page = open_page(locale="ar-MA")
    sign_in(page, live_server, bob)
    language = html_language(page)
    assert language == "ar"
    page.goto(f"{live_server.url}{reverse('case', args=[alice_case.reference])}")
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("link", name=tr("Correct the identity", language)).first.click()
    check_accessibility(page)

    page.get_by_label(tr("Given name (Latin script)", language)).fill("Mariam")
    page.get_by_label(tr("Given name (Arabic script)", language)).fill("مريم")
    page.get_by_label(tr("Reason for the correction", language)).fill("جواز السفر يكتب الاسم هكذا")
    page.get_by_label(tr("The person asked for this correction", language)).check()
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Save the correction", language)).click()
    check_accessibility(page)
    expect(page.get_by_role("status")).to_be_visible()
    history = page.get_by_role("region", name=tr("Earlier corrections", language))
    expect(history).to_contain_text("Aminata")
    expect(history).to_contain_text("Mariam")
    expect(history).to_contain_text(tr("Asked by the person", language))
    screenshot(page, "rectification-history-ar")
    person = Person.objects.get(pk=alice_case.person_id)
    assert (person.given_name_latin, person.given_name_arabic) == ("Mariam", "مريم")
    assert matching_person_ids("Mariam Diallo") == [person.pk] and matching_person_ids("Aminata") == []

    history.get_by_text(tr("Restore these values", language)).first.click()
    history.get_by_label(tr("Reason for the correction", language)).fill("تصحيح خاطئ")
    with page.expect_navigation():
        history.get_by_role("button", name=tr("Restore these values", language)).click()
    check_accessibility(page)
    person.refresh_from_db()
    assert (person.given_name_latin, person.given_name_arabic) == ("Aminata", "")
    assert Rectification.objects.count() == 2
    assert Rectification.objects.latest("pk").restores_id == Rectification.objects.earliest("pk").pk
