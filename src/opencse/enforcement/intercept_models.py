"""Benefit sources and intercepts: an obligor's unemployment or workers' compensation claim, and the notices that
withhold support from it (42 U.S.C. 654(19), 666(b)(8); 45 CFR 302.65). Imported by `enforcement.models`.

Append-only as income withholding is: an intercept's termination is a new row that `replaces` the one in force,
each with its stored notice (`documents.Document`). A claim is recorded once; its end is recorded once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.documents.models import Document
from opencse.locate.models import LocateRecord
from opencse.people.models import Person


class BenefitKind(models.TextChoices):
    UNEMPLOYMENT = "unemployment", "Unemployment compensation"
    WORKERS_COMPENSATION = "workers_compensation", "Workers' compensation"


class InterceptBasis(models.TextChoices):
    """How the benefit is withheld (45 CFR 302.65(c)(2)); the same values as `rules.benefit_intercept.Basis`."""

    AGREEMENT = "agreement", "Voluntary agreement of the obligor"
    LEGAL_PROCESS = "legal_process", "Legal process (income withholding order)"


class InterceptAction(models.TextChoices):
    ORIGINAL = "ORG", "Original"
    TERMINATION = "TRM", "Termination"


class BenefitClaim(models.Model):
    """An obligor's claim for unemployment compensation (paid by the State workforce agency) or workers'
    compensation (paid by the insurer or the state fund): who pays, how much a week, from when to when. Recorded by
    an officer, or from an unemployment locate record posted as a lead (`locate_record`)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="benefit_claims")
    kind = models.CharField(max_length=24, choices=BenefitKind.choices)
    payer_name = models.CharField(max_length=120)  # the SWA, the insurer or the state fund
    payer_lines = models.JSONField(default=list)  # its mailing lines
    claim_number = models.CharField(max_length=40, blank=True)
    weekly_benefit_amount = models.DecimalField(max_digits=9, decimal_places=2)
    starts_on = models.DateField()  # the first day of the first week paid (the claim's effective date)
    ends_on = models.DateField(null=True, blank=True)  # the last day paid: known at once, or recorded at its end
    end_note = models.CharField(max_length=300, blank=True)
    locate_record = models.ForeignKey(LocateRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip

    class Meta:
        indexes = [models.Index(fields=["person", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="benefit_claim_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(weekly_benefit_amount__gt=0), name="benefit_claim_pays_something"),
            models.UniqueConstraint(
                fields=["person", "kind", "payer_name", "claim_number", "starts_on"], name="benefit_claim_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.payer_name}, ${self.weekly_benefit_amount:,} a week"


class BenefitIntercept(models.Model):
    """A notice to a benefit's payer to withhold support from each week's benefit (original), or to stop
    (termination, `replaces` the original)."""

    claim = models.ForeignKey(BenefitClaim, on_delete=models.PROTECT, related_name="intercepts")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="benefit_intercepts")
    obligor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=16, choices=InterceptBasis.choices)
    action = models.CharField(max_length=3, choices=InterceptAction.choices)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by")  # fmt: skip
    dated_on = models.DateField()  # the business date of the notice
    reason = models.CharField(max_length=300, blank=True)  # why it ended (termination)
    weekly_amount = models.DecimalField(max_digits=9, decimal_places=2)  # withheld a week (0 on a termination)
    ordered_weekly = models.DecimalField(max_digits=9, decimal_places=2)  # asked a week, before the limits
    weekly_benefit_amount = models.DecimalField(max_digits=9, decimal_places=2)  # the claim's, on the date
    agreed_weekly = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    agreement_signed_on = models.DateField(null=True, blank=True)
    explanation = models.JSONField(default=list)  # the rules' lines: step, value, reference
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="benefit_intercept")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["case", "dated_on"])]
        constraints = [
            # One original per claim and case: the batch's idempotency (parallel runs included).
            models.UniqueConstraint(
                fields=["claim", "case"], condition=Q(action="ORG"), name="one_benefit_intercept_per_claim"
            ),
            models.CheckConstraint(
                condition=Q(action="ORG", replaces__isnull=True) | Q(action="TRM", replaces__isnull=False),
                name="benefit_termination_replaces_an_intercept",
            ),
            models.CheckConstraint(
                condition=~Q(basis="agreement")
                | Q(action="TRM")
                | Q(agreed_weekly__gt=0, agreement_signed_on__isnull=False),
                name="benefit_agreement_has_its_terms",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} benefit intercept, {self.claim.payer_name}, {self.dated_on:%m/%d/%Y}"

    @property
    def in_force(self) -> bool:
        return self.action == InterceptAction.ORIGINAL and not hasattr(self, "replaced_by")
