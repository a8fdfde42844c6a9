"""On PostgreSQL, one function appends an event to the chain in a single statement.

It takes the chain's lock, reads the head, stamps the moment, computes the hash from the pieces
of the canonical form given by ``masarat.audit.chain.canonical_parts`` and inserts the event. Called
outside a transaction, the statement is its own transaction: the lock is held for the append and
its commit only, not for the round trips between the application and the database.
"""

from django.db import migrations

FUNCTION = "audit_auditevent_append"
ARGUMENTS = ("bigint, bigint, text, text, text, text, text, text, text, text, text, text, text")


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("audit", "AuditEvent")._meta.db_table)
    schema_editor.execute(f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}(
            lock_key bigint, new_actor_id bigint, new_actor_username text, new_action text,
            new_target_type text, new_target_id text, new_case_reference text, new_ip_address text,
            new_channel text, new_details text, canonical_head text, canonical_middle text,
            canonical_tail text
        ) RETURNS TABLE (event_id bigint, event_sequence bigint, event_at timestamptz, event_previous_hash text,
                       event_hash text)
        LANGUAGE plpgsql AS $$
        DECLARE
            last_sequence bigint := 0;
            last_hash text := repeat('0', 64);
            moment timestamptz;
        BEGIN
            PERFORM pg_advisory_xact_lock(lock_key);
            SELECT e.sequence, e.hash INTO last_sequence, last_hash
                FROM {table} e ORDER BY e.sequence DESC LIMIT 1;
            IF NOT FOUND THEN
                last_sequence := 0;
                last_hash := repeat('0', 64);
            END IF;
            moment := clock_timestamp();  -- under the lock, so that times follow the sequence
            event_sequence := last_sequence + 1;
            event_at := moment;
            event_previous_hash := last_hash;
            event_hash := encode(sha256(convert_to(
                canonical_head || to_char(moment AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                || canonical_middle || last_hash || '","sequence":' || event_sequence::text || canonical_tail,
                'UTF8')), 'hex');
            INSERT INTO {table} (at, actor_id, actor_username, action, target_type, target_id, case_reference,
                                 ip_address, channel, details, sequence, previous_hash, hash)
                VALUES (moment, new_actor_id, new_actor_username, new_action, new_target_type, new_target_id,
                        new_case_reference, new_ip_address::inet, new_channel, new_details::jsonb,
                        event_sequence, last_hash, event_hash)
                RETURNING id INTO event_id;
            RETURN NEXT;
        END
        $$
    """, params=None)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}({ARGUMENTS})")


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0005_append_only_trigger"),
    ]

    operations = [
        migrations.RunPython(create_function, drop_function, elidable=False),
    ]
