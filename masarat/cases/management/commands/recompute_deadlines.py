from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser

from masarat.cases.services import case_deadlines_recompute


class Command(BaseCommand):
    help = "Recompute the deadlines of open cases, after public holidays or deadline settings changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        changed = case_deadlines_recompute(batch_size=batch_size)
        self.stdout.write(f"{changed} case(s) got a new deadline.")
        if apps.is_installed("masarat.statistics"):
            from masarat.statistics.facts import refresh_deadlines

            moved = refresh_deadlines()
            self.stdout.write(f"{moved} deadline(s) of completed stages moved in the statistics.")
