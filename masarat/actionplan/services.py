"""Writes of the action plan: the shipped example installed once, progress posted by responsible bodies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.actionplan.indicators import COMPUTED
from masarat.actionplan.models import (
    MANUAL,
    Axis,
    Indicator,
    Measure,
    MeasureStatus,
    Plan,
    ProgressUpdate,
    Reading,
    Target,
)
from masarat.audit.services import record_event

DATA_FILE = Path(__file__).parent / "data" / "plans.yaml"


class ProgressRefused(Exception):
    """A progress update that cannot be recorded, with the reason in the user's language."""


def _texts(raw: dict[str, Any], field: str) -> dict[str, str]:
    texts = raw.get(field) or {}
    return {f"{field}_{language}": str(texts.get(language, "")) for language in ("fr", "ar", "en")}


def load_shipped_plans(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    plans: list[dict[str, Any]] = data["plans"]
    for plan in plans:
        for axis in plan.get("axes", []):
            for indicator in axis.get("indicators", []):
                source = indicator.get("source", MANUAL)
                if source != MANUAL and source not in COMPUTED:
                    raise ValueError(f"{path}: indicator {indicator['code']}: unknown source {source!r}")
    return plans


@transaction.atomic
def install_shipped_plans(path: Path = DATA_FILE) -> int:
    """Add the shipped plans that are missing (by code); an installed plan is never changed, so the
    commission's edits stay. Every plan installed this way is marked as example content."""
    added = 0
    for raw in load_shipped_plans(path):
        if Plan.objects.filter(code=raw["code"]).exists():
            continue
        plan = Plan.objects.create(code=raw["code"], kind=raw["kind"], start_year=raw["start_year"],
                                   end_year=raw["end_year"], is_example=True, order=added,
                                   **_texts(raw, "title"))
        added += 1
        for axis_order, raw_axis in enumerate(raw.get("axes", []), start=1):
            axis = Axis.objects.create(plan=plan, code=raw_axis["code"], order=axis_order,
                                       **_texts(raw_axis, "title"))
            measures = {}
            for order, raw_measure in enumerate(raw_axis.get("measures", []), start=1):
                measures[raw_measure["code"]] = Measure.objects.create(
                    axis=axis, code=raw_measure["code"], order=order, starts_on=raw_measure.get("start"),
                    deadline=raw_measure.get("deadline"), **_texts(raw_measure, "title"),
                    **_texts(raw_measure, "bodies"))
            for order, raw_indicator in enumerate(raw_axis.get("indicators", []), start=1):
                baseline = raw_indicator.get("baseline") or {}
                indicator = Indicator.objects.create(
                    axis=axis, measure=measures.get(raw_indicator.get("measure", "")), code=raw_indicator["code"],
                    order=order, unit=raw_indicator.get("unit", "count"),
                    higher_is_better=raw_indicator.get("higher_is_better", True),
                    baseline=None if baseline.get("value") is None else Decimal(str(baseline["value"])),
                    baseline_year=baseline.get("year"), deadline=raw_indicator.get("deadline"),
                    source=raw_indicator.get("source", MANUAL), **_texts(raw_indicator, "title"))
                Target.objects.bulk_create([Target(indicator=indicator, year=int(year), value=Decimal(str(value)))
                                            for year, value in (raw_indicator.get("targets") or {}).items()])
    return added


@dataclass(frozen=True)
class ReadingInput:
    indicator: Indicator
    value: Decimal


@transaction.atomic
def progress_post(*, measure: Measure, by: User, on: date, status: str, text: str, expected_version: int | None,
                  readings: list[ReadingInput] | None = None) -> ProgressUpdate:
    """Record where a measure stands; the measure takes the status given. Refused when someone else
    changed the measure since the form was shown (``expected_version``)."""
    policy.require(policy.can_post_progress(by, measure))
    text = text.strip()
    if not text:
        raise ProgressRefused(_("Describe the progress of the measure."))
    if status not in MeasureStatus.values:
        raise ProgressRefused(_("Choose a status."))
    readings = readings or []
    for reading in readings:
        if reading.indicator.measure_id != measure.pk or reading.indicator.is_computed:
            raise ProgressRefused(_("Only the manual indicators of this measure take a value here."))
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ProgressRefused(_("Someone else updated this measure in the meantime. Reload the page to see "
                                "their update, then post yours."))
    update = ProgressUpdate.objects.create(measure=locked, on=on, status=status, text=text, by=by)
    Reading.objects.bulk_create([Reading(indicator=reading.indicator, update=update, on=on, value=reading.value)
                                 for reading in readings])
    before = locked.status
    Measure.objects.filter(pk=locked.pk).update(status=status, version=F("version") + 1, updated_at=timezone.now())
    measure.refresh_from_db()
    record_event(actor=by, action="actionplan.progress", target_type="measure", target_id=measure.code,
                 details={"update": update.pk, "status": status, "status_before": before, "on": on.isoformat(),
                          "readings": {reading.indicator.code: str(reading.value) for reading in readings}})
    return update
