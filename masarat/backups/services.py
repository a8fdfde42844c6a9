"""Back up every record of Masarat into one encrypted file, and restore it into an empty database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.backups.archive import BackupError, BackupReader, BackupWriter

# Rebuilt by `migrate` from the code, or short-lived: never backed up.
SKIPPED_MODELS = frozenset({"contenttypes.contenttype", "auth.permission", "sessions.session"})

Progress = Callable[[str, int], None]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder rounds times to the millisecond; a restore must give back the exact moment
    (the audit trail's hashes cover it)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model, parents before the models that refer to them."""
    app_list: dict[Any, list[type[models.Model]] | None] = {
        config: [model for model in config.get_models()
                 if model._meta.label_lower not in SKIPPED_MODELS and not model._meta.proxy
                 and model._meta.managed]
        for config in apps.get_app_configs()
    }
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def create_backup(path: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Write every record into ``path``, encrypted; returns the count per model.

    The records are read in one transaction (a consistent snapshot on PostgreSQL), so the backup
    is coherent even while people keep working.
    """
    counts: dict[str, int] = {}
    partial = path.with_name(path.name + ".partial")
    outermost = not connection.in_atomic_block
    with transaction.atomic(), partial.open("wb") as target:
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        writer = BackupWriter(target, {"created_at": timezone.now().isoformat(), "migrations": applied_migrations()})
        for model in backed_up_models():
            label = model._meta.label_lower
            rows = model._base_manager.order_by("pk")
            counts[label] = 0

            def counted(queryset: Any, label: str = label) -> Iterator[models.Model]:
                for obj in queryset.iterator(chunk_size=2000):
                    counts[label] += 1
                    yield obj

            serializers.serialize("jsonl", counted(rows), stream=writer, use_natural_foreign_keys=True,
                                  cls=ExactJSONEncoder)
            if progress:
                progress(label, counts[label])
        writer.close({"counts": counts})
    partial.replace(path)  # a backup that exists is a complete one
    return counts


@dataclass(frozen=True)
class RestoreReport:
    counts: dict[str, int]
    created_at: str


def restore_backup(path: Path, *, progress: Progress | None = None) -> RestoreReport:
    """Restore ``path`` into this database, which must be freshly migrated and hold no case.

    All or nothing: an altered, truncated or foreign file leaves the database as it was.
    """
    if _in_use():
        raise BackupError(_("This database already holds data: restore only into a new database "
                            "(create it, run 'masarat migrate', then restore)."))
    with path.open("rb") as source, transaction.atomic():
        reader = BackupReader(source)
        if reader.metadata.get("migrations") != applied_migrations():
            raise BackupError(_("The backup was made with another version of the database schema: install the "
                                "same version of Masarat, run 'masarat migrate', then restore."))
        targets = backed_up_models()
        for model in reversed(targets):  # what `migrate` installed gives way to the backup's
            _empty(model)
        counts: dict[str, int] = {}
        with connection.constraint_checks_disabled():
            for restored in serializers.deserialize("jsonl", reader.lines(), handle_forward_references=True):
                restored.save()
                label = restored.object._meta.label_lower
                counts[label] = counts.get(label, 0) + 1
                if progress and counts[label] % 5000 == 0:
                    progress(label, counts[label])
        connection.check_constraints()
        inventory: dict[str, int] = dict((reader.manifest or {}).get("counts", {}))  # type: ignore[call-overload]
        expected = {label: count for label, count in inventory.items() if count}
        if counts != expected:
            raise BackupError(_("The backup's content does not match its own inventory."))
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), targets):
                cursor.execute(statement)
    return RestoreReport(counts, str(reader.metadata.get("created_at", "")))


def _in_use() -> bool:
    """A case, a user or an event caused by someone: the database is not a new one."""
    from masarat.audit.models import AuditEvent
    from masarat.cases.models import Case

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return (Case.objects.exists() or user_model._base_manager.exists()
            or AuditEvent.objects.filter(actor__isnull=False).exists())


def _empty(model: type[models.Model]) -> None:
    if not model._base_manager.exists():
        return
    from masarat.audit.models import AuditEvent

    if model is AuditEvent and connection.vendor == "postgresql":
        # TRUNCATE, because the audit table refuses DELETE; here it holds installation events only.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no pending check
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(model._meta.db_table)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        model._base_manager.all().delete()
