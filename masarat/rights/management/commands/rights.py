"""``masarat rights export REFERENCE OUTPUT.json``: everything kept about a person (access request)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from masarat.cases.models import Case
from masarat.rights.services import person_data_export


class Command(BaseCommand):
    help = "Answer a person's access request."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write everything kept about the person of a case, as JSON.")
        export.add_argument("reference", help="A case reference of the person, e.g. MNR-2026-000123.")
        export.add_argument("output", type=Path)

    def handle(self, *args: Any, action: str, reference: str, output: Path, **options: Any) -> None:
        case = Case.objects.filter(reference=reference).select_related("person").first()
        if case is None or case.person is None:
            raise CommandError(_("No person is recorded under %(reference)s.") % {"reference": reference})
        data = person_data_export(person=case.person, by=None)
        output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(_("Everything kept about the person of %(reference)s was written to %(file)s.")
                          % {"reference": reference, "file": output})
