"""The CSV lists read by ``masarat dedup-file``: one bad row or value is reported, never fatal.

Columns read (others are ignored; all but ``record_id`` may be empty or absent): record_id,
first_name, last_name, sex, birth_date (YYYY-MM-DD, YYYY-MM, YYYY), nationality (ISO code or a
country name in French, English or Arabic), phone, document_number, address, source_agency.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from masarat.matching.fields import (
    DEFAULT_PHONE_REGION,
    BirthParts,
    nationality_code,
    normalise_phone,
    parse_birth_date,
)
from masarat.matching.records import MatchRecord, sex_code

COLUMNS = ("record_id", "first_name", "last_name", "sex", "birth_date", "nationality", "phone",
           "document_number", "address", "source_agency")


@dataclass(frozen=True)
class Problem:
    """Something wrong on one line. ``reason`` is a code; the command words it for the user."""

    line: int
    reason: str  # missing_id, duplicate_id, bad_value, wrong_field_count, not_utf8, unreadable
    column: str = ""
    value: str = ""


@dataclass
class ReadResult:
    records: list[MatchRecord]
    problems: list[Problem]
    rows: int


class MissingColumn(ValueError):
    pass


def _without_nul(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield line.replace("\x00", "")


def read_records(stream: TextIO, *, phone_region: str = DEFAULT_PHONE_REGION) -> ReadResult:
    """Records of a CSV stream opened with ``newline=""`` and ``errors="surrogateescape"``."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(_without_nul(stream))
    try:
        header = [h.strip().lower().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        header = []
    if "record_id" not in header:
        raise MissingColumn("record_id")
    position = {name: header.index(name) for name in COLUMNS if name in header}
    records: list[MatchRecord] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    rows = 0
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line = reader.line_num
            problems.append(Problem(start, "unreadable", value=str(exc)))
            continue
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        record = _record(row, header, position, start, problems, phone_region)
        if record is None:
            continue
        if record.record_id in seen:
            problems.append(Problem(start, "duplicate_id", "record_id", record.record_id))
            continue
        seen.add(record.record_id)
        records.append(record)
    return ReadResult(records=records, problems=problems, rows=rows)


def _record(row: list[str], header: list[str], position: dict[str, int], line: int, problems: list[Problem],
            phone_region: str) -> MatchRecord | None:
    if any(_has_surrogates(cell) for cell in row):
        problems.append(Problem(line, "not_utf8"))
        row = [cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for cell in row]
    if len(row) != len(header):
        problems.append(Problem(line, "wrong_field_count", value=str(len(row))))
        if len(row) > len(header):
            # The values are shifted: only the identifier can be trusted.
            return _identified(row, position, line, problems)
    values = {name: row[index].strip() if index < len(row) else "" for name, index in position.items()}
    record_id = values.get("record_id", "")
    if not record_id:
        problems.append(Problem(line, "missing_id", "record_id"))
        return None

    def parsed(column: str, parse: Callable[[str], Any], default: Any) -> Any:
        raw = values.get(column, "")
        if not raw:
            return default
        try:
            return parse(raw)
        except ValueError:
            problems.append(Problem(line, "bad_value", column, raw))
            return default

    return MatchRecord(
        record_id=record_id,
        given_names=(values["first_name"],) if values.get("first_name") else (),
        family_names=(values["last_name"],) if values.get("last_name") else (),
        sex=parsed("sex", sex_code, ""),
        birth=parsed("birth_date", parse_birth_date, BirthParts()),
        nationality=parsed("nationality", nationality_code, ""),
        phone=parsed("phone", lambda raw: normalise_phone(raw, phone_region), ""),
        document_number=values.get("document_number", ""),
        address=values.get("address", ""),
        source_agency=values.get("source_agency", ""),
    )


def _identified(row: list[str], position: dict[str, int], line: int, problems: list[Problem]) -> MatchRecord | None:
    record_id = row[position["record_id"]].strip()
    if not record_id:
        problems.append(Problem(line, "missing_id", "record_id"))
        return None
    return MatchRecord(record_id=record_id)


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def write_clusters(stream: TextIO, records: Iterable[MatchRecord], clusters: dict[str, str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["record_id", "cluster_id"])
    for record in records:
        writer.writerow([record.record_id, clusters[record.record_id]])
