"""Who must hear of a change to cases made in bulk (``QuerySet.update``, ``bulk_update``,
``bulk_create`` of forms of exploitation), which sends no signal.

The statistics keep a fact per case (``masarat.statistics.facts``) and register here; the
listener runs inside the transaction of the change, with the keys of the changed cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Listener = Callable[[Iterable[int]], None]
_listeners: list[tuple[Listener, frozenset[str]]] = []


def listen(listener: Listener, fields: Iterable[str]) -> None:
    """Call ``listener`` with the keys of changed cases when one of ``fields`` changed."""
    if all(known is not listener for known, _fields in _listeners):
        _listeners.append((listener, frozenset(fields)))


def wanted(fields: Iterable[str]) -> bool:
    """Whether anybody listens to changes of these fields (``"exploitation"``: the forms)."""
    names = frozenset(fields)
    return any(names & interest for _listener, interest in _listeners)


def cases_changed(case_ids: Iterable[int], fields: Iterable[str]) -> None:
    """``fields`` of these cases changed (``"exploitation"`` for their forms of exploitation)."""
    ids = list(case_ids)
    names = frozenset(fields)
    if ids:
        for listener, interest in _listeners:
            if names & interest:
                listener(ids)


_decision_listeners: list[Callable[[Iterable[int]], None]] = []


def listen_decisions(listener: Callable[[Iterable[int]], None]) -> None:
    """Call ``listener`` with the keys of decisions changed in bulk."""
    if listener not in _decision_listeners:
        _decision_listeners.append(listener)


def decisions_wanted() -> bool:
    return bool(_decision_listeners)


def decisions_changed(decision_ids: Iterable[int]) -> None:
    ids = list(decision_ids)
    if ids:
        for listener in _decision_listeners:
            listener(ids)
