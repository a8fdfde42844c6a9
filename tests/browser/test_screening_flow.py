"""A screening conducted in Arabic on a phone, leading to a referral that carries its result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from masarat.cases.models import Case
from masarat.screening.models import Level
from masarat.screening.services import DATA_DIR, indicator_set_import, read_definition_file
from tests.browser.conftest import check_accessibility, sign_in, switch_language, tr
from tests.browser.test_referral_flow import Form

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SET_FILE = DATA_DIR / "ilo-ec-adult-labour.yaml"


def enough_to_be_present(element: Any) -> list[Any]:
    strong = [indicator for indicator in element.indicators if indicator.strength == "strong"]
    weaker = [indicator for indicator in element.indicators if indicator.strength != "strong"]
    return strong[:2] if len(strong) >= 2 else strong[:1] + weaker[:1] if strong else []


def click(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=tr(name, "ar"), exact=True).click()
    check_accessibility(page)


def test_a_screening_in_arabic_on_a_phone_leads_to_a_referral_with_its_result(
    open_page: Callable[..., Any], live_server: Any, alice: Any, bob: Any
) -> None:
    indicator_set, _created = indicator_set_import(raw=read_definition_file(SET_FILE))
    definition = indicator_set.parsed
    # Two strong indicators, or one strong and one weaker, make an element present (the default rule).
    to_answer_yes = {element.code: enough_to_be_present(element) for element in definition.elements}

    page = open_page(viewport=PHONE)
    sign_in(page, live_server, alice)
    switch_language(page, "ar")
    with page.expect_navigation():
        page.get_by_role("navigation", name=tr("Main menu", "ar")).get_by_role(
            "link", name=tr("Screening", "ar")).click()
    check_accessibility(page)

    page.get_by_label(definition.title.ar, exact=True).check()
    page.get_by_label(tr("Language of the interview", "ar")).select_option("ar")
    click(page, "Start")

    for index, element in enumerate(definition.elements, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(element.title.ar)
        for indicator in to_answer_yes[element.code]:
            question = page.get_by_role("group", name=indicator.question.ar, exact=True)
            question.get_by_label(tr("Yes", "ar"), exact=True).check()
        last = index == len(definition.elements)
        click(page, "See the result" if last else "Next topic")

    expect(page.locator(".screening-result__level")).to_have_text(tr(Level.STRONG.label, "ar"))
    page.get_by_label(tr("Notes for the coordinator", "ar")).fill("مقابلة هادئة بحضور مترجم.")
    click(page, "Complete the screening")
    with page.expect_navigation():
        page.get_by_role("link", name=tr("Refer this person, with this result", "ar")).click()
    check_accessibility(page)
    expect(page.get_by_role("heading", name=tr("Screening sent with this referral", "ar"))).to_be_visible()

    form = Form(page)
    form.fill_names()
    form.fill_the_rest()
    form.press("Submit the referral")

    case = Case.objects.get()
    assessment = case.assessments.get()
    assert assessment.level == Level.STRONG and assessment.assessor == alice
    assert assessment.answers.filter(answer="yes").count() == sum(len(v) for v in to_answer_yes.values())
