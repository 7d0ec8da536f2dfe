"""Users, offices and the audit trail.

The audit trail is append-only (a database trigger refuses UPDATE and DELETE): every create,
update and delete of case data and every reveal of confidential data leaves one row, written in the
same transaction as the change it records.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from opencse.security.roles import Role


class Office(models.Model):
    """A local IV-D office. A worker sees the cases of their own office unless their role allows more."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=120)
    county = models.CharField(max_length=80, blank=True)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=[role.value for role in Role]), name="user_role_known")
        ]

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored. It works until it expires or is revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)


class RateWindow(models.Model):
    """How many requests one client made under one limit in one fixed window (rate limiting, 429)."""

    key = models.CharField(max_length=120)  # "api:user:12", "signin:ip:203.0.113.9", ...
    window = models.BigIntegerField()  # the window's number: Unix seconds // the window's length
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="ratewindow_key_window_unique")]
        indexes = [models.Index(fields=["window"])]


class AuditEvent(models.Model):
    """One recorded action: who, when, what, and the values before and after. Never updated or deleted."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="audit_events")
    action = models.CharField(max_length=60, db_index=True)  # "case.opened", "person.ssn_revealed", ...
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    case_number = models.CharField(max_length=20, blank=True, db_index=True)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        assert self._state.adding, "audit events are append-only"
        super().save(*args, **kwargs)
