"""Sending a case abroad in a real browser: from the case page, a coordinator chooses the partner and
downloads the encrypted, signed package; the case page then shows it waiting for an acknowledgement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from masarat.consent.services import consent_record
from masarat.consent.vocabulary import ConsentPurpose
from masarat.transnational import envelope
from masarat.transnational.keys import demo_identity, encode
from masarat.transnational.models import OutgoingPackage, PackageStatus, Partner
from tests.browser.conftest import check_accessibility, sign_in, switch_language, tr

pytestmark = pytest.mark.browser


def test_a_coordinator_creates_a_package_from_the_case_page(open_page, live_server: Any, alice_case, bob,
                                                            settings) -> None:
    settings.MASARAT_TRANSFER_COUNTRIES = ["ES"]
    partner_keys = demo_identity("browser-partner").public
    partner = Partner.objects.create(name="Proyecto Esperanza", country="ES",
                                     encryption_key=encode(partner_keys.encryption_key),
                                     signing_key=encode(partner_keys.signing_key))
    Partner.objects.create(name="Hope USA", country="US", encryption_key=encode(bytes(32)),
                           signing_key=encode(bytes(range(32))))
    consent_record(case=alice_case, purpose=ConsentPurpose.TRANSFER_ABROAD, given_by="person", by=bob)

    page = open_page()
    sign_in(page, live_server, bob)
    page.goto(f"{live_server.url}{reverse('case', args=[alice_case.reference])}")
    check_accessibility(page)
    section = page.get_by_role("region", name=tr("Transnational referrals", "fr"))
    with page.expect_navigation():
        section.get_by_role("link", name=tr("Send the case abroad", "fr"), exact=True).click()
    check_accessibility(page)
    expect(page.get_by_text("Hope USA")).to_have_count(0)  # not an allowed destination
    page.get_by_label("Proyecto Esperanza", exact=False).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name=tr("Create and download the package", "fr")).click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"masarat-package-{alice_case.reference}-")
    package = envelope.parse(Path(download.path()).read_bytes())
    assert package.header.recipient == partner.fingerprint
    assert OutgoingPackage.objects.get().status == PackageStatus.SENT

    page.goto(f"{live_server.url}{reverse('case', args=[alice_case.reference])}")
    check_accessibility(page)
    expect(page.get_by_role("region", name=tr("Transnational referrals", "fr"))).to_contain_text(
        tr("Sent, not acknowledged", "fr"))
    switch_language(page, "ar")  # the section and the form right to left
    check_accessibility(page)
    expect(page.get_by_role("region", name=tr("Transnational referrals", "ar"))).to_contain_text(
        tr("Sent, not acknowledged", "ar"))
    page.goto(f"{live_server.url}{reverse('case-package-new', args=[alice_case.reference])}")
    check_accessibility(page)
