"""``masarat token create|list|revoke``: API bearer tokens. A token is shown once, when created;
only its hash is stored, and its first characters (the prefix) name it afterwards."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masarat.accounts.models import ApiToken, User
from masarat.accounts.services import AmbiguousToken, UnknownToken, api_token_create, api_token_revoke


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class Command(BaseCommand):
    help = cast(str, gettext_lazy("Create, list and revoke the bearer tokens of the REST API."))

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        create = commands.add_parser(
            "create", help=_("Create a token for a user and print it (shown only once).")
        )
        create.add_argument("username")
        create.add_argument(
            "--name", default="", help=_("What the token is for (e.g. the calling system).")
        )
        listing = commands.add_parser("list", help=_("List the tokens of a user, by prefix."))
        listing.add_argument("username")
        revoke = commands.add_parser("revoke", help=_("Revoke the token with this prefix."))
        revoke.add_argument("prefix")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "create":
            self.create(options["username"], options["name"])
        elif subcommand == "list":
            self.list(options["username"])
        else:
            self.revoke(options["prefix"])

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user named “%(username)s”.") % {"username": username})
        return user

    def create(self, username: str, name: str) -> None:
        user = self._user(username)
        if not user.is_active:
            raise CommandError(_("The account “%(username)s” is deactivated.") % {"username": username})
        raw = api_token_create(user=user, name=name)
        # The token alone on standard output, so that a script can capture it.
        self.stdout.write(raw)
        self.stderr.write(_("Keep this token now: it cannot be shown again."))

    def list(self, username: str) -> None:
        tokens = ApiToken.objects.filter(user=self._user(username)).order_by("created_at", "pk")
        if not tokens:
            self.stdout.write(_("No token."))
        for token in tokens:
            state = _("revoked %(date)s") % {"date": _when(token.revoked_at)} if token.revoked_at \
                else _("active")
            used = _("last used %(date)s") % {"date": _when(token.last_used_at)} if token.last_used_at \
                else _("never used")
            line = f"{token.prefix}  {_when(token.created_at)}  {state}  {used}  {token.name}"
            self.stdout.write(line.rstrip())

    def revoke(self, prefix: str) -> None:
        try:
            token = api_token_revoke(prefix=prefix)
        except UnknownToken as exc:
            raise CommandError(_("No active token starts with “%(prefix)s”.") % {"prefix": prefix}) from exc
        except AmbiguousToken as exc:
            raise CommandError(_("Several active tokens start with “%(prefix)s”: revoke them from the "
                                 "administration site.") % {"prefix": prefix}) from exc
        self.stdout.write(_("Token %(prefix)s of %(user)s revoked.") % {"prefix": prefix, "user": token.user})
