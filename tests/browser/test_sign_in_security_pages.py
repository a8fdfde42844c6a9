"""The pages of sign-in security (two-step sign-in, locked-out page) in Chromium, with axe-core checks."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.accounts.test_sign_in_security import code_of
from tests.browser.conftest import check_accessibility, sign_in, tr
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_setting_up_and_using_two_step_sign_in(page: Page, live_server, alice, settings):
    settings.MASARAT_MFA_REQUIRED = True
    sign_in(page, live_server, alice)  # checks the page it lands on: the setup, before anything else
    expect(page).to_have_url(re.compile(reverse("mfa-setup")))
    language = "fr"
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    page.get_by_label(tr("Code shown by the app", language)).fill(code_of(device))
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Turn on two-step sign-in", language)).click()
    check_accessibility(page)
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    with page.expect_navigation():
        page.get_by_role("link", name=tr("I have kept my codes, continue", language)).click()
    check_accessibility(page)

    with page.expect_navigation():
        page.get_by_role("button", name=tr("Sign out", language)).click()
    check_accessibility(page)
    page.locator("#id_username").fill(alice.username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Sign in", language), exact=True).click()
    expect(page).to_have_url(re.compile(reverse("mfa-verify")))
    check_accessibility(page)
    page.get_by_label(tr("Code", language), exact=True).fill(code_of(device, steps_ahead=1))
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Continue", language)).click()
    expect(page).not_to_have_url(re.compile("/login/"))
    check_accessibility(page)


def test_the_locked_out_page(page: Page, live_server, alice):
    page.goto(f"{live_server.url}{reverse('login')}")
    check_accessibility(page)
    for _attempt in range(5):
        page.locator("#id_username").fill(alice.username)
        page.locator("#id_password").fill("not-the-password")
        with page.expect_navigation():
            page.get_by_role("button", name=tr("Sign in", "fr"), exact=True).click()
        check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Sign-in locked", "fr"))
