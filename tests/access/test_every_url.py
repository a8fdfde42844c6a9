"""Every URL of Masarat, for every role: what each one gets. A new URL without a rule here fails the suite.

Refused access to an object is 404 (it looks like it does not exist); a page the role does not use is
404 too; an action refused on an object the user can see is 403; POST-only endpoints answer 405 to GET.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from masarat.cases import services
from masarat.consent.services import consent_record
from masarat.consent.vocabulary import ConsentPurpose
from masarat.documents.services import document_attach
from masarat.imports.services import job_start
from masarat.notifications.models import Kind, Notification
from masarat.pathways.services import pathway_add_service, referral_send, transfer_request
from masarat.referrals.models import ReferralDraft
from masarat.screening.models import Assessment, IndicatorSet
from masarat.screening.services import assessment_start, indicator_set_import
from masarat.transnational.keys import encode
from masarat.transnational.models import IncomingPackage, Partner
from tests.factories import make_service
from tests.screening.factories import small_set

ROLES = ["anonymous", "alice", "alice_colleague", "charlie", "bob", "dana", "nadia", "case_manager",
         "service_provider", "prosecutor", "analyst", "auditor", "administrator"]
LOGGED_IN = set(ROLES) - {"anonymous"}
FILE = {"bob", "nadia"}
FOLLOWS_REFERRAL = {"alice", "alice_colleague", "bob", "nadia"}
REFERS = {"alice", "alice_colleague", "charlie", "bob", "dana", "nadia"}
SCREENS = REFERS | {"case_manager"}
QUEUE = {"bob", "dana", "nadia", "case_manager"}
STATUS_LISTS = REFERS | {"case_manager"}
DIRECTORY = REFERS | {"case_manager", "service_provider"}
AGGREGATES = {"bob", "dana", "nadia", "analyst"}  # coordinators and analysts (the action plan: no agency is responsible
# for a measure in this world)


@dataclass(frozen=True)
class World:
    reference: str
    decision_id: int
    draft_id: int
    assessment_id: int
    service_id: int = 0
    referral_id: int = 0
    consent_id: int = 0
    transfer_id: int = 0
    document_id: int = 0
    incoming_id: str = ""
    import_id: int = 0
    notification_id: int = 0


@dataclass(frozen=True)
class Rule:
    args: Callable[[World], list[Any]]
    expected: Callable[[str], int]
    api: bool = False


def allowed(roles: set[str], yes: int = 200, no: int = 404, anonymous: int = 302) -> Callable[[str], int]:
    return lambda role: anonymous if role == "anonymous" else (yes if role in roles else no)


def everyone(status: int, anonymous: int = 302) -> Callable[[str], int]:
    return lambda role: anonymous if role == "anonymous" else status


def _edit_service(role: str) -> int:
    if role == "anonymous":
        return 302
    return 200 if role == "service_provider" else 403 if role in DIRECTORY else 404


NONE: Callable[[World], list[Any]] = lambda world: []  # noqa: E731
CASE: Callable[[World], list[Any]] = lambda world: [world.reference]  # noqa: E731

RULES: dict[str, Rule] = {
    "home": Rule(NONE, everyone(302)),
    "overview": Rule(NONE, allowed({"bob", "dana", "nadia", "analyst"}, no=403)),
    "statistics-download": Rule(lambda world: ["region", "csv"], allowed({"bob", "dana", "nadia", "analyst"}, no=403)),
    "account": Rule(NONE, everyone(200)),
    "login": Rule(NONE, everyone(302, anonymous=200)),
    "logout": Rule(NONE, everyone(405, anonymous=405)),
    # Two-step sign-in is optional here (MASARAT_DEMO): without an app, verification sends to its setup.
    "mfa-setup": Rule(NONE, everyone(200)),
    "mfa-verify": Rule(NONE, everyone(302)),
    "mfa-recovery-codes": Rule(NONE, everyone(405)),
    "sign-out-everywhere": Rule(NONE, everyone(405)),
    "set_language": Rule(NONE, everyone(302, anonymous=302)),
    "referral-list": Rule(NONE, allowed(STATUS_LISTS)),
    "referral-new": Rule(NONE, allowed(REFERS)),
    "referral-draft": Rule(lambda world: [world.draft_id], allowed({"alice"})),
    "referral-draft-delete": Rule(lambda world: [world.draft_id], everyone(405)),
    "referral-status": Rule(CASE, allowed(FOLLOWS_REFERRAL)),
    "queue": Rule(NONE, allowed(QUEUE)),
    "case": Rule(CASE, allowed(FILE)),
    "case-acknowledge": Rule(CASE, everyone(405)),
    "case-decision": Rule(CASE, allowed(FILE)),
    "case-review": Rule(lambda world: [world.reference, world.decision_id], allowed(FILE)),
    # Under review, a reconsideration is not possible even for those who see the file.
    "case-reconsideration": Rule(CASE, allowed(FILE, yes=403)),
    "case-close": Rule(CASE, allowed(FILE)),  # shown; the lifecycle refuses the closure itself (409)
    "case-reopen": Rule(CASE, allowed(FILE)),
    "case-assign": Rule(CASE, everyone(405)),
    "case-assign-coordinator": Rule(CASE, everyone(405)),
    "case-record": Rule(lambda world: [world.reference, "plan"], allowed(FILE)),
    "hearings": Rule(NONE, allowed(QUEUE | {"prosecutor"})),
    "case-proceedings": Rule(CASE, allowed(FILE | {"prosecutor"})),
    "case-document-upload": Rule(CASE, allowed(FILE)),
    "case-document": Rule(lambda world: [world.reference, world.document_id], allowed(FILE)),
    "screening-home": Rule(NONE, allowed(SCREENS)),
    "screening-element": Rule(lambda world: [world.assessment_id, 1], allowed({"alice"})),
    "screening-result": Rule(lambda world: [world.assessment_id], allowed({"alice"})),
    "audit-log": Rule(NONE, allowed({"auditor"})),
    "audit-emergency-accesses": Rule(NONE, allowed({"auditor"})),
    "case-rights": Rule(CASE, allowed({"nadia"})),
    "case-rights-export": Rule(CASE, allowed({"nadia"})),
    "case-legal-hold": Rule(CASE, everyone(405)),
    "case-legal-hold-lift": Rule(lambda world: [world.reference, 1], everyone(405)),
    "case-erase": Rule(CASE, allowed({"nadia"})),
    # Correcting the identity: the coordinators who hold the file in their scope (bob's region, nadia's
    # country); the case manager is not assigned to this case.
    "case-rectification": Rule(CASE, allowed(FILE)),
    "case-rectification-restore": Rule(lambda world: [world.reference, 1], everyone(405)),
    "case-duplicate-check": Rule(CASE, everyone(405)),
    "case-duplicate-link": Rule(lambda world: [world.reference, 1], everyone(405)),
    "case-duplicate-not-same": Rule(lambda world: [world.reference, 1], everyone(405)),
    "case-duplicate-unlink": Rule(lambda world: [world.reference, 1], everyone(405)),
    "case-htcds": Rule(CASE, allowed(FILE)),
    "case-package-new": Rule(CASE, allowed(FILE)),
    "package-receive": Rule(NONE, allowed({"bob", "dana", "nadia"})),
    "package-received": Rule(lambda world: [world.incoming_id], allowed(FILE)),
    "package-acknowledgement": Rule(lambda world: [world.incoming_id], allowed(FILE)),
    "package-acknowledgement-upload": Rule(NONE, allowed({"bob", "dana", "nadia", "case_manager"})),
    "health-live": Rule(NONE, everyone(200, anonymous=200)),
    "health-ready": Rule(NONE, everyone(200, anonymous=200)),
    "metrics": Rule(NONE, everyone(404, anonymous=404)),  # exists only with MASARAT_METRICS_TOKEN, for a scraper
    "audit-access-person": Rule(CASE, allowed({"auditor"})),
    "audit-access-user": Rule(lambda world: ["bob"], allowed({"auditor"})),
    "case-emergency-access": Rule(NONE, allowed({"bob", "dana"})),
    "directory": Rule(NONE, allowed(DIRECTORY)),
    "directory-service": Rule(lambda world: [world.service_id], allowed(DIRECTORY)),
    # The provider's own user edits its entry; other directory users may see it, not edit it.
    "directory-service-edit": Rule(lambda world: [world.service_id],
                                   _edit_service),
    "case-consent": Rule(CASE, allowed(FILE)),
    "case-consent-withdraw": Rule(lambda world: [world.reference, world.consent_id], allowed(FILE)),
    "case-service-add": Rule(CASE, everyone(405)),
    "case-service-send": Rule(lambda world: [world.reference, world.referral_id], allowed(FILE)),
    "case-service-skip": Rule(lambda world: [world.reference, world.referral_id], allowed(FILE)),
    # The referral awaits the provider's answer: nothing to deliver yet.
    "case-service-delivery": Rule(lambda world: [world.reference, world.referral_id], allowed(FILE, yes=403)),
    "case-transfer": Rule(CASE, allowed(FILE)),
    "service-referrals": Rule(NONE, allowed(QUEUE)),
    "provider-inbox": Rule(NONE, allowed({"service_provider"})),
    "provider-referral": Rule(lambda world: [world.referral_id], allowed({"service_provider"})),
    "provider-referral-accept": Rule(lambda world: [world.referral_id], everyone(405)),
    "provider-referral-decline": Rule(lambda world: [world.referral_id], allowed({"service_provider"})),
    "provider-referral-delivery": Rule(lambda world: [world.referral_id], allowed({"service_provider"}, yes=403)),
    "transfers": Rule(NONE, allowed({"case_manager"})),
    "transfer-respond": Rule(lambda world: [world.transfer_id], allowed({"case_manager"})),
    # Each user's own notifications: the provider's one (a referral received) is theirs alone.
    "inbox": Rule(NONE, everyone(200)),
    "inbox-read": Rule(NONE, everyone(405)),
    "inbox-read-all": Rule(NONE, everyone(405)),
    "inbox-open": Rule(lambda world: [world.notification_id], allowed({"service_provider"}, yes=302)),
    "notification-preferences": Rule(NONE, everyone(200)),
    "api-notification-list": Rule(NONE, everyone(200, anonymous=401), api=True),
    "api-notification-read": Rule(NONE, everyone(405, anonymous=401), api=True),
    "api-service-list": Rule(NONE, allowed(DIRECTORY, anonymous=401), api=True),
    "api-service-capacity": Rule(lambda world: [world.service_id], everyone(405, anonymous=401), api=True),
    "api-service-referral-list": Rule(NONE, everyone(200, anonymous=401), api=True),
    "api-service-referral-detail": Rule(lambda world: [world.referral_id],
                                        allowed({"service_provider"}, anonymous=401), api=True),
    "api-service-referral-accept": Rule(lambda world: [world.referral_id], everyone(405, anonymous=401), api=True),
    "api-service-referral-decline": Rule(lambda world: [world.referral_id], everyone(405, anonymous=401), api=True),
    "api-service-referral-delivery": Rule(lambda world: [world.referral_id], everyone(405, anonymous=401),
                                          api=True),
    # Imports: coordinators; a job only by the coordinator who started it (Bob's, waiting for its mapping).
    "imports": Rule(NONE, allowed({"bob", "dana", "nadia"})),
    "import": Rule(lambda world: [world.import_id], allowed({"bob"}, yes=302)),  # sent on to its mapping
    "import-mapping": Rule(lambda world: [world.import_id], allowed({"bob"})),
    "import-commit": Rule(lambda world: [world.import_id], everyone(405)),
    "import-rollback": Rule(lambda world: [world.import_id], everyone(405)),
    "import-resume": Rule(lambda world: [world.import_id], everyone(405)),
    "import-progress": Rule(lambda world: [world.import_id], allowed({"bob"})),
    "import-report": Rule(lambda world: [world.import_id], allowed({"bob"}, yes=302)),  # not checked yet
    "api-schema": Rule(NONE, everyone(200, anonymous=200), api=True),
    "api-docs": Rule(NONE, everyone(200, anonymous=200)),
    "api-referral-list": Rule(NONE, everyone(200, anonymous=401), api=True),
    "api-referral-detail": Rule(CASE, allowed(FOLLOWS_REFERRAL, anonymous=401), api=True),
    "api-case-list": Rule(NONE, everyone(200, anonymous=401), api=True),
    "api-case-detail": Rule(CASE, allowed(FILE, anonymous=401), api=True),
    "api-case-decisions": Rule(CASE, everyone(405, anonymous=401), api=True),
    # Possible duplicates: coordinators who see the file; a case manager who sees it is refused (403).
    "api-case-duplicates": Rule(CASE, allowed(FILE, anonymous=401), api=True),
    "api-case-duplicate-check": Rule(CASE, everyone(405, anonymous=401), api=True),
    "api-case-duplicate-link": Rule(CASE, everyone(405, anonymous=401), api=True),
    "api-case-duplicate-not-same": Rule(CASE, everyone(405, anonymous=401), api=True),
    "api-case-duplicate-unlink": Rule(lambda world: [world.reference, 1], everyone(405, anonymous=401), api=True),

    "api-case-htcds": Rule(CASE, allowed(FILE, anonymous=401), api=True),
    "api-htcds-import": Rule(NONE, everyone(405, anonymous=401), api=True),
    "api-case-records": Rule(lambda world: [world.reference, "plan"], allowed(FILE, anonymous=401), api=True),
    "api-case-documents": Rule(CASE, allowed(FILE, anonymous=401), api=True),
    "api-case-document": Rule(lambda world: [world.reference, world.document_id], allowed(FILE, anonymous=401),
                              api=True),
    "statistics-annual-report": Rule(NONE, allowed({"bob", "dana", "nadia", "analyst"}, no=403)),
    "action-plan": Rule(NONE, allowed(AGGREGATES)),
    "action-plan-print": Rule(NONE, allowed(AGGREGATES)),
    "action-plan-download": Rule(lambda world: ["csv"], allowed(AGGREGATES)),
    "action-plan-measure": Rule(lambda world: ["ap-prot-nrm"], allowed(AGGREGATES)),
    "api-offender-statistics": Rule(NONE, allowed({"bob", "dana", "nadia", "analyst", "prosecutor"}, no=403,
                                                  anonymous=401), api=True),
    "api-decision-review": Rule(lambda world: [world.reference, world.decision_id],
                                everyone(405, anonymous=401), api=True),
}


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the administration site: see test_administration and the access matrix
            names |= url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_has_an_access_rule():
    missing = url_names() - set(RULES)
    assert not missing, f"URLs without an access rule in {__name__}: {sorted(missing)}"


@pytest.fixture
def world(alice, bob, bob_colleague, alice_case, service_provider, case_manager) -> World:
    decision = services.decision_record(case=alice_case, stage="preliminary", outcome="negative",
                                        reasons="No indicator.", by=bob_colleague, expected_version=None)
    draft = ReferralDraft.objects.create(author=alice, data={"given_name_latin": ["Amina"]})
    IndicatorSet.objects.update(is_active=False)
    indicator_set, _created = indicator_set_import(raw=small_set())
    assessment: Assessment = assessment_start(indicator_set=indicator_set, by=alice)
    service = make_service(provider=service_provider.agency)
    consent = consent_record(case=alice_case, purpose=ConsentPurpose.SERVICE_REFERRAL, given_by="person", by=bob)
    consent_record(case=alice_case, purpose=ConsentPurpose.CASE_TRANSFER, given_by="person", by=bob)
    referral = pathway_add_service(case=alice_case, kind=service.kind, by=bob)
    referral = referral_send(referral=referral, service=service, by=bob)
    transfer = transfer_request(case=alice_case, to_user=case_manager, reason="Moves to Rabat.", by=bob)
    document = document_attach(case=alice_case, kind="court_papers", by=bob, expected_version=None,
                               upload=SimpleUploadedFile("summons.pdf", b"%PDF-1.7 summons"))
    # A package received from abroad, recorded as Alice's case (by Bob, who holds the file).
    partner = Partner.objects.create(name="Partner abroad", country="ES", encryption_key=encode(bytes(32)),
                                     signing_key=encode(bytes(range(32))))
    incoming = IncomingPackage.objects.create(id=uuid.uuid4(), partner=partner, case=alice_case, received_by=bob,
                                              received_at=timezone.now(), sent_at=timezone.now(), acknowledgement="{}")
    job = job_start(filename="cases.csv", data=b"Nom;Prenom\nDiallo;Aminata\n", by=bob)
    notification = Notification.objects.get(recipient=service_provider, kind=Kind.SERVICE_REFERRAL_RECEIVED)
    return World(alice_case.reference, decision.pk, draft.pk, assessment.pk, service_id=service.pk,
                 referral_id=referral.pk, consent_id=consent.pk, transfer_id=transfer.pk, document_id=document.pk,
                 incoming_id=str(incoming.pk), import_id=job.pk, notification_id=notification.pk)


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_gets_from_each_url(request, client, world, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    api = APIClient()
    if user is not None:
        client.force_login(user)
        api.force_authenticate(user)
    wrong = []
    for name, rule in RULES.items():
        url = reverse(name, args=rule.args(world))
        response = (api if rule.api else client).get(url)
        if response.status_code != rule.expected(role):
            wrong.append(f"{name}: {response.status_code}, expected {rule.expected(role)}")
    assert not wrong, f"{role}: " + "; ".join(wrong)
