"""``masarat token create|list|revoke``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from masarat.accounts.models import ApiToken, hash_token
from masarat.accounts.services import api_token_authenticate
from masarat.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Commands speak the default language (French); these tests read the English messages."""
    with translation.override("en"):
        yield


def _run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_prints_the_token_and_stores_only_its_hash(alice):
    raw = _run("create", "alice", "--name", "police system").strip()

    token = ApiToken.objects.get(user=alice)
    assert raw.startswith("mst_") and token.prefix == raw[:8]
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert token.name == "police system"
    assert api_token_authenticate(raw) == alice


def test_list_shows_prefixes_never_tokens(alice):
    raw = _run("create", "alice").strip()
    with translation.override("en"):
        listing = _run("list", "alice")
    assert raw[:8] in listing and raw not in listing
    assert "active" in listing and "never used" in listing


def test_revoke_by_prefix(alice):
    raw = _run("create", "alice").strip()

    _run("revoke", raw[:8])

    assert api_token_authenticate(raw) is None
    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke", details__token_prefix=raw[:8]).exists()
    with pytest.raises(CommandError, match="No active token"):
        _run("revoke", raw[:8])


def test_an_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="nobody"):
        _run("create", "nobody")
    with pytest.raises(CommandError, match="nobody"):
        _run("list", "nobody")
    assert not ApiToken.objects.exists()


def test_a_deactivated_account_gets_no_token(alice):
    alice.is_active = False
    alice.save()
    with pytest.raises(CommandError):
        _run("create", "alice")


def test_a_subcommand_is_required(db):
    with pytest.raises(CommandError):
        _run()
