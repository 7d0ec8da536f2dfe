"""What OCSE sends back about the Federal Offset case submissions, besides the offsets (`enforcement.offset_returns`,
docs/enforcement.md "Federal tax refund offset"): the rejected records (Charts F-1, F-2), each recorded on the
record sent, and the Case Reconciliation file (F-6), whose differences with what OpenCSE last sent are kept.
Imported by `enforcement.models` so the app's models are found."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.people.models import Person


class OffsetReturnKind(models.TextChoices):
    REJECTS = "rejects", "Rejected Case Submission and Update file"
    RECONCILIATION = "reconciliation", "Case Reconciliation file"


class OffsetReturnFile(models.Model):
    """A file OCSE sent back, read once per content (its SHA-256): a second read adds nothing."""

    kind = models.CharField(max_length=14, choices=OffsetReturnKind.choices)
    file_sha256 = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=200)
    received_on = models.DateField()
    records = models.PositiveIntegerField()  # every line but the blank ones and the control record
    recorded = models.PositiveIntegerField()  # rejects recorded; on a reconciliation, the records compared
    already = models.PositiveIntegerField(default=0)  # rejects recorded before (from another file)
    differences = models.PositiveIntegerField(default=0)  # reconciliation only
    problems = models.PositiveIntegerField()
    control = models.JSONField(default=dict, blank=True)  # the F-2 counts as read (accepted, rejected, warnings)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(kind__in=["rejects", "reconciliation"]),
                                              name="offset_return_kind_known")]  # fmt: skip


class OffsetReturnProblem(models.Model):
    """A line of a returned file that could not be read or matched, with its number and why (SSNs masked)."""

    return_file = models.ForeignKey(OffsetReturnFile, on_delete=models.PROTECT, related_name="problem_lines")
    line_number = models.PositiveIntegerField()
    text = models.CharField(max_length=300)
    problem = models.CharField(max_length=300)

    class Meta:
        ordering = ["line_number"]


class OffsetReject(models.Model):
    """OCSE rejected a record sent (or accepted it with a warning only), with its error codes and their words.
    One per record sent: a later file naming it again is counted as already recorded."""

    transaction = models.OneToOneField("enforcement.OffsetTransaction", on_delete=models.PROTECT,
                                       related_name="reject")  # fmt: skip
    return_file = models.ForeignKey(OffsetReturnFile, on_delete=models.PROTECT, related_name="rejects")
    line_number = models.PositiveIntegerField()
    error_codes = models.CharField(max_length=17)  # "12,17"
    reasons = models.CharField(max_length=600)  # the codes in words
    warning_only = models.BooleanField(default=False)  # accepted with a warning (47): nothing to redo
    name_control = models.CharField(max_length=4, blank=True)  # OCSE's first letters of the last name (17)
    not_held = models.BooleanField(default=False)  # the certification was marked not held: the next run adds it


class DifferenceKind(models.TextChoices):
    ONLY_AT_OCSE = "only_at_ocse", "OCSE holds a case OpenCSE does not hold certified"
    ONLY_IN_OPENCSE = "only_in_opencse", "OpenCSE holds a certification OCSE's file does not list"
    CASE_TYPE = "case_type", "OCSE holds the SSN under the other case type"
    CASE_ID = "case_id", "The Case ID differs"
    AMOUNT = "amount", "The arrearage amount differs"
    EXCLUSIONS = "exclusions", "The exclusion indicators differ"


class OffsetReconciliationDifference(models.Model):
    """One difference between OCSE's Case Master File (a reconciliation record) and what OpenCSE last sent."""

    return_file = models.ForeignKey(OffsetReturnFile, on_delete=models.PROTECT, related_name="reconciliation")
    line_number = models.PositiveIntegerField(null=True, blank=True)  # none: OpenCSE's side only
    obligor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    certification = models.ForeignKey("enforcement.OffsetCertification", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")  # fmt: skip
    case_type = models.CharField(max_length=1)
    kind = models.CharField(max_length=16, choices=DifferenceKind.choices)
    at_ocse = models.CharField(max_length=60, blank=True)
    in_opencse = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["pk"]
