"""Reading intake: the queue sorted by the case-opening deadline, one referral, the interviews of a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from opencse.cases.models import Case
from opencse.errors import DomainError, NotFound
from opencse.intake.models import OPEN_STATUSES, Interview, Referral, Source
from opencse.rules.timeframes import Deadline, timeframes
from opencse.security.policy import can, require

# 45 CFR 303.2(b): the case is opened within 20 calendar days of the referral (IV-A, IV-E, Medicaid) or of the
# application; two rows of rules/params/us/timeframes.yaml, the same the worklist's case-opening task runs on.
REFERRAL_EVENT = "referral_received"
APPLICATION_EVENT = "application_received"
OPEN_CASE = "open_case"


def case_opening_deadline(*, source: str, received_on: date) -> Deadline | None:
    """When the case must be opened (45 CFR 303.2(b)), by the pure rule on the State's calendar; None for a
    date the timeframe table or the calendar does not cover."""
    event = APPLICATION_EVENT if source == Source.APPLICATION else REFERRAL_EVENT
    try:
        result = timeframes(event=event, event_on=received_on, jurisdiction=settings.OPENCSE_STATE, as_of=received_on)
    except DomainError:
        return None
    (deadline,) = [each for each in result.deadlines if each.action == OPEN_CASE]
    return deadline


@dataclass(frozen=True, slots=True)
class QueueRow:
    referral: Referral
    deadline: Deadline | None
    days_left: int | None  # negative when late

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _row(referral: Referral, today: date) -> QueueRow:
    deadline = case_opening_deadline(source=referral.source, received_on=referral.received_on)
    return QueueRow(referral, deadline, (deadline.due - today).days if deadline else None)


def intake_queue(*, viewer: object, include_decided: bool = False, limit: int = 500) -> list[QueueRow]:
    """The referrals and applications waiting for a case (received or matched), the soonest due first; with
    `include_decided`, the opened, duplicate and rejected ones too (most recent first, after the waiting)."""
    require(viewer, "intake.view")
    today = timezone.localdate()
    waiting = Referral.objects.filter(status__in=OPEN_STATUSES).prefetch_related("parties")
    rows = sorted(
        (_row(referral, today) for referral in waiting.order_by("received_on", "pk")[:limit]),
        key=lambda row: (row.deadline.due if row.deadline else row.referral.received_on, row.referral.pk),
    )
    if include_decided:
        decided = Referral.objects.exclude(status__in=OPEN_STATUSES).prefetch_related("parties")
        rows += [_row(referral, today) for referral in decided.order_by("-decided_at", "-pk")[:limit]]
    return rows


def referral_for_viewer(*, viewer: object, referral_id: int) -> Referral:
    require(viewer, "intake.view")
    referral = Referral.objects.filter(pk=referral_id).select_related("case", "referral_import").first()
    if referral is None:
        raise NotFound(f"No referral or application {referral_id}.")
    return referral


def queue_row(*, viewer: object, referral: Referral) -> QueueRow:
    require(viewer, "intake.view")
    return _row(referral, timezone.localdate())


def interviews_of(*, viewer: object, case: Case) -> QuerySet[Interview]:
    """The intake interviews recorded on a case the viewer may see (none for a viewer who may not)."""
    if not can(viewer, "cases.view", case):
        return Interview.objects.none()
    return Interview.objects.filter(case=case).select_related("custodial_party", "interviewer")
