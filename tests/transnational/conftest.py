"""Two Masarat instances in one database: "here" (Morocco) and "abroad" (a partner in Spain).

Each instance is a key set; :func:`become` switches the settings to one of them. Each instance's
partner table lists the other, as an administrator would have registered it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.utils import translation

from masarat.cases.models import Case
from masarat.consent.services import consent_record
from masarat.consent.vocabulary import ConsentPurpose
from masarat.transnational.keys import Identity, demo_identity, encode
from masarat.transnational.models import Partner

HERE = demo_identity("test-here")
ABROAD = demo_identity("test-abroad")
OTHER = demo_identity("test-other")


def private(identity: Identity) -> tuple[str, str]:
    raw = {"encoding": Encoding.Raw, "format": PrivateFormat.Raw, "encryption_algorithm": NoEncryption()}
    return encode(identity.encryption.private_bytes(**raw)), encode(identity.signing.private_bytes(**raw))


def make_partner(identity: Identity, *, name: str, country: str, is_active: bool = True) -> Partner:
    public = identity.public
    return Partner.objects.create(name=name, country=country, encryption_key=encode(public.encryption_key),
                                  signing_key=encode(public.signing_key), is_active=is_active)


@pytest.fixture(autouse=True)
def _in_english(client):
    """These tests read the interface's English source texts (one test asks for French and Arabic)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def become(settings) -> Callable[[Identity], None]:
    def switch(identity: Identity) -> None:
        settings.MASARAT_TRANSNATIONAL_ENCRYPTION_KEY, settings.MASARAT_TRANSNATIONAL_SIGNING_KEY = private(identity)

    switch(HERE)
    settings.MASARAT_TRANSFER_COUNTRIES = ["ES", "MA"]
    return switch


@pytest.fixture
def partner_abroad(db) -> Partner:
    return make_partner(ABROAD, name="Proyecto Esperanza", country="ES")


@pytest.fixture
def partner_here(db) -> Partner:
    """How the instance abroad registered this one."""
    return make_partner(HERE, name="Masarat Maroc", country="MA")


@pytest.fixture
def consented_case(alice_case, bob) -> Case:
    consent_record(case=alice_case, purpose=ConsentPurpose.TRANSFER_ABROAD, given_by="person", by=bob)
    return alice_case
