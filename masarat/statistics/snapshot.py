"""One moment of the database for a whole release.

A release is built from a dozen queries whose totals are tied together (the referrals of the
periods are those of the breakdowns). Referrals keep arriving while it is built: read at different
moments, two tables would disagree, and disclosure control, which relies on those ties, could not
protect them. Inside ``one_snapshot()`` every query reads the same committed state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def one_snapshot() -> Iterator[None]:
    """Read-only work inside sees one snapshot: REPEATABLE READ on PostgreSQL, one read transaction
    on SQLite. Within an enclosing transaction (tests), that transaction's own view is kept."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield
