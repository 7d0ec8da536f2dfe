"""An attorney packet: the records a staff attorney needs to take a case to court, gathered on the case,
referred (sent) as one PDF, and the attorney's outcome.

A `Packet` is assembled (`assembling`), then sent to a named staff attorney (`sent`: the referral, with the
assembled PDF stored as a `documents.Document`), then closed by the attorney's outcome (`outcome_recorded`).
Its `PacketItem`s say what each item is and what it points to: a stored document (a declaration, the petition
data, and once sent every item's printed PDF), a guideline worksheet or the orders printed. The packet types
and their items are data: `packets.yaml` (`packet_types`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.documents.models import Document


class PacketStatus(models.TextChoices):
    ASSEMBLING = "assembling", "Assembling"
    SENT = "sent", "Sent to the staff attorney"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"


class Outcome(models.TextChoices):
    FILED = "filed", "Filed"
    HEARING_SET = "hearing_set", "Hearing set"
    ORDER_ENTERED = "order_entered", "Order entered"
    DECLINED = "declined", "Declined"


class Packet(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="packets")
    kind = models.CharField(max_length=40)  # a type of packets.yaml: initial_support, paternity, contempt, ...
    status = models.CharField(max_length=20, choices=PacketStatus.choices, default=PacketStatus.ASSEMBLING)
    opened_on = models.DateField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The referral: to whom, when, by whom, and the one PDF sent.
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="packets_referred"
    )
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")  # fmt: skip
    document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The attorney's outcome.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    hearing_on = models.DateField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    outcome_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="assembling")
                | Q(sent_on__isnull=False, attorney__isnull=False, document__isnull=False),
                name="packet_sent_has_referral",
            ),
            models.CheckConstraint(
                condition=~Q(status="outcome_recorded") | (~Q(outcome="") & Q(outcome_on__isnull=False)),
                name="packet_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(sent_on__gte=models.F("opened_on")),
                name="packet_sent_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} packet {self.pk} (case {self.case_id})"


class PacketItem(models.Model):
    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(max_length=40)  # an item of packets.yaml: petition_data, service_records, ...
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    worksheet_id = models.IntegerField(null=True, blank=True)  # establishment.GuidelineWorksheet
    order_ids = models.JSONField(default=list, blank=True)  # orders.Order printed as the prior orders
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["packet", "item"], name="packet_item_once"),
            models.CheckConstraint(
                condition=Q(document__isnull=False) | Q(worksheet_id__isnull=False), name="packet_item_points_somewhere"
            ),
        ]
