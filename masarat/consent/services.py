"""Consent per case and purpose, checked by :func:`require_consent` before anything is shared."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case
from masarat.consent.models import ConsentOverride, ConsentRecord
from masarat.consent.vocabulary import CHILD_GIVERS, ConsentGiver, ConsentPurpose

MINIMUM_OVERRIDE_REASON = 20


class ConsentMissing(Exception):
    """Nothing may be shared for this purpose: no consent in force, and no override."""

    def __init__(self, case: Case, purpose: str) -> None:
        self.case, self.purpose = case, purpose
        super().__init__(_("No consent in force for “%(purpose)s”: nothing was shared.")
                         % {"purpose": ConsentPurpose(purpose).label})


class ConsentRefused(Exception):
    """A consent record or override that the rules do not allow."""


def consent_in_force(case: Case, purpose: str) -> ConsentRecord | None:
    return ConsentRecord.objects.filter(case=case, purpose=purpose, withdrawn_at__isnull=True).first()


def _audit(by: User, action: str, case: Case, details: dict[str, object]) -> None:
    record_event(actor=by, action=f"consent.{action}", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference, details=details)


@transaction.atomic
def consent_record(*, case: Case, purpose: str, given_by: str, giver_name: str = "", note: str = "",
                   by: User) -> ConsentRecord:
    """Record consent. For a child, only the guardian or a best-interests decision can give it."""
    policy.require(policy.can_manage_pathway(by, case))
    purpose, given_by = ConsentPurpose(purpose), ConsentGiver(given_by)
    if case.is_child and given_by not in CHILD_GIVERS:
        raise ConsentRefused(_("For a child, consent is given by the guardian or by a best-interests decision."))
    if not case.is_child and given_by != ConsentGiver.PERSON:
        raise ConsentRefused(_("An adult gives consent themselves."))
    if given_by in CHILD_GIVERS and not giver_name.strip():
        raise ConsentRefused(_("Name the guardian or the best-interests decision."))
    if consent_in_force(case, purpose) is not None:
        raise ConsentRefused(_("Consent for this purpose is already in force."))
    record = ConsentRecord.objects.create(case=case, purpose=purpose, given_by=given_by,
                                          giver_name=giver_name.strip(), note=note.strip(), recorded_by=by)
    _audit(by, "record", case, {"purpose": purpose, "given_by": given_by, "consent": record.pk})
    return record


@transaction.atomic
def consent_withdraw(*, record: ConsentRecord, reason: str, by: User) -> ConsentRecord:
    """Withdraw consent: from this moment nothing more is shared for its purpose."""
    policy.require(policy.can_manage_pathway(by, record.case))
    if not reason.strip():
        raise ConsentRefused(_("Say how the withdrawal was expressed."))
    rows = ConsentRecord.objects.filter(pk=record.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_reason=reason.strip())
    if rows != 1:
        raise ConsentRefused(_("This consent was already withdrawn."))
    record.refresh_from_db()
    _audit(by, "withdraw", record.case, {"purpose": record.purpose, "consent": record.pk})
    return record


def require_consent(case: Case, purpose: str, *, by: User, override_reason: str = "") -> ConsentOverride | None:
    """Call before sharing anything of ``case`` for ``purpose``; raise :class:`ConsentMissing` if not allowed.

    With consent in force, returns ``None``. Without it, only a user holding the dedicated permission
    may share, with a written reason: the override is recorded, audited and returned. Must run inside
    the transaction of the sharing, so that a refused sharing leaves nothing behind.
    """
    if consent_in_force(case, purpose) is not None:
        return None
    reason = " ".join(override_reason.split())
    if not reason:
        raise ConsentMissing(case, purpose)
    policy.require(policy.can_override_consent(by, case))
    if len(reason) < MINIMUM_OVERRIDE_REASON:
        raise ConsentRefused(_("Explain in a full sentence why sharing cannot wait for consent (%(count)s "
                               "characters at least).") % {"count": MINIMUM_OVERRIDE_REASON})
    override = ConsentOverride.objects.create(case=case, purpose=purpose, reason=reason, by=by)
    _audit(by, "override", case, {"purpose": purpose, "reason": reason, "override": override.pk, "flagged": True})
    return override
