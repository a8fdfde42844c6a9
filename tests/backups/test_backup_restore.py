"""Encrypted backups round-trip, and an altered, cut or foreign file restores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from masarat.audit.chain import verify_chain
from masarat.audit.models import AuditEvent
from masarat.backups.archive import BackupError, BackupReader
from masarat.backups.services import _empty, backed_up_models, create_backup, restore_backup
from masarat.cases.models import Case
from masarat.cases.selectors import case_file
from masarat.vault.keys import generate_key, parse_keyring
from tests.factories import make_case


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def snapshot() -> dict[str, list[dict[str, object]]]:
    return {model._meta.label: list(model._base_manager.order_by("pk").values()) for model in backed_up_models()}


def empty_database() -> None:
    """What a new database is, for the restore: nothing in it (in the test's own transaction)."""
    for model in reversed(backed_up_models()):
        _empty(model)


@pytest.fixture
def world(alice, bob, alice_case):
    for _ in range(3):
        make_case(by=alice)
    case_file(viewer=bob, reference=alice_case.reference)
    return alice_case


@pytest.fixture
def backup(world, tmp_path) -> Path:
    path = tmp_path / "masarat.backup"
    create_backup(path)
    return path


def test_a_backup_restores_every_record_exactly_with_the_audit_chain_intact(world, backup):
    before = snapshot()
    empty_database()
    assert not Case.objects.exists()
    report = restore_backup(backup)
    assert snapshot() == before
    assert report.counts["cases.case"] == 4
    assert verify_chain(AuditEvent).intact
    # New records continue after the restored ones (sequences were reset).
    assert make_case(by=world.referred_by).pk > max(row["id"] for row in before["cases.Case"])


def test_the_file_reveals_no_name(world, backup):
    content = backup.read_bytes()
    for secret in (world.person.given_name_latin, world.person.family_name_latin, world.reference):
        assert secret.encode() not in content


def test_an_altered_backup_restores_nothing(backup):
    content = bytearray(backup.read_bytes())
    content[len(content) // 2] ^= 0x01
    backup.write_bytes(bytes(content))
    empty_database()
    with pytest.raises(BackupError, match=r"altered|damaged"):
        restore_backup(backup)
    assert not Case.objects.exists() and not AuditEvent.objects.exists()


def test_a_backup_cut_short_restores_nothing(backup):
    backup.write_bytes(backup.read_bytes()[:-40])
    empty_database()
    with pytest.raises(BackupError, match="incomplete"):
        restore_backup(backup)
    assert not Case.objects.exists()


def test_a_backup_needs_the_key_it_was_made_with(backup):
    stranger = parse_keyring(f"other:{generate_key()}", generate_key())
    with backup.open("rb") as source, pytest.raises(BackupError, match="demo"):
        BackupReader(source, ring=stranger)


def test_a_database_in_use_is_never_overwritten(backup):
    with pytest.raises(BackupError, match="already holds data"):
        restore_backup(backup)


def test_content_spans_many_chunks_and_still_round_trips(alice, tmp_path, monkeypatch):
    monkeypatch.setattr("masarat.backups.archive.CHUNK_BYTES", 4096)
    for _ in range(10):
        make_case(by=alice)
    before = snapshot()
    path = tmp_path / "chunked.backup"
    create_backup(path)
    with path.open("rb") as source:
        assert len(list(BackupReader(source).chunks())) > 5
    empty_database()
    restore_backup(path)
    assert snapshot() == before


def test_the_commands_refuse_to_overwrite_and_report_plainly(world, tmp_path, capsys):
    path = tmp_path / "masarat.backup"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="--force"):
        call_command("backup", str(path))
    call_command("backup", str(path), "--force")
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(path))
    empty_database()
    call_command("restore", str(path))
    assert "records restored" in capsys.readouterr().out
