"""``masarat report annual --year YEAR --language fr OUTPUT.pdf``: the annual report in PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masarat.audit.services import record_event
from masarat.statistics.annual_report import GRANULARITIES, annual_report_pdf
from masarat.statistics.pdf import FontMissing


class Command(BaseCommand):
    help = "Write a PDF report from the statistics (every count through disclosure control)."

    def add_arguments(self, parser: CommandParser) -> None:
        reports = parser.add_subparsers(dest="report", required=True)
        annual = reports.add_parser("annual", help="The dashboard's main tables for a year, and the action plan's "
                                                   "progress.")
        annual.add_argument("output", type=Path)
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--language", default="fr", choices=[code for code, _name in settings.LANGUAGES])
        annual.add_argument("--granularity", default="quarter", choices=GRANULARITIES,
                            help="Referrals per quarter (default) or per month.")

    def handle(self, *args: Any, report: str, output: Path, year: int, language: str, granularity: str,
               **options: Any) -> None:
        if not 2000 <= year <= 2100:
            raise CommandError("Give a year between 2000 and 2100.")
        try:
            content = annual_report_pdf(year, language=language, granularity=granularity)
        except FontMissing as error:
            raise CommandError(str(error)) from error
        output.write_bytes(content)
        record_event(actor=None, action="statistics.annual_report", target_type="statistics", target_id=str(year),
                     details={"language": language, "granularity": granularity, "channel": "command"})
        self.stdout.write(f"Annual report {year} ({language}) written to {output} ({len(content):,} bytes).")
