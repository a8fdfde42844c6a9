"""``masarat worker [--once]``: post the webhook deliveries that are due, in a loop."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from masarat.webhooks.services import deliver_due


class Command(BaseCommand):
    help = "Deliver the webhooks that are due (run it as a service; several may run side by side on PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Deliver what is due now, then stop.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds to wait when nothing is due.")
        parser.add_argument("--batch-size", type=int, default=100)

    def handle(self, *args: Any, once: bool, interval: float, batch_size: int, **options: Any) -> None:
        while True:
            done = deliver_due(limit=batch_size)
            if once:
                self.stdout.write(_("%(count)d deliveries attempted.") % {"count": done})
                return
            if done < batch_size:
                time.sleep(interval)
