"""Case lists as agencies keep them, for the import tests."""

from __future__ import annotations

import io

HEADER = ["Prénom", "Nom", "Sexe", "Date de naissance", "Nationalité", "Téléphone", "Région",
          "Forme d'exploitation", "Date de référencement", "Consentement", "Circonstances"]
ROWS = [
    ["Aminata", "Diallo", "F", "1995-04-02", "Guinée", "0612345678", "MA-04", "Travail forcé", "2021-03-10", "oui",
     "Trouvée dans une ferme."],
    ["Moussa", "Traoré", "M", "12/07/1988", "Mali", "", "Rabat-Salé-Kénitra", "Forced labour", "2022-01-05", "yes",
     ""],
    ["يوسف", "العلوي", "ذكر", "2010", "المغرب", "", "MA-04", "Mendicité", "2023-06-01", "", "طفل في الشارع"],
]


def csv_bytes(header: list[str] | None = None, rows: list[list[str]] | None = None, *, delimiter: str = ";",
              encoding: str = "utf-8") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADER if header is None else header)
    writer.writerows(ROWS if rows is None else rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(header: list[str] | None = None, rows: list[list[object]] | None = None) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER if header is None else header)
    for row in ROWS if rows is None else rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
