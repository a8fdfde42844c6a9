"""``masarat notifications overdue|digest``: run daily by a timer (see deploy/masarat-notifications.timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from masarat.notifications.services import digest_build, hearings_notify, overdue_notify


class Command(BaseCommand):
    help = ("Notifications: 'overdue' tells once of each overdue deadline and each hearing within three days; "
            "'digest' does that, then queues "
            "today's digest for each user who wants one (both are safe to run again).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["overdue", "digest"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        told = overdue_notify()
        self.stdout.write(f"{told} overdue notification(s).")
        told = hearings_notify()
        self.stdout.write(f"{told} hearing notification(s).")
        if action == "digest":
            queued = digest_build()
            self.stdout.write(f"{queued} digest(s) queued; 'masarat worker' sends them.")
