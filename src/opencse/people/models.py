"""Persons and what locate finds about them: aliases, addresses, employers.

The SSN is never stored in plain: `ssn_encrypted` holds it encrypted (opencse.security.crypto),
`ssn_index` a keyed hash for exact search, and `ssn_last4` the last four digits, which are shown and
searched as agencies do. A person with the family violence indicator has their addresses shown only
to roles with clearance and never written into a generated document (selectors.address_lines).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

US_STATES = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
    "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "AS", "GU", "MP",
    "PR", "VI",
]  # fmt: skip
STATE_CHOICES = [(code, code) for code in US_STATES]


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Unknown"


class Person(models.Model):
    first_name = models.CharField(max_length=60)
    middle_name = models.CharField(max_length=60, blank=True)
    last_name = models.CharField(max_length=60)
    suffix = models.CharField(max_length=10, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ssn_encrypted = models.TextField(blank=True)
    ssn_index = models.CharField(max_length=64, blank=True, db_index=True)
    ssn_last4 = models.CharField(max_length=4, blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=40, blank=True, default="English")
    date_of_death = models.DateField(null=True, blank=True)
    tribal_affiliation = models.CharField(max_length=120, blank=True)
    family_violence = models.BooleanField(default=False)
    family_violence_since = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["last_name", "first_name"]), models.Index(fields=["date_of_birth"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_birth__isnull=True)
                | Q(date_of_death__gte=models.F("date_of_birth")),
                name="person_death_after_birth",
            ),
            models.CheckConstraint(condition=Q(sex__in=["F", "M", "U"]), name="person_sex_known"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        parts = [self.first_name, self.middle_name, self.last_name, self.suffix]
        return " ".join(part for part in parts if part)

    @property
    def ssn_masked(self) -> str:
        return f"***-**-{self.ssn_last4}" if self.ssn_last4 else ""


class Alias(models.Model):
    class Kind(models.TextChoices):
        ALIAS = "alias", "Alias"
        MAIDEN = "maiden", "Maiden name"
        PREVIOUS = "previous", "Previous legal name"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    first_name = models.CharField(max_length=60, blank=True)
    last_name = models.CharField(max_length=60)


class NameKey(models.Model):
    """One search key of a name a person is known by (legal name or alias): see `people.names`. Derived
    data, rewritten by `people.services.index_names` whenever the names change."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=70)

    class Meta:
        indexes = [models.Index(fields=["key", "person"])]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="name_key_once_per_person")]


class InformationSource(models.TextChoices):
    PARTY = "party", "Reported by a party"
    EMPLOYER = "employer", "Employer"
    NEW_HIRE = "new_hire", "New hire report"
    FPLS = "fpls", "Federal Parent Locator Service"
    DMV = "dmv", "Motor vehicles"
    POSTAL = "postal", "Postal verification"
    OTHER_AGENCY = "agency", "Other agency"
    OTHER = "other", "Other"


class Address(models.Model):
    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", "Residential"
        MAILING = "mailing", "Mailing"
        WORK = "work", "Work"

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        VERIFIED = "verified", "Verified"
        BAD = "bad", "Bad address"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RESIDENTIAL)
    line1 = models.CharField(max_length=100)
    line2 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=60)
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    postal_code = models.CharField(max_length=10)
    source = models.CharField(max_length=10, choices=InformationSource.choices, default=InformationSource.PARTY)
    verification = models.CharField(max_length=10, choices=Verification.choices, default=Verification.UNVERIFIED)
    verified_on = models.DateField(null=True, blank=True)
    effective_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("effective_on")),
                name="address_ends_after_it_starts",
            )
        ]

    def lines(self) -> list[str]:
        return [line for line in (self.line1, self.line2, f"{self.city}, {self.state} {self.postal_code}") if line]


class Employer(models.Model):
    name = models.CharField(max_length=120)
    fein = models.CharField("FEIN", max_length=10, blank=True, db_index=True)
    line1 = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=60, blank=True)
    state = models.CharField(max_length=2, choices=STATE_CHOICES, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    payroll_contact = models.CharField(max_length=80, blank=True)
    payroll_phone = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return self.name


class Employment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="employments")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=InformationSource.choices, default=InformationSource.PARTY)
    verified = models.BooleanField(default=False)
    verified_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="employment_ends_after_it_starts",
            )
        ]
