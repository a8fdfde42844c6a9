"""Real headless Chromium against pytest-django's live server, with an axe-core check of every page.

Browser downloads are impossible here, so Debian's Chromium is launched (``MASARAT_CHROMIUM`` to
point elsewhere). Each user gets their own browser context (own cookies, own language), as on
their own device. A context's pages remember every document they loaded: a test that shows a
page without checking it with :func:`check_accessibility` fails, and so does a page that breaks
the Content Security Policy or throws a JavaScript error.

Set ``MASARAT_SCREENSHOT_DIR`` to keep screenshots of the main pages (see :func:`screenshot`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize, expect, sync_playwright

from masarat.accounts.models import User
from tests.factories import PASSWORD

# Playwright's sync API runs an asyncio event loop in the test thread; Django's ORM would otherwise
# refuse to run there (SynchronousOnlyOperation). Django reads this at each query, not at import.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("MASARAT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
# The browser of a Moroccan French-speaking user; the interface must come in French, its default.
BROWSER_LOCALE = "fr-MA"
BLOCKING_IMPACTS = ("serious", "critical")
SCREENSHOT_DIR = os.environ.get("MASARAT_SCREENSHOT_DIR", "")

_axe = Axe()


def tr(message: str | Promise, language: str) -> str:
    """``message`` as the interface shows it in ``language`` (works with or without a catalogue)."""
    with translation.override(language):
        return str(message) if isinstance(message, Promise) else translation.gettext(message)


def html_language(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""


class PageLog:
    """The documents a page loaded, those axe-core checked, and what the browser complained about."""

    def __init__(self, page: Page) -> None:
        self.loads: list[str] = []
        self.checked: set[int] = set()
        self.problems: list[str] = []
        page.on("load", lambda loaded: self.loads.append(loaded.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {page.url}: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"{message.location.get('url', '')}: {message.text}")

    def unchecked(self) -> list[str]:
        return [url for number, url in enumerate(self.loads, start=1) if number not in self.checked]


_LOGS: dict[int, PageLog] = {}


def _log_of(page: Page) -> PageLog:
    return _LOGS[id(page)]


def _format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " > ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


# axe-core only says "needs review" when an aria-describedby or a label points to a missing id (the
# element could be added later), and it no longer reports duplicate ids. In a server-rendered page
# both are plain mistakes: a help or error text that is never read out, a label on the wrong field.
_BROKEN_REFERENCES_JS = """() => {
  const problems = [];
  const seen = new Set();
  for (const element of document.querySelectorAll("[id]")) {
    if (seen.has(element.id)) { problems.push(`duplicate id "${element.id}"`); }
    seen.add(element.id);
  }
  const attributes = ["aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage", "for"];
  for (const name of attributes) {
    for (const element of document.querySelectorAll(`[${name}]`)) {
      for (const id of element.getAttribute(name).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) {
          const what = element.tagName.toLowerCase() + (element.id ? `#${element.id}` : "");
          problems.push(`${what}: ${name} points to a missing id "${id}"`);
        }
      }
    }
  }
  return problems;
}"""


def check_accessibility(page: Page) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation.

    Also fail on references to missing ids and on duplicate ids (see ``_BROKEN_REFERENCES_JS``).
    """
    page.wait_for_load_state("load")
    results = _axe.run(page)
    # The round trips of the run above have delivered the load event of this document, if any.
    log = _log_of(page)
    if log.loads:
        log.checked.add(len(log.loads))
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    broken = page.evaluate(_BROKEN_REFERENCES_JS)
    if blocking or broken:
        report = _format_violations(blocking) + "".join(f"\n- {problem}" for problem in broken)
        pytest.fail(
            f"axe-core: {len(blocking)} serious or critical violation(s), {len(broken)} id problem(s) "
            f"on {page.url} (lang={html_language(page)}):\n{report.strip()}",
            pytrace=False,
        )


def sign_in(page: Page, live_server: Any, user: User, password: str = PASSWORD) -> None:
    """Sign in through the login page, in whatever language the browser gets."""
    page.goto(f"{live_server.url}{reverse('login')}")
    check_accessibility(page)
    language = html_language(page)
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Sign in", language), exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    check_accessibility(page)


def switch_language(page: Page, language: str) -> None:
    """Change the interface language with the switcher in the page header."""
    current = html_language(page)
    switcher = page.locator("form.language-form")
    switcher.get_by_label(tr("Language", current)).select_option(language)
    with page.expect_navigation():
        switcher.get_by_role("button", name=tr("Change", current)).click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    check_accessibility(page)


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page screenshot when ``MASARAT_SCREENSHOT_DIR`` is set (never in the repository)."""
    if not SCREENSHOT_DIR:
        return
    directory = Path(SCREENSHOT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def open_page(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context: one per user, as on separate devices."""
    contexts = []
    pages: list[Page] = []

    def open_page(viewport: ViewportSize | None = None, locale: str = BROWSER_LOCALE) -> Page:
        context = browser.new_context(viewport=viewport or DESKTOP, locale=locale)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        _LOGS[id(page)] = PageLog(page)
        pages.append(page)
        return page

    yield open_page

    failures = []
    for page in pages:
        if not page.is_closed():
            page.evaluate("0")  # a round trip, so that every pending browser event has arrived
        log = _LOGS.pop(id(page))
        failures += log.problems
        failures += [f"page shown without an accessibility check: {url}" for url in log.unchecked()]
    for context in contexts:
        context.close()
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    return open_page()
