from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from masarat.accounts.models import ApiToken, User, hash_token
from masarat.audit.services import record_event

TOTP_DEVICE_NAME = "Masarat"
RECOVERY_DEVICE_NAME = "recovery"
TOTP_DIGITS = 6  # django-otp's default, what every authenticator app shows


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
    _revoke(tokens[0], by=None)
    return tokens[0]


@transaction.atomic
def api_token_revoke_by_id(*, token_id: int, by: User) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token_id)
    if token.revoked_at is None:
        _revoke(token, by=by)
    return token


def _revoke(token: ApiToken, *, by: User | None) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(actor=by, action="api_token.revoke", target_type="user", target_id=str(token.user_id),
                 details={"token_prefix": token.prefix})


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


# --- Second factor (TOTP app and recovery codes) -------------------------------------------------


def mfa_required() -> bool:
    """Whether every account must have a second factor (MASARAT_MFA_REQUIRED)."""
    return bool(settings.MASARAT_MFA_REQUIRED)


def mfa_is_set_up(*, user: User) -> bool:
    """Whether the user has a confirmed authenticator app, so that sign-in asks for its code."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: a secret not yet confirmed by a code from the app."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator app with a code it shows.

    Returns the device and new recovery codes (in clear, the only time they are visible), or
    ``None`` when the code is wrong. A previous app of the user stops working.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(_digits(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _recovery_codes_replace(user=user)
    record_event(actor=user, action="account.mfa.enable", target_type="user", target_id=str(user.pk))
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New single-use recovery codes; the old ones stop working. Returns them in clear, once."""
    codes = _recovery_codes_replace(user=user)
    record_event(actor=user, action="account.mfa.recovery_codes_renew", target_type="user",
                 target_id=str(user.pk))
    return codes


def _recovery_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MASARAT_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def mfa_verify(*, user: User, token: str) -> Device | None:
    """The device that accepts ``token`` (a code of the app, or a recovery code, used up), or ``None``.

    Each device counts its failures and makes the next attempt wait longer (django-otp throttling).
    """
    token = token.strip().replace(" ", "").replace("-", "")
    if token.isdigit() and len(token) == TOTP_DIGITS:
        for totp in TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update():
            if totp.verify_token(token):
                return totp
        return None
    for static in StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update():
        if static.verify_token(token.lower()):
            record_event(actor=user, action="account.mfa.recovery_code_use", target_type="user",
                         target_id=str(user.pk), details={"codes_left": recovery_codes_left(user=user)})
            return static
    return None


@transaction.atomic
def mfa_reset(*, user: User, by: User) -> None:
    """Remove the second factor of a user who lost it (an administrator's act), and end their sessions.

    At their next sign-in the user sets up a new app (when required) from scratch.
    """
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _session_epoch_bump(user=user)
    record_event(actor=by, action="account.mfa.reset", target_type="user", target_id=str(user.pk))


def _digits(token: str) -> str:
    return token.strip().replace(" ", "")


# --- Sessions ------------------------------------------------------------------------------------


@transaction.atomic
def sign_out_everywhere(*, user: User) -> None:
    """End every session of ``user``, on every device, including the current one."""
    _session_epoch_bump(user=user)
    record_event(actor=user, action="account.sign_out_everywhere", target_type="user", target_id=str(user.pk))


def _session_epoch_bump(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])


def record_sign_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    record_event(actor=user, action="account.sign_in", target_type="user", target_id=str(user.pk))


def record_sign_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_event(actor=user, action="account.sign_out", target_type="user", target_id=str(user.pk))


def record_sign_in_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The username tried is kept (to see guessing); the password never is.
    record_event(actor=None, action="account.sign_in_failed", target_type="user",
                 details={"username": str(credentials.get("username", ""))[:150]})
