"""The roles of a IV-D agency's staff. Who may do what is in `opencse.security.policy`."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    TECHNICIAN = "technician", "Support Enforcement Technician"
    OFFICER_1 = "seo1", "Support Enforcement Officer 1"
    OFFICER_2 = "seo2", "Support Enforcement Officer 2"
    SUPERVISOR = "supervisor", "Supervisor"
    STAFF_ATTORNEY = "attorney", "Staff Attorney"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"
    # Not a person: batch jobs and the command line act as this one user (`security.services.system_actor`),
    # with its own permissions and audit rows. It has no password and no API token, so it cannot sign in.
    SYSTEM = "system", "OpenCSE (batch and command line)"
