"""What imports keep about a person once their row became a case: the row's problems, which may quote
a value of the file (export and erasure, Law 09-08, registered with ``masarat.rights``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from masarat.cases.models import Case
from masarat.imports.models import ImportRow
from masarat.people.models import Person
from masarat.rights.registry import PersonalData, register


def _rows(cases: Sequence[Case]) -> Any:
    return ImportRow.objects.filter(case__in=cases).select_related("case", "job").order_by("job_id", "line")


def _export(person: Person, cases: Sequence[Case]) -> list[dict[str, Any]]:
    return [{"case": row.case.reference, "import": row.job_id, "line": row.line, "cells": row.cells,
             "problems": row.problems, "imported_at": row.job.finished_at.isoformat() if row.job.finished_at else None}
            for row in _rows(cases)]


def _erase(person: Person, cases: Sequence[Case]) -> None:
    for row in _rows(cases):
        if row.cells or row.problems:
            row.cells, row.problems = {}, []
            row.save(update_fields=["cells", "problems"])


def register_personal_data() -> None:
    register(PersonalData("imports", _export, _erase))
