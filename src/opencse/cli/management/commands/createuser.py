"""`opencse createuser --role ROLE --username NAME [--office CODE]`: add a staff user."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from opencse.errors import DomainError
from opencse.security.models import Office
from opencse.security.roles import Role
from opencse.security.services import STAFF_ROLES, create_office, create_user, system_actor


class Command(BaseCommand):
    help = "Create a staff user with a role. The password comes from OPENCSE_PASSWORD or a prompt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, choices=STAFF_ROLES)
        parser.add_argument("--username", required=True)
        parser.add_argument("--office", default="", help="office code (required for office-bound roles)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--office-name", default="", help="create the office with this name if it is new")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("OPENCSE_PASSWORD") or getpass.getpass("Password: ")
        actor = system_actor()  # the operator at the server's console: audited as the system actor
        try:
            with transaction.atomic():  # the office is created only with its first user
                office = None
                if options["office"]:
                    office = Office.objects.filter(code=options["office"]).first()
                    if office is None and options["office_name"]:
                        office = create_office(actor=actor, code=options["office"], name=options["office_name"])
                    if office is None:
                        raise CommandError(f"No office {options['office']}; give --office-name to create it.")
                user = create_user(
                    actor=actor,
                    username=options["username"],
                    password=password,
                    role=options["role"],
                    office=office,
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                )
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from exc
        self.stdout.write(f"Created {user.username} ({Role(user.role).label}).")
