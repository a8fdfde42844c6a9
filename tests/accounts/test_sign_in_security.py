"""Sign-in security: the second factor, recovery codes, lockout, idle timeout, sign out everywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from masarat.accounts import services
from masarat.accounts.middleware import LAST_ACTIVITY_SESSION_KEY
from masarat.accounts.models import User
from masarat.audit.models import AuditEvent
from tests.factories import PASSWORD


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows (``steps_ahead`` 30-second steps later)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                 drift=device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def set_up_app(user: User) -> tuple[TOTPDevice, list[str]]:
    device = services.totp_device_pending(user=user)
    confirmed = services.totp_device_confirm(user=user, token=code_of(device))
    assert confirmed is not None
    device, codes = confirmed
    return device, codes


def sign_in(client, user: User, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, **extra)


@pytest.fixture
def mfa_required(settings):
    settings.MASARAT_MFA_REQUIRED = True


# --- Setting up the app --------------------------------------------------------------------------


def test_setup_shows_the_secret_and_a_qr_code_then_confirms_with_a_real_code(client, alice):
    client.force_login(alice)
    page = client.get(reverse("mfa-setup"))
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    body = page.content.decode()
    assert page.context["secret"].replace(" ", "") in body.replace(" ", "")
    assert 'src="data:image/svg+xml' in body and "otpauth://totp/" in body
    assert "style=" not in body.split("<main", 1)[1] and "<script>" not in body  # the CSP allows neither

    done = client.post(reverse("mfa-setup"), {"token": code_of(device)})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert AuditEvent.objects.filter(action="account.mfa.enable", actor=alice).exists()
    assert client.get(reverse("referral-list")).status_code == 200  # this session is verified


def test_setup_refuses_a_wrong_code(client, alice):
    client.force_login(alice)
    client.get(reverse("mfa-setup"))
    device = TOTPDevice.objects.get(user=alice)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    response = client.post(reverse("mfa-setup"), {"token": wrong})
    assert response.status_code == 200 and response.context["form"].errors
    assert not services.mfa_is_set_up(user=alice)


def test_the_app_cannot_be_replaced_with_the_password_alone(client, alice):
    set_up_app(alice)
    client.force_login(alice)  # password step only
    response = client.get(reverse("mfa-setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa-verify"))


# --- Signing in with the second step -------------------------------------------------------------


def test_sign_in_asks_for_the_code_and_accepts_the_apps_code(client, alice):
    device, _codes = set_up_app(alice)
    assert sign_in(client, alice, follow=False)["Location"] == reverse("home")
    sent = client.get(reverse("referral-list"))
    assert sent.status_code == 302
    assert sent["Location"] == reverse("mfa-verify") + "?next=%2Freferrals%2F"
    verified = client.post(reverse("mfa-verify"), {"token": code_of(device, steps_ahead=1),
                                                  "next": "/referrals/"})
    assert verified.status_code == 302 and verified["Location"] == "/referrals/"
    assert client.get(reverse("referral-list")).status_code == 200


def test_a_wrong_code_is_refused(client, alice):
    device, _codes = set_up_app(alice)
    sign_in(client, alice)
    wrong = str((int(code_of(device, steps_ahead=1)) + 1) % 1_000_000).zfill(6)
    response = client.post(reverse("mfa-verify"), {"token": wrong})
    assert response.status_code == 200 and response.context["form"].errors["token"]
    assert client.get(reverse("referral-list")).status_code == 302


def test_a_recovery_code_works_once(client, alice):
    _device, codes = set_up_app(alice)
    sign_in(client, alice)
    response = client.post(reverse("mfa-verify"), {"token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("referral-list")).status_code == 200
    assert AuditEvent.objects.filter(action="account.mfa.recovery_code_use", actor=alice).exists()

    client.post(reverse("logout"))
    sign_in(client, alice)
    again = client.post(reverse("mfa-verify"), {"token": codes[0]})
    assert again.status_code == 200 and again.context["form"].errors
    assert services.recovery_codes_left(user=alice) == 9


def test_new_recovery_codes_replace_the_old_ones(client, alice):
    device, old = set_up_app(alice)
    sign_in(client, alice)
    client.post(reverse("mfa-verify"), {"token": code_of(device, steps_ahead=1)})
    new = client.post(reverse("mfa-recovery-codes")).context["codes"]
    assert set(new).isdisjoint(old)
    assert services.mfa_verify(user=alice, token=new[0]) is not None
    assert services.mfa_verify(user=alice, token=old[0]) is None  # (a failure makes the next try wait)


# --- Required or optional ------------------------------------------------------------------------


def test_when_required_an_account_without_an_app_must_set_one_up_first(client, alice, mfa_required):
    client.force_login(alice)
    for url in (reverse("referral-list"), reverse("account"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("mfa-setup")), url
    assert client.get(reverse("mfa-setup")).status_code == 200
    assert client.get("/api/v1/referrals/").status_code in (401, 403)  # the session is not a session yet


def test_when_optional_an_account_without_an_app_passes_and_can_set_one_up(client, alice, settings):
    settings.MASARAT_MFA_REQUIRED = False
    client.force_login(alice)
    assert client.get(reverse("referral-list")).status_code == 200
    account = client.get(reverse("account")).content.decode()
    assert reverse("mfa-setup") in account


def test_api_tokens_are_not_concerned_by_the_second_factor(client, alice, mfa_required):
    token = services.api_token_create(user=alice, name="system")
    response = client.get("/api/v1/referrals/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


# --- Lockout -------------------------------------------------------------------------------------


def test_sign_in_is_locked_after_five_failures_with_a_message_in_the_users_language(client, alice, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(4):
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    locked = client.post(reverse("login"), {"username": "alice", "password": "wrong"},
                         HTTP_ACCEPT_LANGUAGE="ar")
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [template.name for template in locked.templates]
    body = locked.content.decode()
    assert 'lang="ar"' in body
    with translation.override("ar"):
        assert translation.ngettext(
            "Too many failed sign-ins. Signing in to this account from this address is locked for %(minutes)s "
            "minute.", "Too many failed sign-ins. Signing in to this account from this address is locked for "
            "%(minutes)s minutes.", 30).split("%")[0].strip() in body

    assert sign_in(client, alice).status_code == 429  # even with the right password
    assert "_auth_user_id" not in client.session
    # The lock is on this username from this address, not on the account everywhere.
    assert sign_in(client, alice, REMOTE_ADDR="10.9.8.7").status_code == 302


# --- Sessions ------------------------------------------------------------------------------------


def test_an_idle_session_is_signed_out_and_the_sign_in_page_says_so(client, alice, settings):
    settings.MASARAT_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(alice)
    assert client.get(reverse("account")).status_code == 200
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] -= 29 * 60
    session.save()
    assert client.get(reverse("account")).status_code == 200  # 29 minutes: still signed in
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] -= 31 * 60
    session.save()

    response = client.get(reverse("account"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    with translation.override("fr"):
        expected = translation.ngettext(
            "You were signed out after %(minutes)d minute without activity. Sign in again to continue.",
            "You were signed out after %(minutes)d minutes without activity. Sign in again to continue.",
            30) % {"minutes": 30}
    assert [str(message) for message in response.context["messages"]] == [expected]
    assert "_auth_user_id" not in client.session


def test_sign_out_everywhere_ends_the_sessions_on_other_devices(client, alice):
    from django.test import Client

    phone = Client()
    phone.force_login(alice)
    assert phone.get(reverse("account")).status_code == 200
    client.force_login(alice)

    response = client.post(reverse("sign-out-everywhere"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert phone.get(reverse("account")).status_code == 302
    assert client.get(reverse("account")).status_code == 302
    assert AuditEvent.objects.filter(action="account.sign_out_everywhere", actor=alice).exists()
    assert sign_in(client, alice).status_code == 302  # signing in again works
    assert client.get(reverse("account")).status_code == 200


def test_the_account_page_offers_to_sign_out_everywhere(client, alice):
    client.force_login(alice)
    assert reverse("sign-out-everywhere") in client.get(reverse("account")).content.decode()


# --- Administrator's reset -----------------------------------------------------------------------


def test_an_administrator_resets_a_lost_device_and_it_is_audited(client, alice, administrator):
    set_up_app(alice)
    phone = client.__class__()
    phone.force_login(alice)
    client.force_login(administrator)

    response = client.post("/admin/accounts/user/", {"action": "reset_second_factor",
                                                     "_selected_action": [alice.pk]})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    event = AuditEvent.objects.get(action="account.mfa.reset")
    assert (event.actor, event.target_id) == (administrator, str(alice.pk))
    assert phone.get(reverse("account")).status_code == 302  # the lost phone's session has ended


def test_the_admin_never_shows_a_totp_secret(client, administrator):
    client.force_login(administrator)
    index = client.get("/admin/").content.decode()
    assert "/admin/otp_totp/" not in index and "/admin/otp_static/" not in index
