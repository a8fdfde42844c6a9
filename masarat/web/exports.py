"""Downloads of tables as CSV, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by spreadsheet programs (CSV injection); such a cell is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8 (Arabic) correctly
    writer = csv.writer(response)
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response
