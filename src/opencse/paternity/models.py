"""Paternity of each child on a case: who is alleged to be the father, the voluntary acknowledgments and their
rescission or challenge, genetic tests and the court's determinations.

The child's paternity status is a history: `PaternityStatus` rows are never updated or deleted (a database
trigger refuses it); each change is a new row with its business date, who recorded it and why, and the
current status is the latest row recorded (the highest id). A child with no row has an unknown father.
`established` marks the rows where paternity is legally established: a court's adjudication, or an
acknowledgment whose rescission period has ended (42 U.S.C. 666(a)(5)(D)(ii); `opencse paternity finalize`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case, CaseMember
from opencse.people.models import Person


class Status(models.TextChoices):
    UNKNOWN = "unknown", "Father unknown"
    ALLEGED = "alleged", "Alleged father named"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    PRESUMED = "presumed", "Presumed by genetic test"
    ADJUDICATED = "adjudicated", "Adjudicated by the court"
    EXCLUDED = "excluded", "Excluded"


ESTABLISHING = (Status.ACKNOWLEDGED, Status.ADJUDICATED)  # the statuses whose row may say "established"


class PaternityStatus(models.Model):
    """One change of a child's paternity status on a case (append-only)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="paternity_statuses")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    father = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    established = models.BooleanField(default=False)
    effective_on = models.DateField()  # the business date of the event (signing, result, order)
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # What a batch wrote it from ("acknowledgment:12:established"): a re-run writes nothing twice.
    source_key = models.CharField(max_length=80, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "child", "id"], name="paternity_status_latest")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="unknown") & Q(father__isnull=True))
                | (~Q(status="unknown") & Q(father__isnull=False)),
                name="paternity_status_father_named",
            ),
            models.CheckConstraint(
                condition=Q(established=False) | Q(status__in=["acknowledged", "adjudicated"]),
                name="paternity_status_established_kind",
            ),
            models.UniqueConstraint(
                fields=["source_key"], condition=Q(source_key__isnull=False), name="paternity_status_source_once"
            ),
        ]


class AllegedFather(models.Model):
    """A man named as a possible father of one child on the case (his case membership is `alleged_father`)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="alleged_fathers")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    father = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(CaseMember, on_delete=models.PROTECT, related_name="+")
    named_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "child", "father"], condition=Q(ended_on__isnull=True), name="alleged_father_once"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("named_on")),
                name="alleged_father_ends_after_named",
            ),
        ]


class AcknowledgmentStatus(models.TextChoices):
    IN_EFFECT = "in_effect", "Signed: may still be rescinded"
    RESCINDED = "rescinded", "Rescinded"
    ESTABLISHED = "established", "Paternity established: the rescission period ended"
    SUPERSEDED = "superseded", "Replaced by the court's determination"


class Signatory(models.TextChoices):
    MOTHER = "mother", "The mother"
    FATHER = "father", "The father"


class Acknowledgment(models.Model):
    """A voluntary acknowledgment of paternity (42 U.S.C. 666(a)(5)(C), (D))."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="acknowledgments")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    father = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField()
    filed_on = models.DateField()  # with the vital records registry (666(a)(5)(M))
    proceeding_on = models.DateField(null=True, blank=True)  # a proceeding cutting the period short (D)(ii)(II)
    rescission_ends_on = models.DateField()  # the last day to rescind (rules.paternity.rescission_period)
    status = models.CharField(max_length=12, choices=AcknowledgmentStatus.choices, default="in_effect")
    rescinded_on = models.DateField(null=True, blank=True)
    rescinded_by = models.CharField(max_length=8, choices=Signatory.choices, blank=True)
    rescission_note = models.TextField(max_length=2000, blank=True)
    established_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "rescission_ends_on"], name="acknowledgment_due")]
        constraints = [
            models.CheckConstraint(condition=Q(filed_on__gte=models.F("signed_on")), name="acknowledgment_filed_after"),
            models.CheckConstraint(
                condition=Q(rescission_ends_on__gte=models.F("signed_on")), name="acknowledgment_period_after_signing"
            ),
            models.CheckConstraint(
                condition=~Q(status="rescinded") | (Q(rescinded_on__isnull=False) & ~Q(rescinded_by="")),
                name="acknowledgment_rescission_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="established") | Q(established_on__gt=models.F("rescission_ends_on")),
                name="acknowledgment_established_after_period",
            ),
            models.UniqueConstraint(
                fields=["case", "child"],
                condition=Q(status__in=["in_effect", "established"]),
                name="acknowledgment_one_per_child",
            ),
        ]


class Challenge(models.Model):
    """A court challenge to an acknowledgment after its rescission period (42 U.S.C. 666(a)(5)(D)(iii)).
    It suspends nothing: the outcome is the court's determination."""

    acknowledgment = models.ForeignKey(Acknowledgment, on_delete=models.PROTECT, related_name="challenges")
    ground = models.CharField(max_length=24)  # rules.paternity.ChallengeGround
    filed_on = models.DateField()
    filed_by = models.CharField(max_length=8, choices=Signatory.choices)
    note = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)


class Finding(models.TextChoices):
    PRESUMED = "presumed", "At or above the State's threshold: presumed the father"
    EXCLUDED = "excluded", "Excluded"
    INCONCLUSIVE = "inconclusive", "Inconclusive"


class GeneticTest(models.Model):
    """A genetic test of a child and an alleged father: ordered, scheduled, result received (666(a)(5)(B))."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="genetic_tests")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    father = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    ordered_on = models.DateField()
    appointment_on = models.DateField(null=True, blank=True)
    appointment_place = models.CharField(max_length=200, blank=True)
    lab = models.CharField(max_length=120, blank=True)
    result_received_on = models.DateField(null=True, blank=True)
    combined_index = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    probability = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)  # percent
    prior_probability = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    lab_excludes = models.BooleanField(default=False)
    finding = models.CharField(max_length=12, choices=Finding.choices, blank=True)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(finding="") & Q(result_received_on__isnull=True))
                | (~Q(finding="") & Q(result_received_on__gte=models.F("ordered_on")) & Q(probability__isnull=False)),
                name="genetic_test_result_whole",
            ),
            models.CheckConstraint(
                condition=Q(appointment_on__isnull=True) | Q(appointment_on__gte=models.F("ordered_on")),
                name="genetic_test_appointment_after_order",
            ),
        ]

    @property
    def has_result(self) -> bool:
        return bool(self.finding)


class Outcome(models.TextChoices):
    ADJUDICATED = "adjudicated", "Adjudicated the father"
    EXCLUDED = "excluded", "Found not to be the father"


class Determination(models.Model):
    """The court's (or the administrative tribunal's) determination of paternity, from its order."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="paternity_determinations")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    father = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    order_signed_on = models.DateField()
    court = models.CharField(max_length=120)
    docket_number = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
