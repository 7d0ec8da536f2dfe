"""A correspondence entry and the scans uploaded with it.

An entry says what came in or went out on a case, by which channel, on which business date, from or to whom
(a person of the case, optionally, or a free-text counterpart such as an employer or another agency), and a
short summary. A generated document given out is logged as an entry out that points at its `Document`.
Both tables are append-only (`common.append_only`): a correction is a new entry whose `corrects` points at
the entry it replaces. A scan's bytes live on disk outside the web root (`storage`), named by their SHA-256.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.documents.models import Document
from opencse.people.models import Person


class Direction(models.TextChoices):
    IN = "in", "Received"
    OUT = "out", "Sent"


class Channel(models.TextChoices):
    MAIL = "mail", "Mail"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    FAX = "fax", "Fax"
    PORTAL = "portal", "Portal"
    AGENCY = "agency", "Another agency"


class Correspondence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="correspondence")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="correspondence")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    counterpart = models.CharField(max_length=120, blank=True)  # "ACME Payroll", "Texas OAG" (not a person)
    dated_on = models.DateField()  # the business date it was received or sent
    summary = models.CharField(max_length=1000)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="correspondence"
    )
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-dated_on", "-id"]
        indexes = [models.Index(fields=["case", "-dated_on"], name="correspondence_case_date")]
        constraints = [
            models.CheckConstraint(condition=Q(document__isnull=True) | Q(direction="out"),
                                   name="correspondence_document_goes_out"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return (
            f"{self.get_direction_display()} by {self.get_channel_display()} on {self.dated_on} (case {self.case_id})"
        )


class Scan(models.Model):
    """An uploaded file of an entry: its name as uploaded, its type as sniffed from its bytes, its size and
    SHA-256. The bytes are at `storage.path_of(sha256)`; reading them checks the hash again."""

    entry = models.ForeignKey(Correspondence, on_delete=models.PROTECT, related_name="scans")
    file_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(size__gte=1), name="scan_not_empty")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.size} bytes)"
