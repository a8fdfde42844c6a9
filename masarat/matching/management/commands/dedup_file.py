"""``masarat dedup-file INPUT.csv OUTPUT.csv``: group the rows of a list that are the same person."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from masarat.matching.csvfile import MissingColumn, Problem, read_records, write_clusters
from masarat.matching.engine import DEFAULT_THRESHOLD, deduplicate

PROGRESS_FROM_ROWS = 5_000


def describe(problem: Problem) -> str:
    """The user's words for a problem of one line."""
    if problem.reason == "missing_id":
        text = _("no record_id: the row is skipped")
    elif problem.reason == "duplicate_id":
        text = _("record_id %(value)s already appears earlier: the row is skipped") % {"value": problem.value}
    elif problem.reason == "bad_value":
        text = _("column %(column)s: value not understood (%(value)s), read as empty") % {
            "column": problem.column, "value": problem.value}
    elif problem.reason == "wrong_field_count":
        text = _("%(count)s fields instead of the header's; only what can be trusted is read") % {
            "count": problem.value}
    elif problem.reason == "not_utf8":
        text = _("not valid UTF-8: unreadable characters are replaced")
    else:
        text = _("unreadable row (%(detail)s): skipped") % {"detail": problem.value}
    return _("line %(line)s: %(problem)s") % {"line": problem.line, "problem": text}


class Command(BaseCommand):
    help = "Find the rows of a CSV list that are the same person; write record_id,cluster_id for every row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path)
        parser.add_argument("output", type=Path)
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                            help="Probability from which two rows are the same person (0 to 1).")
        parser.add_argument("--quiet", action="store_true", help="No progress on the error output.")

    def handle(self, *args: Any, input: Path, output: Path, threshold: float, quiet: bool, **options: Any) -> None:
        if not 0 < threshold < 1:
            raise CommandError(_("The threshold must be between 0 and 1."))
        started = time.monotonic()
        try:
            with input.open(encoding="utf-8", errors="surrogateescape", newline="") as stream:
                result = read_records(stream, phone_region=settings.MASARAT_PHONE_DEFAULT_REGION)
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": input, "error": exc.strerror}) from exc
        except MissingColumn as exc:
            raise CommandError(_("The header has no %(column)s column.") % {"column": exc}) from exc
        for problem in result.problems:
            self.stderr.write(describe(problem))
        show_progress = not quiet and result.rows >= PROGRESS_FROM_ROWS

        def progress(stage: str, done: int, total: int) -> None:
            if show_progress:
                label = {"prepare": _("preparing"), "block": _("candidate pairs"), "compare": _("comparing")}[stage]
                self.stderr.write(_("%(stage)s: %(done)s / %(total)s") % {"stage": label, "done": done, "total": total})

        if show_progress:
            self.stderr.write(_("%(count)s rows read") % {"count": result.rows})
        found = deduplicate(result.records, threshold=threshold, progress=progress)
        try:
            with output.open("w", encoding="utf-8", newline="") as stream:
                write_clusters(stream, result.records, found.clusters)
        except OSError as exc:
            raise CommandError(_("Cannot write %(path)s: %(error)s") % {"path": output, "error": exc.strerror}) from exc
        persons = len(set(found.clusters.values()))
        self.stdout.write(_(
            "%(rows)s rows, %(problems)s problem(s) reported, %(persons)s distinct persons; "
            "written to %(path)s in %(seconds).1f s."
        ) % {"rows": len(result.records), "problems": len(result.problems), "persons": persons, "path": output,
             "seconds": time.monotonic() - started})
