"""``masarat worker [--once]``: send what the outboxes hold, in a loop: webhook deliveries and
e-mails (notifications and daily digests)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from masarat.notifications.services import send_due
from masarat.webhooks.services import deliver_due


class Command(BaseCommand):
    help = ("Deliver the webhooks and send the e-mails that are due (run it as a service; several may run side "
            "by side on PostgreSQL).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Send what is due now, then stop.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds to wait when nothing is due.")
        parser.add_argument("--batch-size", type=int, default=100)

    def handle(self, *args: Any, once: bool, interval: float, batch_size: int, **options: Any) -> None:
        while True:
            delivered = deliver_due(limit=batch_size)
            sent = send_due(limit=batch_size)
            if once:
                self.stdout.write(_("%(count)d deliveries attempted.") % {"count": delivered})
                self.stdout.write(_("%(count)d e-mails attempted.") % {"count": sent})
                return
            if delivered < batch_size and sent < batch_size:
                time.sleep(interval)
