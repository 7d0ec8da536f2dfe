"""Intake: referrals from the public assistance agency and applications for services, waiting in the intake
queue until an officer matches their people and opens the case (45 CFR 303.2); the intake interview of the
custodial party, recorded on the case.

A referral's people are kept as the agency (or the applicant) gave them, SSN encrypted like a person's, until the
case is opened: only then do they become `people.Person` rows (an existing person chosen by the officer, or a new
one). A referral is never deleted: rejected and duplicate ones stay with their reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case, MemberRole, Program
from opencse.people.models import STATE_CHOICES, Person, Sex


class Source(models.TextChoices):
    AGENCY_FILE = "file", "Referral file from the assistance agency"
    AGENCY_API = "api", "Referral sent by the assistance agency's system"
    APPLICATION = "application", "Application for services"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    MATCHED = "matched", "Matched"
    OPENED = "opened", "Case opened"
    DUPLICATE = "duplicate", "Duplicate"
    REJECTED = "rejected", "Rejected"


OPEN_STATUSES = (Status.RECEIVED, Status.MATCHED)


class GoodCause(models.TextChoices):
    NONE = "none", "No claim"
    PENDING = "pending", "Claim pending"
    GRANTED = "granted", "Good cause granted"


class ReferralImport(models.Model):
    """One referral file read: its counts and its rejected lines (`rejections`), kept for the officer."""

    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    sender = models.CharField(max_length=60, blank=True)
    file_id = models.CharField(max_length=60, blank=True)
    received_on = models.DateField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    referrals = models.PositiveIntegerField(default=0)  # accepted referrals in the file
    new = models.PositiveIntegerField(default=0)  # put in the queue by this import
    already_received = models.PositiveIntegerField(default=0)  # same program and referral id seen before
    rejected_lines = models.PositiveIntegerField(default=0)
    same_file_as = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")


class ReferralRejection(models.Model):
    """A line of a referral file that was not accepted: its number, the reason, the line (SSNs masked)."""

    referral_import = models.ForeignKey(ReferralImport, on_delete=models.PROTECT, related_name="rejections")
    line_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    raw = models.CharField(max_length=300, blank=True)


class Referral(models.Model):
    """A referral or application in the intake queue. `received_on` is the business date the IV-D agency
    received it: 45 CFR 303.2(b)'s 20 days run from it, and it becomes the case's referral date."""

    source = models.CharField(max_length=12, choices=Source.choices)
    program = models.CharField(max_length=20, choices=Program.choices)
    program_code = models.CharField(max_length=10, blank=True)  # TANF, MEDICAID, IVE; "" for an application
    referral_id = models.CharField(max_length=30, blank=True)  # the agency's id; "" for an application
    assistance_unit_id = models.CharField(max_length=30, blank=True)
    referred_on = models.DateField(null=True, blank=True)  # the agency's date on the referral
    received_on = models.DateField()
    good_cause = models.CharField(max_length=8, choices=GoodCause.choices, default=GoodCause.NONE)
    family_violence = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    referral_import = models.ForeignKey(
        ReferralImport, null=True, blank=True, on_delete=models.PROTECT, related_name="referral_rows"
    )
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="intake_referrals")
    duplicate_of = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "received_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["program_code", "referral_id"], condition=~Q(referral_id=""), name="referral_received_once"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(status="opened"), name="referral_case_only_when_opened"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.source == Source.APPLICATION:
            return f"Application {self.pk}"
        return f"{self.program_code} referral {self.referral_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralParty(models.Model):
    """A person named on a referral or application, as given; `person` is set when the officer chooses an
    existing person (matching) and when the case is opened (the chosen or the new person)."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    first_name = models.CharField(max_length=60, blank=True)
    middle_name = models.CharField(max_length=60, blank=True)
    last_name = models.CharField(max_length=60, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ssn_encrypted = models.TextField(blank=True)
    ssn_index = models.CharField(max_length=64, blank=True, db_index=True)
    ssn_last4 = models.CharField(max_length=4, blank=True)
    line1 = models.CharField(max_length=100, blank=True)
    line2 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=60, blank=True)
    state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

    @property
    def ssn_masked(self) -> str:
        return f"***-**-{self.ssn_last4}" if self.ssn_last4 else ""

    @property
    def address_lines(self) -> list[str]:
        if not self.line1:
            return []
        return [line for line in (self.line1, self.line2, f"{self.city}, {self.state} {self.postal_code}") if line]


class Interview(models.Model):
    """The intake interview of the custodial party (45 CFR 303.2(b): the information needed to work the case),
    recorded on the case. Append-only in practice: a later interview is a new row; none is edited."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="intake_interviews")
    custodial_party = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    interviewed_on = models.DateField()
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # What the custodial party knows about the other parent
    other_parent_names = models.CharField(max_length=200, blank=True)
    other_parent_aliases = models.CharField(max_length=200, blank=True)
    other_parent_date_of_birth = models.DateField(null=True, blank=True)
    other_parent_ssn_last4 = models.CharField(max_length=4, blank=True)  # the full number goes on the person
    physical_description = models.TextField(blank=True)
    last_known_addresses = models.TextField(blank=True)
    employers = models.TextField(blank=True)
    vehicles = models.TextField(blank=True)
    relatives = models.TextField(blank=True)
    military_service = models.TextField(blank=True)
    incarceration = models.TextField(blank=True)
    # The children, existing orders, assistance
    children = models.TextField(blank=True)
    existing_order_court = models.CharField(max_length=200, blank=True)
    existing_order_date = models.CharField(max_length=40, blank=True)
    existing_order_amount = models.CharField(max_length=100, blank=True)  # as the party says it ("$250 a month")
    assistance_history = models.TextField(blank=True)
    # Claims
    good_cause_claimed = models.BooleanField(default=False)
    family_violence_claimed = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-interviewed_on", "-pk"]
