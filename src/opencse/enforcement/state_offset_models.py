"""The State tax refund offset's certifications to the State's revenue department and the offsets it sends
back (42 U.S.C. 666(a)(3); 45 CFR 303.102; Miss. Code Ann. 27-7-501 et seq.): `enforcement.state_offset` and
docs/enforcement.md, "State tax refund offset (Mississippi)". Imported by `enforcement.models` so the app's
models are found.

A certification is what the revenue department holds for one obligor, as last sent; each record sent is kept
once (`StateOffsetTransaction`, append-only), and each offset read back once (`StateOffsetCollection`, its
import key making a re-read post nothing).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.people.models import Person


class StateOffsetCertification(models.Model):
    """What the revenue department holds for one obligor, as last sent: the past-due support summed over the
    obligor's cases with the state_tax_offset action taken. `ssn_encrypted` is the SSN it was certified under,
    so a delete goes out under that SSN even after the person's SSN is corrected."""

    obligor = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="state_offset_certification")
    ssn_encrypted = models.TextField()
    ssn_index = models.CharField(max_length=64)
    case_number = models.CharField(max_length=20)  # the case owing the most, as last sent
    amount = models.DecimalField(max_digits=13, decimal_places=2)  # as last sent (0 after a delete)
    active = models.BooleanField(default=True)
    last_transaction = models.CharField(max_length=1)  # A, U or D
    last_submitted_on = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_transaction__in=["A", "U", "D"]), name="state_offset_transaction_known"
            ),
        ]


class StateOffsetSubmission(models.Model):
    """One certification file written (only when something changed)."""

    on = models.DateField()
    file_name = models.CharField(max_length=200)
    adds = models.PositiveIntegerField(default=0)
    updates = models.PositiveIntegerField(default=0)
    deletes = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class StateOffsetTransaction(models.Model):
    """One record sent in a certification file (append-only history of the certification)."""

    submission = models.ForeignKey(StateOffsetSubmission, on_delete=models.PROTECT, related_name="transactions")
    certification = models.ForeignKey(StateOffsetCertification, on_delete=models.PROTECT,
                                      related_name="transactions")  # fmt: skip
    transaction = models.CharField(max_length=1)
    case_number = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=13, decimal_places=2)


class StateOffsetCollectionStatus(models.TextChoices):
    POSTED = "posted", "Posted to the obligor's cases"
    HELD = "held", "Joint return: held in suspense, not distributed"
    SUSPENDED = "suspended", "Not identified: held in suspense for an officer"


class StateOffsetCollection(models.Model):
    """One line of a revenue department offset file, once: its import key makes a re-read post nothing."""

    import_key = models.CharField(max_length=100, unique=True)
    payment_import = models.ForeignKey("ledger.PaymentImport", on_delete=models.PROTECT, related_name="+")
    line_number = models.PositiveIntegerField()
    obligor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=13, decimal_places=2)
    offset_on = models.DateField()
    tax_year = models.PositiveSmallIntegerField()
    joint_return = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=StateOffsetCollectionStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
