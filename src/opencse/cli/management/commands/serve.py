"""`opencse serve`: serve the web app for the demo on http://127.0.0.1:8000 (production: gunicorn)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opencse.security.keys import require_production_keys


class Command(BaseCommand):
    help = "Serve OpenCSE for a demo or development (use gunicorn opencse.wsgi in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, address: str, **options: Any) -> None:
        try:
            require_production_keys()  # the demo's generated keys never serve a real database
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"OpenCSE on http://{address}/ (Ctrl-C stops it)")
        call_command("runserver", address, use_reloader=False)
