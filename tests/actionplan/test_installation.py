"""The shipped example plans: installed by migrate, marked as example content, never overwritten."""

from __future__ import annotations

import pytest

from masarat.actionplan.indicators import COMPUTED
from masarat.actionplan.models import MANUAL, Axis, Indicator, Measure, Plan
from masarat.actionplan.services import install_shipped_plans, load_shipped_plans

pytestmark = pytest.mark.django_db


def test_migrate_installs_both_plans_as_example_content():
    plans = {plan.code: plan for plan in Plan.objects.all()}
    assert set(plans) == {"national-plan-2023-2030", "action-plan-2023-2026"}
    assert all(plan.is_example for plan in plans.values())
    assert (plans["national-plan-2023-2030"].start_year, plans["national-plan-2023-2030"].end_year) == (2023, 2030)
    assert (plans["action-plan-2023-2026"].start_year, plans["action-plan-2023-2026"].end_year) == (2023, 2026)
    for plan in plans.values():  # the four "P"s of the national strategy
        assert list(plan.axes.values_list("code", flat=True)) == ["prevention", "protection", "prosecution",
                                                                    "partnership"]


def test_every_text_is_given_in_the_three_languages():
    for model in (Plan, Axis, Measure, Indicator):
        for item in model.objects.all():
            assert item.title_fr and item.title_ar and item.title_en, item
    for measure in Measure.objects.all():
        assert measure.bodies_fr and measure.bodies_ar and measure.bodies_en, measure


def test_indicators_name_a_known_source_and_every_computed_indicator_is_used():
    sources = set(Indicator.objects.values_list("source", flat=True))
    assert sources <= {MANUAL, *COMPUTED}
    assert set(COMPUTED) <= sources


def test_the_data_file_says_it_is_an_example():
    header = (Plan._meta.apps.get_app_config("actionplan").path + "/data/plans.yaml")
    with open(header, encoding="utf-8") as handle:
        assert "EXAMPLE CONTENT, TO BE REPLACED BY THE COMMISSION'S OFFICIAL TEXT" in handle.readline()


def test_installing_again_adds_nothing_and_keeps_the_commission_edits():
    plan = Plan.objects.get(code="action-plan-2023-2026")
    plan.title_fr = "Plan d'action officiel"
    plan.is_example = False
    plan.save()
    Measure.objects.filter(code="ap-prot-nrm").delete()
    assert install_shipped_plans() == 0
    plan.refresh_from_db()
    assert plan.title_fr == "Plan d'action officiel" and not plan.is_example
    assert not Measure.objects.filter(code="ap-prot-nrm").exists()


def test_a_missing_plan_is_installed_with_its_targets():
    Plan.objects.filter(code="action-plan-2023-2026").delete()
    assert install_shipped_plans() == 1
    indicator = Indicator.objects.get(code="ap-prot-48h")
    assert indicator.measure is not None and indicator.measure.code == "ap-prot-nrm"
    assert {target.year: int(target.value) for target in indicator.targets.all()} == {2024: 60, 2025: 75, 2026: 90}
    assert not Indicator.objects.get(code="ap-prot-formal-days").higher_is_better


def test_an_unknown_source_is_refused(tmp_path):
    bad = tmp_path / "plans.yaml"
    bad.write_text("plans:\n- code: x\n  kind: strategy\n  start_year: 2023\n  end_year: 2030\n  title: {fr: X}\n"
                   "  axes:\n  - code: a\n    title: {fr: A}\n    indicators:\n    - code: i\n      source: nope\n"
                   "      title: {fr: I}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="nope"):
        load_shipped_plans(bad)
