"""A presumed victim gets a protection pathway, in a real browser, every page checked by axe-core.

Bob (Rabat coordinator) records the positive preliminary decision and the person's consent, then sends
the emergency-shelter referral to the first suggestion; Sami (a shelter: another agency) sees only the
fields the service needs and accepts; Carla (case manager) records the service delivered. A declined
referral comes back to Bob with the next suggestion, and he sends it there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from masarat.cases.services import case_assign_case_manager, decision_record
from masarat.cases.vocabulary import DecisionOutcome
from masarat.consent.services import consent_record
from masarat.consent.vocabulary import ConsentGiver, ConsentPurpose
from masarat.directory.vocabulary import Audience, ServiceKind
from masarat.organisations.models import AgencyKind
from masarat.organisations.regions import Region
from masarat.pathways.models import ServiceReferral
from masarat.pathways.services import referral_send
from masarat.pathways.vocabulary import Outcome, ReferralStatus
from tests.browser.conftest import check_accessibility, html_language, sign_in, tr
from tests.factories import make_agency, make_case, make_service

pytestmark = pytest.mark.browser


def click(page: Page, role: str, name: str, *, within: Any = None) -> None:
    """Click a link or button found by its (translated) name, and check the page it leads to."""
    with page.expect_navigation():
        (within or page).get_by_role(role, name=tr(name, html_language(page)), exact=True).click()
    check_accessibility(page)


def visit(page: Page, live_server: Any, url: str) -> None:
    page.goto(f"{live_server.url}{url}")
    check_accessibility(page)


def row_of(page: Page, kind: ServiceKind) -> Any:
    return page.locator(f"#service-referrals tr[data-kind='{kind}']")


@pytest.fixture
def shelters(service_provider: Any) -> dict[str, Any]:
    tanger = make_agency(kind=AgencyKind.SHELTER, region=Region.TANGER_TETOUAN_AL_HOCEIMA, name="Foyer Tanger")
    return {
        "rabat": make_service(provider=service_provider.agency, name="Foyer Rabat femmes", audience=Audience.WOMEN,
                              min_age=18, capacity_free=2),
        "tanger": make_service(provider=tanger, name="Foyer Tanger", region=Region.TANGER_TETOUAN_AL_HOCEIMA,
                               city="Tanger", capacity_free=5),
    }


def test_a_presumed_victim_gets_a_pathway_and_an_emergency_shelter(
    open_page: Callable[..., Page], live_server: Any, alice: Any, bob: Any, service_provider: Any,
    case_manager: Any, shelters: dict[str, Any],
) -> None:
    case = make_case(by=alice, urgent_needs=["shelter"])
    case_assign_case_manager(case=case, case_manager=case_manager, by=bob, expected_version=None)

    # 1. Bob records the positive preliminary decision: the pathway's referrals are proposed.
    coordinator = open_page()
    sign_in(coordinator, live_server, bob)
    visit(coordinator, live_server, reverse("case", args=[case.reference]))
    click(coordinator, "link", "Record the preliminary decision")
    coordinator.get_by_role("group", name=tr("Outcome", "fr")).get_by_label(
        tr(DecisionOutcome.POSITIVE.label, "fr"), exact=True).check()
    coordinator.get_by_label(tr("Reasons", "fr")).fill("Salaire retenu, passeport confisqué.")
    click(coordinator, "button", "Record the decision")
    emergency = row_of(coordinator, ServiceKind.EMERGENCY_SHELTER)
    expect(emergency).to_contain_text(tr(ReferralStatus.PROPOSED.label, "fr"))
    expect(emergency).to_contain_text(tr("Due this week", "fr"))
    expect(row_of(coordinator, ServiceKind.LEGAL_AID)).to_be_visible()

    # 2. He records her consent to share with a provider, then sends the referral to the first suggestion.
    click(coordinator, "link", "Record consent")
    coordinator.get_by_label(tr("Purpose", "fr")).select_option(ConsentPurpose.SERVICE_REFERRAL)
    coordinator.get_by_role("group", name=tr("Given by", "fr")).get_by_label(
        tr(ConsentGiver.PERSON.label, "fr"), exact=True).check()
    click(coordinator, "button", "Record consent")
    expect(coordinator.locator(".consents")).to_contain_text(tr("in force", "fr"))
    click(coordinator, "link", "Choose the provider", within=row_of(coordinator, ServiceKind.EMERGENCY_SHELTER))
    choices = coordinator.get_by_role("group", name=tr("Provider", "fr"))
    expect(choices.get_by_role("radio").first).to_be_checked()
    expect(choices).to_contain_text("Foyer Rabat femmes")
    expect(choices).to_contain_text(tr("same region", "fr"))
    click(coordinator, "button", "Send the referral")
    expect(row_of(coordinator, ServiceKind.EMERGENCY_SHELTER)).to_contain_text(tr(ReferralStatus.SENT.label, "fr"))
    referral = ServiceReferral.objects.get(case=case, kind=ServiceKind.EMERGENCY_SHELTER)
    assert referral.service == shelters["rabat"]

    # 3. Sami, at the shelter, finds it in his inbox: the given name, nothing more than the service needs.
    shelter = open_page()
    sign_in(shelter, live_server, service_provider)
    expect(shelter).to_have_url(f"{live_server.url}{reverse('provider-inbox')}")
    click(shelter, "link", case.reference)
    shared = shelter.locator("#shared-fields")
    expect(shared.locator("[data-field='given_name']")).to_have_text("Aminata")
    expect(shared.locator("dd")).to_have_count(5)
    main = shelter.locator("main")
    for hidden in ("Diallo", "Found working without pay", "0612345678"):
        expect(main).not_to_contain_text(hidden)
    click(shelter, "button", "Accept")
    expect(shelter.locator("#referral-status")).to_have_text(tr(ReferralStatus.ACCEPTED.label, "fr"))
    for url in (reverse("case", args=[case.reference]), reverse("referral-status", args=[case.reference])):
        visit(shelter, live_server, url)
        expect(shelter.get_by_role("heading", level=1)).to_have_text(tr("Not found", "fr"))

    # 4. Carla, the case manager, records the service delivered.
    manager = open_page()
    sign_in(manager, live_server, case_manager)
    visit(manager, live_server, reverse("case", args=[case.reference]))
    click(manager, "link", "Record the service delivered",
          within=row_of(manager, ServiceKind.EMERGENCY_SHELTER))
    manager.get_by_role("group", name=tr("Outcome", "fr")).get_by_label(
        tr(Outcome.ONGOING.label, "fr"), exact=True).check()
    manager.get_by_label(tr("What was delivered", "fr")).fill("Hébergée depuis le 3, repas et vêtements.")
    click(manager, "button", "Record the service delivered")
    expect(row_of(manager, ServiceKind.EMERGENCY_SHELTER)).to_contain_text(tr(ReferralStatus.DELIVERED.label, "fr"))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DELIVERED and referral.delivered_by == case_manager


def test_a_declined_referral_is_escalated_with_the_next_suggestion(
    open_page: Callable[..., Page], live_server: Any, alice: Any, bob: Any, service_provider: Any,
    shelters: dict[str, Any],
) -> None:
    case = make_case(by=alice)
    decision_record(case=case, stage="preliminary", outcome="positive", reasons="Indicators.", by=bob,
                    expected_version=None)
    consent_record(case=case, purpose=ConsentPurpose.SERVICE_REFERRAL, given_by=ConsentGiver.PERSON, by=bob)
    proposal = case.service_referrals.get(kind=ServiceKind.EMERGENCY_SHELTER)
    sent = referral_send(referral=proposal, service=shelters["rabat"], by=bob)

    shelter = open_page()
    sign_in(shelter, live_server, service_provider)
    visit(shelter, live_server, reverse("provider-referral", args=[sent.pk]))
    click(shelter, "link", "Decline")
    shelter.get_by_label(tr("Why do you decline?", "fr")).fill("Plus de lit ce soir.")
    click(shelter, "button", "Decline the referral")
    expect(shelter.locator("#referral-status")).to_have_text(tr(ReferralStatus.DECLINED.label, "fr"))

    coordinator = open_page()
    sign_in(coordinator, live_server, bob)
    visit(coordinator, live_server, reverse("service-referrals") + "?awaiting=on")
    expect(coordinator.locator("main table")).to_contain_text(tr("Escalated to the coordinator.", "fr"))
    visit(coordinator, live_server, reverse("case", args=[case.reference]))
    row = row_of(coordinator, ServiceKind.EMERGENCY_SHELTER).filter(has_text="Plus de lit ce soir.")
    expect(row).to_contain_text("Foyer Tanger")
    click(coordinator, "link", "Send to another provider", within=row)
    choices = coordinator.get_by_role("group", name=tr("Provider", "fr"))
    expect(choices.get_by_role("radio")).to_have_count(1)  # the shelter that declined is not suggested again
    expect(choices.get_by_role("radio").first).to_be_checked()
    expect(choices).to_contain_text("Foyer Tanger")
    click(coordinator, "button", "Send the referral")
    again = ServiceReferral.objects.get(case=case, kind=ServiceKind.EMERGENCY_SHELTER, status=ReferralStatus.SENT)
    assert again.service == shelters["tanger"]
    sent.refresh_from_db()
    assert sent.followed_up_by == again


def test_directory_and_transfer_pages_in_arabic_pass_the_accessibility_check(
    open_page: Callable[..., Page], live_server: Any, alice: Any, bob: Any, service_provider: Any,
    case_manager: Any, shelters: dict[str, Any],
) -> None:
    from masarat.pathways.services import transfer_request

    case = make_case(by=alice)
    decision_record(case=case, stage="preliminary", outcome="positive", reasons="Indicators.", by=bob,
                    expected_version=None)
    consent_record(case=case, purpose=ConsentPurpose.CASE_TRANSFER, given_by=ConsentGiver.PERSON, by=bob)
    transfer = transfer_request(case=case, to_user=case_manager, reason="Elle déménage à Salé.", by=bob)

    shelter = open_page(locale="ar-MA")
    sign_in(shelter, live_server, service_provider)
    expect(shelter.locator("html")).to_have_attribute("dir", "rtl")
    visit(shelter, live_server, reverse("directory") + "?free=on")
    expect(shelter.locator("main table")).to_contain_text("Foyer Rabat femmes")
    visit(shelter, live_server, reverse("directory-service", args=[shelters["rabat"].pk]))
    shelter.get_by_label(tr("Free places now", "ar")).fill("1")
    click(shelter, "button", "Save")
    expect(shelter.get_by_role("status")).to_contain_text(tr("Free places updated.", "ar"))
    click(shelter, "link", "Edit this service")

    manager = open_page(locale="ar-MA")
    sign_in(manager, live_server, case_manager)
    visit(manager, live_server, reverse("transfers"))
    click(manager, "link", case.reference)
    manager.get_by_role("group", name=tr("Your answer", "ar")).get_by_label(
        tr("Accept: I become the case manager", "ar"), exact=True).check()
    click(manager, "button", "Send the answer")
    expect(manager).to_have_url(f"{live_server.url}{reverse('case', args=[case.reference])}")
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert transfer.status == "accepted" and case.assigned_case_manager == case_manager
    click(manager, "link", "Skip", within=row_of(manager, ServiceKind.LEGAL_AID))
