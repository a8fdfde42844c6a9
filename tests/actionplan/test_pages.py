"""The action plan's pages: who reads, who posts progress (and who gets a 404), overdue measures,
downloads, and a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from masarat.actionplan.models import Axis, Indicator, Measure, MeasureStatus, ProgressUpdate, Reading
from masarat.actionplan.selectors import parse_period, progress_report
from masarat.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SHELTERS = "ap-prot-shelters"
TRAINING = "ap-prev-labour-inspection"


def post_progress(client, code: str, version: int, **data):
    form = {"version": version, "on": timezone.localdate().isoformat(), "status": MeasureStatus.IN_PROGRESS,
            "text": "Deux centres ouverts à Rabat et Oujda.", **data}
    return client.post(reverse("action-plan-measure", args=[code]), form)


@pytest.fixture
def alice_responsible(alice):
    """Alice's agency (Rabat police) is responsible for the training of labour inspectors."""
    Measure.objects.get(code=TRAINING).agencies.add(alice.agency)
    return alice


def test_an_analyst_reads_the_report_marked_as_example(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("action-plan")).content.decode()
    assert "Example content" in page or "Contenu d&#x27;exemple" in page or "Contenu d'exemple" in page
    assert "Plan d&#x27;action 2023-2026 (exemple)" in page
    assert "Prévention" in page and "Partenariat et coordination" in page
    assert AuditEvent.objects.filter(action="actionplan.view", actor=analyst).exists()


@pytest.mark.parametrize("role", ["alice", "charlie", "case_manager", "service_provider", "prosecutor", "auditor",
                                  "administrator"])
def test_others_get_not_found(request, client, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("action-plan")).status_code == 404
    assert client.get(reverse("action-plan-measure", args=[SHELTERS])).status_code == 404


def test_a_responsible_agency_reads_the_plan_and_posts_progress(client, alice_responsible):
    client.force_login(alice_responsible)
    assert client.get(reverse("action-plan")).status_code == 200
    measure = Measure.objects.get(code=TRAINING)
    indicator = Indicator.objects.get(code="ap-prev-inspectors-trained")
    response = post_progress(client, TRAINING, measure.version, **{f"indicator_{indicator.pk}": "35"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS and measure.version == 2
    update = ProgressUpdate.objects.get(measure=measure)
    assert update.by == alice_responsible
    assert Reading.objects.get(update=update).value == 35
    event = AuditEvent.objects.get(action="actionplan.progress")
    assert event.actor == alice_responsible and event.details["readings"] == {"ap-prev-inspectors-trained": "35"}
    # The report shows the reported value and the latest update.
    report = progress_report(parse_period(str(timezone.localdate().year)), today=timezone.localdate())
    line = next(line for line in report.measures if line.measure.code == TRAINING)
    assert line.latest == update and line.indicators[0].value.value == 35


def test_only_the_responsible_agency_and_the_secretariat_post(client, alice_responsible, charlie, analyst, bob, nadia):
    version = Measure.objects.get(code=TRAINING).version
    for outsider in (charlie, analyst, bob):  # another agency, a reader, a regional coordinator
        client.force_login(outsider)
        assert post_progress(client, TRAINING, version).status_code == 404
    client.force_login(alice_responsible)
    assert post_progress(client, SHELTERS, Measure.objects.get(code=SHELTERS).version).status_code == 404
    assert not ProgressUpdate.objects.exists()
    client.force_login(nadia)  # the secretariat reports on any measure
    assert post_progress(client, SHELTERS, Measure.objects.get(code=SHELTERS).version).status_code == 302


def test_a_stale_form_is_refused_and_nothing_is_lost(client, nadia):
    client.force_login(nadia)
    version = Measure.objects.get(code=SHELTERS).version
    assert post_progress(client, SHELTERS, version).status_code == 302
    response = post_progress(client, SHELTERS, version, text="Un texte écrit en même temps.")
    assert response.status_code == 409
    assert "Un texte écrit en même temps." in response.content.decode()
    assert ProgressUpdate.objects.count() == 1


def test_bad_input_is_explained(client, nadia):
    client.force_login(nadia)
    version = Measure.objects.get(code=SHELTERS).version
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post_progress(client, SHELTERS, version, text="Texte gardé.", on=tomorrow)
    assert response.status_code == 400
    assert "Texte gardé." in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_overdue_measures_are_flagged(nadia):
    today = date(2025, 7, 1)
    Measure.objects.filter(code=SHELTERS).update(deadline=date(2025, 6, 30), status=MeasureStatus.IN_PROGRESS)
    Measure.objects.filter(code="ap-part-agreements").update(deadline=date(2024, 12, 31), status=MeasureStatus.DONE)
    Measure.objects.filter(code="ap-prev-campaign").update(deadline=date(2025, 7, 1))  # due today: not yet late
    report = progress_report(parse_period("2025"), today=today)
    overdue = {line.measure.code for line in report.overdue}
    assert SHELTERS in overdue
    assert "ap-part-agreements" not in overdue and "ap-prev-campaign" not in overdue
    # The report of an earlier quarter judges as of its end.
    assert SHELTERS not in {line.measure.code for line in progress_report(parse_period("2025-Q1"), today=today).overdue}
    # A progress update marking it done, dated in the period, ends the flag.
    ProgressUpdate.objects.create(measure=Measure.objects.get(code=SHELTERS), on=date(2025, 6, 29),
                                  status=MeasureStatus.DONE, text="Fait.", by=nadia)
    assert SHELTERS not in {line.measure.code for line in progress_report(parse_period("2025"), today=today).overdue}


def test_targets_and_on_track(nadia):
    indicator = Indicator.objects.get(code="ap-prev-inspectors-trained")  # targets 50, 120, 200
    update = ProgressUpdate.objects.create(measure=indicator.measure, on=date(2025, 3, 1),
                                           status=MeasureStatus.IN_PROGRESS, text="Formations.", by=nadia)
    Reading.objects.create(indicator=indicator, update=update, on=date(2025, 3, 1), value=130)
    report = progress_report(parse_period("2025"), today=date(2025, 12, 31))
    line = next(item for item in report.measures if item.measure.code == TRAINING).indicators[0]
    assert (line.target, line.value.value, line.on_track) == (120, 130, True)
    report = progress_report(parse_period("2026"), today=date(2026, 12, 31))
    line = next(item for item in report.measures if item.measure.code == TRAINING).indicators[0]
    assert (line.target, line.value.value, line.on_track) == (200, 130, False)
    assert line.read_on == date(2025, 3, 1)


def test_periods():
    assert parse_period("2025-Q2").period.start == date(2025, 4, 1)
    assert parse_period("2025-Q2").period.end == date(2025, 6, 30)
    assert parse_period("2025-Q4").period.end == date(2025, 12, 31)
    assert parse_period("2025").period.end == date(2025, 12, 31)
    assert parse_period("2025-Q5") is None and parse_period("nonsense") is None


def test_csv_xlsx_and_pdf_downloads(client, analyst, settings):
    client.force_login(analyst)
    url = reverse("action-plan-download", args=["csv"]) + "?period=2025"
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Plan", "Axe", "Mesure"]  # in French, the default language
    assert any(row[2] == "Ouvrir des places d'hébergement spécialisées pour les victimes" for row in rows)
    assert len({row[8] for row in rows[1:] if row[8]}) >= 10  # every indicator
    workbook = load_workbook(io.BytesIO(client.get(reverse("action-plan-download", args=["xlsx"])).content))
    assert workbook.active.max_row == len(rows)
    response = client.get(reverse("action-plan-download", args=["pdf"]) + "?period=2025")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Prévention" in text and "exemple" in text
    assert client.get(reverse("action-plan-download", args=["doc"])).status_code == 404


def test_a_formula_in_a_progress_text_is_neutralised(client, nadia):
    client.force_login(nadia)
    post_progress(client, SHELTERS, Measure.objects.get(code=SHELTERS).version, text="=HYPERLINK(\"http://x\")")
    rows = list(csv.reader(io.StringIO(client.get(reverse("action-plan-download", args=["csv"])).content
                                       .decode("utf-8-sig"))))
    assert any(row[7].startswith(timezone.localdate().isoformat()) and "=HYPERLINK" in row[7] for row in rows)
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_the_page_runs_a_fixed_number_of_queries(client, analyst, nadia):
    client.force_login(analyst)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("action-plan")).status_code == 200
        return len(captured)

    few = queries()
    axis = Axis.objects.get(plan__code="action-plan-2023-2026", code="protection")
    for number in range(6):
        measure = Measure.objects.create(axis=axis, code=f"extra-{number}", title_fr=f"Mesure {number}",
                                         deadline=date(2024, 1, 1), status=MeasureStatus.IN_PROGRESS)
        measure.agencies.add(nadia.agency)
        ProgressUpdate.objects.create(measure=measure, on=date(2024, 1, 1), status=MeasureStatus.IN_PROGRESS,
                                      text="En cours.", by=nadia)
        indicator = Indicator.objects.create(axis=axis, measure=measure, code=f"extra-indicator-{number}",
                                             title_fr=f"Indicateur {number}")
        Reading.objects.create(indicator=indicator, on=date(2024, 1, 1), value=number)
    assert queries() == few


def test_a_measure_page_lists_its_updates(client, analyst, nadia):
    measure = Measure.objects.get(code=SHELTERS)
    for day in range(1, 26):
        ProgressUpdate.objects.create(measure=measure, on=date(2025, 1, day), status=MeasureStatus.IN_PROGRESS,
                                      text=f"Étape {day}.", by=nadia)
    client.force_login(analyst)
    page = client.get(reverse("action-plan-measure", args=[SHELTERS])).content.decode()
    assert "Étape 25." in page and "Étape 5." not in page  # 20 a page, latest first
    assert 'name="text"' not in page  # an analyst reads, does not post
    assert "Étape 5." in client.get(reverse("action-plan-measure", args=[SHELTERS]) + "?page=2").content.decode()
