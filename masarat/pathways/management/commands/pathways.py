from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from masarat.pathways.services import referrals_escalate_overdue


class Command(BaseCommand):
    help = "Protection pathways: 'escalate' marks unanswered service referrals and escalates them (run by a timer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["escalate"])

    def handle(self, *args: Any, **options: Any) -> None:
        count = referrals_escalate_overdue()
        self.stdout.write(f"{count} service referral(s) escalated.")
