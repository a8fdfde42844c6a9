from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    SERVICE_REFERRAL = "service_referral", _("Sharing with a service provider")
    CASE_TRANSFER = "case_transfer", _("Transfer of case management to another agency")
    CONSULAR_CONTACT = "consular_contact", _("Contact with the consulate of the person's country")
    TRANSFER_ABROAD = "transfer_abroad", _("Transfer of data abroad")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    VOLUNTARY_RETURN = "voluntary_return", _("Voluntary return and reintegration")


class ConsentGiver(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("The child's guardian")
    BEST_INTERESTS = "best_interests", _("A best-interests decision")


CHILD_GIVERS = frozenset({ConsentGiver.GUARDIAN, ConsentGiver.BEST_INTERESTS})
