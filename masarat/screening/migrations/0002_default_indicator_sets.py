"""Install the indicator sets shipped in masarat/screening/data (existing versions are kept as they are)."""

from pathlib import Path

import yaml
from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def install(apps, schema_editor):
    from masarat.screening.definition import parse_definition

    IndicatorSet = apps.get_model("screening", "IndicatorSet")
    for path in sorted(DATA_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        definition = parse_definition(raw)
        IndicatorSet.objects.get_or_create(
            code=definition.code, version=definition.version,
            defaults={"population": definition.population, "exploitation": definition.exploitation,
                      "definition": raw, "is_active": True},
        )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
