"""A dispute, its evidence and its investigation notes.

A dispute is raised by a party of the case on a date about one thing (`DisputeKind`); it is open until an
officer resolves it (upheld, denied, partly upheld) with a reason. A resolution that changes the debt requests
a ledger adjustment through the two-person approval, and the dispute keeps that `Adjustment`; the result
letter is a stored `Document`. Evidence (links to correspondence entries and their scans) and notes are
append-only: what was considered stays as it was when the decision was made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.documents.correspondence.models import Correspondence, Scan
from opencse.documents.models import Document
from opencse.ledger.models import Adjustment
from opencse.people.models import Person


class DisputeKind(models.TextChoices):
    DEBT_AMOUNT = "debt_amount", "Amount of the debt"
    MISAPPLIED_PAYMENT = "misapplied_payment", "Misapplied payment"
    IDENTITY = "identity", "Identity (not the person owing)"
    PATERNITY = "paternity", "Paternity"
    ENFORCEMENT_ACTION = "enforcement_action", "Enforcement action"


class Resolution(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    DENIED = "denied", "Denied"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"


class Dispute(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disputes")
    kind = models.CharField(max_length=20, choices=DisputeKind.choices)
    raised_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disputes")
    raised_on = models.DateField()  # the business date the agency received it
    statement = models.CharField(max_length=2000)  # what the party says, in short
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolution = models.CharField(max_length=14, choices=Resolution.choices, blank=True)
    resolution_reason = models.CharField(max_length=2000, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adjustment = models.OneToOneField(
        Adjustment, null=True, blank=True, on_delete=models.PROTECT, related_name="dispute"
    )
    letter = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["case", "-raised_on"], name="dispute_case_raised")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(resolution="") & Q(resolved_on__isnull=True) & Q(resolved_by__isnull=True))
                | (~Q(resolution="") & Q(resolved_on__isnull=False) & Q(resolved_by__isnull=False)
                   & ~Q(resolution_reason="")),
                name="dispute_resolved_with_reason",
            ),
            models.CheckConstraint(condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("raised_on")),
                                   name="dispute_resolved_after_raised"),
            models.CheckConstraint(condition=Q(adjustment__isnull=True) | ~Q(resolution="denied"),
                                   name="dispute_denied_adjusts_nothing"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"Dispute {self.pk}: {self.get_kind_display()} (case {self.case_id})"

    @property
    def is_open(self) -> bool:
        return not self.resolution


class Evidence(models.Model):
    """A correspondence entry (optionally one of its scans) the investigation relies on."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="evidence")
    entry = models.ForeignKey(Correspondence, on_delete=models.PROTECT, related_name="+")
    scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]


class InvestigationNote(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="notes")
    noted_on = models.DateField()
    text = models.CharField(max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["noted_on", "id"]
