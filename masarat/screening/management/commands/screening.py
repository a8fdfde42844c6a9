"""``masarat screening import FILE`` and ``masarat screening export CODE [OUTPUT]``: indicator sets as files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masarat.screening.definition import DefinitionError
from masarat.screening.models import IndicatorSet
from masarat.screening.services import indicator_set_import, read_definition_file


def dump_definition(definition: Any, path_suffix: str) -> str:
    if path_suffix == ".json":
        return json.dumps(definition, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100)


class Command(BaseCommand):
    help = "Import or export indicator sets as YAML or JSON files."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        importing = commands.add_parser("import", help="Import a definition file (its code and version).")
        importing.add_argument("file", type=Path)
        exporting = commands.add_parser("export", help="Write a set's definition to a file (or the output).")
        exporting.add_argument("code")
        exporting.add_argument("output", type=Path, nargs="?")
        exporting.add_argument("--version", dest="set_version", type=int, help="Default: the newest version.")
        exporting.add_argument("--json", action="store_true", help="JSON instead of YAML on the output.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "import":
            self._import(options["file"])
        else:
            self._export(options["code"], options["output"], options["set_version"], options["json"])

    def _import(self, path: Path) -> None:
        try:
            raw = read_definition_file(path)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            indicator_set, created = indicator_set_import(raw=raw)
        except DefinitionError as exc:
            raise CommandError("The definition is not valid:\n- " + "\n- ".join(exc.problems)) from exc
        state = "imported" if created else "already present, unchanged"
        self.stdout.write(f"{indicator_set.code} version {indicator_set.version}: {state}.")

    def _export(self, code: str, output: Path | None, version: int | None, as_json: bool) -> None:
        sets = IndicatorSet.objects.filter(code=code)
        indicator_set = sets.filter(version=version).first() if version else sets.order_by("-version").first()
        if indicator_set is None:
            raise CommandError(f"No indicator set {code!r}" + (f" version {version}" if version else "") + ".")
        suffix = output.suffix if output else (".json" if as_json else ".yaml")
        text = dump_definition(indicator_set.definition, suffix)
        if output:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"{code} version {indicator_set.version} written to {output}.")
        else:
            self.stdout.write(text, ending="")
