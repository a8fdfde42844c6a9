"""The statistics pages and downloads: who reaches them, what they show, and what they never show."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from masarat.audit.models import AuditEvent
from masarat.people.models import Person
from masarat.statistics.exports import csv_bytes, xlsx_bytes
from masarat.statistics.release import PublishedTable, Row
from masarat.statistics.views import table_rows
from masarat.web.exports import spreadsheet_safe as safe_text
from tests.access.test_every_url import RULES
from tests.access.test_every_url import world as world  # the fixture
from tests.statistics.dataset import build

TABLES = ["periods", "outcomes", "sex", "age_band", "nationality", "region", "agency_kind", "exploitation",
          "compliance", "backlog", "overdue", "durations"]  # written out: a table missing from a release fails


@pytest.fixture
def data(alice, charlie, bob):
    return build(alice, charlie, bob)


def identifying_strings(data) -> list[str]:
    strings = [case.reference for case in (data.c1, data.c2, data.c3, data.c4)]
    for person in Person.objects.all():
        strings += [value for value in (person.given_name_latin, person.family_name_latin, person.phone) if value]
    return strings


def test_analysts_and_coordinators_see_the_dashboard_others_are_refused(client, data, analyst, bob, nadia, alice,
                                                                         auditor, administrator, case_manager):
    for user in (analyst, bob, nadia):
        client.force_login(user)
        assert client.get(reverse("overview")).status_code == 200
        assert client.get(reverse("statistics-download", args=["sex", "csv"])).status_code == 200
    for user in (alice, auditor, administrator, case_manager):
        client.force_login(user)
        assert client.get(reverse("overview")).status_code == 403
        assert client.get(reverse("statistics-download", args=["sex", "csv"])).status_code == 403


def test_small_counts_are_hidden_on_the_page_and_in_every_download(client, data, analyst):
    client.force_login(analyst)
    page = client.get(reverse("overview")).content.decode()
    assert "hidden-cell" in page
    response = client.get(reverse("statistics-download", args=["sex", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_label = {row[0]: row[1] for row in rows[1:]}
    # Two women and two men: each count is under 5, so is their total.
    assert set(by_label.values()) == {HIDDEN, "0"}


def test_the_threshold_is_configurable_and_a_lone_hidden_count_takes_a_partner(client, data, analyst, settings):
    client.force_login(analyst)

    def regions() -> dict[str, str]:
        rows = list(csv.reader(io.StringIO(client.get(
            reverse("statistics-download", args=["region", "csv"])).content.decode("utf-8-sig"))))
        return {row[0]: row[1] for row in rows[1:] if row[1] != "0"}

    settings.MASARAT_STATISTICS_MIN_CELL = 1
    assert sorted(regions().values()) == ["1", "3", "4"]  # Tanger, Rabat, the total
    settings.MASARAT_STATISTICS_MIN_CELL = 2
    # Tanger's single referral is hidden; Rabat's 3 with it, or the total 4 would give it away.
    shown = regions()
    assert sorted(shown.values()) == ["4", HIDDEN, HIDDEN]
    settings.MASARAT_STATISTICS_MIN_CELL = 5
    assert set(regions().values()) == {HIDDEN}


with translation.override("fr"):  # the language of the test client's pages
    HIDDEN = translation.gettext("hidden")


def test_every_table_downloads_as_csv_and_xlsx_without_identifying_data(client, data, analyst):
    client.force_login(analyst)
    secrets = identifying_strings(data)
    assert secrets
    for table in TABLES:
        for file_format in ("csv", "xlsx"):
            response = client.get(reverse("statistics-download", args=[table, file_format]),
                                  {"granularity": "month"})
            assert response.status_code == 200, (table, file_format)
            assert "attachment" in response["Content-Disposition"]
            if file_format == "csv":
                text = response.content.decode("utf-8-sig")
            else:
                workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                                    if response.streaming else response.content))
                text = "\n".join(str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True)
                                 for value in row)
            assert not [secret for secret in secrets if secret in text], (table, file_format)
    assert AuditEvent.objects.filter(action="statistics.download", actor=analyst).count() == 2 * len(TABLES)


def test_unknown_tables_and_formats_are_not_found(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("statistics-download", args=["people", "csv"])).status_code == 404
    assert client.get(reverse("statistics-download", args=["sex", "pdf"])).status_code == 404


def test_drill_down_to_the_case_list_only_for_those_who_see_cases(client, data, analyst, nadia):
    client.force_login(nadia)
    page = client.get(reverse("overview")).content.decode()
    assert f'{reverse("queue")}?region=MA-04' in page and f'{reverse("queue")}?exploitation=ForcedLabour' in page
    client.force_login(analyst)
    page = client.get(reverse("overview")).content.decode()
    assert reverse("queue") not in page


def test_filters_narrow_every_table(client, data, analyst, settings):
    settings.MASARAT_STATISTICS_MIN_CELL = 1  # nothing hidden, to read the numbers
    client.force_login(analyst)
    rows = list(csv.reader(io.StringIO(client.get(reverse("statistics-download", args=["sex", "csv"]), {
        "region": "MA-01"}).content.decode("utf-8-sig"))))
    assert {row[0]: row[1] for row in rows[1:]}["Total"] == "1"
    response = client.get(reverse("overview"), {"start": "2025-02-01", "end": "2025-01-01"})
    assert response.status_code == 200 and "error" in response.content.decode()


def test_spreadsheet_formulas_are_written_as_text():
    assert safe_text("=1+1") == "'=1+1" and safe_text("@SUM(A1)") == "'@SUM(A1)" and safe_text("Maroc") == "Maroc"
    table = PublishedTable("x", "=HYPERLINK(\"http://evil\")", ["+n"], [Row("a", "-2+3", [4]), Row("b", "b", [None])])
    rows = table_rows(table)
    text = csv_bytes(rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+n" in text and "'-2+3" in text
    sheet = load_workbook(io.BytesIO(xlsx_bytes([("t", rows)]))).active
    values = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in values)
    assert values[0].value.startswith("'=")


def test_an_analyst_reaches_no_identifying_data_anywhere(client, world, analyst, data):
    """Every URL of Masarat, as an analyst: no name, phone or case reference in any answer."""
    secrets = [*identifying_strings(data), world.reference]
    api = APIClient()
    api.force_authenticate(analyst)
    client.force_login(analyst)
    for name, rule in RULES.items():
        url = reverse(name, args=rule.args(world))
        response = (api if rule.api else client).get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        # A reference the analyst typed into the address (echoed by "not found") tells them nothing new.
        leaked = [secret for secret in secrets if secret in text and secret not in url]
        assert not leaked, f"{name} shows {leaked} to an analyst"
    assert api.get(reverse("api-case-list")).json()["results"] == []


def test_the_dashboard_runs_a_fixed_number_of_queries_however_many_cases(client, data, analyst, alice, charlie):
    """Aggregates in the database: more cases, more profiles and more dates, the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masarat.organisations.regions import Region
    from tests.factories import make_case

    client.force_login(analyst)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("overview"), {"granularity": "year"}).status_code == 200
        return len(captured)

    few = queries()
    for number in range(6):
        make_case(by=charlie if number % 2 else alice, nationalities=["SN", "ML", "CI"][number % 3:],
                  region=list(Region)[number].value, exploitation_forms=["ForcedBegging", "Servitude"])
    assert queries() == few


def test_every_view_of_the_statistics_is_audited_with_its_filters(client, analyst):
    client.force_login(analyst)
    client.get(reverse("overview"), {"region": "MA-04", "sex": "female"})
    event = AuditEvent.objects.get(action="statistics.view", actor=analyst)
    assert event.details["filters"] == {"region": "MA-04", "sex": "female"}
