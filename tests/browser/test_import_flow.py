"""A coordinator imports a case list: upload, mapping, a preview showing an error, the fix, the import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from masarat.cases.models import Case
from masarat.imports import services
from masarat.imports.fields import FIELDS
from tests.browser.conftest import check_accessibility, html_language, screenshot, sign_in, switch_language, tr
from tests.imports.helpers import ROWS, csv_bytes

pytestmark = pytest.mark.browser


def test_upload_map_preview_fix_and_import(open_page: Callable[..., Page], live_server: Any, nadia: Any):
    header = ["Prénom", "Nom", "Sexe", "Date de naissance", "Nationalité", "Accord"]
    rows = [[*ROWS[0][:5], "oui"], [*ROWS[1][:5], "oui"]]
    page = open_page()
    sign_in(page, live_server, nadia)
    language = html_language(page)
    page.get_by_role("link", name=tr("Imports", language), exact=True).click()
    check_accessibility(page)
    page.get_by_label(tr("Case list", language)).set_input_files(
        files=[{"name": "registre.csv", "mimeType": "text/csv", "buffer": csv_bytes(header=header, rows=rows)}])
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Upload and map the columns", language)).click()
    check_accessibility(page)
    # "Accord" is not a usual name of the consent column: it is left out, and the preview says what is missing.
    expect(page.get_by_label("Prénom")).to_have_value("given_name")
    expect(page.get_by_label("Accord")).to_have_value("")
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Check every row (nothing is recorded)", language)).click()
    check_accessibility(page)
    table = page.get_by_role("table")
    expect(table).to_contain_text(tr("Whether the adult consented to the referral is not given. Add a consent "
                                     "column (yes or no) and map it.", language))
    expect(table.get_by_role("rowheader", name="2", exact=True)).to_be_visible()
    screenshot(page, "import-preview-errors")
    assert not Case.objects.exists()

    with page.expect_navigation():
        page.get_by_role("link", name=tr("Change the mapping", language)).click()
    check_accessibility(page)
    page.get_by_label("Accord").select_option(label=tr(FIELDS["consent"], language))
    page.get_by_label(tr("Save this mapping as", language)).fill("Registre ONG")
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Check every row (nothing is recorded)", language)).click()
    check_accessibility(page)
    expect(page.get_by_role("table")).not_to_contain_text(tr("Rejected", language))
    with page.expect_navigation():
        with translation.override(language):
            button = translation.ngettext("Import %(count)s row", "Import %(count)s rows", 2) % {"count": 2}
        page.get_by_role("button", name=button).click()
    check_accessibility(page)
    expect(page.locator("#import-progress-bar")).to_have_attribute("value", "100")
    expect(page.locator("#import-status")).to_have_text(tr("Imported", language))
    references = sorted(Case.objects.values_list("reference", flat=True))
    assert len(references) == 2
    for reference in references:
        expect(page.get_by_role("link", name=reference)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=tr("Download the report (CSV)", language)).click()
    report = download.value.path().read_text(encoding="utf-8-sig")
    assert all(reference in report for reference in references)
    screenshot(page, "import-report")


def test_a_large_import_shows_its_progress_until_the_worker_is_done(
    open_page: Callable[..., Page], live_server: Any, nadia: Any, settings: Any
):
    settings.MASARAT_IMPORT_INLINE_ROWS = 0  # every file waits for the worker
    page = open_page()
    sign_in(page, live_server, nadia)
    language = html_language(page)
    page.goto(f"{live_server.url}/imports/")
    check_accessibility(page)
    page.get_by_label(tr("Case list", language)).set_input_files(
        files=[{"name": "registre.csv", "mimeType": "text/csv", "buffer": csv_bytes()}])
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Upload and map the columns", language)).click()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Check every row (nothing is recorded)", language)).click()
    check_accessibility(page)
    expect(page.locator("#import-status")).to_have_text(tr("Checking the rows", language))
    expect(page.locator("#import-progress-bar")).to_have_attribute("value", "0")
    with page.expect_navigation():  # the page polls, then reloads once the worker is done
        services.work_pending()
    check_accessibility(page)
    expect(page.locator("#import-status")).to_have_text(tr("Checked: ready to import", language))
    expect(page.locator("#import-progress-bar")).to_have_attribute("value", "100")
    assert not Case.objects.exists()
    switch_language(page, "ar")  # the preview and its progress right to left
    check_accessibility(page)
    expect(page.locator("#import-status")).to_have_text(tr("Checked: ready to import", "ar"))
