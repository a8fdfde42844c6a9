"""Production settings are safe by default and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys


def run_masarat(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("MASARAT_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "masarat", *args], capture_output=True, text=True, env={**clean, **env},
        timeout=120, check=False,
    )


PRODUCTION_KEYS = {
    "MASARAT_SECRET_KEY": "x" * 30 + "production-secret-key-with-enough-entropy-9f8e7d",
    "MASARAT_ENCRYPTION_KEYS": "2026a:" + "A" * 43 + "=",
    "MASARAT_BLIND_INDEX_KEY": "B" * 43 + "=",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_masarat("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_KEYS,
                         MASARAT_ALLOWED_HOSTS="masarat.example.org", MASARAT_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_encryption_keys(tmp_path):
    result = run_masarat("check", MASARAT_SECRET_KEY=PRODUCTION_KEYS["MASARAT_SECRET_KEY"],
                         MASARAT_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "MASARAT_ENCRYPTION_KEYS" in result.stderr


def test_a_malformed_encryption_key_is_reported_at_start(tmp_path):
    result = run_masarat("check", **{**PRODUCTION_KEYS, "MASARAT_ENCRYPTION_KEYS": "2026a:QUJD"},
                         MASARAT_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "32 bytes" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_masarat("check", MASARAT_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "MASARAT_SECRET_KEY" in result.stderr


def test_a_malformed_boolean_is_reported_by_name(tmp_path):
    result = run_masarat("check", MASARAT_DEMO="perhaps", MASARAT_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "MASARAT_DEMO must be a boolean" in result.stderr
