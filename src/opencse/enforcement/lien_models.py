"""The liens an officer records when the lien remedy is taken (`enforcement.liens`): where each was recorded, its
Notice of Lien (and the sworn statement of the delinquent support filed with it), the clerk's book and page or
instrument number, and its release with the date it was filed.

Imported by `enforcement.models` (the app's models).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from opencse.documents.models import Document


class PropertyKind(models.TextChoices):
    """What the lien is recorded against (42 U.S.C. 666(a)(4): real and personal property)."""

    REAL_PROPERTY = "real_property", "Real property in a county"
    MOTOR_VEHICLE = "motor_vehicle", "A motor vehicle (its certificate of title)"
    PERSONAL_PROPERTY = "personal_property", "Other personal property"


class Lien(models.Model):
    """One lien of a taken lien action, recorded with one office: the Notice of Lien for the arrears owed on its
    date; the recording the clerk returns (date, book and page or instrument number); the Release of Lien when the
    action is released, and the date the officer filed it with the same office."""

    action = models.ForeignKey("enforcement.EnforcementAction", on_delete=models.PROTECT, related_name="liens")
    property_kind = models.CharField(max_length=20, choices=PropertyKind.choices)
    property_description = models.CharField(max_length=300)
    county = models.CharField(max_length=60, blank=True)  # where real property lies
    recording_office = models.CharField(max_length=200)
    dated_on = models.DateField()
    amount = models.DecimalField(max_digits=13, decimal_places=2)  # the arrears owed on `dated_on`
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="lien_notice")
    # the sworn statement of the delinquent support filed with the notice, where the State asks for one
    # (recording_offices/<state>.yaml: Mississippi, Miss. Code Ann. 93-11-71(2))
    statement_document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT,
                                              related_name="lien_statement")  # fmt: skip
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    recorded_on = models.DateField(null=True, blank=True)
    book_page = models.CharField(max_length=60, blank=True)
    instrument_number = models.CharField(max_length=60, blank=True)
    release_document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="lien_release")  # fmt: skip
    released_on = models.DateField(null=True, blank=True)
    release_filed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="lien_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Lien, {self.get_property_kind_display().lower()}, {self.recording_office}"
