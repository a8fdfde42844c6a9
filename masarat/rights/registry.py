"""Where each app says what personal data it keeps about a person, to export it and to erase it.

An app that stores anything about a person registers a :class:`PersonalData` handler (in its
``AppConfig.ready``); the access-request export and the erasure then cover it without knowing it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from masarat.cases.models import Case
    from masarat.people.models import Person

# The text left where free text about a person was erased.
ERASED = "—"


@dataclass(frozen=True)
class PersonalData:
    label: str
    export: Callable[[Person, Sequence[Case]], Any]
    erase: Callable[[Person, Sequence[Case]], None]


_handlers: dict[str, PersonalData] = {}


def register(handler: PersonalData) -> None:
    _handlers[handler.label] = handler


def handlers() -> list[PersonalData]:
    return list(_handlers.values())
