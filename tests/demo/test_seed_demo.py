"""The demo data: every stage of the mechanism, plausible people, and accounts that work."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from masarat.accounts.models import Role, User
from masarat.audit.models import AuditEvent
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case, CaseEvent
from masarat.demo.seeding import (
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    Cast,
    SeedConflict,
    SeedReport,
    plan_cases,
    seed_demo,
)
from masarat.organisations.models import Agency
from masarat.organisations.regions import Region
from masarat.people.models import Person
from masarat.referrals.models import Referral, ReferralDraft
from masarat.referrals.vocabulary import Consent

ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def report(db) -> SeedReport:
    return seed_demo(cases=40)


def test_every_status_is_seeded(report):
    assert report.created
    assert report.cases_created == Case.objects.count() == 40
    assert set(report.cases_by_status) == set(Status.values)


def test_names_are_written_in_arabic_and_in_latin_script(report):
    persons = list(Person.objects.all())
    both = [p for p in persons if p.given_name_latin and ARABIC.search(p.given_name_arabic)]
    latin_only = [p for p in persons if p.given_name_latin and not p.given_name_arabic]
    assert both, "Moroccan names in both scripts"
    assert latin_only, "migrants' names in Latin script only"
    assert all(not ARABIC.search(p.latin_name) for p in persons)


def test_anonymous_notifications_keep_no_identity(report):
    anonymous = Case.objects.filter(status=Status.ANONYMOUS_NOTIFICATION)
    assert anonymous.exists()
    assert not anonymous.filter(person__isnull=False).exists()
    assert not anonymous.filter(is_child=True).exists()
    assert set(Referral.objects.filter(case__in=anonymous).values_list("consent", flat=True)) == {Consent.REFUSED}
    assert not Case.objects.exclude(status=Status.ANONYMOUS_NOTIFICATION).filter(person__isnull=True).exists()


def test_both_frontline_agencies_refer_in_their_own_region(report):
    police = User.objects.get(username="police.rabat")
    ngo = User.objects.get(username="ngo.tanger")
    assert set(Case.objects.filter(referred_by=police).values_list("region", flat=True)) == {
        Region.RABAT_SALE_KENITRA}
    assert set(Case.objects.filter(referred_by=ngo).values_list("region", flat=True)) == {
        Region.TANGER_TETOUAN_AL_HOCEIMA}
    assert ReferralDraft.objects.filter(author=police).count() == 1


def test_the_demo_accounts_log_in_with_the_demo_password(report):
    for username in DEMO_USERNAMES:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.role == Role.ADMINISTRATOR
    assert User.objects.get(username="national.coordinator").is_national_coordinator
    assert [row.username for row in report.accounts] == list(DEMO_USERNAMES)


def test_histories_are_backdated_and_consistent(report):
    now = timezone.now()
    today = timezone.localdate()
    cases = list(Case.objects.prefetch_related("events"))
    assert min(case.referred_at for case in cases) > now - timedelta(days=750)
    for case in cases:
        moments = [event.at for event in case.events.all()]
        assert moments == sorted(moments) and moments[0] == case.referred_at and moments[-1] <= now
        # The reference carries the year of the backdated referral.
        assert case.reference.split("-")[1] == str(timezone.localtime(case.referred_at).year)
        if case.formal_decided_at:
            assert case.reflection_ends_on <= timezone.localdate(case.formal_decided_at)
    waiting = [case for case in cases if case.due_on]
    assert any(case.due_on < today for case in waiting), "some cases are overdue"
    assert any(case.due_on >= today for case in waiting), "some cases are still in time"
    for case in cases:
        assert not AuditEvent.objects.filter(target_type="case", target_id=str(case.pk)).exclude(
            case_reference=case.reference).exists()


def test_references_follow_the_order_of_referral_within_each_year(report):
    years: dict[str, list[int]] = {}
    for reference in Case.objects.order_by("referred_at", "pk").values_list("reference", flat=True):
        _, year, number = reference.rsplit("-", 2)
        years.setdefault(year, []).append(int(number))
    assert len(years) >= 2
    assert all(numbers == sorted(numbers) for numbers in years.values())


def test_the_audit_trail_of_the_demo_is_one_intact_chain(report):
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"{AuditEvent.objects.count()} events verified, chain intact." in out.getvalue()


def test_the_case_manager_follows_presumed_victims_of_her_region(report):
    managed = Case.objects.filter(assigned_case_manager__username="casemanager")
    assert managed.exists()
    assert set(managed.values_list("region", flat=True)) == {Region.RABAT_SALE_KENITRA}
    assert set(managed.values_list("status", flat=True)) <= {
        Status.REFLECTION_PERIOD, Status.FORMAL_INFORMATION, Status.FORMAL_NEGATIVE_REVIEW, Status.IDENTIFIED}


def test_a_second_run_creates_nothing(report):
    counts = [model.objects.count() for model in (Case, CaseEvent, Person, User, Agency, ReferralDraft)]
    again = seed_demo(cases=40)
    assert not again.created and again.cases_created == 0
    assert [model.objects.count() for model in (Case, CaseEvent, Person, User, Agency, ReferralDraft)] == counts
    assert [row.username for row in again.accounts] == list(DEMO_USERNAMES)


def test_the_same_seed_gives_the_same_cases_whatever_the_day(report):
    cast = Cast.from_users({user.username: user for user in User.objects.select_related("agency")})

    def plan_on(now):
        return [(plan.status, plan.referrer.spec.username, plan.steps, plan.data.given_name_latin,
                 plan.data.family_name_arabic, plan.data.nationalities)
                for plan in plan_cases(random.Random(7), 40, cast, now=now)]

    assert plan_on(timezone.now()) == plan_on(timezone.now() + timedelta(days=3, hours=5))


def test_seeding_refuses_to_mix_with_some_existing_accounts(db):
    User.objects.create(username="admin", role=Role.ADMINISTRATOR)
    with pytest.raises(SeedConflict):
        seed_demo(cases=5)


def test_the_command_prints_the_accounts_and_their_password(db, settings):
    settings.DEMO = True
    out = StringIO()
    call_command("seed_demo", cases=30, stdout=out)
    output = out.getvalue()
    assert Case.objects.count() == 30
    assert "Created 30 cases" in output
    assert DEMO_PASSWORD in output
    assert all(username in output for username in DEMO_USERNAMES)
    out = StringIO()
    call_command("seed_demo", cases=30, stdout=out)
    assert "nothing was created" in out.getvalue() and Case.objects.count() == 30


def test_the_command_refuses_outside_demo_mode(db, settings):
    settings.DEMO = settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", cases=5, stdout=StringIO())
    assert not User.objects.exists()


def test_part_of_the_demo_referrals_carry_a_screening(db):
    from masarat.demo.seeding import seed_demo
    from masarat.screening.models import Assessment

    seed_demo(cases=40)
    screened = Assessment.objects.filter(case__isnull=False)
    assert screened.exists()
    for assessment in screened.select_related("case"):
        assert assessment.assessor_id == assessment.case.referred_by_id and assessment.completed_at
        assert assessment.level


def test_the_demo_reports_progress_on_the_example_action_plan(report, client):
    from masarat.access import policy
    from masarat.actionplan.models import Measure, ProgressUpdate

    inspector = User.objects.get(username="inspection.casablanca")
    measure = Measure.objects.get(code="ap-prev-labour-inspection")
    assert ProgressUpdate.objects.filter(measure=measure, by=inspector).count() == 2
    assert policy.can_view_action_plan(inspector) and policy.can_post_progress(inspector, measure)
    assert not policy.can_post_progress(inspector, Measure.objects.get(code="ap-pros-training"))
    client.force_login(inspector)
    assert '110 <span class="help">(30/06/2025)</span>' in client.get("/action-plan/?period=2025").content.decode()
