"""A referral of a party to an outside resource and its outcome.

The resource is one of the agency's list (`resources.yaml`, edited by the agency); the referral keeps the
resource's key, name and kind as they were on the day, so a later edit of the list does not rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.people.models import Person


class ResourceKind(models.TextChoices):
    EMPLOYMENT = "employment", "Employment program"
    FATHERHOOD = "fatherhood", "Fatherhood program"
    LEGAL_AID = "legal_aid", "Legal aid"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"
    NO_RESPONSE = "no_response", "No response"


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    resource_key = models.CharField(max_length=60)
    resource_name = models.CharField(max_length=200)
    resource_kind = models.CharField(max_length=12, choices=ResourceKind.choices)
    referred_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(outcome_on__isnull=True))
                | (~Q(outcome="") & Q(outcome_on__gte=models.F("referred_on"))),
                name="referral_outcome_dated_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.resource_name} (case {self.case_id})"
