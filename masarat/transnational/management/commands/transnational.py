"""``masarat transnational keys generate | identity | receive FILE --user USERNAME | acknowledge FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from masarat.accounts.models import User
from masarat.transnational.keys import IdentityMissing, encode, generate_pair, grouped, identity
from masarat.transnational.services import PackageRefused, acknowledgement_receive, package_receive


class Command(BaseCommand):
    help = "Transnational referrals: this instance's keys, receiving packages, recording acknowledgements."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        keys = actions.add_parser("keys", help="Keys of this instance.")
        keys.add_subparsers(dest="keys_action", required=True).add_parser(
            "generate", help="Print a new pair of private keys (encryption and signature).")
        actions.add_parser("identity", help="Print this instance's public keys and fingerprint, for partners.")
        receive = actions.add_parser("receive", help="Verify, decrypt and import a package from a partner.")
        receive.add_argument("file", type=Path)
        receive.add_argument("--user", required=True, help="The coordinator who records the referral.")
        receive.add_argument("--acknowledgement", type=Path,
                             help="Where to write the signed acknowledgement (default: next to the package).")
        acknowledge = actions.add_parser("acknowledge", help="Record a partner's acknowledgement of a package.")
        acknowledge.add_argument("file", type=Path)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "keys":
            encryption, signing = generate_pair()
            self.stdout.write(f"MASARAT_TRANSNATIONAL_ENCRYPTION_KEY={encryption}")
            self.stdout.write(f"MASARAT_TRANSNATIONAL_SIGNING_KEY={signing}")
            self.stderr.write("Keep these private keys outside the database and its backups; "
                              "give partners only the output of 'masarat transnational identity'.")
        elif action == "identity":
            self._identity()
        elif action == "receive":
            self._receive(options["file"], options["user"], options.get("acknowledgement"))
        else:
            self._acknowledge(options["file"])

    def _identity(self) -> None:
        try:
            own = identity()
        except IdentityMissing as error:
            raise CommandError(str(error)) from None
        public = own.public
        self.stdout.write(f"Public encryption key (X25519): {encode(public.encryption_key)}")
        self.stdout.write(f"Public signing key (Ed25519):   {encode(public.signing_key)}")
        self.stdout.write(f"Fingerprint: {grouped(own.fingerprint)}")
        if not settings.MASARAT_TRANSNATIONAL_ENCRYPTION_KEY:
            self.stderr.write("These are the demo keys: they are public, for fictitious data only.")

    @staticmethod
    def _read(file: Path) -> bytes:
        try:
            return file.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error

    def _receive(self, file: Path, username: str, acknowledgement: Path | None) -> None:
        user = User.objects.filter(username=username).select_related("agency").first()
        if user is None:
            raise CommandError(_("No account %(username)s.") % {"username": username})
        raw = self._read(file)
        try:
            incoming = package_receive(raw=raw, by=user)
        except PackageRefused as refusal:
            raise CommandError(_("The package was refused, nothing was recorded: %(reason)s")
                               % {"reason": refusal.message}) from None
        target = acknowledgement or file.with_name(f"masarat-acknowledgement-{str(incoming.pk)[:8]}.json")
        target.write_bytes(incoming.acknowledgement.encode("ascii"))
        self.stdout.write(_("Recorded as %(reference)s. Acknowledgement written to %(file)s: send it back to "
                            "the sender.") % {"reference": incoming.case.reference, "file": target})

    def _acknowledge(self, file: Path) -> None:
        try:
            package = acknowledgement_receive(raw=self._read(file), by=None)
        except PackageRefused as refusal:
            raise CommandError(_("The acknowledgement was refused: %(reason)s") % {"reason": refusal.message}) \
                from None
        self.stdout.write(_("Package %(package)s of %(reference)s acknowledged: received by %(partner)s as "
                            "%(remote)s.") % {"package": package.pk, "reference": package.case.reference,
                                              "partner": package.partner.name, "remote": package.remote_reference})
