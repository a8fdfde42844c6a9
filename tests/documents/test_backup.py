"""Backups carry the case management records and the encrypted documents, and restore them exactly."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masarat.backups.services import create_backup, restore_backup
from masarat.documents.models import CaseDocument
from masarat.documents.services import document_attach, document_content
from tests.backups.test_backup_restore import empty_database, snapshot
from tests.care.helpers import add_record

pytestmark = pytest.mark.django_db


def test_records_and_documents_round_trip(alice_case, bob, prosecutor, tmp_path):
    add_record(alice_case, "plan", bob, goals="Logement sûr", wishes="Rester à Rabat.", review_on="2026-06-01")
    add_record(alice_case, "offender", prosecutor, designation="Hamid X.", sex="male")
    document_attach(case=alice_case, kind="court_papers", by=bob, expected_version=None,
                    upload=SimpleUploadedFile("jugement.pdf", b"%PDF-1.7 jugement"))
    path = tmp_path / "masarat.backup"
    create_backup(path)
    before = snapshot()
    empty_database()
    restore_backup(path)
    assert snapshot() == before
    assert document_content(document=CaseDocument.objects.get(), by=bob) == b"%PDF-1.7 jugement"
