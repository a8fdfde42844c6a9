"""``masarat export ctdc OUTPUT.csv`` and ``masarat export glotip OUTPUT.xlsx --year YEAR``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masarat.audit.services import record_event
from masarat.statistics import ctdc, glotip
from masarat.statistics.exports import csv_bytes, xlsx_bytes
from masarat.statistics.privacy import BudgetSpent


class Command(BaseCommand):
    help = "Write anonymised statistical datasets: CTDC (k-anonymous CSV) or UNODC GLOTIP / SDG 16.2.2 (XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="dataset", required=True)
        ctdc_parser = commands.add_parser("ctdc", help="k-anonymous CTDC-schema dataset of presumed and "
                                                       "identified victims.")
        ctdc_parser.add_argument("output", type=Path)
        ctdc_parser.add_argument("--k", type=int, default=None, help="Default: MASARAT_STATISTICS_CTDC_K (11).")
        ctdc_parser.add_argument("--from", dest="year_from", type=int, help="First year of referral.")
        ctdc_parser.add_argument("--to", dest="year_to", type=int, help="Last year of referral.")
        glotip_parser = commands.add_parser("glotip", help="Victims identified in a year, by sex, age group, form "
                                                           "of exploitation and citizenship, and per 100,000.")
        glotip_parser.add_argument("output", type=Path)
        glotip_parser.add_argument("--year", type=int, required=True)
        glotip_parser.add_argument("--epsilon", nargs="?", const="", help=(
            "Add differentially private noise, spending this much of the year's privacy budget "
            "(alone: MASARAT_STATISTICS_EPSILON; not given: no noise)."))

    def handle(self, *args: Any, dataset: str, output: Path, **options: Any) -> None:
        if dataset == "ctdc":
            self._ctdc(output, options["k"] or settings.MASARAT_STATISTICS_CTDC_K, options["year_from"],
                       options["year_to"])
        else:
            self._glotip(output, options["year"], options["epsilon"])

    def _ctdc(self, output: Path, k: int, year_from: int | None, year_to: int | None) -> None:
        if k < 2:
            raise CommandError("k must be at least 2.")
        result = ctdc.anonymise(ctdc.profile_counts(ctdc.victim_cases(year_from, year_to)), k)
        output.write_bytes(csv_bytes([ctdc.COLUMNS, *result.rows()]))
        record_event(actor=None, action="statistics.export_ctdc", target_type="statistics", target_id="ctdc",
                     details={"k": k, "from": year_from, "to": year_to, "records": result.total,
                              "suppressed": result.suppressed})
        self.stdout.write(
            f"{result.total - result.suppressed} of {result.total} records written to {output} (k = {k}); "
            f"{result.suppressed} suppressed ({result.suppressed_share:.1%}). Generalisation: ageBroad level "
            f"{result.age_level}, citizenship level {result.citizenship_level} (0 = as recorded).")

    def _glotip(self, output: Path, year: int, epsilon_text: str | None) -> None:
        epsilon = None
        if epsilon_text == "":
            epsilon_text = settings.MASARAT_STATISTICS_EPSILON
        if epsilon_text is not None:
            try:
                epsilon = Decimal(epsilon_text)
            except InvalidOperation as exc:
                raise CommandError(f"epsilon must be a number, not {epsilon_text!r}.") from exc
            if epsilon <= 0:
                raise CommandError("epsilon must be positive.")
        try:
            result = glotip.glotip(year, epsilon=epsilon, released_by="masarat export glotip")
        except BudgetSpent as exc:
            raise CommandError(str(exc)) from exc
        output.write_bytes(xlsx_bytes(glotip.sheets(result)))
        record_event(actor=None, action="statistics.export_glotip", target_type="statistics", target_id="glotip",
                     details={"year": year, "epsilon": str(epsilon) if epsilon is not None else None})
        hidden = len(result.protected.hidden)
        self.stdout.write(f"GLOTIP {year} written to {output}: {hidden} count(s) hidden by disclosure control"
                          + (f", differential privacy with epsilon {epsilon}." if epsilon is not None else "."))
