from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from masarat.accounts.models import ApiToken, User, hash_token
from masarat.audit.services import record_event


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> str:
    """Create a token for ``user`` and return it in clear, the only time it is visible."""
    raw = "mst_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=hash_token(raw))
    record_event(actor=None, action="api_token.create", target_type="user", target_id=str(user.pk),
                 details={"token_prefix": token.prefix, "name": name})
    return raw


class UnknownToken(Exception):
    """No active token starts with the given prefix."""


class AmbiguousToken(Exception):
    """Several active tokens share the given prefix."""


@transaction.atomic
def api_token_revoke(*, prefix: str) -> ApiToken:
    tokens = list(ApiToken.objects.select_for_update().filter(prefix=prefix, revoked_at__isnull=True)[:2])
    if not tokens:
        raise UnknownToken(prefix)
    if len(tokens) > 1:
        raise AmbiguousToken(prefix)
    token = tokens[0]
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(actor=None, action="api_token.revoke", target_type="user", target_id=str(token.user_id),
                 details={"token_prefix": token.prefix})
    return token


def api_token_authenticate(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__agency")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
