"""Demo progress on the example action plan: two agencies made responsible for a measure, a few updates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from masarat.accounts.models import User
from masarat.actionplan.models import Indicator, Measure, MeasureStatus
from masarat.actionplan.services import ReadingInput, install_shipped_plans, progress_post

# (measure, username of the responsible agency's user who reports, updates: (date, status, text, readings))
PROGRESS = [
    ("ap-prev-labour-inspection", "inspection.casablanca", [
        (date(2024, 6, 28), MeasureStatus.IN_PROGRESS,
         "Premier cycle de formation aux indicateurs du travail forcé à Casablanca (deux sessions).",
         {"ap-prev-inspectors-trained": 40}),
        (date(2025, 6, 30), MeasureStatus.IN_PROGRESS,
         "Sessions à Tanger, Agadir et Fès ; module en ligne en préparation.", {"ap-prev-inspectors-trained": 110}),
    ]),
    ("ap-pros-training", "parquet.rabat", [
        (date(2025, 3, 31), MeasureStatus.IN_PROGRESS,
         "Formation des magistrats référents des parquets de Rabat et Salé à la loi 27-14.",
         {"ap-pros-trained": 60}),
    ]),
]


def add_action_plan_progress(users: dict[str, User]) -> int:
    """Make the reporting agencies responsible for their measure and post their updates; return how many."""
    install_shipped_plans()
    posted = 0
    for code, username, updates in PROGRESS:
        measure = Measure.objects.filter(code=code).first()
        if measure is None:  # the commission replaced the example plan
            continue
        user = users[username]
        if user.agency is None:  # every reporting demo account belongs to an agency
            continue
        measure.agencies.add(user.agency)
        for on, status, text, readings in updates:
            measure.refresh_from_db()
            indicators = {indicator.code: indicator for indicator in Indicator.objects.filter(code__in=readings)}
            progress_post(measure=measure, by=user, on=on, status=status, text=text, expected_version=measure.version,
                          readings=[ReadingInput(indicators[key], Decimal(value)) for key, value in readings.items()
                                    if key in indicators])
            posted += 1
    return posted
