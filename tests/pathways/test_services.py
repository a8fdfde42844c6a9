from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masarat.audit.models import AuditEvent
from masarat.cases.models import Case
from masarat.cases.services import decision_record
from masarat.consent.services import ConsentMissing, consent_withdraw
from masarat.deadlines.calendar import WorkingCalendar
from masarat.deadlines.models import PublicHoliday
from masarat.directory.vocabulary import ServiceKind
from masarat.pathways import services
from masarat.pathways.models import PathwayTemplate, ServiceReferral
from masarat.pathways.selectors import DUE_THIS_WEEK, OVERDUE, deadline_filter, deadline_flag, referrals_in_scope
from masarat.pathways.vocabulary import ReferralStatus
from tests.factories import make_case


def test_a_positive_preliminary_decision_proposes_the_pathway(presumed_case):
    referrals = presumed_case.service_referrals.order_by("id")
    assert {referral.template.code for referral in referrals} == {"adult-foreign"}
    assert [referral.kind for referral in referrals][:3] == ["emergency_shelter", "medical", "interpretation"]
    assert all(referral.status == ReferralStatus.PROPOSED for referral in referrals)
    emergency = referrals.get(kind=ServiceKind.EMERGENCY_SHELTER)
    assert emergency.due_on is not None and emergency.due_on <= timezone.localdate() + timedelta(days=3)


def test_a_negative_decision_proposes_nothing(alice, bob):
    case = make_case(by=alice)
    decision_record(case=case, stage="preliminary", outcome="negative", reasons="No sign.", by=bob,
                    expected_version=None)
    assert not case.service_referrals.exists()


def test_a_child_gets_the_child_pathway_and_never_an_adult_one(alice, bob):
    child = make_case(by=alice, birth_year=timezone.localdate().year - 15, consent="not_required_child")
    decision_record(case=child, stage="preliminary", outcome="positive", reasons="Child.", by=bob,
                    expected_version=None)
    assert {referral.template.code for referral in child.service_referrals.all()} == {"child-foreign"}
    with pytest.raises(services.PathwayRefused, match="child's case cannot follow an adult pathway"):
        services.pathway_propose(case=child, by=bob, template=PathwayTemplate.objects.get(code="adult-foreign"))


def test_step_deadlines_count_working_days_and_holidays(presumed_case, bob):
    friday = date(2026, 7, 24)  # the next Thursday, 30 July, is the Throne Day
    PublicHoliday.objects.get_or_create(month=7, day=30, year=None, defaults={"name": "Throne Day"})
    case = presumed_case
    case.service_referrals.all().delete()
    services.pathway_propose(case=case, by=bob, today=friday)
    due = {referral.kind: referral.due_on for referral in case.service_referrals.all()}
    assert due["emergency_shelter"] == friday  # 0 working days: the same (working) day
    assert due["medical"] == date(2026, 7, 27)  # 1 working day after a Friday: the Monday
    assert due["psychological"] == date(2026, 8, 3)  # 5 working days, skipping the week-end and 30 July
    assert WorkingCalendar().add_working_days(friday, 5) == date(2026, 7, 31)


def test_sending_needs_consent(presumed_case, rabat_shelter, bob):
    referral = presumed_case.service_referrals.get(kind=ServiceKind.EMERGENCY_SHELTER)
    with pytest.raises(ConsentMissing):
        services.referral_send(referral=referral, service=rabat_shelter, by=bob)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED and referral.service is None


def test_send_sets_the_response_deadline_four_hours_for_emergency_shelter(emergency_referral, rabat_shelter, bob,
                                                                           settings):
    now = timezone.now()
    sent = services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob, now=now)
    assert sent.status == ReferralStatus.SENT and sent.response_due_at == now + timedelta(hours=4)
    settings.MASARAT_REFERRAL_RESPONSE_HOURS = 24
    assert services.response_hours(ServiceKind.LEGAL_AID) == 24
    assert services.response_hours(ServiceKind.EMERGENCY_SHELTER) == 4


def test_another_provider_than_the_first_suggestion_needs_a_reason(emergency_referral, rabat_shelter, tanger_shelter,
                                                                    bob):
    with pytest.raises(services.PathwayRefused, match="first suggestion"):
        services.referral_send(referral=emergency_referral, service=tanger_shelter, by=bob)
    sent = services.referral_send(referral=emergency_referral, service=tanger_shelter, by=bob,
                                  note="Safer far from Rabat: the recruiter lives there.")
    assert sent.service == tanger_shelter


def test_skip_needs_a_reason(emergency_referral, bob):
    with pytest.raises(services.PathwayRefused):
        services.referral_skip(referral=emergency_referral, reason=" ", by=bob)
    services.referral_skip(referral=emergency_referral, reason="Housed by her sister.", by=bob)
    emergency_referral.refresh_from_db()
    assert emergency_referral.status == ReferralStatus.SKIPPED


def test_only_those_who_hold_the_file_manage_the_pathway(emergency_referral, rabat_shelter, dana, alice):
    for outsider in (dana, alice):
        with pytest.raises(PermissionDenied):
            services.referral_send(referral=emergency_referral, service=rabat_shelter, by=outsider)


def test_decline_escalates_to_the_coordinator_with_the_next_suggestion(emergency_referral, rabat_shelter,
                                                                       tanger_shelter, bob, service_provider):
    Case.objects.filter(pk=emergency_referral.case_id).update(assigned_coordinator=bob)
    sent = services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob)
    services.referral_decline(referral=sent, reason="No bed tonight.", by=service_provider)
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.DECLINED and sent.escalated_to == bob
    assert sent.next_suggestion == tanger_shelter and sent.awaits_follow_up
    again = services.referral_send(referral=sent, service=tanger_shelter, by=bob)
    sent.refresh_from_db()
    assert again.pk != sent.pk and sent.followed_up_by == again and not sent.awaits_follow_up


def test_unanswered_referrals_expire_and_escalate_once(emergency_referral, rabat_shelter, tanger_shelter, bob):
    sent = services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob)
    assert services.referrals_escalate_overdue(now=timezone.now() + timedelta(hours=3)) == 0
    later = timezone.now() + timedelta(hours=5)
    assert services.referrals_escalate_overdue(now=later) == 1
    assert services.referrals_escalate_overdue(now=later) == 0
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.EXPIRED and sent.next_suggestion == tanger_shelter
    assert AuditEvent.objects.filter(action="service_referral.expire").count() == 1


def test_accept_and_delivery(emergency_referral, rabat_shelter, bob, service_provider, case_manager):
    sent = services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob)
    with pytest.raises(PermissionDenied):
        services.referral_accept(referral=sent, by=bob)  # only the provider answers
    services.referral_accept(referral=sent, by=service_provider)
    with pytest.raises(PermissionDenied):  # a case manager who does not hold the file
        services.referral_record_delivery(referral=sent, note="Bed.", outcome="completed", by=case_manager)
    Case.objects.filter(pk=sent.case_id).update(assigned_case_manager=case_manager)
    services.referral_record_delivery(referral=sent, note="Housed 10 nights.", outcome="completed", by=case_manager)
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.DELIVERED and sent.delivered_by == case_manager


def test_stale_version_is_refused(emergency_referral, rabat_shelter, bob):
    with pytest.raises(services.ReferralChanged):
        services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob,
                               expected_version=emergency_referral.version + 1)


def test_deadline_flags_and_filters(emergency_referral, rabat_shelter, bob):
    today = timezone.localdate()
    assert deadline_flag(today - timedelta(days=1), today) == OVERDUE
    assert deadline_flag(today + timedelta(days=6), today) == DUE_THIS_WEEK
    assert deadline_flag(today + timedelta(days=7), today) == ""
    case = emergency_referral.case
    case.service_referrals.exclude(pk=emergency_referral.pk).update(due_on=today + timedelta(days=30))
    case.service_referrals.filter(pk=emergency_referral.pk).update(due_on=today - timedelta(days=1))
    overdue = case.service_referrals.filter(deadline_filter(OVERDUE))
    assert list(overdue) == [emergency_referral]
    assert list(referrals_in_scope(viewer=bob, flag=OVERDUE)) == [emergency_referral]
    sent = services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob)
    assert list(case.service_referrals.filter(deadline_filter(DUE_THIS_WEEK))) == [sent]


def test_transfer_of_case_management_moves_ownership_when_accepted(consented_case, bob, case_manager):
    from masarat.consent.services import consent_record
    from masarat.consent.vocabulary import ConsentPurpose

    with pytest.raises(ConsentMissing):
        services.transfer_request(case=consented_case, to_user=case_manager, reason="Closer to her home.", by=bob)
    consent_record(case=consented_case, purpose=ConsentPurpose.CASE_TRANSFER, given_by="person", by=bob)
    transfer = services.transfer_request(case=consented_case, to_user=case_manager, reason="Closer to home.", by=bob)
    consented_case.refresh_from_db()
    assert consented_case.assigned_case_manager is None  # nothing moves before the receiver accepts
    with pytest.raises(services.PathwayRefused):
        services.transfer_respond(transfer=transfer, accept=True, by=bob)
    services.transfer_respond(transfer=transfer, accept=True, by=case_manager)
    consented_case.refresh_from_db()
    assert consented_case.assigned_case_manager == case_manager


def test_withdrawn_consent_stops_sending(consented_case, rabat_shelter, bob):
    record = consented_case.consents.get()
    consent_withdraw(record=record, reason="She said so on the phone.", by=bob)
    referral = consented_case.service_referrals.get(kind=ServiceKind.EMERGENCY_SHELTER)
    with pytest.raises(ConsentMissing):
        services.referral_send(referral=referral, service=rabat_shelter, by=bob)


def test_the_escalate_command(emergency_referral, rabat_shelter, bob, capsys):
    from django.core.management import call_command

    sent = services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob,
                                  now=timezone.now() - timedelta(hours=5))
    call_command("pathways", "escalate")
    assert "1 service referral(s) escalated." in capsys.readouterr().out
    sent.refresh_from_db()
    assert sent.status == ReferralStatus.EXPIRED and sent.escalated_at is not None


def test_the_consulate_is_contacted_only_with_consent_to_consular_contact(consented_case, bob):
    from masarat.consent.services import consent_record
    from masarat.consent.vocabulary import ConsentPurpose
    from masarat.organisations.models import AgencyKind
    from masarat.pathways.selectors import sharing_allowed
    from tests.factories import make_agency, make_service

    consulate = make_service(provider=make_agency(kind=AgencyKind.CONSULATE, name="Consulat de Guinée"),
                             kind=ServiceKind.CONSULAR_ASSISTANCE, capacity_total=None, capacity_free=None)
    proposal = consented_case.service_referrals.get(kind=ServiceKind.CONSULAR_ASSISTANCE)
    with pytest.raises(ConsentMissing):  # consent to share with providers is not consent to contact the consulate
        services.referral_send(referral=proposal, service=consulate, by=bob)
    consent_record(case=consented_case, purpose=ConsentPurpose.CONSULAR_CONTACT, given_by="person", by=bob)
    sent = services.referral_send(referral=proposal, service=consulate, by=bob)
    assert sharing_allowed(sent)
    consent_withdraw(record=consented_case.consents.get(purpose=ConsentPurpose.CONSULAR_CONTACT),
                     reason="She fears her embassy.", by=bob)
    sent = ServiceReferral.objects.get(pk=sent.pk)
    assert not sharing_allowed(sent)


def test_access_request_and_erasure_cover_consent_and_referrals(emergency_referral, rabat_shelter, bob, nadia,
                                                                 service_provider):
    from masarat.rights import services as rights
    from masarat.rights.models import Erasure
    from masarat.rights.registry import ERASED

    sent = services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob,
                                  note="Aminata asked for a women-only shelter.")
    services.referral_decline(referral=sent, reason="Aminata's employer knows this address.", by=service_provider)
    person = sent.case.person
    data = rights.person_data_export(person=person, by=nadia)
    assert data["consents"]["records"][0]["purpose"] == "service_referral"
    assert any(row["decline_reason"] == "Aminata's employer knows this address."
               for row in data["service_referrals"]["service_referrals"])
    rights.person_erase(person=person, ground=Erasure.Ground.REQUEST, by=nadia, reason="Written request.")
    sent.refresh_from_db()
    assert (sent.note, sent.decline_reason) == (ERASED, ERASED)
