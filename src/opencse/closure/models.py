"""A closure of a case under 45 CFR 303.11: proposed, under notice, stopped by a response, or done; and a
closed case's reopening. The case itself keeps only its current state (`Case.closed_on`, `closure_reason`);
these rows keep the history and the paragraph of the current text each closure was made under."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opencse.cases.models import Case
from opencse.documents.models import Document


class Status(models.TextChoices):
    PENDING = "pending", "Notice sent: the case closes when the notice period ends"
    STOPPED = "stopped", "Kept open: the recipient responded (303.11(d)(3))"
    CLOSED = "closed", "Closed"
    SUPERSEDED = "superseded", "The case was closed or reopened otherwise before the notice period ended"


class Closure(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closures")
    criterion = models.CharField(max_length=4)  # the paragraph of 303.11(b): "b1" to "b21" (rules.closure)
    notice = models.CharField(max_length=20)  # rules.closure.Notice: "none", "recipient", "recipient_reapply"
    facts = models.JSONField(default=dict)  # the findings the officer gave, as the rule read them
    note = models.TextField(max_length=4000)  # the officer's documentation of the criterion (303.11(b))
    proposed_on = models.DateField()
    notice_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closes_on = models.DateField(null=True, blank=True)  # the first day the case may close after the notice
    status = models.CharField(max_length=12, choices=Status.choices)
    response_received_on = models.DateField(null=True, blank=True)
    response_note = models.TextField(max_length=4000, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "closes_on"])]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="pending"), name="closure_one_pending"),
            models.CheckConstraint(
                condition=Q(notice="none") | (Q(closes_on__isnull=False) & Q(notice_document__isnull=False)),
                name="closure_notice_has_date_and_letter",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False), name="closure_closed_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="stopped") | Q(response_received_on__isnull=False),
                name="closure_stopped_by_response",
            ),
        ]


class Reopening(models.Model):
    """A closed case opened again (45 CFR 303.11(d)(5): a change in circumstances; a new application)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reopenings")
    reopened_on = models.DateField()
    reason = models.TextField(max_length=4000)
    was_closed_on = models.DateField()
    was_closure_reason = models.CharField(max_length=8)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(reopened_on__gte=models.F("was_closed_on")), name="reopening_after_closure"
            )
        ]
