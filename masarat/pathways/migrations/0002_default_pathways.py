"""The default pathways: a starting point for the national commission, edited in the administration site."""

from django.db import migrations

# (code, name, for_child, nationality, exploitation form, [(service, offer within working days)])
DEFAULT_PATHWAYS = [
    ("adult-national", "Adulte de nationalité marocaine", False, "national", "", [
        ("emergency_shelter", 0), ("medical", 1), ("psychological", 5), ("legal_aid", 5),
        ("long_term_shelter", 10), ("financial_assistance", 10), ("vocational_training", 20)]),
    ("adult-foreign", "Adulte de nationalité étrangère", False, "foreign", "", [
        ("emergency_shelter", 0), ("medical", 1), ("interpretation", 1), ("psychological", 5), ("legal_aid", 5),
        ("consular_assistance", 10), ("voluntary_return", 20)]),
    ("adult-sexual-exploitation", "Adulte victime d'exploitation sexuelle", False, "any", "SexualExploitation", [
        ("emergency_shelter", 0), ("medical", 0), ("psychological", 2), ("legal_aid", 5),
        ("long_term_shelter", 10)]),
    ("child-national", "Enfant de nationalité marocaine", True, "national", "", [
        ("emergency_shelter", 0), ("medical", 1), ("psychological", 3), ("legal_aid", 5), ("family_tracing", 5),
        ("education", 10)]),
    ("child-foreign", "Enfant de nationalité étrangère", True, "foreign", "", [
        ("emergency_shelter", 0), ("medical", 1), ("interpretation", 1), ("psychological", 3), ("legal_aid", 5),
        ("family_tracing", 5), ("consular_assistance", 10), ("education", 15)]),
]


def install(apps, schema_editor):
    template_model = apps.get_model("pathways", "PathwayTemplate")
    step_model = apps.get_model("pathways", "PathwayStep")
    for code, name, for_child, nationality, form, steps in DEFAULT_PATHWAYS:
        template, created = template_model.objects.get_or_create(code=code, defaults={
            "name": name, "for_child": for_child, "nationality": nationality, "exploitation_form": form})
        if created:
            step_model.objects.bulk_create([
                step_model(template=template, order=order, kind=kind, due_working_days=days)
                for order, (kind, days) in enumerate(steps, start=1)])


def remove(apps, schema_editor):
    apps.get_model("pathways", "PathwayTemplate").objects.filter(
        code__in=[row[0] for row in DEFAULT_PATHWAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
