"""``masarat htcds export REFERENCE FILE`` / ``masarat htcds import FILE --user USERNAME``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case
from masarat.consent.services import ConsentMissing, consent_in_force
from masarat.consent.vocabulary import ConsentPurpose
from masarat.htcds.services import HtcdsInvalid, case_document, case_import, document_dumps, document_loads


class Command(BaseCommand):
    help = "Exchange one case as an HTCDS 2.0 JSON document."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write the HTCDS document of a case.")
        export.add_argument("reference", help="A case reference, e.g. MNR-2026-000123.")
        export.add_argument("file", type=Path)
        read = actions.add_parser("import", help="Record the referral an HTCDS document describes.")
        read.add_argument("file", type=Path)
        read.add_argument("--user", required=True,
                          help="The account that refers (a frontline responder or a coordinator); "
                               "its agency becomes the referring agency.")

    def handle(self, *args: Any, action: str, file: Path, **options: Any) -> None:
        if action == "export":
            self._export(options["reference"], file)
        else:
            self._import(file, options["user"])

    def _export(self, reference: str, file: Path) -> None:
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            raise CommandError(_("No case %(reference)s.") % {"reference": reference})
        if case.person_id is not None and consent_in_force(case, ConsentPurpose.CASE_TRANSFER) is None:
            raise CommandError(str(ConsentMissing(case, ConsentPurpose.CASE_TRANSFER)))
        # The command line runs with the server's rights; its reads are audited like the others.
        file.write_text(document_dumps(case_document(case)), encoding="utf-8")
        record_event(actor=None, action="case.htcds_export", target_type="case", target_id=str(case.pk),
                     case_reference=case.reference, details={"via": "command"})
        self.stdout.write(_("%(reference)s written to %(file)s.") % {"reference": reference, "file": file})

    def _import(self, file: Path, username: str) -> None:
        user = User.objects.filter(username=username).select_related("agency").first()
        if user is None:
            raise CommandError(_("No account %(username)s.") % {"username": username})
        try:
            case, not_kept = case_import(document=document_loads(file.read_bytes()), by=user)
        except HtcdsInvalid as error:
            raise CommandError(_("The document was refused, nothing was recorded: %(errors)s")
                               % {"errors": error}) from error
        except OSError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("Recorded as %(reference)s.") % {"reference": case.reference})
        for item in not_kept:
            self.stdout.write(_("Not kept (no field in Masarat): %(item)s") % {"item": item})
