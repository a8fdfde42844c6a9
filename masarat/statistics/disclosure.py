"""Disclosure control of published counts: small cells hidden, and hidden cells kept hidden.

**Primary suppression.** A count of people that is not zero and below the threshold
(``MASARAT_STATISTICS_MIN_CELL``, 5 by default) is hidden: a group that small can be singled
out. Zero is published: it says nobody is in the group.

**Complementary suppression.** A table publishes its totals, and a total is the sum of its
cells: a lone hidden cell in a row would be the total minus the others. So every table is
described by its additive equations (each row sums to its row total, each column to its column
total, the totals to the grand total) and further cells are hidden until, for every hidden cell,
another table of counts exists that agrees with everything published yet differs in that cell.
Concretely: a hidden cell is safe when it lies on an alternating cycle (or a path between two
lines without a total) of hidden cells along which one can add and remove one person without any
count going below zero; such a cycle is exactly a second non-negative solution of the equations.
While a cell is not safe, the smallest published non-zero cell on one of its lines is hidden as
well (the totals last). Also, where the hidden cells of a line are all ordinary cells, their sum
is known from the total; when that sum is itself below the threshold, another cell of the line is
hidden, so that the union of the hidden groups is not a small group either.

**Several tables at once.** Tables of one release that show the same count (the number of
women in the sex table and in the region-by-sex table's column total) share that cell through
its key; a cell hidden in one is hidden in all, and the tables are protected again until nothing
changes. Totals are therefore the same everywhere they appear.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

CellKey = Hashable
# A walk may branch a lot in a large table: past this many steps, a cell counts as unsafe (hide more).
_SEARCH_BUDGET = 20_000


def min_cell() -> int:
    return int(settings.MASARAT_STATISTICS_MIN_CELL)


@dataclass
class Line:
    """One additive equation: ``sum(parts) == total``. ``total`` is ``None`` when the line has no total."""

    parts: list[CellKey]
    total: CellKey | None = None


def cell(population: str, **categories: Hashable) -> CellKey:
    """The key of a count: a population and its categories (none for the population's total).

    Two tables of one release that show the same count build the same key, so they share it.
    """
    return (population, tuple(sorted(categories.items())))


@dataclass
class Table:
    """Counts keyed by cell, with the equations that tie them together."""

    values: dict[CellKey, int]
    lines: list[Line] = field(default_factory=list)

    @classmethod
    def one_way(cls, population: str, dimension: str, counts: Mapping[Any, int], *,
                additive: bool = True) -> Table:
        """Categories and their total. A multi-valued dimension (a person counts in several
        categories) is not ``additive``: its categories do not sum to a total, so none is published
        with them and no equation ties them."""
        values = {cell(population, **{dimension: category}): count for category, count in counts.items()}
        if not additive:
            return cls(values, [])
        total = cell(population)
        lines = [Line(list(values), total)]
        values[total] = sum(counts.values())
        return cls(values, lines)

    @classmethod
    def two_way(cls, population: str, row_dimension: str, rows: Sequence[Hashable], column_dimension: str,
                columns: Sequence[Hashable], counts: Mapping[Any, int]) -> Table:
        """Rows by columns, with row totals, column totals and the grand total."""
        def key(row: Hashable | None, column: Hashable | None) -> CellKey:
            categories = {}
            if row is not None:
                categories[row_dimension] = row
            if column is not None:
                categories[column_dimension] = column
            return cell(population, **categories)

        values: dict[CellKey, int] = {}
        for row in rows:
            for column in columns:
                values[key(row, column)] = counts.get((row, column), 0)
            values[key(row, None)] = sum(counts.get((row, column), 0) for column in columns)
        for column in columns:
            values[key(None, column)] = sum(counts.get((row, column), 0) for row in rows)
        values[key(None, None)] = sum(values[key(None, column)] for column in columns)
        lines = [Line([key(row, column) for column in columns], key(row, None)) for row in rows]
        lines += [Line([key(row, column) for row in rows], key(None, column)) for column in columns]
        lines.append(Line([key(None, column) for column in columns], key(None, None)))
        lines.append(Line([key(row, None) for row in rows], key(None, None)))
        return cls(values, lines)


@dataclass(frozen=True)
class Protected:
    """What may be published: every value, and the set of cells to show as hidden."""

    values: dict[CellKey, int]
    hidden: frozenset[CellKey]
    threshold: int

    def shown(self, key: CellKey) -> int | None:
        """The published value, or ``None`` for a hidden cell."""
        return None if key in self.hidden else self.values[key]


def protect(tables: Iterable[Table], *, threshold: int | None = None) -> Protected:
    """Protect tables released together (cells with the same key are the same count)."""
    tables = list(tables)
    threshold = min_cell() if threshold is None else threshold
    values: dict[CellKey, int] = {}
    for table in tables:
        for key, value in table.values.items():
            if values.setdefault(key, value) != value:
                raise ValueError(f"Cell {key!r} has two different values in one release.")
    for table in tables:  # a table of equations alone (ties between other tables) takes their values
        for line in table.lines:
            for key in [*line.parts, *([line.total] if line.total is not None else [])]:
                table.values.setdefault(key, values[key])
    hidden = {key for key, value in values.items() if 0 < value < threshold}
    # A table found safe stays safe while none of its own cells is hidden anew: whether it is
    # safe depends only on which of its cells are hidden, so it is not searched again.
    safe_with: dict[int, frozenset[CellKey]] = {}
    changed = True
    while changed:
        changed = False
        for index, table in enumerate(tables):
            mine = frozenset(key for key in table.values if key in hidden)
            if safe_with.get(index) == mine:
                continue
            before = len(hidden)
            _protect_table(table, values, hidden, threshold)
            changed = changed or len(hidden) != before
            safe_with[index] = frozenset(key for key in table.values if key in hidden)
    return Protected(values, frozenset(hidden), threshold)


def _protect_table(table: Table, values: dict[CellKey, int], hidden: set[CellKey], threshold: int) -> None:
    totals = {line.total for line in table.lines if line.total is not None}
    # Hiding more cells only adds ways to move a hidden cell: one found movable stays movable, and
    # is not searched again on the next round.
    movable: set[CellKey] = set()
    while True:
        problem = _unsafe_cell(table, values, hidden, threshold, movable)
        if problem is None:
            return
        line_keys = problem
        candidates = [key for key in line_keys if key not in hidden]
        if not candidates:
            # Every cell of the line is hidden already: widen to any published cell of the table.
            candidates = [key for key in table.values if key not in hidden]
            if not candidates:
                return
        # Prefer non-zero cells, then ordinary cells over totals, then the smallest.
        candidates.sort(key=lambda key: (values[key] == 0, key in totals, values[key], repr(key)))
        hidden.add(candidates[0])


def _unsafe_cell(table: Table, values: dict[CellKey, int], hidden: set[CellKey],
                 threshold: int, movable: set[CellKey]) -> list[CellKey] | None:
    """The cells of a line that needs one more hidden cell, or ``None`` when the table is safe.

    ``movable`` holds hidden cells already shown to move with every equation kept; the cells shown
    so here are added to it."""
    for line in table.lines:
        hidden_parts = [key for key in line.parts if key in hidden]
        if line.total is not None and line.total not in hidden and hidden_parts:
            union = sum(values[key] for key in hidden_parts)
            if 0 < union < threshold:
                return [*line.parts, line.total]
    graph = _Graph(table, values, hidden)
    for key in table.values:
        if key not in hidden or key in movable:
            continue
        if graph.can_move(key):
            movable.add(key)
        else:
            lines = [line for line in table.lines if key in line.parts or key == line.total]
            return [cell for line in lines for cell in (*line.parts, *([line.total] if line.total else []))]
    return None


class _Graph:
    """Hidden cells as edges between the lines (equations) they appear in.

    A cell appears in at most two lines. Lines without a total impose no equation; they, and the
    missing second line of a cell that appears in only one, are the free node ``None``. In a line
    the ordinary cells count +1 and the total -1. A walk along hidden cells that returns to where it
    started, or that runs from the free node to the free node, changes the cells by +1 or -1 while
    every equation stays true: when no count goes below zero, it is a second table that agrees with
    everything published.
    """

    def __init__(self, table: Table, values: dict[CellKey, int], hidden: set[CellKey]) -> None:
        self.values = values
        self.ends: dict[CellKey, list[tuple[int | None, int]]] = {}
        for index, line in enumerate(table.lines):
            node: int | None = index if line.total is not None else None
            members = [(part, 1) for part in line.parts] + ([(line.total, -1)] if line.total is not None else [])
            for key, coef in members:
                if key in hidden and node is not None:
                    self.ends.setdefault(key, []).append((node, coef))
        self.at: dict[int | None, list[CellKey]] = {}
        for key in hidden:
            if key not in table.values:
                continue
            ends = self.ends.setdefault(key, [])
            while len(ends) < 2:
                ends.append((None, 1))
            for node, _coef in ends:
                self.at.setdefault(node, []).append(key)

    def can_move(self, start: CellKey) -> bool:
        return any(self._walk(start, direction) for direction in (1, -1))

    def _walk(self, start: CellKey, direction: int) -> bool:
        """Is there such a walk through ``start`` that changes it by ``direction``?"""
        if direction < 0 and self.values[start] < 1:
            return False
        ends = self.ends[start]
        # Start from a constrained end and come back to the other end (the free node, if there is one).
        origin, first = (ends[0], ends[1]) if ends[1][0] is not None else (ends[1], ends[0])
        if first[0] is None:
            return True  # the cell is in no equation at all
        budget = [_SEARCH_BUDGET]

        def arrive(node: int | None, coef: int, change: int, used: frozenset[CellKey],
                   visited: frozenset[int | None]) -> bool:
            """Arrive at ``node`` through a cell of coefficient ``coef`` there, changed by ``change``."""
            budget[0] -= 1
            if budget[0] < 0:
                return False
            if node == origin[0]:
                return node is None or coef * change + origin[1] * direction == 0
            if node is not None and node in visited:
                return False
            for key in self.at.get(node, []):
                if key in used:
                    continue
                here, there = self.ends[key] if self.ends[key][0][0] == node else self.ends[key][::-1]
                options = (1, -1) if node is None else (-coef * here[1] * change,)
                for next_change in options:
                    if next_change < 0 and self.values[key] < 1:
                        continue
                    if arrive(there[0], there[1], next_change, used | {key}, visited | {node}):
                        return True
            return False

        return arrive(first[0], first[1], direction, frozenset({start}), frozenset({origin[0]}))
