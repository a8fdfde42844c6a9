"""``masarat import cases FILE --user USERNAME [--mapping NAME] [--dry-run] [--skip-rejected]`` and
``masarat import work [--once]``, the worker of imports too large for a web request."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from masarat.accounts.models import User
from masarat.imports import services
from masarat.imports.fields import FIELDS
from masarat.imports.models import ImportJob, ImportMapping, JobStatus
from masarat.imports.reading import FileRefused
from masarat.imports.selectors import REPORT_HEADER, report_rows


class Command(BaseCommand):
    help = "Import a case list (CSV or XLSX), or run the worker of imports."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        cases = actions.add_parser("cases", help="Check, then import, every row of a case list, all or nothing.")
        cases.add_argument("file", type=Path)
        cases.add_argument("--user", required=True,
                           help="The coordinator who imports: their scope and agency apply.")
        cases.add_argument("--mapping", default="", help="A mapping saved for the user's agency (by name); "
                                                         "without it, the mapping suggested from the column names.")
        cases.add_argument("--encoding", default="", choices=["", "utf-8", "windows-1256", "latin-1"])
        cases.add_argument("--dry-run", action="store_true", help="Check every row and report; record nothing.")
        cases.add_argument("--skip-rejected", action="store_true",
                           help="Import the valid rows even when others are rejected (listed in the report).")
        work = actions.add_parser("work", help="Check and record the imports waiting for the worker.")
        work.add_argument("--once", action="store_true", help="Run what is waiting now, then stop.")
        work.add_argument("--interval", type=float, default=5.0, help="Seconds to wait when nothing is waiting.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "work":
            self._work(options["once"], options["interval"])
        else:
            self._cases(options)

    def _work(self, once: bool, interval: float) -> None:
        while True:
            done = services.work_pending()
            if once:
                self.stdout.write(_("%(count)d imports handled.") % {"count": done.jobs})
                return
            if not done.jobs:
                time.sleep(interval)

    def _cases(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["user"]).select_related("agency").first()
        if user is None:
            raise CommandError(_("No account %(username)s.") % {"username": options["user"]})
        mapping = None
        if options["mapping"]:
            mapping = ImportMapping.objects.filter(agency=user.agency, name=options["mapping"]).first()
            if mapping is None:
                raise CommandError(_("No saved mapping “%(name)s” for the agency of %(username)s.")
                                   % {"name": options["mapping"], "username": user.username})
        file: Path = options["file"]
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        try:
            job = services.job_start(filename=file.name, data=data, by=user, encoding=options["encoding"],
                                     mapping=mapping)
            self._print_mapping(job)
            job = services.job_map(job=job, by=user, mapping=job.mapping, expected_version=job.version)
        except FileRefused as refused:
            raise CommandError(_("The file was refused, nothing was recorded: %(reason)s") % {"reason": refused}) \
                from refused
        except services.ImportRefused as refused:
            raise CommandError(str(refused)) from refused
        while services.validate_batch(job):
            job.refresh_from_db()
            self.stdout.write(_("Checked %(checked)d of %(total)d rows.")
                              % {"checked": job.checked_rows, "total": job.total_rows})
        job.refresh_from_db()
        self.stdout.write(_("Checked %(checked)d of %(total)d rows.") % {"checked": job.checked_rows,
                                                                          "total": job.total_rows})
        if options["dry_run"] or (job.rejected_rows and not options["skip_rejected"]):
            self._report(job, user)
            services.job_rollback(job=job, by=user)
            if job.rejected_rows:
                raise CommandError(_("%(count)d rows are rejected: nothing was recorded.")
                                   % {"count": job.rejected_rows})
            self.stdout.write(_("Dry run: %(count)d cases would be imported, nothing was recorded.")
                              % {"count": job.valid_rows})
            return
        try:
            job = services.job_commit(job=job, by=user, expected_version=job.version,
                                      skip_rejected=options["skip_rejected"])
        except services.ImportRefused as refused:
            services.job_rollback(job=job, by=user)
            raise CommandError(str(refused)) from refused
        job = services.commit_run(job)
        self._report(job, user)
        if job.status != JobStatus.DONE:
            raise CommandError(job.failure)
        self.stdout.write(_("%(count)d cases imported.") % {"count": job.created_cases})

    def _print_mapping(self, job: ImportJob) -> None:
        for column, name in job.mapping.items():
            target = str(FIELDS[name]) if name else _("not imported")
            self.stdout.write(f"  {column} -> {target}")

    def _report(self, job: ImportJob, user: User) -> None:
        self.stdout.write("\t".join(REPORT_HEADER))
        for row in report_rows(viewer=user, job=job):
            self.stdout.write("\t".join(str(cell) for cell in row))
