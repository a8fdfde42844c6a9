"""Phone numbers, in one form (E.164) wherever they are stored or looked for."""

from __future__ import annotations

import phonenumbers
from django.conf import settings


def normalise_phone(raw: str) -> str:
    """E.164 form of a phone number; local Moroccan forms (06…, 07…) are understood."""
    number = phonenumbers.parse(raw, settings.MASARAT_PHONE_DEFAULT_REGION)
    if not phonenumbers.is_valid_number(number):
        raise phonenumbers.NumberParseException(phonenumbers.NumberParseException.NOT_A_NUMBER, "invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
