"""The licenses an obligor holds and their certification to the licensing agencies (42 U.S.C. 666(a)(16);
Miss. Code Ann. 93-11-153 et seq.; RCW 74.20A.320): `enforcement.licenses` and docs/enforcement.md, "License
suspension and reinstatement". Imported by `enforcement.models` so the app's models are found.

A license is recorded and ended, never deleted. A certification is one request to one agency about one license,
never edited but for its transmission and the agency's response: a suspension (S) while the obligor has a
license_suspension action taken, then its release (R, `release_of` the suspension) once none is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.people.models import Person


class LicenseKind(models.TextChoices):
    """The three kinds 42 U.S.C. 666(a)(16) names."""

    DRIVERS = "drivers", "Driver's license"
    PROFESSIONAL = "professional", "Professional or occupational license"
    RECREATIONAL = "recreational", "Recreational or sporting license (hunting, fishing)"


class License(models.Model):
    """A license the obligor holds, as an officer or a locate source (`locate/sources.yaml`, e.g. dmv) reported
    it. Recorded on the person: it follows the obligor to every case."""

    holder = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="licenses")
    kind = models.CharField(max_length=12, choices=LicenseKind.choices)
    agency = models.CharField(max_length=40)  # the key in the licensing-agency directory (licensing_agencies/)
    agency_name = models.CharField(max_length=160)  # as the directory named it when recorded
    number = models.CharField(max_length=40)
    state = models.CharField(max_length=2)  # the issuing State (the directory's)
    source = models.CharField(max_length=32)  # "officer", or a locate source key (locate/sources.yaml)
    reported_on = models.DateField()  # when the source reported it (the officer learned of it)
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_on = models.DateField(null=True, blank=True)  # no longer held (expired, surrendered, recorded in error)
    end_reason = models.CharField(max_length=300, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["holder", "ended_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"],
                condition=Q(ended_on__isnull=True),
                name="one_license_held_per_agency_number",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["drivers", "professional", "recreational"]), name="license_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""), name="license_end_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} ({self.agency_name})"


class LicenseTransmission(models.Model):
    """One certification file written to one licensing agency (`enforcement.licenses.write_license_files`)."""

    agency = models.CharField(max_length=40)
    on = models.DateField()  # the business date of the run
    file_name = models.CharField(max_length=200)
    suspensions = models.PositiveIntegerField()
    releases = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["on", "agency"])]


class LicenseRequest(models.TextChoices):
    SUSPEND = "S", "Suspend"
    RELEASE = "R", "Release (reinstate)"


class LicenseResult(models.TextChoices):
    """The agency's answer to a certification (docs/interfaces/license-certification.md, the response)."""

    SUSPENDED = "S", "Suspended"
    NOT_FOUND = "N", "No license found"
    NAME_MISMATCH = "M", "Name does not match the license"
    REINSTATED = "R", "Reinstated"


class LicenseResponseFile(models.Model):
    """A response file read back from a licensing agency: once per content (its SHA-256)."""

    file_sha256 = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=200)
    received_on = models.DateField()
    records = models.PositiveIntegerField()
    recorded = models.PositiveIntegerField()
    already = models.PositiveIntegerField()  # lines whose answer was recorded before (another file)
    problems = models.PositiveIntegerField()
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)


class LicenseCertification(models.Model):
    """One request to a licensing agency about one license: suspend it, or release (reinstate) it."""

    license = models.ForeignKey(License, on_delete=models.PROTECT, related_name="certifications")
    # The license_suspension action the request follows (a release: one of the obligor's actions now released).
    action = models.ForeignKey("enforcement.EnforcementAction", on_delete=models.PROTECT,
                               related_name="license_certifications")  # fmt: skip
    request = models.CharField(max_length=1, choices=LicenseRequest.choices)
    release_of = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="released_by")  # fmt: skip
    agency = models.CharField(max_length=40)
    effective_on = models.DateField()  # the action taken (S) or released (R)
    transmission = models.ForeignKey(LicenseTransmission, on_delete=models.PROTECT, related_name="certifications")
    sent_on = models.DateField()
    result = models.CharField(max_length=1, choices=LicenseResult.choices, blank=True)
    result_on = models.DateField(null=True, blank=True)  # the date the agency gives (suspended or reinstated on)
    result_received_on = models.DateField(null=True, blank=True)
    result_note = models.CharField(max_length=200, blank=True)
    response_file = models.ForeignKey(LicenseResponseFile, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")  # fmt: skip

    class Meta:
        indexes = [models.Index(fields=["request", "release_of"])]
        constraints = [
            models.CheckConstraint(condition=Q(request__in=["S", "R"]), name="license_request_known"),
            models.CheckConstraint(
                condition=Q(request="S", release_of__isnull=True) | Q(request="R", release_of__isnull=False),
                name="license_release_names_its_suspension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_request_display()} certification {self.pk}"


class LicenseResponseProblem(models.Model):
    """A line of a response file that could not be recorded, kept with its line number and why."""

    response_file = models.ForeignKey(LicenseResponseFile, on_delete=models.PROTECT, related_name="problem_lines")
    line_number = models.PositiveIntegerField()
    text = models.TextField()
    problem = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response_file", "line_number"], name="license_response_problem_once")
        ]
