"""The referral journey in a real browser, in French and in Arabic, every page checked by axe-core.

Alice (Rabat police) refers, Bob (Rabat coordinator) decides in Arabic, Alice follows the status,
Charlie (a Tanger NGO) is told the pages do not exist. Texts are found through gettext, in the
language the page declares, the way a user reads them; one test checks that the Arabic pages
really are written in Arabic (the compiled catalogues are needed: `make catalogues`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from masarat.cases.lifecycle import Status
from masarat.cases.models import Case
from masarat.cases.services import decision_record
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage, ExploitationForm
from masarat.organisations.regions import Region
from masarat.people.models import Person
from masarat.people.vocabulary import BirthDatePrecision, Language, Sex
from masarat.referrals.models import ReferralDraft
from masarat.referrals.vocabulary import Consent, Indicator, UrgentNeed
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    check_accessibility,
    html_language,
    screenshot,
    sign_in,
    switch_language,
    tr,
)
from tests.factories import make_case

pytestmark = pytest.mark.browser

GIVEN_LATIN, FAMILY_LATIN = "Mariama", "Bah"
GIVEN_ARABIC, FAMILY_ARABIC = "مريمة", "باه"
ARABIC_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "ar" / "LC_MESSAGES" / "django.mo"
ARABIC_LETTERS = re.compile(r"[\u0600-\u06FF]")
CIRCUMSTANCES = "Rencontrée au commissariat. Elle dit travailler chez une famille sans salaire depuis un an."


class Form:
    """The referral form, found the way a user finds it: by headings, groups and labels."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.language = html_language(page)

    def t(self, message: Any) -> str:
        return tr(message, self.language)

    def field(self, label: Any) -> Any:
        """The field of this label, which may carry a "(required)" mark but no other words."""
        required = re.escape(self.t("required"))
        return self.page.get_by_label(re.compile(rf"^{re.escape(self.t(label))}( \({required}\))?$"))

    def choose(self, group: Any, *options: Any) -> None:
        fieldset = self.page.get_by_role("group", name=self.t(group))
        for option in options:
            fieldset.get_by_label(self.t(option), exact=True).check()

    def fill_names(self) -> None:
        self.field("Given name (Latin script)").fill(GIVEN_LATIN)
        self.field("Family name (Latin script)").fill(FAMILY_LATIN)
        self.field("Given name (Arabic script)").fill(GIVEN_ARABIC)
        self.field("Family name (Arabic script)").fill(FAMILY_ARABIC)

    def fill_the_rest(self) -> None:
        self.choose("Sex", Sex.FEMALE.label)
        self.choose("What is known of the age?", BirthDatePrecision.YEAR.label)
        self.field("Year of birth").fill("1999")
        self.page.get_by_label(self.t("Nationality"), exact=True).select_option("GN")
        self.page.get_by_label(self.t("Other nationalities")).select_option(["ML"])
        self.page.get_by_label(self.t("Region where the person was met")).select_option(Region.RABAT_SALE_KENITRA)
        self.field("Circumstances").fill(CIRCUMSTANCES)
        self.choose("Suspected forms of exploitation", ExploitationForm.SERVITUDE.label)
        self.choose("Indicators observed", Indicator.DOCUMENTS_WITHHELD.label, Indicator.WAGES_WITHHELD.label)
        self.choose("Consent to the referral", Consent.GIVEN.label)
        self.field("Who informed the person").fill("Alice User")
        self.field("Language used to inform the person").select_option(Language.FRENCH)
        self.choose("Urgent needs", UrgentNeed.SHELTER.label)

    def press(self, button: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=self.t(button), exact=True).click()
        check_accessibility(self.page)


def go_to(page: Page, menu_item: str) -> None:
    """Follow a link of the main menu."""
    language = html_language(page)
    menu = page.get_by_role("navigation", name=tr("Main menu", language))
    with page.expect_navigation():
        menu.get_by_role("link", name=tr(menu_item, language)).click()
    check_accessibility(page)


def status_of(page: Page) -> Any:
    return page.locator("main .status").first


def test_referral_from_responder_to_preliminary_decision(
    open_page: Callable[..., Page], live_server: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    other = make_case(by=alice)  # so that the coordinator's search has something to leave out

    # 1. Alice refers, in French, the default language.
    page = open_page()
    sign_in(page, live_server, alice)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    go_to(page, "New referral")
    form = Form(page)
    expect(form.field("Who informed the person")).to_have_value(alice.get_full_name())
    form.fill_names()
    form.fill_the_rest()
    form.press("Submit the referral")

    case = Case.objects.exclude(pk=other.pk).get()
    expect(page).to_have_url(f"{live_server.url}{reverse('referral-status', args=[case.reference])}")
    expect(page.get_by_role("status")).to_contain_text(case.reference)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(status_of(page)).to_have_text(tr(Status.REFERRED.label, "fr"))
    person = case.person
    assert person is not None
    assert (person.given_name_latin, person.family_name_latin) == (GIVEN_LATIN, FAMILY_LATIN)
    assert (person.given_name_arabic, person.family_name_arabic) == (GIVEN_ARABIC, FAMILY_ARABIC)
    assert person.sex == Sex.FEMALE and person.birth_year == 1999
    assert sorted(n.country.code for n in person.nationalities.all()) == ["GN", "ML"]
    assert case.nationality == "GN"
    assert case.region == Region.RABAT_SALE_KENITRA and case.referred_by == alice
    assert [item.form for item in case.exploitation_forms.all()] == [ExploitationForm.SERVITUDE]
    referral = case.referral
    assert referral.circumstances == CIRCUMSTANCES
    assert referral.consent == Consent.GIVEN
    assert (referral.consent_informed_by, referral.consent_language) == ("Alice User", Language.FRENCH)
    assert {item.indicator for item in referral.indicators.all()} == {
        Indicator.DOCUMENTS_WITHHELD, Indicator.WAGES_WITHHELD}
    assert referral.urgent_shelter

    # 2. Bob switches to Arabic, finds the case, and records a positive preliminary decision.
    coordinator = open_page()
    sign_in(coordinator, live_server, bob)
    switch_language(coordinator, "ar")
    expect(coordinator.locator("html")).to_have_attribute("dir", "rtl")
    search = coordinator.get_by_role("search")
    search.get_by_label(tr("Reference or name", "ar")).fill(GIVEN_ARABIC)
    with coordinator.expect_navigation():
        search.get_by_role("button", name=tr("Filter", "ar")).click()
    check_accessibility(coordinator)
    expect(coordinator.locator("html")).to_have_attribute("lang", "ar")
    rows = coordinator.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).not_to_contain_text(other.reference)
    with coordinator.expect_navigation():
        rows.get_by_role("link", name=case.reference).click()
    check_accessibility(coordinator)
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(coordinator.locator("main")).to_contain_text(GIVEN_ARABIC)
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name=tr("Record the preliminary decision", "ar")).click()
    check_accessibility(coordinator)
    decision = Form(coordinator)
    decision.choose("Outcome", DecisionOutcome.POSITIVE.label)
    reasons = "مؤشرات العمل القسري: الوثائق محجوزة والأجر غير مدفوع."
    decision.field("Reasons").fill(reasons)
    decision.press("Record the decision")
    expect(coordinator).to_have_url(f"{live_server.url}{reverse('case', args=[case.reference])}")
    expect(coordinator.get_by_role("status")).to_contain_text(tr("Decision recorded.", "ar"))
    presumed_victim = tr(Status.REFLECTION_PERIOD.label, "ar")
    assert ARABIC_LETTERS.search(presumed_victim), presumed_victim
    expect(status_of(coordinator)).to_have_text(presumed_victim)
    expect(coordinator.locator("html")).to_have_attribute("dir", "rtl")
    expect(coordinator.locator(".decision")).to_contain_text(reasons)
    case.refresh_from_db()
    assert case.status == Status.REFLECTION_PERIOD
    assert case.reflection_ends_on is not None
    recorded = case.decisions.get()
    assert (recorded.stage, recorded.outcome, recorded.reasons, recorded.decided_by) == (
        DecisionStage.PRELIMINARY, DecisionOutcome.POSITIVE, reasons, bob)

    # 3. Alice sees the new status of her referral (still in French: languages are per user).
    go_to(page, "My referrals")
    row = page.locator("table tbody tr", has_text=case.reference)
    expect(row.locator(".status")).to_have_text(tr(Status.REFLECTION_PERIOD.label, "fr"))
    with page.expect_navigation():
        row.get_by_role("link", name=case.reference).click()
    check_accessibility(page)
    expect(status_of(page)).to_have_text(tr(Status.REFLECTION_PERIOD.label, "fr"))
    expect(page.locator(".timeline")).to_contain_text(tr(Status.REFLECTION_PERIOD.label, "fr"))

    # 4. Charlie, of another agency, is told these pages do not exist.
    outsider = open_page()
    sign_in(outsider, live_server, charlie)
    for url_name in ("referral-status", "case", "case-decision"):
        response = outsider.goto(f"{live_server.url}{reverse(url_name, args=[case.reference])}")
        assert response is not None and response.status == 404, url_name
        check_accessibility(outsider)
        expect(outsider.get_by_role("heading", level=1)).to_have_text(tr("Not found", "fr"))
        expect(outsider.locator("body")).not_to_contain_text(GIVEN_LATIN)
        expect(outsider.locator("body")).not_to_contain_text(GIVEN_ARABIC)


def test_a_draft_is_saved_and_finished_later(page: Page, live_server: Any, alice: Any) -> None:
    sign_in(page, live_server, alice)
    go_to(page, "New referral")
    form = Form(page)
    form.fill_names()
    form.field("Circumstances").fill(CIRCUMSTANCES)
    form.press("Save as draft")

    draft = ReferralDraft.objects.get()
    expect(page).to_have_url(f"{live_server.url}{reverse('referral-draft', args=[draft.pk])}")
    expect(page.get_by_role("status")).to_be_visible()
    assert not Case.objects.exists()

    go_to(page, "My referrals")
    drafts = page.get_by_role("region", name=tr("Drafts (visible only to you)", "fr"))
    link = drafts.get_by_role("link", name=f"{GIVEN_LATIN} {FAMILY_LATIN} {GIVEN_ARABIC} {FAMILY_ARABIC}")
    with page.expect_navigation():
        link.click()
    check_accessibility(page)
    form = Form(page)
    expect(form.field("Given name (Arabic script)")).to_have_value(GIVEN_ARABIC)
    expect(form.field("Circumstances")).to_have_value(CIRCUMSTANCES)
    form.fill_the_rest()
    form.press("Submit the referral")

    case = Case.objects.get()
    expect(page).to_have_url(f"{live_server.url}{reverse('referral-status', args=[case.reference])}")
    assert case.person is not None and case.person.given_name_arabic == GIVEN_ARABIC
    assert not ReferralDraft.objects.exists()
    go_to(page, "My referrals")
    expect(page.get_by_role("region", name=tr("Drafts (visible only to you)", "fr"))).to_have_count(0)
    expect(page.locator("table tbody")).to_contain_text(case.reference)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_referral_with_errors_shows_the_summary_and_saves_nothing(
    page: Page, live_server: Any, alice: Any, language: str
) -> None:
    sign_in(page, live_server, alice)
    go_to(page, "New referral")
    if language != "fr":
        switch_language(page, language)
    form = Form(page)
    form.fill_the_rest()  # but no name, and a phone number that cannot be right
    form.field("Phone").fill("12")
    form.press("Submit the referral")

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    screenshot(page, f"referral-errors-{language}-desktop")
    expect(summary.get_by_role("heading")).to_have_text(tr("There is a problem", language))
    expect(summary).to_contain_text(tr("Enter the person's name in Latin or Arabic script (at least one).", language))
    expect(summary.get_by_role("link")).to_have_count(1)  # the phone; the missing name concerns the whole form
    expect(page.locator("#field-phone .error")).to_be_visible()
    summary.get_by_role("link").click()
    expect(form.field("Phone")).to_be_focused()
    expect(form.field("Circumstances")).to_have_value(CIRCUMSTANCES)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert not Case.objects.exists()
    assert not Person.objects.exists()
    assert not ReferralDraft.objects.exists()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_main_pages_pass_the_accessibility_check(
    open_page: Callable[..., Page], live_server: Any, alice: Any, bob: Any, nadia: Any, auditor: Any, language: str
) -> None:
    """Each page of the journey, in both languages, at desktop and phone width (with screenshots)."""
    case = make_case(by=alice, given_name_arabic="أميناتا", family_name_arabic="ديالو")
    locale = {"fr": "fr-MA", "ar": "ar-MA"}[language]

    def visit(page: Page, url: str, name: str, *, phone_too: bool = False) -> None:
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        check_accessibility(page)
        screenshot(page, f"{name}-{language}-desktop")
        if phone_too:
            page.set_viewport_size(PHONE)
            check_accessibility(page)
            screenshot(page, f"{name}-{language}-phone")
            page.set_viewport_size(DESKTOP)

    responder = open_page(locale=locale)
    sign_in(responder, live_server, alice)
    visit(responder, reverse("referral-new"), "referral-form", phone_too=True)
    visit(responder, reverse("referral-list"), "my-referrals")
    visit(responder, reverse("referral-status", args=[case.reference]), "referral-status")
    visit(responder, reverse("account"), "account")
    visit(responder, reverse("screening-home"), "screening", phone_too=True)

    coordinator = open_page(locale=locale)
    sign_in(coordinator, live_server, bob)
    visit(coordinator, reverse("queue"), "queue", phone_too=True)
    visit(coordinator, reverse("case", args=[case.reference]), "case", phone_too=True)
    visit(coordinator, reverse("case-decision", args=[case.reference]), "decision")
    visit(coordinator, reverse("case-close", args=[case.reference]), "close")
    visit(coordinator, reverse("case-emergency-access"), "emergency-access")
    visit(coordinator, "/no-such-page/", "not-found")

    auditing = open_page(locale=locale)
    sign_in(auditing, live_server, auditor)
    visit(auditing, reverse("audit-log"), "audit-log", phone_too=True)
    visit(auditing, reverse("audit-emergency-accesses"), "emergency-accesses")
    visit(auditing, reverse("audit-access-person", args=[case.reference]), "access-report-person")
    visit(auditing, reverse("audit-access-user", args=["bob"]), "access-report-user")

    national = open_page(locale=locale)
    sign_in(national, live_server, nadia)
    visit(national, reverse("case-rights", args=[case.reference]), "data-rights")
    visit(national, reverse("case-erase", args=[case.reference]), "erasure")


def test_the_arabic_interface_is_written_in_arabic(page: Page, live_server: Any, alice: Any, bob: Any) -> None:
    """The other tests look texts up through gettext, so they also pass on untranslated pages: not this one."""
    assert ARABIC_CATALOGUE.exists(), "compile the catalogues first: `make catalogues`"
    case = make_case(by=alice)
    decision_record(case=case, stage=DecisionStage.PRELIMINARY, outcome=DecisionOutcome.POSITIVE,
                    reasons="Indicateurs de travail forcé.", by=bob, expected_version=case.version)
    sign_in(page, live_server, bob)
    switch_language(page, "ar")
    page.goto(f"{live_server.url}{reverse('case', args=[case.reference])}")
    check_accessibility(page)
    for text in (status_of(page), page.get_by_role("heading", level=1), page.get_by_role("navigation").first,
                 page.locator("footer")):
        expect(text).to_have_text(ARABIC_LETTERS)
