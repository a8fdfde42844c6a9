"""Notifications: written with the change they announce, sent by e-mail through an outbox.

``notify`` is called by the services of cases, referrals and pathways inside their transaction:
a change rolled back notifies nobody, a change committed is never forgotten. E-mails are rows of
:class:`OutgoingEmail`, sent by ``masarat worker`` with the same claiming as webhook deliveries:
each row is taken with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL) in its own transaction,
marked sent in that transaction, and stays pending if the worker dies. An e-mail carries a
``Message-ID`` made from its row id, so the rare copy sent again after a crash between the
server's acceptance and the commit is recognised as the same message by mail systems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case
from masarat.notifications import selectors
from masarat.notifications.models import EmailKind, EmailStatus, Kind, Notification, OutgoingEmail, Preference
from masarat.operations.outbox import drain, record_attempt

if TYPE_CHECKING:
    from masarat.pathways.models import CaseTransfer, ServiceReferral


def preference_of(user: User) -> Preference:
    """The user's preferences (defaults, unsaved, until they change them)."""
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user, language=settings.LANGUAGE_CODE)


def notify(kind: Kind, *, case: Case, by: User | None, referral: ServiceReferral | None = None,
           transfer: CaseTransfer | None = None, assignee: User | None = None,
           params: dict[str, object] | None = None, dedupe_key: str | None = None) -> list[Notification]:
    """Tell everyone the rules name for this event (see ``selectors.audience``). Call it inside the
    transaction of the change. With ``dedupe_key``, a user already told gets nothing more."""
    crowd = selectors.audience(kind, case=case, by=by, referral=referral, transfer=transfer, assignee=assignee)
    users = crowd.users
    if dedupe_key is not None:
        told = set(Notification.objects.filter(dedupe_key=dedupe_key, recipient__in=users)
                   .values_list("recipient_id", flat=True))
        users = [user for user in users if user.pk not in told]
    if not users:
        return []
    created = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, case=case, reference=case.reference, target=crowd.target,
                     object_id=crowd.object_id, params=params or {}, dedupe_key=dedupe_key or "")
        for user in users
    )
    _queue_notification_emails(created)
    return created


# --- E-mails ---------------------------------------------------------------------------------------

def absolute(path: str) -> str:
    return settings.MASARAT_SITE_URL.rstrip("/") + path


def _queue_notification_emails(notifications: list[Notification]) -> None:
    preferences = {row.user_id: row for row in Preference.objects.filter(
        user_id__in=[item.recipient_id for item in notifications], email_enabled=True)}
    now = timezone.now()
    rows = []
    for item in notifications:
        preference = preferences.get(item.recipient_id)
        if preference is None or not preference.wants_email(item.kind):
            continue
        with translation.override(preference.language):
            subject = _("Masarat: %(kind)s, %(reference)s") % {"kind": Kind(item.kind).label,
                                                               "reference": item.reference}
            body = "\n\n".join([
                selectors.describe(item),
                _("Open it in Masarat: %(link)s") % {"link": absolute(selectors.link(item))},
                _("You receive this e-mail because you asked for one for each notification (My account)."),
            ])
        rows.append(OutgoingEmail(recipient_id=item.recipient_id, kind=EmailKind.NOTIFICATION, notification=item,
                                  subject=subject[:200], body=body, next_attempt_at=now))
    OutgoingEmail.objects.bulk_create(rows)


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    error: str = ""


Send = Callable[[OutgoingEmail, str], SendOutcome]


def smtp_send(email: OutgoingEmail, address: str) -> SendOutcome:
    message = EmailMessage(subject=email.subject, body=email.body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[address], headers={"Message-ID": f"<{email.id}@masarat>"})
    try:
        message.send(fail_silently=False)
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
        return SendOutcome(False, str(error)[:300])
    return SendOutcome(True)


def send_next(*, send: Send = smtp_send, now: datetime | None = None) -> OutgoingEmail | None:
    """Claim one due e-mail, send it, record the outcome; ``None`` when nothing is due."""
    with transaction.atomic():
        moment = now or timezone.now()
        email = (OutgoingEmail.objects.select_for_update(skip_locked=True, of=("self",))
                 .filter(status=EmailStatus.PENDING, next_attempt_at__lte=moment)
                 .select_related("recipient").order_by("next_attempt_at", "created_at").first())
        if email is None:
            return None
        recipient = email.recipient
        if not recipient.is_active or not recipient.email:
            outcome = SendOutcome(False, "no active account with an e-mail address")
            email.attempts = settings.MASARAT_EMAIL_MAX_ATTEMPTS - 1
        else:
            outcome = send(email, recipient.email)
        record_attempt(email, ok=outcome.ok, error=outcome.error, max_attempts=settings.MASARAT_EMAIL_MAX_ATTEMPTS,
                       done=EmailStatus.SENT, dead=EmailStatus.DEAD, done_at="sent_at")
        return email


def send_due(*, limit: int = 100, send: Send = smtp_send) -> int:
    """Send what is due, up to ``limit`` e-mails; returns how many were attempted."""
    return drain(lambda: send_next(send=send), limit=limit)


@transaction.atomic
def emails_retry(*, emails: list[OutgoingEmail], by: User | None) -> int:
    """Send failed e-mails again (once the relay or the address is fixed): attempts from zero."""
    ids = [row.pk for row in emails if row.status == EmailStatus.DEAD]
    count = OutgoingEmail.objects.filter(pk__in=ids).update(
        status=EmailStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
    record_event(actor=by, action="email.retry", target_type="outgoing_email",
                 details={"emails": [str(pk) for pk in ids]})
    return count


# --- The inbox -------------------------------------------------------------------------------------

@transaction.atomic
def mark_read(*, user: User, ids: Iterable[int]) -> int:
    """Mark some of the user's own notifications read (another user's are simply not found)."""
    wanted = list(ids)
    count = Notification.objects.filter(recipient=user, pk__in=wanted, read_at__isnull=True) \
        .update(read_at=timezone.now())
    if count:
        record_event(actor=user, action="notification.read", target_type="notification",
                     details={"notifications": wanted})
    return count


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    record_event(actor=user, action="notification.read_all", target_type="notification", details={"count": count})
    return count


@transaction.atomic
def preference_update(*, user: User, email_enabled: bool, email_kinds: Iterable[str], digest_enabled: bool,
                      language: str) -> Preference:
    """Save the user's choices. ``email_kinds`` are the kinds they want by e-mail."""
    wanted = set(email_kinds)
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.email_enabled = email_enabled
    preference.email_muted_kinds = sorted(kind.value for kind in Kind if kind.value not in wanted)
    preference.digest_enabled = digest_enabled
    preference.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    preference.save()
    record_event(actor=user, action="notification.preferences", target_type="user", target_id=str(user.pk),
                 details={"email": email_enabled, "muted": preference.email_muted_kinds, "digest": digest_enabled})
    return preference


# --- Overdue deadlines -----------------------------------------------------------------------------

def overdue_notify(*, today: date | None = None, batch_size: int = 500) -> int:
    """One notification per overdue deadline of a case (its step and date): running it again, or
    every day while the case stays overdue, adds nothing; a new deadline that passes is told again."""
    today = today or timezone.localdate()
    cases = (Case.objects.filter(due_on__lt=today, waiting_since__isnull=False)
             .exclude(status__in=(Status.CLOSED, Status.ANONYMOUS_NOTIFICATION))
             .select_related("assigned_coordinator__agency", "assigned_case_manager__agency"))
    created, last_pk = 0, 0
    while True:
        batch = list(cases.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return created
        for case in batch:
            assert case.due_on is not None
            key = f"overdue:{case.pk}:{case.due_step}:{case.due_on.isoformat()}"
            try:
                with transaction.atomic():
                    created += len(notify(Kind.DEADLINE_OVERDUE, case=case, by=None, dedupe_key=key,
                                          params={"step": case.due_step, "due_on": case.due_on.isoformat()}))
            except IntegrityError:  # another run told the same user at the same moment
                continue
        last_pk = batch[-1].pk


HEARING_NOTICE_DAYS = 3


def hearings_notify(*, today: date | None = None) -> int:
    """One notification per hearing not yet held that comes within three days (again if its date moves)."""
    from masarat.proceedings.models import Hearing

    today = today or timezone.localdate()
    hearings = (Hearing.objects.filter(held=False, on__gte=today, on__lte=today + timedelta(days=HEARING_NOTICE_DAYS))
                .select_related("case__assigned_coordinator__agency", "case__assigned_case_manager__agency")
                .order_by("pk"))
    created = 0
    for hearing in hearings.iterator(chunk_size=500):
        try:
            with transaction.atomic():
                created += len(notify(Kind.HEARING_SOON, case=hearing.case, by=None,
                                      dedupe_key=f"hearing:{hearing.pk}:{hearing.on.isoformat()}",
                                      params={"on": hearing.on.isoformat()}))
        except IntegrityError:  # another run told the same user at the same moment
            continue
    return created


# --- The daily digest ------------------------------------------------------------------------------

DIGEST_ITEMS = 20


@dataclass
class Digest:
    unread: list[Notification] = field(default_factory=list)
    unread_total: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.unread_total and not any(count for _label, count in self.counts)


def digest_for(user: User, today: date) -> Digest:
    """What the user's digest says: unread notifications, and what is overdue or due today in their scope."""
    from masarat.access import policy
    from masarat.cases.selectors import CaseFilters, case_queue
    from masarat.pathways.selectors import OVERDUE, provider_inbox, referrals_in_scope

    unread = selectors.inbox(viewer=user, unread_only=True)
    digest = Digest(unread=list(unread[:DIGEST_ITEMS]), unread_total=unread.count())
    if policy.case_file_filter(user) is not None:
        queue = case_queue(viewer=user, filters=CaseFilters(), today=today)
        digest.counts += [
            (_("Cases overdue"), queue.filter(due_on__lt=today).count()),
            (_("Cases due today"), queue.filter(due_on=today).count()),
            (_("Service referrals overdue"), referrals_in_scope(viewer=user, flag=OVERDUE).count()),
        ]
    if policy.service_referral_filter(user) is not None:
        digest.counts.append((_("Service referrals to answer, overdue"), provider_inbox(viewer=user, flag=OVERDUE)
                              .count()))
    return digest


def _digest_text(user: User, digest: Digest, today: date) -> tuple[str, str]:
    from django.urls import reverse
    from django.utils import formats

    day = formats.date_format(today, "SHORT_DATE_FORMAT")
    subject = _("Masarat: your digest of %(date)s") % {"date": day}
    lines = [_("Your digest of %(date)s.") % {"date": day}, ""]
    for label, count in digest.counts:
        lines.append(f"{label}: {count}")
    lines += ["", _("Unread notifications: %(count)s") % {"count": digest.unread_total}]
    lines += [f"- {selectors.describe(item)} {absolute(selectors.link(item))}" for item in digest.unread]
    if digest.unread_total > len(digest.unread):
        lines.append(_("… and %(count)s more.") % {"count": digest.unread_total - len(digest.unread)})
    lines += ["", _("Your inbox: %(link)s") % {"link": absolute(reverse("inbox"))},
              _("You receive this digest because you asked for it (My account).")]
    return subject, "\n".join(lines)


def digest_build(*, today: date | None = None) -> int:
    """Queue today's digest for every user who wants one: at most one per user and day (a unique
    constraint), so running it again sends nothing twice. Returns how many were queued."""
    today = today or timezone.localdate()
    queued = 0
    wanting = (Preference.objects.filter(digest_enabled=True, user__is_active=True)
               .exclude(user__email="").select_related("user__agency").order_by("user_id"))
    for preference in wanting:
        user = preference.user
        if OutgoingEmail.objects.filter(recipient=user, kind=EmailKind.DIGEST, digest_day=today).exists():
            continue
        with translation.override(preference.language):
            digest = digest_for(user, today)
            if digest.empty:
                continue
            subject, body = _digest_text(user, digest, today)
        try:
            with transaction.atomic():
                OutgoingEmail.objects.create(recipient=user, kind=EmailKind.DIGEST, digest_day=today,
                                             subject=subject[:200], body=body, next_attempt_at=timezone.now())
        except IntegrityError:  # another run queued it meanwhile
            continue
        queued += 1
    return queued


def case_notifications_erase(cases: Iterable[Case]) -> None:
    """A person's data is erased: the notifications about their cases go too (e-mails with them)."""
    ids = [case.pk for case in cases]
    OutgoingEmail.objects.filter(Q(notification__case_id__in=ids)).delete()
    Notification.objects.filter(case_id__in=ids).delete()
