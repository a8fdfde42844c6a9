from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from masarat.directory.models import Service


@dataclass(frozen=True)
class ServiceFilters:
    kind: str = ""
    region: str = ""
    city: str = ""
    language: str = ""
    age: int | None = None
    with_free_places: bool = False
    search: str = ""


def service_search(filters: ServiceFilters) -> QuerySet[Service]:
    """Active services of active providers, filtered; nothing in here is about a person."""
    services = (Service.objects.filter(is_active=True, provider__is_active=True)
                .select_related("provider").prefetch_related("languages"))
    if filters.kind:
        services = services.filter(kind=filters.kind)
    if filters.region:
        services = services.filter(region=filters.region)
    if filters.city:
        services = services.filter(city__icontains=filters.city.strip())
    if filters.language:
        services = services.filter(languages__language=filters.language)
    if filters.age is not None:
        services = services.filter(Q(min_age__isnull=True) | Q(min_age__lte=filters.age),
                                   Q(max_age__isnull=True) | Q(max_age__gte=filters.age))
    if filters.with_free_places:
        services = services.filter(Q(capacity_free__isnull=True) | Q(capacity_free__gt=0))
    if filters.search:
        services = services.filter(Q(name__icontains=filters.search) | Q(provider__name__icontains=filters.search))
    return services.order_by("region", "kind", "name").distinct()
