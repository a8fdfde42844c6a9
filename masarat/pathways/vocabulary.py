from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.consent.vocabulary import ConsentPurpose
from masarat.directory.vocabulary import ServiceKind


class NationalityScope(models.TextChoices):
    ANY = "any", _("National or foreign")
    NATIONAL = "national", _("Moroccan national")
    FOREIGN = "foreign", _("Foreign national")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by the pathway")
    SKIPPED = "skipped", _("Skipped")
    SENT = "sent", _("Sent, awaiting the provider's answer")
    ACCEPTED = "accepted", _("Accepted by the provider")
    DECLINED = "declined", _("Declined by the provider")
    EXPIRED = "expired", _("No answer in time")
    DELIVERED = "delivered", _("Service delivered")


# What a provider's users may open: the referrals sent to their agency, whatever became of them.
SHARED_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.EXPIRED,
                   ReferralStatus.DELIVERED)
# A proposal, or a refusal that the coordinator has to follow up with another provider.
AWAITING_SENDING = (ReferralStatus.PROPOSED, ReferralStatus.DECLINED, ReferralStatus.EXPIRED)


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Delivered in full")
    PARTLY = "partly", _("Partly delivered")
    ONGOING = "ongoing", _("Delivered, continuing")
    NOT_DELIVERED = "not_delivered", _("Could not be delivered")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the receiver")
    ACCEPTED = "accepted", _("Accepted: case management moved")
    DECLINED = "declined", _("Declined by the receiver")


# The consent a referral needs: contacting the consulate, tracing the family or organising a return
# share the person's data with their country of origin, each with its own consent.
CONSENT_PURPOSE_OF_KIND: dict[str, ConsentPurpose] = {
    ServiceKind.CONSULAR_ASSISTANCE: ConsentPurpose.CONSULAR_CONTACT,
    ServiceKind.FAMILY_TRACING: ConsentPurpose.FAMILY_TRACING,
    ServiceKind.VOLUNTARY_RETURN: ConsentPurpose.VOLUNTARY_RETURN,
}


def consent_purpose(kind: str) -> ConsentPurpose:
    return CONSENT_PURPOSE_OF_KIND.get(kind, ConsentPurpose.SERVICE_REFERRAL)
