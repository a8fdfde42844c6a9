"""Reads of the transnational app: where packages may go, and a case's packages."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from masarat.access import policy
from masarat.accounts.models import User
from masarat.cases.models import Case
from masarat.transnational.models import IncomingPackage, OutgoingPackage, Partner


def allowed_countries() -> frozenset[str]:
    """Destinations allowed by the data-protection list (Law 09-08, art. 43): MASARAT_TRANSFER_COUNTRIES."""
    return frozenset(code.strip().upper() for code in settings.MASARAT_TRANSFER_COUNTRIES if code.strip())


def destination_allowed(partner: Partner) -> bool:
    return partner.is_active and str(partner.country.code) in allowed_countries()


def destination_partners() -> QuerySet[Partner]:
    """The partners a package may be sent to: active, in an allowed country."""
    return Partner.objects.filter(is_active=True, country__in=sorted(allowed_countries())).order_by("name")


def outgoing_of(case: Case) -> list[OutgoingPackage]:
    return list(case.outgoing_packages.select_related("partner", "created_by").order_by("-created_at"))


def incoming_of(case: Case) -> list[IncomingPackage]:
    return list(case.incoming_packages.select_related("partner").order_by("-received_at"))


def case_page_context(*, case: Case, viewer: User) -> dict[str, object]:
    """The case page's section: packages sent abroad and received, for those who manage the case."""
    if not policy.can_manage_pathway(viewer, case):
        return {}
    return {
        "transnational_section": True,
        "packages_sent": outgoing_of(case),
        "packages_received": incoming_of(case),
        "can_send_abroad": policy.can_send_case_abroad(viewer, case),
    }
