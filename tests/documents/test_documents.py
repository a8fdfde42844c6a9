"""Documents: type by content, size limit, encrypted at rest, served through the policy, downloads audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from masarat.audit.models import AuditEvent
from masarat.cases import services
from masarat.documents.models import CaseDocument
from masarat.documents.services import document_attach
from masarat.documents.validation import SIGNATURES, UploadRefused, check_upload, sniff
from tests.factories import make_case

PDF = b"%PDF-1.7\n% Certificat medical de Mme Aminata Diallo\n%%EOF\n"
MAGICS = [magic for magic, _type, _endings in SIGNATURES]


@given(st.sampled_from(SIGNATURES), st.binary(max_size=200))
def test_the_content_decides_the_type(signature, rest):
    magic, content_type, _endings = signature
    assert sniff(magic + rest) == content_type


@given(st.binary(max_size=200).filter(lambda data: not any(data.startswith(magic) for magic in MAGICS)))
def test_any_other_content_is_refused(data):
    assert sniff(data) is None
    with pytest.raises(UploadRefused):
        check_upload(name="scan.pdf", head=data, size=max(len(data), 1))


@given(st.sampled_from(SIGNATURES), st.sampled_from([".pdf", ".png", ".jpg", ".jpeg", ".exe", ".html", ""]))
def test_the_name_must_match_the_content(signature, ending):
    magic, content_type, endings = signature
    if ending in endings:
        assert check_upload(name=f"file{ending.upper()}", head=magic, size=100) == content_type
    else:
        with pytest.raises(UploadRefused):
            check_upload(name=f"file{ending}", head=magic, size=100)


def test_size_is_limited_by_the_setting(settings):
    settings.MASARAT_DOCUMENT_MAX_BYTES = 2048
    assert check_upload(name="a.pdf", head=b"%PDF-", size=2048) == "application/pdf"
    with pytest.raises(UploadRefused, match="2"):
        check_upload(name="a.pdf", head=b"%PDF-", size=2049)
    with pytest.raises(UploadRefused):
        check_upload(name="a.pdf", head=b"", size=0)


@pytest.fixture
def document(alice_case, bob):
    return document_attach(case=alice_case, kind="medical_certificate", by=bob, expected_version=None,
                           upload=SimpleUploadedFile("certificat_aminata.pdf", PDF))


@pytest.mark.django_db
def test_content_and_name_are_encrypted_at_rest(document):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT content, filename FROM documents_casedocument")
        content, filename = cursor.fetchone()
    assert b"Aminata" not in bytes(content) and bytes(content).startswith(b"ev1:")
    assert "aminata" not in filename


@pytest.mark.django_db
def test_content_moved_to_another_document_does_not_decrypt(document, alice_case, bob, client):
    from masarat.vault.cipher import DecryptionError

    other = document_attach(case=alice_case, kind="other", by=bob, expected_version=None,
                            upload=SimpleUploadedFile("other.pdf", b"%PDF-1.4 other"))
    CaseDocument.objects.filter(pk=other.pk).update(content=document.content)
    client.force_login(bob)
    with pytest.raises(DecryptionError):
        client.get(f"/cases/{alice_case.reference}/documents/{other.pk}/")


@pytest.mark.django_db
def test_upload_and_download_through_the_pages(client, alice_case, bob):
    client.force_login(bob)
    url = f"/cases/{alice_case.reference}/documents/new/"
    response = client.post(url, {"version": alice_case.version, "kind": "court_papers",
                                 "file": SimpleUploadedFile("convocation.pdf", PDF)})
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=alice_case)
    response = client.get(f"/cases/{alice_case.reference}/documents/{document.pk}/")
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="convocation.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="document.download", target_id=str(document.pk), actor=bob).count() == 1


@pytest.mark.django_db
def test_a_disguised_file_is_refused_with_a_clear_error(client, alice_case, bob):
    client.force_login(bob)
    response = client.post(f"/cases/{alice_case.reference}/documents/new/", {
        "version": alice_case.version, "kind": "other",
        "file": SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 an executable"),
    })
    assert response.status_code == 400
    assert "PDF, PNG" in response.content.decode()
    assert not CaseDocument.objects.exists()


@pytest.mark.django_db
def test_only_those_who_hold_the_file_download(client, document, alice_case, bob, nadia, dana, charlie, alice,
                                               case_manager, prosecutor, analyst, auditor):
    url = f"/cases/{alice_case.reference}/documents/{document.pk}/"
    for outsider in (dana, charlie, alice, case_manager, prosecutor, analyst, auditor):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider.username
    services.case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob, expected_version=None)
    for insider in (nadia, case_manager):
        client.force_login(insider)
        assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="document.download").count() == 2
    # Reached under the reference of another case the user holds, the document does not exist.
    other_case = make_case(by=alice)
    client.force_login(nadia)
    assert client.get(f"/cases/{other_case.reference}/documents/{document.pk}/").status_code == 404
