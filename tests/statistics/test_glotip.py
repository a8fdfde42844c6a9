"""UNODC GLOTIP / SDG 16.2.2 aggregates of a year, with and without differential privacy."""

from __future__ import annotations

import io
import json
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from masarat.statistics import glotip
from masarat.statistics.disclosure import cell
from masarat.statistics.models import PrivacyRelease
from tests.statistics.dataset import build


@pytest.fixture
def data(alice, charlie, bob):
    return build(alice, charlie, bob)


def test_victims_identified_in_the_year(data):
    # Only c1 was identified (formal decision on 10 March 2025).
    result = glotip.glotip(2025, threshold=1)
    assert result.sex_age == {("female", "adult"): 1}
    assert result.forms == {("ForcedLabour", "female"): 1}
    assert result.citizenship == {"GN": 1}
    assert glotip.glotip(2024, threshold=1).sex_age == {}


def test_rates_per_100000_from_the_population_file(data, tmp_path, settings):
    population = tmp_path / "population.json"
    population.write_text(json.dumps({"source": "test", "years": {"2025": {
        "female": {"child": 100_000, "adult": 200_000}, "male": {"child": 100_000, "adult": 100_000}}}}))
    settings.MASARAT_POPULATION_FILE = str(population)
    result = glotip.glotip(2025, threshold=1)
    sdg = {row[0]: row for row in glotip.sheets(result)[4][1] if row[1] == "Adults" and row[0] == "Female"}
    assert sdg["Female"][2:] == [1, 200_000, 0.5]
    assert glotip.population_for(2030, glotip.population_data())[0] == 2025  # the nearest year given


def test_small_counts_are_hidden_in_the_workbook(data, tmp_path):
    output = tmp_path / "glotip.xlsx"
    call_command("export", "glotip", str(output), "--year", "2025", stdout=io.StringIO())
    workbook = load_workbook(output)
    assert workbook.sheetnames == ["About", "Victims by sex and age", "Forms of exploitation", "Citizenship",
                                   "SDG 16.2.2"]
    sex_age = [list(row) for row in workbook["Victims by sex and age"].iter_rows(values_only=True)]
    assert sex_age[1][0] == "Female" and sex_age[1][2] == "hidden"  # one woman: a small cell


def test_differential_privacy_spends_the_budget_and_is_refused_once_spent(data, tmp_path, settings):
    settings.MASARAT_STATISTICS_PRIVACY_BUDGET = "1.0"
    result = glotip.glotip(2025, epsilon=Decimal("0.6"), released_by="test", threshold=1, rng=random.Random(5))
    assert PrivacyRelease.objects.get().epsilon == Decimal("0.6")
    # Totals are summed from the noisy cells, so the tables agree with each other.
    shown = result.protected.shown
    assert shown(cell("victims")) == sum(shown(cell("victims", sex=s, age=a))
                                         for s in glotip.SEXES for a in glotip.AGE_GROUPS)
    with pytest.raises(CommandError, match=r"2025.*0\.4.*0\.5|0\.4.*2025.*0\.5"):  # 0.4 left, 0.5 asked
        call_command("export", "glotip", str(tmp_path / "g.xlsx"), "--year", "2025", "--epsilon", "0.5",
                     stdout=io.StringIO())
    assert PrivacyRelease.objects.count() == 1 and not (tmp_path / "g.xlsx").exists()


def test_epsilon_alone_spends_the_configured_epsilon(data, tmp_path, settings):
    settings.MASARAT_STATISTICS_EPSILON = "0.3"
    call_command("export", "glotip", str(tmp_path / "g.xlsx"), "--year", "2025", "--epsilon", stdout=io.StringIO())
    assert PrivacyRelease.objects.get().epsilon == Decimal("0.3")
    assert load_workbook(tmp_path / "g.xlsx")["About"]["B5"].value == "epsilon = 0.3"
