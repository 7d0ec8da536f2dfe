"""The IV-D case: its program, category, members and timeline.

Case notes are the official record: append-only (a database trigger refuses UPDATE and DELETE). A
mistaken note is followed by a correction note that points back at it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.people.models import Person
from opencse.security.models import Office


class Program(models.TextChoices):
    """The case's assistance status, which drives distribution (45 CFR 302.51)."""

    CURRENT_ASSISTANCE = "current_assistance", "Current assistance (TANF)"
    FORMER_ASSISTANCE = "former_assistance", "Former assistance"
    NEVER_ASSISTANCE = "never_assistance", "Never assistance"
    MEDICAID_ONLY = "medicaid_only", "Medicaid only"
    FOSTER_CARE = "foster_care", "Foster care (title IV-E)"


class Category(models.TextChoices):
    IN_STATE = "in_state", "In-state"
    INTERSTATE_INITIATING = "interstate_initiating", "Interstate, initiating"
    INTERSTATE_RESPONDING = "interstate_responding", "Interstate, responding"
    TRIBAL = "tribal", "Tribal"
    INTERNATIONAL = "international", "International"


class ClosureReason(models.TextChoices):
    """The case closure criteria of 45 CFR 303.11(b)."""

    NO_ORDER_NO_PATERNITY_CHILD_18 = "b1", "303.11(b)(1): no current support, arrears under $500 or unenforceable"
    NO_CURRENT_ORDER_ARREARS_UNDER_500 = "b2", "303.11(b)(2): no current order and arrears under $500"
    NONCUSTODIAL_PARENT_DECEASED = "b3", "303.11(b)(3): noncustodial parent deceased, no further action"
    PATERNITY_CANNOT_BE_ESTABLISHED = "b4", "303.11(b)(4): paternity cannot be established"
    NONCUSTODIAL_PARENT_NOT_LOCATED = "b5", "303.11(b)(5)-(6): noncustodial parent's location unknown"
    NO_INCOME_OR_ASSETS = "b7", "303.11(b)(7)-(9): no ability to pay"
    FOREIGN_RESIDENT = "b10", "303.11(b)(10): noncustodial parent in a foreign country"
    RECIPIENT_REQUEST = "b14", "303.11(b)(14): non-IV-A recipient asked to close"
    UNCOOPERATIVE_RECIPIENT = "b17", "303.11(b)(17): recipient does not cooperate"
    INITIATING_AGENCY_NOTICE = "b20", "303.11(b)(20)-(21): initiating agency closed or asked to close"
    OTHER = "other", "Other (explained in the case notes)"


class AgencyKind(models.TextChoices):
    STATE = "state", "State"
    TRIBE = "tribe", "Tribe"
    COUNTRY = "country", "Country"


class OtherAgency(models.Model):
    """Another IV-D agency (state, tribe or country) that this state pays on responding interstate cases.

    The remittance account receives NACHA CCD+ credits with the DED addenda (Child Support Application
    Banking Convention); its number is encrypted at rest and shown by its last four digits. The address
    lines are for a check when the agency has no account on file. An inactive agency is kept (payouts point
    at it) but is no longer paid.
    """

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=8, choices=AgencyKind.choices)
    fips_code = models.CharField(max_length=7, unique=True)  # DED08: state + county + local, 5 to 7 characters
    routing_number = models.CharField(max_length=9, blank=True)
    account_number_encrypted = models.TextField(blank=True)
    account_last4 = models.CharField(max_length=4, blank=True)
    address_line1 = models.CharField(max_length=120, blank=True)
    address_line2 = models.CharField(max_length=120, blank=True)
    address_line3 = models.CharField(max_length=120, blank=True)  # city, state and postal code
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(routing_number="") & Q(account_number_encrypted="") & Q(account_last4=""))
                | (~Q(routing_number="") & ~Q(account_number_encrypted="") & ~Q(account_last4="")),
                name="other_agency_account_whole",
            ),
            models.CheckConstraint(condition=Q(kind__in=["state", "tribe", "country"]), name="other_agency_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_bank_account(self) -> bool:
        return bool(self.routing_number and self.account_number_encrypted)

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.address_line1, self.address_line2, self.address_line3) if line]


class Case(models.Model):
    number = models.CharField(max_length=20, unique=True)
    program = models.CharField(max_length=20, choices=Program.choices)
    category = models.CharField(max_length=24, choices=Category.choices, default=Category.IN_STATE)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="cases")
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="caseload"
    )
    referral_received_on = models.DateField("Referral or application received")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=8, choices=ClosureReason.choices, blank=True)
    other_jurisdiction = models.CharField(max_length=80, blank=True)  # the other state, tribe or country
    # On an interstate case: the other agency, from the directory, and its case number (DED02 of a payment
    # to it: the receiving agency's case identifier, at most 20 characters).
    other_agency = models.ForeignKey(OtherAgency, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    other_case_identifier = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["office", "closed_on"]), models.Index(fields=["assigned_worker"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(opened_on__gte=models.F("referral_received_on")), name="case_opened_after_referral"
            ),
            models.CheckConstraint(
                condition=(Q(closed_on__isnull=True) & Q(closure_reason=""))
                | (Q(closed_on__isnull=False) & ~Q(closure_reason="")),
                name="case_closed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def status(self) -> str:
        return "open" if self.is_open else "closed"


class CaseNumberSequence(models.Model):
    """The last case number issued per prefix; locked while a number is taken, so none repeats."""

    prefix = models.CharField(max_length=8, unique=True)
    last = models.PositiveIntegerField(default=0)


class MemberRole(models.TextChoices):
    CUSTODIAL_PARTY = "custodial_party", "Custodial party"
    NONCUSTODIAL_PARENT = "noncustodial_parent", "Noncustodial parent"
    ALLEGED_FATHER = "alleged_father", "Alleged father"
    DEPENDENT_CHILD = "dependent_child", "Dependent child"
    CARETAKER_RELATIVE = "caretaker_relative", "Caretaker relative"


class CaseMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "role"], condition=Q(left_on__isnull=True), name="member_once_per_role"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_leaves_after_joining",
            ),
        ]


class NoteKind(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    PHONE = "phone", "Phone call"
    MAIL = "mail", "Mail"
    EMAIL = "email", "Email"
    AGENCY_CONTACT = "agency", "Other agency contact"
    COURT = "court", "Court"
    SYSTEM = "system", "System"
    CORRECTION = "correction", "Correction"


class CaseNote(models.Model):
    """One entry of the case timeline. Never edited: a correction is a new note that `corrects` it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=12, choices=NoteKind.choices)
    text = models.TextField(max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    # A system note written from an input record (a payment file's "employment ended") names the record,
    # so a re-import of it adds no second note; officers' notes have none.
    source_key = models.CharField(max_length=120, null=True, blank=True)
    # The day the author asked to be reminded (a tickler on the worklist: docs/work.md); officers' notes only.
    follow_up_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Partial, so adding it needs no table rebuild on SQLite (which would drop the append-only triggers).
            models.UniqueConstraint(
                fields=["source_key"], condition=Q(source_key__isnull=False), name="note_source_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="correction", corrects__isnull=False)
                | (~Q(kind="correction") & Q(corrects__isnull=True)),
                name="note_correction_points_back",
            ),
        ]
