"""Support orders and their terms (the obligations the ledger accrues).

An order is entered from the paper: its tribunal, docket number and dates, and one term per
obligation (current support, cash medical, child care, ...). A term's amount may change on dates
(variable provisions: a step when a child turns 12); each `TermStep` gives the amount per period
from its date on. A modification is a new order that `modifies` the old one; the old order's terms
end the day before the new one takes effect.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.people.models import Person


class TribunalKind(models.TextChoices):
    COURT = "court", "Court"
    ADMINISTRATIVE = "administrative", "Administrative agency"
    TRIBAL = "tribal", "Tribal court or agency"
    FOREIGN = "foreign", "Foreign country tribunal"


class OrderStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    MODIFIED = "modified", "Modified"
    VACATED = "vacated", "Vacated"
    SUPERSEDED = "superseded", "Superseded"
    TERMINATED = "terminated", "Terminated"


class Order(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="orders")
    tribunal_kind = models.CharField(max_length=16, choices=TribunalKind.choices)
    tribunal_name = models.CharField(max_length=120)  # "Hinds County Chancery Court"
    issuing_jurisdiction = models.CharField(max_length=80)  # state code, tribe or country
    docket_number = models.CharField(max_length=40)
    signed_on = models.DateField()
    effective_on = models.DateField()
    filed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=OrderStatus.choices, default=OrderStatus.ACTIVE)
    modifies = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="modified_by")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"{self.docket_number} ({self.tribunal_name})"


class TermKind(models.TextChoices):
    CURRENT_SUPPORT = "current_support", "Current child support"
    CASH_MEDICAL = "cash_medical", "Cash medical support"
    MEDICAL_INSURANCE = "medical_insurance", "Medical insurance obligation"
    CHILD_CARE = "child_care", "Child care"
    UNREIMBURSED_MEDICAL = "unreimbursed_medical", "Unreimbursed medical"
    SPOUSAL_SUPPORT = "spousal_support", "Spousal support"
    ARREARS_PAYMENT = "arrears_payment", "Periodic payment on arrears"
    JUDGMENT = "judgment", "Judgment for past-due support"
    GENETIC_TEST_FEE = "genetic_test_fee", "Genetic test fee reimbursement"


# Terms whose charges are current support for distribution (45 CFR 302.51(a)(1)); a periodic payment
# on arrears pays debt already owed, so it creates no new charge (it sets a payment expectation).
ACCRUING_KINDS = frozenset({
    TermKind.CURRENT_SUPPORT, TermKind.CASH_MEDICAL, TermKind.CHILD_CARE, TermKind.UNREIMBURSED_MEDICAL,
    TermKind.SPOUSAL_SUPPORT, TermKind.JUDGMENT, TermKind.GENETIC_TEST_FEE,
})  # fmt: skip


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    BIWEEKLY = "biweekly", "Every two weeks"
    SEMIMONTHLY = "semimonthly", "Twice a month"
    MONTHLY = "monthly", "Monthly"
    ANNUAL = "annual", "Annual"
    ONE_TIME = "one_time", "One time"


class OrderTerm(models.Model):
    """One obligation of an order. `accrued_through` is the accrual batch's watermark."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="terms")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="terms")  # = order.case, for batches
    kind = models.CharField(max_length=24, choices=TermKind.choices)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    obligor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="obligations")
    child = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    accrued_through = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "kind"]), models.Index(fields=["accrued_through"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="term_ends_after_it_starts",
            ),
        ]


class TermStep(models.Model):
    """From `starts_on`, the term's amount per period is `amount` (variable provisions)."""

    term = models.ForeignKey(OrderTerm, on_delete=models.PROTECT, related_name="steps")
    starts_on = models.DateField()
    amount = models.DecimalField(max_digits=13, decimal_places=2)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["term", "starts_on"], name="step_once_per_date"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="step_amount_not_negative"),
        ]
