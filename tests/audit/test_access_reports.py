"""Access reports for the data protection officer: per person (who read this record, when, why), per user."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from masarat.cases import services
from masarat.cases.selectors import case_file
from tests.factories import make_case

REASON = "=HYPERLINK(\"http://example.org\") the person is at the Rabat shelter tonight"


@pytest.fixture
def tanger_case(charlie):
    return make_case(by=charlie, region="MA-01")


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_person_report_says_who_read_the_record_and_on_what_ground(client, auditor, bob, nadia, alice_case):
    case_file(viewer=bob, reference=alice_case.reference)
    case_file(viewer=nadia, reference=alice_case.reference)
    client.force_login(nadia)
    client.get(reverse("queue"))  # the case appears on nadia's queue page
    client.force_login(auditor)
    page = client.get(reverse("audit-access-person", args=[alice_case.reference]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "regional scope" in text and "national scope" in text
    assert text.count("case.read") == 2 and "case.list" in text
    assert alice_case.person.display_name not in text  # the auditor sees references, never names


def test_an_emergency_access_shows_its_written_reason_and_exports_safely(client, auditor, bob, tanger_case):
    services.case_break_glass(user=bob, reference=tanger_case.reference, reason=REASON)
    case_file(viewer=bob, reference=tanger_case.reference)
    client.force_login(auditor)
    page = client.get(reverse("audit-access-person", args=[tanger_case.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert "emergency access" in page.content.decode()
    rows = read_csv(client.get(reverse("audit-access-person", args=[tanger_case.reference]) + "?format=csv",
                               HTTP_ACCEPT_LANGUAGE="en"))
    read = next(row for row in rows if row[3] == "case.read")
    assert read[1] == "bob" and read[5] == "emergency access"
    assert read[6] == "'" + REASON  # a formula never reaches a spreadsheet as a formula


def test_the_user_report_lists_each_case_read_with_counts(client, auditor, bob, alice_case):
    other = make_case(by=alice_case.referred_by)
    for _ in range(3):
        case_file(viewer=bob, reference=alice_case.reference)
    case_file(viewer=bob, reference=other.reference)
    client.force_login(auditor)
    rows = read_csv(client.get(reverse("audit-access-user", args=["bob"]) + "?format=csv"))
    counts = {row[0]: row[1] for row in rows[1:]}
    assert counts == {alice_case.reference: "3", other.reference: "1"}
    page = client.get(reverse("audit-access-user", args=["BOB"]))
    assert page.status_code == 200 and alice_case.reference in page.content.decode()


def test_reports_are_audited_and_reserved_to_auditors(client, auditor, bob, alice_case):
    from masarat.audit.models import AuditEvent

    client.force_login(bob)
    assert client.get(reverse("audit-access-person", args=[alice_case.reference])).status_code == 404
    assert client.get(reverse("audit-access-user", args=["bob"])).status_code == 404
    client.force_login(auditor)
    assert client.get(reverse("audit-access-person", args=["MNR-1999-000001"])).status_code == 404
    assert client.get(reverse("audit-access-user", args=["nobody"])).status_code == 404
    client.get(reverse("audit-access-user", args=["bob"]))
    assert AuditEvent.objects.filter(actor=auditor, action="audit.access_report", target_type="user").exists()
