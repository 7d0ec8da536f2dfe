"""`opencse revoketoken --username NAME [--label TEXT]` or `--token TOKEN`: revoke API bearer tokens."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.errors import DomainError
from opencse.security.models import User
from opencse.security.services import revoke_api_tokens, system_actor


class Command(BaseCommand):
    help = (
        "Revoke API tokens: all of a user's (or those with one label), or one token itself "
        "(--token, or OPENCSE_TOKEN in the environment). A revoked token is refused on its next request."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="")
        parser.add_argument("--label", default="", help="only the user's tokens with this label")
        parser.add_argument("--token", default="", help="the token itself (or set OPENCSE_TOKEN)")

    def handle(self, *args: Any, username: str, label: str, token: str, **options: Any) -> None:
        token = token or os.environ.get("OPENCSE_TOKEN", "")
        user = None
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user {username}.")
        try:
            revoked = revoke_api_tokens(actor=system_actor(), user=user, label=label, token=token)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from exc
        if not revoked:
            raise CommandError("No valid token matched: nothing revoked.")
        self.stdout.write(f"Revoked {revoked} token{'s' if revoked != 1 else ''}.")
