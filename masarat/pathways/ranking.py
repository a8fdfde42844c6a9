"""Which providers to suggest for a service, best first, each with the reasons of its rank.

Order: eligible only (sex, age, nationality, form of exploitation); then a free place (or a service
whose places are not counted) before a full one; then the case's region first; then a language the
person speaks; then the most free places.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from masarat.cases.models import Case
from masarat.directory.eligibility import Profile, refusals
from masarat.directory.models import Service
from masarat.people.vocabulary import Language


@dataclass(frozen=True)
class Suggestion:
    service: Service
    reasons: list[str]
    has_place: bool
    same_region: bool
    common_language: bool

    @property
    def sort_key(self) -> tuple[bool, bool, bool, int]:
        free = self.service.capacity_free if self.service.capacity_free is not None else 0
        return (not self.has_place, not self.same_region, not self.common_language, -free)


def profile_of(case: Case) -> Profile:
    languages: tuple[str, ...] = ()
    if case.person_id is not None:
        languages = tuple(item.language for item in case.person.languages.all())  # type: ignore[union-attr]
    return Profile(
        sex=case.sex, age=case.age_at_referral, is_child=case.is_child, nationality=str(case.nationality or ""),
        region=case.region, exploitation_forms=frozenset(item.form for item in case.exploitation_forms.all()),
        languages=languages,
    )


def _place_reason(service: Service) -> tuple[bool, str]:
    if service.capacity_free is None:
        return True, _("places not counted")
    updated = ""
    if service.capacity_updated_at:
        updated = formats.date_format(timezone.localtime(service.capacity_updated_at), "SHORT_DATETIME_FORMAT")
    if service.capacity_free == 0:
        return False, (_("no free place (updated %(when)s)") % {"when": updated}) if updated else _("no free place")
    text = ngettext("%(count)s free place", "%(count)s free places", service.capacity_free) % {
        "count": service.capacity_free}
    return True, f"{text} ({_('updated %(when)s') % {'when': updated}})" if updated else text


def rank(services: Iterable[Service], profile: Profile) -> list[Suggestion]:
    labels = dict(Language.choices)
    suggestions = []
    for service in services:
        if refusals(service, profile):
            continue
        reasons = [_("takes this person (sex, age, nationality, form of exploitation)")]
        has_place, place_reason = _place_reason(service)
        reasons.append(place_reason)
        same_region = service.region == profile.region
        reasons.append(_("same region") if same_region else _("in another region: %(region)s")
                       % {"region": service.get_region_display()})
        common = [code for code in service.language_codes if code in profile.languages]
        if common:
            reasons.append(_("speaks %(languages)s") % {"languages": ", ".join(str(labels[c]) for c in common)})
        elif profile.languages:
            reasons.append(_("no language in common with the person"))
        suggestions.append(Suggestion(service, reasons, has_place, same_region, bool(common)))
    return sorted(suggestions, key=lambda suggestion: (*suggestion.sort_key, suggestion.service.name))


def suggest(case: Case, kind: str, *, exclude_providers: Iterable[int] = ()) -> list[Suggestion]:
    """Eligible services of ``kind`` for ``case``, best first (providers in ``exclude_providers`` left out)."""
    services = (Service.objects.filter(kind=kind, is_active=True, provider__is_active=True)
                .exclude(provider_id__in=list(exclude_providers))
                .select_related("provider").prefetch_related("languages"))
    return rank(services, profile_of(case))
