"""Every parser of outside input either accepts it or refuses it with its own, explainable error:
never another exception (which would be a server error, or a crash of a command)."""

from __future__ import annotations

import io

import phonenumbers
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masarat.backups.archive import MAGIC, BackupError, BackupReader
from masarat.env import ConfigurationError, env_bool, env_int, env_list
from masarat.referrals.forms import ReferralForm
from masarat.referrals.validation import normalise_phone
from masarat.screening.definition import DefinitionError, parse_definition
from masarat.vault.cipher import DecryptionError, decrypt, decrypt_bytes
from masarat.vault.keys import parse_keyring

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)
# Structures close to a real indicator set, so that generation reaches past the first checks.
near_definition = st.fixed_dictionaries(
    {"code": st.text(max_size=10), "version": st.integers(-2, 5) | st.text(max_size=3),
     "title": json_like, "elements": st.lists(json_like, max_size=3), "rule": json_like},
    optional={"for_children": json_like, "indicators": json_like},
)


@given(json_like | near_definition)
def test_an_indicator_set_definition_is_parsed_or_refused_with_reasons(raw):
    try:
        parse_definition(raw)
    except DefinitionError as error:
        assert str(error)


@given(st.text(max_size=40))
def test_a_phone_number_is_normalised_or_refused(raw):
    try:
        normalised = normalise_phone(raw)
    except phonenumbers.NumberParseException:
        return
    assert normalised.startswith("+") and normalise_phone(normalised) == normalised


@given(st.text(max_size=30))
def test_environment_values_are_read_or_refused_by_name(value):
    environ = {"MASARAT_PROBE": value}
    with pytest.MonkeyPatch.context() as patch:
        for key, item in environ.items():
            patch.setenv(key, item.replace("\x00", ""))
        for reader in (lambda: env_bool("MASARAT_PROBE"), lambda: env_int("MASARAT_PROBE", 1, minimum=0)):
            try:
                reader()
            except ConfigurationError as error:
                assert "MASARAT_PROBE" in str(error)
        assert isinstance(env_list("MASARAT_PROBE"), list)


@given(st.text(max_size=200), st.text(max_size=60))
def test_a_key_list_is_loaded_or_refused_with_a_reason(encryption_keys, blind_key):
    try:
        parse_keyring(encryption_keys, blind_key)
    except ImproperlyConfigured as error:
        assert str(error)


@given(st.text(max_size=200))
def test_a_stored_value_decrypts_or_is_refused(token):
    with pytest.raises(DecryptionError):
        decrypt(token, context="people.Person.given_name_latin")


@given(st.binary(max_size=300))
def test_file_contents_decrypt_or_are_refused(blob):
    with pytest.raises(DecryptionError):
        decrypt_bytes(blob, context="documents.Document.content.1")


@given(st.binary(max_size=400))
def test_any_file_given_to_restore_is_refused_plainly(tail):
    for content in (tail, MAGIC + tail, MAGIC + b'{"key_id": "demo"}\n' + tail):
        try:
            reader = BackupReader(io.BytesIO(content))
            list(reader.lines())
        except BackupError:
            continue
        pytest.fail("a file that is not a complete backup was accepted")


FORM_FIELDS = list(ReferralForm.base_fields)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FORM_FIELDS), st.lists(st.text(max_size=80), min_size=1, max_size=3),
                       max_size=len(FORM_FIELDS)))
def test_the_referral_form_accepts_or_explains_any_submission(db, fields):
    data = QueryDict(mutable=True)  # as a browser posts it: every field may repeat
    for name, values in fields.items():
        data.setlist(name, values)
    form = ReferralForm(data=data)
    if not form.is_valid():
        assert form.errors
