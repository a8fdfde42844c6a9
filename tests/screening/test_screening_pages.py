"""Screening before a referral, then the referral carrying the result to the coordinator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from masarat.audit.models import AuditEvent
from masarat.cases.models import Case
from masarat.screening.definition import DefinitionError
from masarat.screening.models import Assessment, IndicatorSet
from masarat.screening.services import indicator_set_import, indicator_set_new_version
from tests.screening.factories import small_set
from tests.web.test_referral_to_decision_pages import VALID_FORM


@pytest.fixture
def adult_set(db) -> IndicatorSet:
    IndicatorSet.objects.update(is_active=False)  # only the test set is offered
    indicator_set, _created = indicator_set_import(raw=small_set())
    return indicator_set


def screen(client, user, adult_set, answers: dict[str, str]) -> Assessment:
    client.force_login(user)
    response = client.post(reverse("screening-home"), {"indicator_set": adult_set.pk, "interview_language": "en"})
    assessment = Assessment.objects.filter(assessor=user).latest("pk")
    assert response["Location"] == reverse("screening-element", args=[assessment.pk, 1])
    for index in (1, 2, 3):
        element = adult_set.parsed.elements[index - 1]
        data = {code: value for code, value in answers.items()
                if code in {indicator.code for indicator in element.indicators}}
        data["move"] = "next" if index < 3 else "result"
        client.post(reverse("screening-element", args=[assessment.pk, index]), data)
    client.post(reverse("screening-result", args=[assessment.pk]), {"notes": "Calm interview."})
    assessment.refresh_from_db()
    return assessment


STRONG_ANSWERS = {"d_strong_1": "yes", "d_strong_2": "yes", "c_strong_1": "yes", "c_medium": "yes",
                  "k_strong_1": "yes", "k_weak": "yes", "d_medium": "unknown"}


def test_a_screening_one_topic_at_a_time_gives_an_explained_result(client, alice, adult_set):
    client.force_login(alice)
    page = client.get(reverse("screening-home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Test set" in page.content.decode()
    assessment = screen(client, alice, adult_set, STRONG_ANSWERS)
    assert (assessment.level, assessment.suggestion) == ("strong", "refer")
    assert assessment.completed_at is not None and assessment.notes == "Calm interview."
    result = client.get(reverse("screening-result", args=[assessment.pk]), HTTP_ACCEPT_LANGUAGE="en")
    body = result.content.decode()
    assert "Strong signs of trafficking" in body and "Question d_strong_1?" in body
    assert "Question d_medium?" not in body  # "unknown" is not a reason
    assert f"?screening={assessment.pk}" in body


def test_the_question_is_also_shown_in_the_language_of_the_interview(client, alice, adult_set):
    client.force_login(alice)
    client.post(reverse("screening-home"), {"indicator_set": adult_set.pk, "interview_language": "en"})
    assessment = Assessment.objects.get()
    body = client.get(reverse("screening-element", args=[assessment.pk, 1]), HTTP_ACCEPT_LANGUAGE="fr")
    text = body.content.decode()
    assert "Question d_strong_1? (fr)" in text and 'lang="en"' in text and "Question d_strong_1?</p>" in text


def test_the_referral_carries_the_screening_to_the_coordinator(client, alice, bob, charlie, adult_set):
    assessment = screen(client, alice, adult_set, STRONG_ANSWERS)
    form = client.get(f"{reverse('referral-new')}?screening={assessment.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert "Screening sent with this referral" in form.content.decode()
    client.post(reverse("referral-new"), {**VALID_FORM, "screening": assessment.pk})
    case = Case.objects.get()
    assessment.refresh_from_db()
    assert assessment.case == case
    client.force_login(bob)
    for url in (reverse("case", args=[case.reference]), reverse("case-decision", args=[case.reference])):
        assert "Question d_strong_1?" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert client.get(reverse("screening-result", args=[assessment.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="screening.read", actor=bob).exists()
    client.force_login(charlie)
    assert client.get(reverse("screening-result", args=[assessment.pk])).status_code == 404


def test_a_screening_is_private_to_its_author_until_referred(client, alice, alice_colleague, bob, adult_set):
    assessment = screen(client, alice, adult_set, {"d_weak": "yes"})
    for other in (alice_colleague, bob):
        client.force_login(other)
        assert client.get(reverse("screening-result", args=[assessment.pk])).status_code == 404
        assert client.get(reverse("screening-element", args=[assessment.pk, 1])).status_code == 404


def test_a_screening_sent_with_a_referral_can_no_longer_be_changed(client, alice, adult_set):
    assessment = screen(client, alice, adult_set, STRONG_ANSWERS)
    client.post(reverse("referral-new"), {**VALID_FORM, "screening": assessment.pk})
    response = client.post(reverse("screening-element", args=[assessment.pk, 1]), {"d_strong_1": "no"})
    assert response.status_code == 404
    assert Assessment.objects.get().level == "strong"


def test_roles_that_do_not_interview_cannot_screen(client, analyst, auditor, administrator, adult_set):
    for user in (analyst, auditor, administrator):
        client.force_login(user)
        assert client.get(reverse("screening-home")).status_code == 404


def test_indicator_set_versions_never_change(adult_set, administrator):
    same, created = indicator_set_import(raw=small_set())
    assert same == adult_set and not created
    changed = small_set()
    changed["elements"][0]["indicators"][0]["strength"] = "weak"
    with pytest.raises(DefinitionError):
        indicator_set_import(raw=changed)
    second = indicator_set_new_version(code="test-adult", raw=changed, by=administrator)
    assert second.version == 2 and second.is_active
    adult_set.refresh_from_db()
    assert not adult_set.is_active


def test_an_administrator_edits_a_set_as_a_new_version(client, administrator, adult_set):
    import yaml

    client.force_login(administrator)
    edited = small_set()
    edited["elements"][0]["title"]["en"] = "Deception, revised"
    response = client.post("/admin/screening/indicatorset/add/", {
        "code_for_new": "test-adult", "text": yaml.safe_dump(edited, allow_unicode=True), "is_active": "on"})
    assert response.status_code == 302
    newest = IndicatorSet.objects.get(code="test-adult", version=2)
    assert newest.parsed.elements[0].title.en == "Deception, revised"
    assert AuditEvent.objects.filter(action="screening.indicator_set_import", actor=administrator).exists()


def test_an_invalid_edit_is_explained_and_saves_nothing(client, administrator, adult_set):
    client.force_login(administrator)
    response = client.post("/admin/screening/indicatorset/add/", {
        "code_for_new": "test-adult", "text": "elements: []\nrule: {}", "is_active": "on"})
    assert response.status_code == 200
    assert "set.elements" in response.content.decode()
    assert IndicatorSet.objects.filter(code="test-adult").count() == 1


def test_import_and_export_commands_round_trip(tmp_path, adult_set):
    from django.core.management import call_command

    exported = tmp_path / "set.json"
    call_command("screening", "export", "test-adult", str(exported))
    changed = small_set(version=5)
    import json

    assert json.loads(exported.read_text(encoding="utf-8")) == small_set()
    source = tmp_path / "v5.json"
    source.write_text(json.dumps(changed), encoding="utf-8")
    call_command("screening", "import", str(source))
    assert IndicatorSet.objects.get(code="test-adult", version=5).definition == changed


def test_screening_from_inside_the_referral_form_keeps_the_draft(client, alice, adult_set):
    client.force_login(alice)
    response = client.post(reverse("referral-new"), {"given_name_latin": "Amina", "action": "screen"})
    from masarat.referrals.models import ReferralDraft

    draft = ReferralDraft.objects.get()
    assert response["Location"] == f"{reverse('screening-home')}?draft={draft.pk}"
    page = client.get(response["Location"])
    assert f'name="draft" value="{draft.pk}"' in page.content.decode()
    client.post(reverse("screening-home"), {"indicator_set": adult_set.pk, "draft": draft.pk})
    assessment = Assessment.objects.get()
    assert assessment.for_draft_id == draft.pk
    client.post(reverse("screening-element", args=[assessment.pk, 1]), {**STRONG_ANSWERS, "move": "result"})
    client.post(reverse("screening-result", args=[assessment.pk]), {"notes": ""})
    result = client.get(reverse("screening-result", args=[assessment.pk])).content.decode()
    back = f"{reverse('referral-draft', args=[draft.pk])}?screening={assessment.pk}"
    assert back in result
    form = client.get(back).content.decode()
    assert 'value="Amina"' in form and f'name="screening" value="{assessment.pk}"' in form
    client.post(back, {**VALID_FORM, "screening": assessment.pk})
    assessment.refresh_from_db()
    assert assessment.case is not None and not ReferralDraft.objects.exists()


def test_someone_elses_draft_cannot_be_attached(client, alice, alice_colleague, adult_set):
    from masarat.referrals.models import ReferralDraft

    draft = ReferralDraft.objects.create(author=alice_colleague, data={})
    client.force_login(alice)
    response = client.post(reverse("screening-home"), {"indicator_set": adult_set.pk, "draft": draft.pk})
    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_unticking_offered_retires_a_version_without_a_new_one(client, administrator, adult_set):
    client.force_login(administrator)
    page = client.get(f"/admin/screening/indicatorset/{adult_set.pk}/change/")
    form = page.context["adminform"].form
    response = client.post(f"/admin/screening/indicatorset/{adult_set.pk}/change/", {
        "code_for_new": "test-adult", "text": form["text"].value()})
    assert response.status_code == 302
    assert IndicatorSet.objects.filter(code="test-adult").count() == 1
    adult_set.refresh_from_db()
    assert not adult_set.is_active


def test_a_completed_screening_no_longer_changes(client, alice, adult_set):
    assessment = screen(client, alice, adult_set, STRONG_ANSWERS)
    response = client.post(reverse("screening-element", args=[assessment.pk, 1]), {"d_strong_1": "no"})
    assert response["Location"] == reverse("screening-result", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.level == "strong" and assessment.answers.get(indicator_code="d_strong_1").answer == "yes"


def test_a_double_submission_with_a_screening_shows_the_first_referral(client, alice, adult_set):
    assessment = screen(client, alice, adult_set, STRONG_ANSWERS)
    form = {**VALID_FORM, "screening": assessment.pk, "submission_key": "k-123456"}
    first = client.post(reverse("referral-new"), form)
    second = client.post(reverse("referral-new"), form)
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1


def test_a_screening_already_sent_does_not_travel_twice(client, alice, adult_set):
    assessment = screen(client, alice, adult_set, STRONG_ANSWERS)
    client.post(reverse("referral-new"), {**VALID_FORM, "screening": assessment.pk})
    response = client.post(reverse("referral-new"), {**VALID_FORM, "screening": assessment.pk})
    assert response.status_code == 302
    first, second = Case.objects.order_by("pk")
    assessment.refresh_from_db()
    assert assessment.case == first and not second.assessments.exists()
