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
