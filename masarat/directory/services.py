from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.directory.models import Service


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
