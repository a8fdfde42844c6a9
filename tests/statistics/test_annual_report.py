"""The annual report in PDF: it parses, carries the dashboard's tables after disclosure control and the
action plan's progress, in French, English and Arabic; and says clearly when its font is missing."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from masarat.audit.models import AuditEvent
from masarat.cases.models import Case
from masarat.organisations.regions import Region
from masarat.statistics.annual_report import annual_report_pdf
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def referrals_2025(alice, charlie):
    """Six referrals in Rabat in 2025, two in Tanger: Tanger's count (2) must never be printed."""
    cases = [make_case(by=alice) for _ in range(6)]
    cases += [make_case(by=charlie, region=Region.TANGER_TETOUAN_AL_HOCEIMA) for _ in range(2)]
    when = datetime(2025, 5, 5, 10, tzinfo=timezone.get_current_timezone())
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(referred_at=when)
    return cases


def region_line(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(name))


def test_the_french_report_has_the_tables_and_hides_small_counts(referrals_2025):
    text = pdf_text(annual_report_pdf(2025, language="fr", today=date(2026, 1, 15)))
    for heading in ("Rapport annuel 2025", "Référencements et victimes identifiées", "Qui est référencé",
                    "Référencements par région", "Durée des étapes et délais", "Dossiers en attente",
                    "Plan d'action : avancement en 2025"):
        assert heading in text, heading
    assert "masqué" in text
    rabat = region_line(text, "Rabat-Salé-Kénitra")
    tanger = region_line(text, "Tanger-Tétouan-Al Hoceïma")
    assert "masqué" in tanger and "2" not in tanger.replace("Tanger-Tétouan-Al Hoceïma", "")
    assert "masqué" in rabat  # hidden with it, or Tanger's would be the total minus Rabat's
    assert "T2 2025" in text and "Contenu d'exemple" in text


def test_the_english_and_arabic_reports_generate(referrals_2025):
    english = pdf_text(annual_report_pdf(2025, language="en", today=date(2026, 1, 15)))
    assert "Annual report 2025" in english and "hidden" in english and "Action plan" in english
    arabic = annual_report_pdf(2025, language="ar", today=date(2026, 1, 15))
    reader = PdfReader(io.BytesIO(arabic))
    assert len(reader.pages) >= 3
    assert reader.metadata is not None and "2025" in (reader.metadata.title or "")
    # The Arabic text is there, shaped (joined letter forms or their base letters, whichever the extraction gives).
    text = pdf_text(arabic)
    assert any("\u0600" <= char <= "\u06ff" or "\ufe70" <= char <= "\ufeff" for char in text)


def test_the_dashboard_offers_the_report_and_serves_it(client, analyst, referrals_2025):
    client.force_login(analyst)
    assert reverse("statistics-annual-report") in client.get(reverse("overview")).content.decode()
    year = timezone.localdate().year
    response = client.get(reverse("statistics-annual-report"), {"year": year})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"Rapport annuel {year}" in pdf_text(response.content)
    assert AuditEvent.objects.filter(action="statistics.annual_report", actor=analyst).exists()
    assert client.get(reverse("statistics-annual-report"), {"year": 1999}).status_code == 404


def test_the_command_writes_the_report(tmp_path, referrals_2025):
    output = tmp_path / "report.pdf"
    call_command("report", "annual", str(output), "--year", "2025", "--language", "ar")
    assert output.read_bytes().startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="statistics.annual_report", target_id="2025").exists()


def test_a_missing_font_is_a_clear_error(tmp_path, settings):
    settings.MASARAT_PDF_FONT = str(tmp_path / "missing.ttf")
    with pytest.raises(CommandError, match="MASARAT_PDF_FONT"):
        call_command("report", "annual", str(tmp_path / "report.pdf"), "--year", "2025")
    assert not (tmp_path / "report.pdf").exists()
