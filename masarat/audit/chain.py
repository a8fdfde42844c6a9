"""The hash chain that makes the audit trail tamper-evident.

Every event carries a sequence number (1, 2, 3…), the hash of the event before it and its own
hash: SHA-256 over a canonical serialisation of its fields and of the previous hash. Changing an
event breaks its hash; removing or inserting one breaks the sequence or the link of the next.

The serialisation below is a contract with every event already written: changing it makes the
whole trail look tampered with. Add a field to the chain only with a new version of the format.

A plain SHA-256 chain proves that the trail was not changed by someone who does not also
recompute every later hash. Against that, keep the head (``masarat audit verify`` prints it)
somewhere outside the database and compare it later.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

GENESIS_HASH = "0" * 64
# Every field the chain protects, in the order of the canonical form (sorted keys make it explicit anyway).
CHAINED_FIELDS = ("sequence", "at", "actor_id", "actor_username", "action", "target_type", "target_id",
                  "case_reference", "ip_address", "channel", "details")
# One transaction-scoped PostgreSQL advisory lock serialises the appends: a stable 32-bit key.
CHAIN_LOCK_KEY = zlib.crc32(b"masarat.audit.chain")


def _address(value: str | None) -> str | None:
    # The database may rewrite an address (PostgreSQL's inet, IPv6 shortening): hash one spelling of it.
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).exploded
    except ValueError:
        return value


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(row: Mapping[str, Any], previous_hash: str) -> bytes:
    """The bytes that are hashed: the event's fields as the database gives them back, and the link."""
    return json.dumps(_fields(row, previous_hash), sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()


def _fields(row: Mapping[str, Any], previous_hash: str) -> dict[str, Any]:
    return {
        "sequence": row["sequence"],
        "at": _moment(row["at"]),
        "actor_id": row["actor_id"],
        "actor_username": row["actor_username"],
        "action": row["action"],
        "target_type": row["target_type"],
        "target_id": row["target_id"],
        "case_reference": row["case_reference"],
        "ip_address": _address(row["ip_address"]),
        "channel": row["channel"],
        "details": row["details"],
        "previous_hash": previous_hash,
    }


# Where the canonical form is cut for an append made by the database (see ``canonical_parts``).
_MOMENT_KEY, _LINK_KEY, _SEQUENCE_KEY = "at", "previous_hash", "sequence"


def _member(key: str, value: Any) -> str:
    return json.dumps(key) + ":" + json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def canonical_parts(row: Mapping[str, Any]) -> tuple[str, str, str]:
    """The canonical form of an event whose moment, sequence and previous hash are not known yet,
    as three pieces: the form is ``head + moment + middle + previous hash + '","sequence":' +
    sequence + tail``, the same bytes as ``canonical`` (its keys sorted, its values as it writes
    them). The database appends with it, filling in what only the chain's head tells.
    """
    members = _fields({**row, "at": datetime.min.replace(tzinfo=UTC), "sequence": 0}, "")
    keys = sorted(members)
    at, link, sequence = keys.index(_MOMENT_KEY), keys.index(_LINK_KEY), keys.index(_SEQUENCE_KEY)
    # The chained fields sort so: ... actor_username, at, case_reference ... previous_hash, sequence, target_id ...
    if not at < link == sequence - 1:
        raise RuntimeError("the keys of the canonical form no longer sort as canonical_parts expects")
    head = "{" + "".join(_member(key, members[key]) + "," for key in keys[:at]) + f'{json.dumps(_MOMENT_KEY)}:"'
    middle = ('",' + "".join(_member(key, members[key]) + "," for key in keys[at + 1:link])
              + f'{json.dumps(_LINK_KEY)}:"')
    tail = "".join("," + _member(key, members[key]) for key in keys[sequence + 1:]) + "}"
    return head, middle, tail


def event_hash(row: Mapping[str, Any], previous_hash: str) -> str:
    return hashlib.sha256(canonical(row, previous_hash)).hexdigest()


def lock_chain() -> None:
    """Hold the chain until the end of the current transaction, so that appends never fork it.

    SQLite lets one transaction write at a time, so only PostgreSQL needs the lock. The unique
    sequence number refuses a fork on any database, should a lock ever be missed.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def rows_in_order(events: QuerySet[Any], *, batch_size: int, key: str = "sequence") -> Iterator[dict[str, Any]]:
    """Every row, ordered by ``key``, read in batches by key (bounded memory however long the trail)."""
    last: Any = None
    while True:
        batch = events.order_by(key)
        if last is not None:
            batch = batch.filter(**{f"{key}__gt": last})
        rows = list(batch.values("id", "hash", "previous_hash", *CHAINED_FIELDS)[:batch_size])
        yield from rows
        if len(rows) < batch_size:
            return
        last = rows[-1][key]


# --- Verification -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Break:
    """The first place where the chain does not hold."""

    sequence: int | None
    event_id: int
    kind: str  # "altered", "inserted", "deleted" or, when the evidence allows both, "altered or deleted"
    reason: str

    def __str__(self) -> str:
        where = f"event #{self.sequence} (id {self.event_id})"
        return f"{where}: {self.kind}: {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    verified: int
    head_sequence: int
    head_hash: str
    broken: Break | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify_chain(model: type[Model], *, batch_size: int = 2000,
                 progress: Callable[[int], None] | None = None) -> ChainReport:
    """Walk the whole chain and stop at the first event that breaks it.

    Per event, in this order: its sequence must follow the previous one (a gap means events were
    deleted, a repeat that one was inserted), its previous hash must be the previous event's hash
    (otherwise the previous event was replaced or one was inserted or deleted), and its own hash
    must match its fields (otherwise it was altered).
    """
    previous: dict[str, Any] | None = None
    before_previous_hash = GENESIS_HASH
    verified = 0
    for row in rows_in_order(model._default_manager.all(), batch_size=batch_size):
        expected_sequence = previous["sequence"] + 1 if previous else 1
        expected_link = previous["hash"] if previous else GENESIS_HASH
        broken: Break | None = None
        sequence, pk = row["sequence"], row["id"]
        if sequence > expected_sequence:
            missing = (f"event #{expected_sequence}" if sequence == expected_sequence + 1
                       else f"events #{expected_sequence} to #{sequence - 1}")
            broken = Break(sequence, pk, "deleted", f"gap in sequence: {missing} missing before it")
        elif sequence < expected_sequence:
            broken = Break(sequence, pk, "inserted", f"sequence number #{sequence} repeated")
        elif row["previous_hash"] != expected_link:
            if previous is not None and row["previous_hash"] == before_previous_hash:
                broken = Break(previous["sequence"], previous["id"], "inserted",
                               f"broken link: event #{sequence} is chained to event #{sequence - 2}, "
                               f"not to the event #{sequence - 1} placed before it")
            elif previous is None:
                broken = Break(sequence, pk, "altered", "broken link: the first event must follow the genesis hash")
            else:
                broken = Break(sequence, pk, "altered or deleted",
                               f"broken link: its previous hash is not the hash of event #{sequence - 1}; that "
                               "event was rewritten with a recomputed hash, or events between them were removed "
                               "and the later ones renumbered")
        elif row["hash"] != event_hash(row, row["previous_hash"]):
            broken = Break(sequence, pk, "altered", "hash mismatch: its fields changed after it was written")
        if broken is not None:
            head = previous or {"sequence": 0, "hash": GENESIS_HASH}
            return ChainReport(verified, head["sequence"], head["hash"], broken)
        before_previous_hash = expected_link
        previous = row
        verified += 1
        if progress is not None and verified % batch_size == 0:
            progress(verified)
    head = previous or {"sequence": 0, "hash": GENESIS_HASH}
    return ChainReport(verified, head["sequence"], head["hash"])
