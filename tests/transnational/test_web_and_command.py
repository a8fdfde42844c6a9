"""The pages (case page section, creating a package, receiving, acknowledging) and the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masarat.cases.models import Case
from masarat.transnational.keys import encode, grouped
from masarat.transnational.models import IncomingPackage, OutgoingPackage, PackageStatus, Partner
from masarat.transnational.services import package_create
from tests.transnational.conftest import ABROAD, HERE, make_partner


def upload(client, name: str, raw: bytes):
    return client.post(reverse(name), {"file": SimpleUploadedFile("file.json", raw, "application/json")})


def test_case_page_offers_sending_abroad_and_shows_the_packages(become, client, bob, consented_case,
                                                                 partner_abroad):
    client.force_login(bob)
    page = client.get(reverse("case", args=[consented_case.reference])).content.decode()
    assert reverse("case-package-new", args=[consented_case.reference]) in page
    assert "No package sent abroad." in page
    package_create(case=consented_case, partner=partner_abroad, by=bob)
    page = client.get(reverse("case", args=[consented_case.reference])).content.decode()
    assert "Proyecto Esperanza" in page and "Sent, not acknowledged" in page


def test_case_page_queries_do_not_grow_with_packages(become, client, bob, consented_case, partner_abroad):
    client.force_login(bob)
    url = reverse("case", args=[consented_case.reference])
    package_create(case=consented_case, partner=partner_abroad, by=bob)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    other = make_partner(HERE, name="Otro socio", country="ES")
    for partner in (other, partner_abroad, other, partner_abroad):
        package_create(case=consented_case, partner=partner, by=bob)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert page.count("Sent, not acknowledged") == 5
    assert len(five) == len(one)


def test_creating_a_package_downloads_it_and_only_allowed_partners_are_offered(become, client, bob,
                                                                               consented_case, partner_abroad):
    make_partner(HERE, name="Hope USA", country="US")
    client.force_login(bob)
    url = reverse("case-package-new", args=[consented_case.reference])
    form = client.get(url).content.decode()
    assert "Proyecto Esperanza" in form and "Hope USA" not in form
    assert grouped(partner_abroad.fingerprint)[:19] in form
    response = client.post(url, {"partner": partner_abroad.pk})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    package = OutgoingPackage.objects.get()
    assert str(package.id)[:8] in response["Content-Disposition"]
    assert b'"format":"masarat-package"' in response.content


def test_without_consent_the_form_says_so_and_nothing_is_created(become, client, bob, alice_case, partner_abroad):
    client.force_login(bob)
    url = reverse("case-package-new", args=[alice_case.reference])
    assert "No consent to the transfer of data abroad" in client.get(url).content.decode()
    response = client.post(url, {"partner": partner_abroad.pk})
    assert response.status_code == 409 and "No consent in force" in response.content.decode()
    assert not OutgoingPackage.objects.exists()


def test_without_allowed_countries_nothing_is_offered(become, client, bob, consented_case, partner_abroad, settings):
    settings.MASARAT_TRANSFER_COUNTRIES = []
    client.force_login(bob)
    url = reverse("case-package-new", args=[consented_case.reference])
    assert "MASARAT_TRANSFER_COUNTRIES" in client.get(url).content.decode()
    assert client.post(url, {"partner": partner_abroad.pk}).status_code == 400
    assert not OutgoingPackage.objects.exists()


def test_receive_then_acknowledge_on_the_web(become, client, bob, nadia, consented_case, partner_abroad,
                                             partner_here):
    _package, raw = package_create(case=consented_case, partner=partner_abroad, by=bob)
    become(ABROAD)
    client.force_login(nadia)
    refused = upload(client, "package-receive", raw[:-2] + b"}}")
    assert refused.status_code == 409 and "not an intact case package" in refused.content.decode()
    response = upload(client, "package-receive", raw)
    incoming = IncomingPackage.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("package-received", args=[incoming.pk])
    page = client.get(response["Location"]).content.decode()
    assert incoming.case.reference in page and "Masarat Maroc" in page
    again = upload(client, "package-receive", raw)
    assert again.status_code == 409 and "already received on" in again.content.decode()
    ack = client.get(reverse("package-acknowledgement", args=[incoming.pk]))
    assert ack["Content-Disposition"].startswith("attachment;")
    imported_page = client.get(reverse("case", args=[incoming.case.reference])).content.decode()
    assert "Received from" in imported_page

    become(HERE)
    client.force_login(bob)
    done = upload(client, "package-acknowledgement-upload", ack.content)
    assert done.status_code == 302 and done["Location"] == reverse("case", args=[consented_case.reference])
    assert OutgoingPackage.objects.get().status == PackageStatus.ACKNOWLEDGED
    page = client.get(done["Location"]).content.decode()
    assert "Acknowledged" in page and incoming.case.reference in page


def test_the_command_line(become, bob, nadia, consented_case, partner_abroad, partner_here, tmp_path: Path, capsys):
    call_command("transnational", "keys", "generate")
    printed = capsys.readouterr().out
    assert "MASARAT_TRANSNATIONAL_ENCRYPTION_KEY=" in printed and "MASARAT_TRANSNATIONAL_SIGNING_KEY=" in printed
    call_command("transnational", "identity")
    assert grouped(HERE.fingerprint) in capsys.readouterr().out

    _package, raw = package_create(case=consented_case, partner=partner_abroad, by=bob)
    package_file = tmp_path / "package.json"
    package_file.write_bytes(raw)
    become(ABROAD)
    ack_file = tmp_path / "ack.json"
    call_command("transnational", "receive", str(package_file), "--user", "nadia", "--acknowledgement", str(ack_file))
    incoming = IncomingPackage.objects.get()
    assert incoming.case.reference in capsys.readouterr().out
    with pytest.raises(CommandError, match="already received"):
        call_command("transnational", "receive", str(package_file), "--user", "nadia")
    assert Case.objects.count() == 2

    become(HERE)
    call_command("transnational", "acknowledge", str(ack_file))
    assert OutgoingPackage.objects.get().remote_reference == incoming.case.reference
    with pytest.raises(CommandError, match="already acknowledged"):
        call_command("transnational", "acknowledge", str(ack_file))


def test_administrators_register_partners_and_see_their_fingerprint(client, administrator, settings):
    settings.MASARAT_TRANSFER_COUNTRIES = ["ES"]
    public = ABROAD.public
    client.force_login(administrator)
    data = {"name": "Proyecto Esperanza", "country": "ES", "encryption_key": encode(public.encryption_key),
            "signing_key": encode(public.signing_key), "is_active": "on"}
    response = client.post(reverse("admin:transnational_partner_add"), data)
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.fingerprint == ABROAD.fingerprint
    listing = client.get(reverse("admin:transnational_partner_changelist")).content.decode()
    assert grouped(ABROAD.fingerprint) in listing
    again = client.post(reverse("admin:transnational_partner_add"), {**data, "name": "Twice"})
    assert again.status_code == 200 and "Another partner already has these keys." in again.content.decode()
    broken = client.post(reverse("admin:transnational_partner_add"), {**data, "encryption_key": "not a key"})
    assert broken.status_code == 200 and Partner.objects.count() == 1


def test_a_refusal_is_explained_in_the_users_language(become, client, bob, nadia, consented_case, partner_abroad,
                                                      partner_here):
    _package, raw = package_create(case=consented_case, partner=partner_abroad, by=bob)
    become(HERE)  # the package is for the partner abroad, not for this instance
    client.force_login(nadia)
    french = upload(client, "package-receive", raw)
    assert french.status_code == 409
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    french = upload(client, "package-receive", raw).content.decode()
    assert "Ce paquet est adressé à une autre organisation." in french
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ar"
    arabic = upload(client, "package-receive", raw).content.decode()
    assert "هذه الحزمة موجّهة إلى منظمة أخرى." in arabic
    assert not IncomingPackage.objects.exists()
