from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.directory.models import Service, ServiceLanguage


class CapacityRefused(Exception):
    pass


@transaction.atomic
def service_capacity_update(*, service: Service, free: int, by: User) -> Service:
    """The provider's own user says how many places are free now (audited)."""
    policy.require(policy.can_edit_service(by, service))
    if free < 0:
        raise CapacityRefused(_("The number of free places cannot be negative."))
    if service.capacity_total is not None and free > service.capacity_total:
        raise CapacityRefused(_("More free places than places (%(total)s).") % {"total": service.capacity_total})
    previous = service.capacity_free
    service.capacity_free = free
    service.capacity_updated_at = timezone.now()
    service.capacity_updated_by = by
    service.save(update_fields=["capacity_free", "capacity_updated_at", "capacity_updated_by"])
    record_event(actor=by, action="directory.capacity", target_type="service", target_id=str(service.pk),
                 details={"from": previous, "to": free})
    return service


EDITABLE_FIELDS = ("name", "city", "opening_hours", "contact_phone", "contact_email", "audience", "min_age",
                   "max_age", "nationality_rule", "capacity_total")


@transaction.atomic
def service_update(*, service: Service, data: dict[str, Any], by: User) -> Service:
    """The provider's own user updates its entry; the audit trail names the fields changed."""
    policy.require(policy.can_edit_service(by, service))
    changed = [name for name in EDITABLE_FIELDS if name in data and getattr(service, name) != data[name]]
    for name in changed:
        setattr(service, name, data[name])
    total = service.capacity_total
    if total is not None and service.capacity_free is not None and service.capacity_free > total:
        service.capacity_free = total
    service.save()
    languages = data.get("languages")
    if languages is not None and sorted(languages) != sorted(service.language_codes):
        service.languages.all().delete()
        ServiceLanguage.objects.bulk_create([ServiceLanguage(service=service, language=code) for code in languages])
        changed.append("languages")
    record_event(actor=by, action="directory.update", target_type="service", target_id=str(service.pk),
                 details={"fields": sorted(changed)})
    return service
