"""Reading an uploaded case list (CSV or XLSX) into a header and rows of text, within limits.

Nothing here trusts the file: any encoding, any delimiter, NUL bytes, formulas, broken or
oversized workbooks. A file that cannot be read raises :class:`FileRefused` with a message for the
user; a file that can be read always gives text cells (a formula is its text, never evaluated).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

ENCODINGS = ("utf-8", "windows-1256", "latin-1")
DELIMITERS = ",;\t|"
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_ARABIC_WORD = re.compile(r"(?<![A-Za-z\u00C0-\u024F])[\u0600-\u06FF]{2,}(?![A-Za-z\u00C0-\u024F])")
_ZIP_MAGIC = b"PK\x03\x04"
XLSX_MAX_EXPANDED = 200 * 1024 * 1024  # what the parts of a workbook may expand to, in total
XLSX_MAX_RATIO = 200  # compression ratio beyond which a part is a zip bomb, not a spreadsheet


class FileRefused(Exception):
    """The file cannot be read at all; the message says why and what to do."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # where each row starts in the file (1 = first line)
    kind: str = "csv"
    encoding: str = ""
    delimiter: str = ""


def limits() -> tuple[int, int, int]:
    return (settings.MASARAT_IMPORT_MAX_ROWS, settings.MASARAT_IMPORT_MAX_COLUMNS,
            settings.MASARAT_IMPORT_MAX_CELL)


def read_table(data: bytes, *, filename: str = "", encoding: str = "") -> Table:
    """The header and rows of a CSV or XLSX file (chosen by its content, not its name)."""
    if len(data) > settings.MASARAT_IMPORT_MAX_BYTES:
        raise FileRefused(_("The file is too large (%(limit)d MB at most). Split it into several files.")
                          % {"limit": settings.MASARAT_IMPORT_MAX_BYTES // (1024 * 1024)})
    if not data.strip(b"\x00 \t\r\n\xef\xbb\xbf"):
        raise FileRefused(_("The file is empty. Choose the file that holds the case list."))
    if data.startswith(_ZIP_MAGIC):
        table = _read_xlsx(data)
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("This file is not a valid XLSX workbook. Save it again from the spreadsheet program, "
                            "or export it as CSV."))
    else:
        table = _read_csv(data, encoding)
    return _checked(table)


def _checked(table: Table) -> Table:
    max_rows, max_columns, max_cell = limits()
    header = [" ".join(cell.replace("\ufeff", "").split()) for cell in table.header]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise FileRefused(_("The first line must name the columns, and it is empty."))
    if len(header) > max_columns:
        raise FileRefused(_("The file has %(count)d columns; %(limit)d at most can be read.")
                          % {"count": len(header), "limit": max_columns})
    if any(len(cell) > 200 for cell in header):
        raise FileRefused(_("A column name is longer than 200 characters: is the first line really the header?"))
    # Unnamed or repeated column names are numbered, so that each column can be mapped on its own.
    seen: dict[str, int] = {}
    named = []
    for position, cell in enumerate(header, start=1):
        name = cell or _("Column %(number)d") % {"number": position}
        count = seen.get(name.casefold(), 0) + 1
        seen[name.casefold()] = count
        named.append(name if count == 1 else f"{name} ({count})")
    table.header = named
    rows = []
    for row in table.rows:
        cells = [cell if len(cell) <= max_cell else cell[:max_cell] + "\u2026" for cell in row]
        rows.append(cells)
    if len(rows) > max_rows:
        raise FileRefused(_("The file has more than %(limit)d rows. Split it into several files.")
                          % {"limit": max_rows})
    table.rows = rows
    return table


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes; otherwise Windows-1256 when the text reads as
    Arabic words, else Latin-1 (which decodes anything)."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    arabic = data.decode("windows-1256", errors="replace")
    words = len(_ARABIC_WORD.findall(arabic))
    letters = len(_ARABIC.findall(arabic))
    # A Latin-1 text read as Windows-1256 shows isolated "Arabic" letters inside Latin words (É -> ة).
    return "windows-1256" if words and words * 2 >= letters / 4 else "latin-1"


def _decode(data: bytes, encoding: str) -> tuple[str, str]:
    encoding = encoding or detect_encoding(data)
    if encoding not in ENCODINGS:
        raise FileRefused(_("Unknown encoding: choose UTF-8, Windows-1256 or Latin-1."))
    text = data.decode(encoding, errors="replace")
    return text.lstrip("\ufeff").replace("\x00", ""), encoding


def detect_delimiter(text: str) -> str:
    sample = "\n".join(text[:65536].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {delimiter: first.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=lambda delimiter: counts[delimiter])
        return best if counts[best] else ","


def _read_csv(data: bytes, encoding: str) -> Table:
    text, encoding = _decode(data, encoding)
    delimiter = detect_delimiter(text)
    max_rows, max_columns, _max_cell = limits()
    csv.field_size_limit(max(settings.MASARAT_IMPORT_MAX_BYTES, 1024))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    previous = 0
    try:
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = row
                continue
            if len(rows) > max_rows:
                break  # _checked refuses the file
            rows.append(row[: max_columns + 1])
            lines.append(start)
    except csv.Error as error:
        raise FileRefused(_("Line %(line)d cannot be read as CSV (%(error)s). Check the quotes on that line.")
                          % {"line": reader.line_num, "error": error}) from error
    return Table(header=header or [], rows=rows, lines=lines, kind="csv", encoding=encoding, delimiter=delimiter)


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRefused(_("This file is not a valid XLSX workbook. Save it again from the spreadsheet program, "
                            "or export it as CSV.")) from error
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > XLSX_MAX_EXPANDED or (member.file_size > 1024 * 1024 and ratio > XLSX_MAX_RATIO):
            raise FileRefused(_("This workbook expands to far more than its size and is not read. "
                                "Export the sheet as CSV instead."))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\x00", "")


def _read_xlsx(data: bytes) -> Table:
    _check_zip(data)
    import openpyxl  # imported here: only workbooks need it

    max_rows, max_columns, _max_cell = limits()
    try:
        # read_only streams the sheet; formulas come back as their text ("=..."), never computed.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file; none may crash the import
        raise FileRefused(_("This file is not a valid XLSX workbook. Save it again from the spreadsheet program, "
                            "or export it as CSV.")) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRefused(_("The workbook has no sheet."))
        header: list[str] | None = None
        rows: list[list[str]] = []
        lines: list[int] = []
        for line, values in enumerate(sheet.iter_rows(values_only=True, max_col=max_columns + 1), start=1):
            cells = [_cell_text(value) for value in values]
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = cells
                continue
            if len(rows) > max_rows:
                break
            rows.append(cells)
            lines.append(line)
    except FileRefused:
        raise
    except Exception as error:
        raise FileRefused(_("This file is not a valid XLSX workbook. Save it again from the spreadsheet program, "
                            "or export it as CSV.")) from error
    finally:
        workbook.close()
    return Table(header=header or [], rows=rows, lines=lines, kind="xlsx")
