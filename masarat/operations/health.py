"""What a load balancer and a monitoring system ask: is this server alive, is it ready to serve."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from masarat.vault.keys import keyring


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""


def _database() -> CheckResult:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return CheckResult("database", True)


def _migrations() -> CheckResult:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return CheckResult("migrations", not pending, f"{len(pending)} pending" if pending else "")


def _keys() -> CheckResult:
    keyring()
    return CheckResult("encryption_keys", True)


CHECKS: list[Callable[[], CheckResult]] = [_database, _migrations, _keys]


def readiness() -> list[CheckResult]:
    """Every check, each isolated: one failing says which, without hiding the others."""
    results = []
    for check in CHECKS:
        name = check.__name__.lstrip("_")
        try:
            results.append(check())
        except Exception as error:
            results.append(CheckResult(name, False, type(error).__name__))
    return results
