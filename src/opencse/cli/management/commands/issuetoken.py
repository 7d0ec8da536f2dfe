"""`opencse issuetoken --username NAME --label TEXT [--days N]`: issue an API bearer token (shown once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.errors import DomainError
from opencse.security.models import User
from opencse.security.services import API_TOKEN_DAYS_DEFAULT, API_TOKEN_DAYS_MAXIMUM, issue_api_token


class Command(BaseCommand):
    help = "Issue an API token for a user. Only its digest is stored: copy it now, it is not shown again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--label", required=True, help="what the token is for, e.g. the calling system")
        parser.add_argument(
            "--days",
            type=int,
            default=API_TOKEN_DAYS_DEFAULT,
            help=f"days until the token expires (default {API_TOKEN_DAYS_DEFAULT}, at most {API_TOKEN_DAYS_MAXIMUM})",
        )

    def handle(self, *args: Any, username: str, label: str, days: int, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username}.")
        try:
            token = issue_api_token(user=user, label=label, days=days)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from exc
        self.stdout.write(token)
