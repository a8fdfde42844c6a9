"""PDF documents of published tables, in French, English or Arabic (right to left, shaped).

Built with fpdf2; Arabic letters are joined by HarfBuzz (``uharfbuzz``) through fpdf2's text
shaping. The fonts come from the operating system (Debian's ``fonts-dejavu-core`` by default:
DejaVu Sans has Latin and Arabic glyphs), set by ``MASARAT_PDF_FONT`` and ``MASARAT_PDF_FONT_BOLD``;
none is shipped with Masarat.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from masarat.statistics.release import PublishedTable

RTL_LANGUAGES = ("ar",)
# fpdf2 subsets the fonts with fontTools, which reports every table it prunes at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


class FontMissing(Exception):
    """A font of the PDF reports cannot be read; the message says which and what to do."""


def font_paths() -> tuple[Path, Path]:
    regular, bold = Path(settings.MASARAT_PDF_FONT), Path(settings.MASARAT_PDF_FONT_BOLD)
    for path, setting in ((regular, "MASARAT_PDF_FONT"), (bold, "MASARAT_PDF_FONT_BOLD")):
        if not path.is_file():
            raise FontMissing(_(
                "The font of the PDF reports is missing: %(path)s. Install Debian's fonts-dejavu-core package "
                "(apt-get install fonts-dejavu-core) or set %(setting)s to a TrueType font with Arabic "
                "glyphs.") % {"path": path, "setting": setting})
    return regular, bold


class _PDF(FPDF):
    footer_text = ""
    rtl = False

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("body", size=8)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}", align="L" if self.rtl else "R")


class Document:
    """A report: headings, paragraphs and tables, laid out right to left for Arabic."""

    def __init__(self, *, title: str, language: str | None = None) -> None:
        self.language = (language or translation.get_language() or "fr")[:2]
        self.rtl = self.language in RTL_LANGUAGES
        regular, bold = font_paths()
        pdf = _PDF(orientation="P", unit="mm", format="A4")
        pdf.rtl = self.rtl
        pdf.footer_text = title
        pdf.add_font("body", "", str(regular))
        pdf.add_font("body", "B", str(bold))
        if self.rtl:
            pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
        else:
            pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")
        pdf.set_lang(self.language)
        pdf.set_title(title)
        pdf.set_creator("Masarat")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        self.pdf = pdf
        self.align = "R" if self.rtl else "L"

    def heading(self, text: str, level: int = 1) -> None:
        size = {1: 18, 2: 14, 3: 12}.get(level, 11)
        if level == 2 and self.pdf.get_y() > 240:
            self.pdf.add_page()
        self.pdf.set_font("body", "B", size)
        self.pdf.ln(2 if level > 1 else 0)
        self.pdf.multi_cell(0, size * 0.5, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def paragraph(self, text: str, *, size: int = 10) -> None:
        self.pdf.set_font("body", "", size)
        self.pdf.multi_cell(0, 5, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], *, first_width: float = 2.5,
              bold_rows: Sequence[int] = ()) -> None:
        """A table; the first column (labels) ``first_width`` times as wide as the others. In Arabic the
        columns run from right to left."""
        widths = [first_width, *([1.0] * (len(header) - 1))]
        order = list(range(len(header)))
        if self.rtl:
            order.reverse()
        self.pdf.set_font("body", "", 8 if len(header) > 6 else 9)
        with self.pdf.table(col_widths=[widths[index] for index in order], text_align=self.align,
                            cell_fill_color=(235, 240, 242), cell_fill_mode=TableCellFillMode.ROWS,
                            line_height=4.5, first_row_as_headings=True) as table:
            head = table.row()
            for index in order:
                head.cell(str(header[index]))
            for number, values in enumerate(rows):
                row = table.row()
                emphasis = number in bold_rows
                for index in order:
                    value = values[index] if index < len(values) else ""
                    row.cell("" if value is None else str(value), style=FontFace(emphasis="BOLD") if emphasis else None)
        self.pdf.ln(3)

    def published_table(self, table: PublishedTable) -> None:
        """A table of a statistics release; hidden counts spelt out, never blank or zero."""
        hidden = _("hidden")
        rows = [[row.label, *(hidden if value is None else value for value in row.values)] for row in table.rows]
        bold = [number for number, row in enumerate(table.rows) if row.is_total]
        self.heading(table.title, level=3)
        self.table(["", *table.columns], rows, bold_rows=bold)
        if table.note:
            self.paragraph(table.note, size=8)

    def output(self) -> bytes:
        return bytes(self.pdf.output())
