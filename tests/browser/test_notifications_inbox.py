"""A shelter's user finds "service referral received" in the inbox of notifications, in a real
browser (every page checked by axe-core), opens it and lands on the referral; the item is then read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from masarat.consent.services import consent_record
from masarat.consent.vocabulary import ConsentGiver, ConsentPurpose
from masarat.notifications.models import Kind, Notification
from masarat.pathways.services import pathway_add_service, referral_send
from tests.browser.conftest import check_accessibility, html_language, sign_in, switch_language, tr
from tests.factories import make_case, make_service

pytestmark = pytest.mark.browser


def test_a_shelter_user_sees_the_referral_received_in_the_inbox_and_opens_it(
    open_page: Callable[..., Page], live_server: Any, alice: Any, bob: Any, service_provider: Any,
) -> None:
    case = make_case(by=alice)
    consent_record(case=case, purpose=ConsentPurpose.SERVICE_REFERRAL, given_by=ConsentGiver.PERSON, by=bob)
    service = make_service(provider=service_provider.agency)
    referral = referral_send(referral=pathway_add_service(case=case, kind=service.kind, by=bob), service=service,
                             by=bob)

    page = open_page()
    sign_in(page, live_server, service_provider)
    language = html_language(page)
    menu = page.get_by_role("navigation")
    inbox_link = menu.get_by_role("link", name=tr("Notifications", language), exact=False)
    expect(inbox_link).to_contain_text("1")  # one unread
    with page.expect_navigation():
        inbox_link.click()
    check_accessibility(page)
    item = page.locator(".inbox__item--unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(tr(Kind.SERVICE_REFERRAL_RECEIVED.label, language))
    expect(item).to_contain_text(case.reference)
    expect(page.locator("main")).not_to_contain_text("Aminata")  # the inbox names no one
    with page.expect_navigation():
        item.get_by_role("link").click()
    check_accessibility(page)
    expect(page).to_have_url(f"{live_server.url}{reverse('provider-referral', args=[referral.pk])}")
    assert Notification.objects.get(recipient=service_provider).read_at is not None
    page.goto(f"{live_server.url}{reverse('inbox')}")
    check_accessibility(page)
    expect(page.locator(".inbox__item--unread")).to_have_count(0)
    expect(page.locator(".inbox__item")).to_have_count(1)
    switch_language(page, "ar")  # the inbox right to left
    assert html_language(page) == "ar"
    check_accessibility(page)
    expect(page.locator(".inbox__item")).to_contain_text(tr(Kind.SERVICE_REFERRAL_RECEIVED.label, "ar"))
