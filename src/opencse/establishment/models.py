"""Guideline worksheets and establishment proposals (docs/establishment.md).

A `GuidelineWorksheet` is the state guideline computed for a case: the input the officer gave, the
whole success envelope of the pure rule (result, explanation lines, parameter versions) and the
deviation the officer recorded. A saved worksheet is never changed (a database trigger refuses UPDATE
and DELETE); a recalculation is a new worksheet.

An `EstablishmentProposal` turns one worksheet into proposed obligations (`ProposedTerm`). A worker
prepares it; an officer with signature authority (`orders.sign`) other than the preparer approves it,
which enters the administrative order and its terms for the ledger, or rejects it with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.orders.models import Frequency, Order, TermKind
from opencse.people.models import Person
from opencse.rules.guidelines.registry import guideline_jurisdictions

# The guideline jurisdictions, from the one registry (params/us/guidelines.yaml): a State added there gets a
# migration of the choices and the check below.
GUIDELINES = guideline_jurisdictions()
JURISDICTION_CHOICES = [(each.code, each.label) for each in GUIDELINES.values()]


class GuidelineWorksheet(models.Model):
    """One guideline computation, as the rule returned it. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="worksheets")
    jurisdiction = models.CharField(max_length=2, choices=JURISDICTION_CHOICES)
    inputs = models.JSONField()  # the payload given to `opencse rules guideline`
    result = models.JSONField()  # the rule's whole success envelope: result, explanation, parameters
    title = models.CharField(max_length=200)
    notes = models.JSONField(default=list)  # the rule's notes: written findings the tribunal must make
    as_of = models.DateField()
    guideline_support = models.DecimalField(max_digits=13, decimal_places=2)  # presumptive monthly amount
    deviated = models.BooleanField()
    ordered_support = models.DecimalField(max_digits=13, decimal_places=2)  # after the recorded deviations
    deviation_reasons = models.JSONField(default=list)  # reason codes from the statute's list
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["case", "computed_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(jurisdiction__in=list(GUIDELINES)), name="worksheet_jurisdiction_known"),
            models.CheckConstraint(condition=Q(guideline_support__gte=0), name="worksheet_guideline_not_negative"),
            models.CheckConstraint(condition=Q(ordered_support__gte=0), name="worksheet_ordered_not_negative"),
            models.CheckConstraint(
                condition=Q(deviated=True) | Q(ordered_support=models.F("guideline_support")),
                name="worksheet_ordered_is_guideline_unless_deviated",
            ),
        ]

    def __str__(self) -> str:
        return f"Worksheet {self.pk} ({self.jurisdiction}) for case {self.case_id}"


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Waiting for approval"
    APPROVED = "approved", "Approved: order entered"
    REJECTED = "rejected", "Rejected"


class EstablishmentProposal(models.Model):
    """Proposed obligations from one worksheet, waiting for an officer with signature authority."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="establishment_proposals")
    worksheet = models.ForeignKey(GuidelineWorksheet, on_delete=models.PROTECT, related_name="proposals")
    effective_on = models.DateField()
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    order = models.OneToOneField(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="establishment_proposal"
    )

    class Meta:
        indexes = [models.Index(fields=["case", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("prepared_by")),
                name="proposal_not_self_approved",
            ),
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(decided_by__isnull=True) & Q(decided_at__isnull=True))
                | (~Q(status="draft") & Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="proposal_decided_unless_draft",
            ),
            models.CheckConstraint(
                condition=(Q(status="approved") & Q(order__isnull=False))
                | (~Q(status="approved") & Q(order__isnull=True)),
                name="proposal_order_iff_approved",
            ),
            models.UniqueConstraint(fields=["case"], condition=Q(status="draft"), name="proposal_one_draft_per_case"),
        ]


class ProposedTerm(models.Model):
    """One proposed obligation: becomes one `OrderTerm` with one amount when the proposal is approved."""

    proposal = models.ForeignKey(EstablishmentProposal, on_delete=models.PROTECT, related_name="terms")
    kind = models.CharField(max_length=24, choices=TermKind.choices)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    amount = models.DecimalField(max_digits=13, decimal_places=2)  # per period
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    obligor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="proposed_term_amount_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="proposed_term_ends_after_it_starts",
            ),
        ]
