"""CSV and XLSX files of published tables, safe to open in a spreadsheet.

Text cells go through :func:`masarat.web.exports.spreadsheet_safe` (formula injection); numbers stay
numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

from masarat.web.exports import spreadsheet_safe


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    return spreadsheet_safe(value)


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the mark lets spreadsheets read UTF-8 (Arabic)


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=safe_sheet_title(title))
        for row in rows:
            sheet.append([_cell(value) for value in row])
        for cells in sheet.iter_rows():
            for item in cells:
                if isinstance(item.value, str):
                    item.data_type = "s"  # never a formula, whatever the text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_sheet_title(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip("' ")
    return cleaned[:31] or "Sheet"
