"""Locate on the record: requests to sources and what came back, imported locate files with their records and
rejected lines, and the verification of what was found (docs/locate.md).

An imported record holds no full SSN: its keyed hash (`ssn_index`, the same blind index as `people.Person`)
matches it, and its last four digits are shown. Records, requests, responses and verifications are history:
a decision is a new state with who and when, never a deletion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.documents.models import Document
from opencse.people.models import Address, Employment, Person


class LocateImport(models.Model):
    """One file received: its kind, when, its SHA-256, and what became of its records."""

    kind = models.CharField(max_length=16)  # new-hire | quarterly-wage | unemployment | fcr | csv
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    received_on = models.DateField()
    records = models.PositiveIntegerField(default=0)  # accepted lines
    new_records = models.PositiveIntegerField(default=0)  # not already received in an earlier file
    matched = models.PositiveIntegerField(default=0)
    to_review = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # header/trailer records, FCR "no NDNH data" responses
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class LocateRejection(models.Model):
    """A line of a file that was not accepted (the exceptions report): the raw line has its SSNs masked."""

    locate_import = models.ForeignKey(LocateImport, on_delete=models.PROTECT, related_name="rejections")
    line_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    raw = models.CharField(max_length=300)


class RecordStatus(models.TextChoices):
    MATCHED = "matched", "Matched: posted as a lead"
    REVIEW = "review", "To review"
    LINKED = "linked", "Linked by an officer: posted as a lead"
    DISMISSED = "dismissed", "Dismissed"


class LocateRecord(models.Model):
    """One record of a locate file: the person it names, the address and employer it gives, and what was
    done with it (matched to a person, in the review queue, linked or dismissed by an officer)."""

    locate_import = models.ForeignKey(LocateImport, on_delete=models.PROTECT, related_name="items")
    line_number = models.PositiveIntegerField()
    key = models.CharField(max_length=100, unique=True)  # the same record re-sent posts nothing twice
    kind = models.CharField(max_length=16)  # new-hire | quarterly-wage | unemployment
    source = models.CharField(max_length=32)  # the locate source key (sources.yaml)
    ssn_index = models.CharField(max_length=64, db_index=True)
    ssn_last4 = models.CharField(max_length=4)
    first_name = models.CharField(max_length=60, blank=True)
    middle_name = models.CharField(max_length=60, blank=True)
    last_name = models.CharField(max_length=60)
    date_of_birth = models.DateField(null=True, blank=True)
    address_line1 = models.CharField(max_length=100, blank=True)
    address_line2 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=60, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    employer_name = models.CharField(max_length=120, blank=True)
    employer_fein = models.CharField(max_length=10, blank=True)
    employer_line1 = models.CharField(max_length=100, blank=True)
    employer_city = models.CharField(max_length=60, blank=True)
    employer_state = models.CharField(max_length=2, blank=True)
    employer_postal_code = models.CharField(max_length=10, blank=True)
    hired_on = models.DateField(null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    period = models.CharField(max_length=5, blank=True)  # CCYYQ
    received_on = models.DateField()
    status = models.CharField(max_length=10, choices=RecordStatus.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    match_basis = models.CharField(max_length=200, blank=True)  # "exact SSN", "linked by J. Smith: ..."
    review_reason = models.CharField(max_length=200, blank=True)  # why it is in the queue: "no match ..."
    # A probabilistic match (opencse.matching): the engine's probability, weight (log2 odds) and the weight of
    # each field, of the lead posted (or of the candidate an officer linked); None for an SSN match.
    match_probability = models.FloatField(null=True, blank=True)
    match_weight = models.FloatField(null=True, blank=True)
    field_weights = models.JSONField(default=dict, blank=True)
    awaiting_match = models.BooleanField(default=False)  # no SSN match yet: the probabilistic step is to run
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employment = models.ForeignKey(Employment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "received_on"]),
            models.Index(fields=["person"]),
            models.Index(fields=["awaiting_match"], condition=Q(awaiting_match=True), name="locate_record_awaiting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["review", "dismissed"]) | Q(person__isnull=False),
                name="locate_record_posted_has_person",
            ),
        ]

    @property
    def ssn_masked(self) -> str:
        return f"***-**-{self.ssn_last4}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

    @property
    def address_text(self) -> str:
        place = f"{self.city}, {self.state} {self.postal_code}".strip(", ")
        return ", ".join(part for part in (self.address_line1, self.address_line2, place) if part)

    @property
    def employer_text(self) -> str:
        if not self.employer_name:
            return ""
        return f"{self.employer_name} (FEIN {self.employer_fein})" if self.employer_fein else self.employer_name


class LocateCandidate(models.Model):
    """A person a record in the review queue may be (the probabilistic match): shown to the officer with the
    engine's probability, weight and field weights, and why it was not posted as a lead (`note`)."""

    record = models.ForeignKey(LocateRecord, on_delete=models.PROTECT, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    match_probability = models.FloatField()
    match_weight = models.FloatField(null=True, blank=True)
    field_weights = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "person"], name="locate_candidate_once")]


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for the source"
    ANSWERED = "answered", "Answered"


class LocateRequest(models.Model):
    """Who asked which source about whom on a case, and when."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="locate_requests")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=32)
    requested_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)


class LocateResponse(models.Model):
    """What a source gave back about a person of a case: found or not, what, and from which record."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="locate_responses")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=32)
    request = models.ForeignKey(
        LocateRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    record = models.ForeignKey(LocateRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="responses")
    received_on = models.DateField()
    found = models.BooleanField()
    summary = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "record"], condition=Q(record__isnull=False), name="locate_response_once_per_record"
            )
        ]


class VerificationKind(models.TextChoices):
    EMPLOYER = "employer", "Employer verification letter"
    POSTAL = "postal", "Postal verification"
    SSN = "ssn", "SSN verification"


class VerificationStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    VERIFIED = "verified", "Verified"
    FAILED = "failed", "Could not be verified"


class VerificationRequest(models.Model):
    """A check of a lead before it is used for enforcement: an employer's confirmation, the post office's,
    or SSA's. The letter (employer, postal) is a stored document of the case."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="locate_verifications")
    kind = models.CharField(max_length=10, choices=VerificationKind.choices)
    employment = models.ForeignKey(Employment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.REQUESTED)
    requested_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    letter = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="employer") | Q(employment__isnull=False), name="verification_employer_names_job"
            ),
            models.CheckConstraint(
                condition=~Q(kind="postal") | Q(address__isnull=False), name="verification_postal_names_address"
            ),
            models.CheckConstraint(
                condition=Q(status="requested") | Q(decided_on__isnull=False), name="verification_decided_has_date"
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("requested_on")),
                name="verification_decided_after_request",
            ),
        ]
