"""Income Withholding for Support orders sent to employers (45 CFR 303.100; form OMB 0970-0154).

Append-only: an amendment or a termination is a new row that `replaces` the one in force; a row is never
edited. The amounts are those the form states (`rules.income_withholding`), kept with the explanation and
the stored PDF (`documents.Document`) so the record shows what the employer was told and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.documents.models import Document
from opencse.people.models import Employer, Employment, Person


class Action(models.TextChoices):
    """The form's boxes 1a-1d, with the e-IWO document action codes (ORG, AMD, TRM, LUM)."""

    ORIGINAL = "ORG", "Original"
    AMENDED = "AMD", "Amended"
    TERMINATION = "TRM", "Termination"
    LUMP_SUM = "LUM", "One-time order for a lump sum payment"


class IncomeWithholding(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="income_withholdings")
    obligor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="income_withholdings")
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="income_withholdings")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="income_withholdings")
    action = models.CharField(max_length=3, choices=Action.choices)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )  # one-to-one: an order in force is amended or terminated once; a second try fails on the constraint
    dated_on = models.DateField()  # the date on the form: the business date the order was issued
    reason = models.CharField(max_length=300, blank=True)  # why amended or terminated
    # Monthly amounts by the form's lines, the total, and the total per pay period.
    current_child_support = models.DecimalField(max_digits=11, decimal_places=2)
    past_due_child_support = models.DecimalField(max_digits=11, decimal_places=2)
    current_cash_medical_support = models.DecimalField(max_digits=11, decimal_places=2)
    current_spousal_support = models.DecimalField(max_digits=11, decimal_places=2)
    other = models.DecimalField(max_digits=11, decimal_places=2)
    other_description = models.CharField(max_length=35, blank=True)
    total_monthly = models.DecimalField(max_digits=11, decimal_places=2)
    per_weekly = models.DecimalField(max_digits=11, decimal_places=2)
    per_biweekly = models.DecimalField(max_digits=11, decimal_places=2)
    per_semimonthly = models.DecimalField(max_digits=11, decimal_places=2)
    per_monthly = models.DecimalField(max_digits=11, decimal_places=2)
    lump_sum = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    arrears_over_12_weeks = models.BooleanField()
    begin_within_days = models.PositiveSmallIntegerField()
    remit_within_business_days = models.PositiveSmallIntegerField()
    employer_fee = models.DecimalField(max_digits=7, decimal_places=2)
    limit_percent = models.DecimalField(max_digits=5, decimal_places=2)
    explanation = models.JSONField(default=list)  # the rule's lines: step, value, reference
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="income_withholding")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["case", "dated_on"]), models.Index(fields=["employer", "dated_on"])]
        constraints = [
            # One original order per case and job: a second one is an amendment (parallel requests included).
            models.UniqueConstraint(
                fields=["case", "employment"], condition=Q(action="ORG"), name="one_original_withholding_per_job"
            ),
            models.CheckConstraint(
                condition=Q(action="ORG", replaces__isnull=True) | ~Q(action="ORG"),
                name="original_withholding_replaces_nothing",
            ),
            models.CheckConstraint(
                condition=Q(action__in=["AMD", "TRM"], replaces__isnull=False) | ~Q(action__in=["AMD", "TRM"]),
                name="amendment_or_termination_replaces_an_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} income withholding, {self.employer.name}, {self.dated_on:%m/%d/%Y}"

    @property
    def in_force(self) -> bool:
        """Sent, not replaced, and not itself a termination or a one-time lump sum order."""
        return self.action in (Action.ORIGINAL, Action.AMENDED) and not hasattr(self, "replaced_by")
