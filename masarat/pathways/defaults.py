"""The default pathways: a starting point for the national commission, edited in the administration site.

Installed after every migrate when missing (by code); an installed pathway is never changed, so edits
stay. To retire one, untick "active" rather than deleting it (a deleted one would come back).
"""

from __future__ import annotations

from masarat.pathways.models import PathwayStep, PathwayTemplate

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


def install_default_pathways() -> int:
    """Add the default pathways that are missing; return how many were added."""
    added = 0
    for code, name, for_child, nationality, form, steps in DEFAULT_PATHWAYS:
        template, created = PathwayTemplate.objects.get_or_create(code=code, defaults={
            "name": name, "for_child": for_child, "nationality": nationality, "exploitation_form": form})
        if created:
            added += 1
            PathwayStep.objects.bulk_create([
                PathwayStep(template=template, order=order, kind=kind, due_working_days=days)
                for order, (kind, days) in enumerate(steps, start=1)])
    return added
