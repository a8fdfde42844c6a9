"""``masarat retention apply [--dry-run]``: erase the identities whose retention period is over."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from masarat.rights.services import RetentionItem, retention_apply


class Command(BaseCommand):
    help = "Apply the retention periods (MASARAT_RETENTION_*_YEARS)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        apply = actions.add_parser("apply", help="Erase the identities whose retention period is over.")
        apply.add_argument("--dry-run", action="store_true", help="Only list what would be erased.")
        apply.add_argument("--today", help="Compute as on this date (YYYY-MM-DD), e.g. to plan ahead.")

    def handle(self, *args: Any, action: str, dry_run: bool, today: str | None, **options: Any) -> None:
        try:
            on = date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(_("--today takes a date as YYYY-MM-DD.")) from error

        def report(item: RetentionItem) -> None:
            self.stdout.write(_("%(cases)s: last case closed on %(closed)s, due for erasure on %(due)s (%(kind)s)") % {
                "cases": ", ".join(item.references), "closed": item.last_closed_on, "due": item.due_on,
                "kind": _("identified victim") if item.identified else _("other outcome")})

        items = retention_apply(today=on, dry_run=dry_run, progress=report)
        if dry_run:
            self.stdout.write(_("%(count)d persons would be erased (nothing was changed: --dry-run).")
                              % {"count": len(items)})
        else:
            self.stdout.write(_("%(count)d persons erased; their cases remain in the statistics.")
                              % {"count": len(items)})
