"""Chain the events written before the chain existed, in the order they were written (by id), in batches."""

from django.db import migrations

from masarat.audit.chain import GENESIS_HASH, event_hash, rows_in_order

BATCH_SIZE = 2000


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous_hash, sequence, batch = GENESIS_HASH, 0, []
    for row in rows_in_order(AuditEvent.objects.all(), batch_size=BATCH_SIZE, key="id"):
        sequence += 1
        row["sequence"] = sequence
        event = AuditEvent(id=row["id"], sequence=sequence, previous_hash=previous_hash,
                           hash=event_hash(row, previous_hash))
        previous_hash = event.hash
        batch.append(event)
        if len(batch) == BATCH_SIZE:
            AuditEvent.objects.bulk_update(batch, ["sequence", "previous_hash", "hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["sequence", "previous_hash", "hash"])


def unchain(apps, schema_editor):
    apps.get_model("audit", "AuditEvent").objects.update(sequence=None, previous_hash="", hash="")


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_chain_fields"),
    ]

    operations = [
        migrations.RunPython(chain_existing_events, unchain, elidable=False),
    ]
