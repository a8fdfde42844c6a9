"""POST /referrals/ (refer a person) and GET /referrals/[reference]/ (follow its status)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from masarat.cases.lifecycle import Status
from masarat.cases.models import Case
from masarat.cases.services import decision_record
from masarat.people.models import Person
from masarat.referrals.vocabulary import Consent
from tests.api import REFERRALS, client_for, referral_payload, referral_url
from tests.factories import make_case

pytestmark = pytest.mark.django_db

NON_REFERRING = ["case_manager", "service_provider", "analyst", "auditor", "administrator"]


# --- Refer a person --------------------------------------------------------------------------------


def test_alice_refers_a_person_and_gets_a_reference(alice):
    response = client_for(alice).post(REFERRALS, referral_payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(reference=body["reference"])
    assert body["status"] == Status.REFERRED
    assert body["url"] == f"http://testserver{referral_url(case.reference)}"
    assert response["Location"] == body["url"]
    assert case.referring_agency == alice.agency and case.referred_by == alice
    person = case.person
    assert person is not None
    assert person.display_name == "Aminata Diallo"
    assert person.phone == "+212612345678"
    documents = [(d.kind, d.number, str(d.issuing_country), d.is_held_by_person) for d in person.documents.all()]
    assert documents == [("passport", "X1234567", "GN", False)]
    assert case.referral.urgent_shelter
    assert sorted(case.referral.indicators.values_list("indicator", flat=True)) == [
        "documents_withheld", "wages_withheld",
    ]


def test_a_coordinator_may_refer_too(bob):
    assert client_for(bob).post(REFERRALS, referral_payload(), format="json").status_code == 201


def test_an_adult_who_refuses_consent_is_notified_anonymously(alice):
    response = client_for(alice).post(
        REFERRALS, referral_payload(consent=Consent.REFUSED), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == Status.ANONYMOUS_NOTIFICATION
    assert Case.objects.get().person is None
    assert not Person.objects.exists()


@pytest.mark.parametrize("role", NON_REFERRING)
def test_other_roles_cannot_refer(request, role):
    user = request.getfixturevalue(role)
    response = client_for(user, language="en").post(REFERRALS, referral_payload(), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow referring a person to the mechanism."
    assert not Case.objects.exists()


def test_a_refused_role_gets_403_even_with_an_invalid_body(analyst):
    assert client_for(analyst).post(REFERRALS, {"sex": 3}, format="json").status_code == 403


# --- Validation: types in the serializer, rules in the service, nothing saved ----------------------


def test_missing_name_is_a_400_with_the_rule_of_the_service(alice):
    payload = referral_payload(given_name_latin="", family_name_latin="")
    response = client_for(alice, language="en").post(REFERRALS, payload, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Enter the person's name in Latin or Arabic script (at least one)."]
    }
    assert not Case.objects.exists()


def test_every_broken_rule_is_listed_by_field(alice):
    payload = referral_payload(sex="", region="MA-99", consent_informed_by="", phone="12",
                               given_name_latin="أمينة")
    response = client_for(alice, language="en").post(REFERRALS, payload, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"sex", "region", "consent_informed_by", "phone", "given_name_latin"}
    assert errors["phone"] == ["This phone number is not valid. Use the international form (+212 6…) "
                               "or a Moroccan number (06…)."]
    assert not Case.objects.exists()


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_messages_come_in_the_language_of_the_request(alice, language):
    response = client_for(alice, language=language).post(
        REFERRALS, referral_payload(phone="not a phone"), format="json"
    )
    assert response.status_code == 400
    assert response["Content-Language"] == language
    with translation.override(language):
        expected = gettext("This phone number is not valid. Use the international form (+212 6…) "
                           "or a Moroccan number (06…).")
    assert response.json()["phone"] == [expected]
    assert not Case.objects.exists()


def test_french_is_the_default_language(alice):
    client = client_for(alice, language=None)
    payload = referral_payload()
    del payload["sex"]
    response = client.post(REFERRALS, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"sex": ["Ce champ est obligatoire."]}


@pytest.mark.parametrize(
    ("field", "value"),
    [("birth_year", "nineteen"), ("nationalities", "GN"), ("documents", [{"kind": "passport"}]),
     ("encountered_on", "10/01/2025"), ("given_name_latin", {"first": "A"}), ("circumstances", "a\x00b")],
)
def test_wrong_types_are_400_with_the_field(alice, field, value):
    payload = referral_payload(**{field: value})
    response = client_for(alice, language="en").post(REFERRALS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.exists()


def test_the_english_message_of_a_wrong_type(alice):
    response = client_for(alice, language="en").post(
        REFERRALS, referral_payload(birth_year="nineteen"), format="json"
    )
    assert response.json() == {"birth_year": ["A valid integer is required."]}


@pytest.mark.parametrize("body", ['{"sex": "female",', "[1, 2]", '"text"', "null"])
def test_broken_json_is_400_never_500(alice, body):
    response = client_for(alice).post(REFERRALS, body, content_type="application/json")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_only_json_is_accepted(alice):
    response = client_for(alice).post(REFERRALS, {"sex": "female"})  # multipart form
    assert response.status_code == 415


def test_a_too_long_informant_name_is_400_not_a_database_error(alice):
    payload = referral_payload(consent_informed_by="x" * 151)
    response = client_for(alice).post(REFERRALS, payload, format="json")
    assert response.status_code == 400
    assert "consent_informed_by" in response.json()


# --- Follow the status ---------------------------------------------------------------------------


def _listed(user) -> list[str]:
    response = client_for(user).get(REFERRALS)
    assert response.status_code == 200
    return [item["reference"] for item in response.json()["results"]]


def test_alice_follows_her_agency_referrals(alice, alice_colleague, alice_case):
    colleague_case = make_case(by=alice_colleague)
    assert _listed(alice) == [colleague_case.reference, alice_case.reference]

    response = client_for(alice).get(referral_url(alice_case.reference))
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == alice_case.reference
    assert body["status"] == Status.REFERRED
    assert body["status_label"]
    assert body["region"] == alice_case.region
    assert body["display_name"] == "Aminata Diallo"
    assert [(e["action"], e["from_status"], e["to_status"]) for e in body["history"]] == [
        ("referral_submitted", "", Status.REFERRED)
    ]


def test_alice_sees_the_status_but_never_the_reasons(alice, bob, alice_case):
    decision_record(case=alice_case, stage="preliminary", outcome="positive",
                    reasons="SECRET: the account given in interview is credible.", by=bob,
                    expected_version=None)

    response = client_for(alice).get(referral_url(alice_case.reference))

    body = response.json()
    assert body["status"] == Status.REFLECTION_PERIOD
    assert [e["to_status"] for e in body["history"]] == [
        Status.REFERRED, Status.AWAITING_PRELIMINARY, Status.REFLECTION_PERIOD,
    ]
    assert "SECRET" not in response.content.decode()
    assert set(body["history"][0]) == {"at", "action", "action_label", "from_status", "to_status",
                                       "to_status_label"}
    assert not {"person", "decisions", "events", "referral", "circumstances"} & set(body)


def test_charlie_of_another_agency_neither_sees_nor_reaches_alices_referral(charlie, alice_case):
    assert _listed(charlie) == []
    response = client_for(charlie).get(referral_url(alice_case.reference))
    assert response.status_code == 404
    assert response.json() == {"detail": "Non trouvé."}


def test_an_unknown_reference_looks_the_same_as_one_out_of_scope(charlie, alice_case):
    unknown = client_for(charlie).get(referral_url("MNR-1999-000001"))
    hidden = client_for(charlie).get(referral_url(alice_case.reference))
    assert (unknown.status_code, unknown.json()) == (hidden.status_code, hidden.json())


@pytest.mark.parametrize("coordinator", ["bob", "nadia"])
def test_coordinators_of_the_region_and_the_nation_follow_it(request, coordinator, alice_case):
    user = request.getfixturevalue(coordinator)
    assert _listed(user) == [alice_case.reference]
    assert client_for(user).get(referral_url(alice_case.reference)).status_code == 200


@pytest.mark.parametrize("role", ["dana", *NON_REFERRING])
def test_others_see_no_referral(request, role, alice_case):
    user = request.getfixturevalue(role)
    assert _listed(user) == []
    assert client_for(user).get(referral_url(alice_case.reference)).status_code == 404


def test_reading_a_status_is_audited(alice, alice_case):
    from masarat.audit.models import AuditEvent

    client_for(alice).get(referral_url(alice_case.reference))
    event = AuditEvent.objects.get(action="referral.read_status")
    assert (event.actor, event.case_reference, event.channel) == (alice, alice_case.reference, "api")


def test_the_referral_list_does_not_grow_in_queries(alice, django_assert_max_num_queries):
    make_case(by=alice)
    client = client_for(alice)
    client.get(REFERRALS)  # the first use of a token records it
    with CaptureQueriesContext(connection) as baseline:
        client.get(REFERRALS)
    for _ in range(5):
        make_case(by=alice)
    with django_assert_max_num_queries(len(baseline)):
        response = client.get(REFERRALS)
    assert response.json()["count"] == 6


def test_a_retried_request_with_the_same_idempotency_key_refers_once(alice):
    client = client_for(alice)
    first = client.post(REFERRALS, referral_payload(), format="json", HTTP_IDEMPOTENCY_KEY="retry-42")
    second = client.post(REFERRALS, referral_payload(), format="json", HTTP_IDEMPOTENCY_KEY="retry-42")
    assert first.status_code == second.status_code == 201
    assert first.json()["reference"] == second.json()["reference"]
    assert Case.objects.count() == 1
