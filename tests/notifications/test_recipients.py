"""Who is told of each event: those the rules name, and never someone who could not open the thing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from masarat.accounts.models import Role
from masarat.cases import services as case_services
from masarat.notifications.models import Kind, Notification, Target
from masarat.notifications.selectors import describe, link
from masarat.pathways import services as pathways
from masarat.pathways.models import ServiceReferral
from masarat.referrals.services import referral_submit
from masarat.referrals.vocabulary import Consent
from tests.factories import make_agency, make_case, make_user, referral_input
from tests.notifications.conftest import told


def test_a_new_referral_goes_to_the_coordinators_of_its_region_and_the_national_ones(alice, bob, bob_colleague,
                                                                                    dana, nadia, charlie,
                                                                                    case_manager):
    case = make_case(by=alice)
    assert told(Kind.NEW_REFERRAL) == {"bob", "basma", "nadia"}  # not Dana (Tanger), not Alice herself
    item = Notification.objects.get(recipient=bob)
    assert item.reference == case.reference and item.target == Target.CASE
    assert link(item) == reverse("case", args=[case.reference])


def test_an_inactive_coordinator_or_one_of_an_inactive_agency_is_not_told(alice, bob, bob_colleague, nadia):
    bob_colleague.is_active = False
    bob_colleague.save()
    nadia.agency.is_active = False
    nadia.agency.save()
    make_case(by=alice)
    assert told(Kind.NEW_REFERRAL) == {"bob"}


def test_an_anonymous_notification_waits_for_no_decision_and_tells_nobody(alice, bob):
    referral_submit(data=referral_input(consent=Consent.REFUSED), by=alice)
    assert not Notification.objects.exists()


def test_a_decision_goes_to_the_referring_agency_only(alice, alice_colleague, charlie, bob, nadia):
    case = make_case(by=alice)
    case_services.decision_record(case=case, stage="preliminary", outcome="negative", reasons="No indicator.",
                                  by=bob, expected_version=None)
    assert told(Kind.DECISION_RECORDED) == {"alice", "amal"}  # Charlie's NGO did not refer; Bob decided
    item = Notification.objects.get(recipient=alice, kind=Kind.DECISION_RECORDED)
    assert item.target == Target.REFERRAL_STATUS and item.params == {"stage": "preliminary", "outcome": "negative"}
    assert link(item) == reverse("referral-status", args=[case.reference])


def test_a_second_review_is_told_to_the_referring_agency(alice, bob, bob_colleague):
    case = make_case(by=alice)
    decision = case_services.decision_record(case=case, stage="preliminary", outcome="negative",
                                             reasons="No indicator.", by=bob, expected_version=None)
    Notification.objects.all().delete()
    case_services.decision_review(decision=decision, confirm=True, reasons="Agreed.", by=bob_colleague,
                                  expected_version=None)
    item = Notification.objects.get(recipient=alice, kind=Kind.DECISION_RECORDED)
    assert item.params == {"stage": "preliminary", "review": "confirmed"}


def test_an_assignment_goes_to_the_assignee(alice_case, bob, case_manager):
    case_services.case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob, expected_version=None)
    assert told(Kind.CASE_ASSIGNED) == {"carla"}
    case_services.case_assign_coordinator(case=alice_case, coordinator=bob, by=bob, expected_version=None)
    assert told(Kind.CASE_ASSIGNED) == {"carla"}  # assigning oneself tells nobody


def test_a_positive_decision_tells_the_case_holders_of_the_proposed_pathway(assigned_case, bob_colleague,
                                                                          case_manager):
    case_services.decision_record(case=assigned_case, stage="preliminary", outcome="positive",
                                  reasons="Indicators.", by=bob_colleague, expected_version=None)
    assert told(Kind.PATHWAY_PROPOSED) == {"bob", "carla"}
    assert Notification.objects.filter(kind=Kind.PATHWAY_PROPOSED).first().params["count"] > 0


def test_a_service_referral_goes_to_the_provider_agency_users_only(sent_referral, service_provider):
    colleague = make_user(role=Role.SERVICE_PROVIDER, agency=service_provider.agency, username="sara")
    other_shelter = make_user(role=Role.SERVICE_PROVIDER, agency=make_agency(name="Foyer Tanger"), username="omar")
    assert colleague and other_shelter
    assert told(Kind.SERVICE_REFERRAL_RECEIVED) == {"sami"}  # Sara joined after it was sent
    item = Notification.objects.get(kind=Kind.SERVICE_REFERRAL_RECEIVED)
    assert item.target == Target.PROVIDER_REFERRAL and item.object_id == sent_referral.pk
    assert link(item) == reverse("provider-referral", args=[sent_referral.pk])


def test_the_answers_of_the_provider_go_to_the_case_holders(sent_referral, service_provider):
    pathways.referral_accept(referral=sent_referral, by=service_provider)
    assert told(Kind.SERVICE_REFERRAL_ACCEPTED) == {"bob", "carla"}
    pathways.referral_record_delivery(referral=sent_referral, note="Two nights.", outcome="completed",
                                      by=service_provider)
    assert told(Kind.SERVICE_DELIVERED) == {"bob", "carla"}


def test_a_refusal_and_a_silence_go_back_to_the_case_holders(sent_referral, service_provider, bob):
    pathways.referral_decline(referral=sent_referral, reason="Full tonight.", by=service_provider)
    assert told(Kind.SERVICE_REFERRAL_DECLINED) == {"bob", "carla"}
    follow_up = pathways.referral_send(referral=sent_referral, service=sent_referral.service, by=bob,
                                       note="Only shelter in town.")
    ServiceReferral.objects.filter(pk=follow_up.pk).update(response_due_at=timezone.now() - timedelta(hours=1))
    assert pathways.referrals_escalate_overdue() == 1
    assert told(Kind.SERVICE_REFERRAL_ESCALATED) == {"bob", "carla"}


def test_a_transfer_goes_to_the_receiver_and_its_answer_to_the_requester(assigned_case, bob, case_manager):
    other = make_agency(name="Entraide Salé")
    receiver = make_user(role=Role.CASE_MANAGER, agency=other, username="rachid")
    transfer = pathways.transfer_request(case=assigned_case, to_user=receiver, reason="Moves.", by=bob)
    assert told(Kind.TRANSFER_REQUESTED) == {"rachid"}
    assert link(Notification.objects.get(kind=Kind.TRANSFER_REQUESTED)) == reverse("transfer-respond",
                                                                                   args=[transfer.pk])
    pathways.transfer_respond(transfer=transfer, accept=True, by=receiver)
    # Bob asked; Carla, who no longer holds the file, is not told (she could not open it).
    assert told(Kind.TRANSFER_ANSWERED) == {"bob"}


def test_a_change_rolled_back_notifies_nobody(alice, bob):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case(by=alice)
        raise RuntimeError
    assert not Notification.objects.exists()


def test_the_text_is_written_in_the_readers_language_and_names_no_one(sent_referral, service_provider):
    from django.utils import translation

    item = Notification.objects.get(kind=Kind.SERVICE_REFERRAL_RECEIVED)
    with translation.override("en"):
        english = describe(item)
    with translation.override("fr"):
        french = describe(item)
    assert sent_referral.case.reference in english and "Emergency shelter" in english
    assert english != french and sent_referral.case.reference in french
    for text in (english, french, str(item.params)):
        assert "Aminata" not in text and "Diallo" not in text
