"""Morocco's fixed-date public holidays. Religious holidays (lunar calendar) are added per year
by an administrator once announced."""

from django.db import migrations

FIXED_HOLIDAYS = [
    (1, 1, "Nouvel an"),
    (1, 11, "Manifeste de l'indépendance"),
    (1, 14, "Nouvel an amazigh"),
    (5, 1, "Fête du travail"),
    (7, 30, "Fête du Trône"),
    (8, 14, "Allégeance Oued Ed-Dahab"),
    (8, 20, "Révolution du Roi et du peuple"),
    (8, 21, "Fête de la jeunesse"),
    (11, 6, "Marche verte"),
    (11, 18, "Fête de l'indépendance"),
]


def add_holidays(apps, schema_editor):
    PublicHoliday = apps.get_model("deadlines", "PublicHoliday")
    for month, day, name in FIXED_HOLIDAYS:
        PublicHoliday.objects.get_or_create(month=month, day=day, year=None, defaults={"name": name})


def remove_holidays(apps, schema_editor):
    PublicHoliday = apps.get_model("deadlines", "PublicHoliday")
    for month, day, _name in FIXED_HOLIDAYS:
        PublicHoliday.objects.filter(month=month, day=day, year=None).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(add_holidays, remove_holidays)]
