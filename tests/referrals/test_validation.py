from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masarat.referrals.validation import ReferralErrors, normalise_phone, validate_referral
from tests.factories import referral_input

TODAY = date(2026, 11, 29)


def errors_of(**overrides):
    with pytest.raises(ReferralErrors) as refused:
        validate_referral(referral_input(**overrides), today=TODAY)
    return refused.value.errors


def test_a_complete_referral_is_valid():
    assert validate_referral(referral_input(), today=TODAY).given_name_latin == "Aminata"


def test_at_least_one_name_in_either_script():
    assert "__all__" in errors_of(given_name_latin="", family_name_latin="")
    validate_referral(referral_input(given_name_latin="", family_name_latin="", given_name_arabic="أمينة"),
                      today=TODAY)


def test_scripts_are_not_mixed_up():
    assert "given_name_latin" in errors_of(given_name_latin="أمينة")
    assert "family_name_arabic" in errors_of(family_name_arabic="Diallo")
    validate_referral(referral_input(given_name_latin="Hélène-Marie O'Neil", family_name_arabic="آيت وحمان"),
                      today=TODAY)


def test_consent_rules_follow_the_age():
    assert "consent" in errors_of(birth_year=2012, consent="refused")
    assert "consent" in errors_of(birth_year=1990, consent="not_required_child")
    validate_referral(referral_input(birth_year=2012, consent="not_required_child", consent_informed_by="",
                                     consent_language=""), today=TODAY)


def test_who_informed_and_in_which_language_are_required_for_an_adult():
    errors = errors_of(consent_informed_by="", consent_language="")
    assert {"consent_informed_by", "consent_language"} <= errors.keys()


def test_an_anonymous_notification_needs_no_name():
    validate_referral(referral_input(consent="refused", given_name_latin="", family_name_latin=""), today=TODAY)


def test_dates_in_the_future_are_refused():
    assert "birth_date" in errors_of(birth_precision="full", birth_date=date(2027, 1, 1))
    assert "encountered_on" in errors_of(encountered_on=date(2027, 1, 1))
    assert "birth_year" in errors_of(birth_year=2030)


def test_every_problem_is_reported_at_once():
    errors = errors_of(sex="", region="", given_name_latin="", family_name_latin="", phone="123",
                       nationalities=["XX"])
    assert {"sex", "region", "__all__", "phone", "nationalities"} <= errors.keys()


@pytest.mark.parametrize(("raw", "expected"), [
    ("0661234567", "+212661234567"), ("+212 6 61 23 45 67", "+212661234567"), ("00212661234567", "+212661234567"),
    ("+221 77 123 45 67", "+221771234567"),
])
def test_phone_numbers_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@given(st.text(max_size=200))
def test_any_text_in_any_field_is_either_accepted_or_refused_cleanly(text):
    for field in ("given_name_latin", "given_name_arabic", "phone", "circumstances", "consent", "sex", "region"):
        try:
            validate_referral(referral_input(**{field: text}), today=TODAY)
        except ReferralErrors as refused:
            assert refused.errors


def test_who_informed_is_limited_in_length():
    assert "consent_informed_by" in errors_of(consent_informed_by="x" * 151)


def test_a_month_of_birth_in_the_future_is_refused():
    assert "birth_month" in errors_of(birth_precision="year_month", birth_year=2026, birth_month=12)


def test_a_baby_born_this_year_can_be_referred(alice):
    from django.utils import timezone

    from tests.factories import make_case

    case = make_case(by=alice, birth_year=timezone.localdate().year, consent="not_required_child",
                     consent_informed_by="", consent_language="")
    assert case.age_at_referral == 0 and case.is_child
