"""Working a dispute: open it (a task on the worklist), add evidence and investigation notes, resolve it
(requesting an adjustment through the two-person approval when the decision changes the debt) and generate
the result letter. Each service checks the actor's permission on the case, runs in one transaction and audits.

A dispute's task has no federal clock: it is due `DISPUTE_REVIEW_DAYS` after the dispute was raised, the
agency's own target (a tickler like a note's follow-up), and is completed when the dispute is resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from opencse.cases.models import Case
from opencse.common.validation import future_dates
from opencse.documents.correspondence.models import Correspondence, Scan
from opencse.documents.models import Document
from opencse.documents.services import generate_document
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.ledger.adjustments import INCREASES, request_adjustment
from opencse.people.models import Person
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require
from opencse.work.disputes.models import Dispute, DisputeKind, Evidence, InvestigationNote, Resolution
from opencse.work.models import Completion, Task, TaskKind
from opencse.work.services import NewTask, open_tasks

DISPUTE_REVIEW_DAYS = 30  # the agency's target for resolving a dispute (no federal timeframe applies)
LETTER_KIND = "dispute_result"


def _business_date(value: date, field: str, errors: list[InvalidInput], *, not_before: date | None = None) -> None:
    errors.extend(future_dates(**{field: value}))
    if not_before is not None and value < not_before:
        errors.append(InvalidInput(f"cannot be before {not_before:%m/%d/%Y}", field=field))


@transaction.atomic
def open_dispute(*, actor: User, case: Case, kind: str, raised_by: Person, raised_on: date, statement: str) -> Dispute:
    """Record a dispute raised by a party of the case, and put it on the case worker's worklist."""
    require(actor, "disputes.manage", case)
    errors: list[InvalidInput] = []
    if kind not in DisputeKind.values:
        errors.append(InvalidInput("choose what is disputed", field="kind"))
    if not case.members.filter(person=raised_by).exists():
        errors.append(InvalidInput("is not a member of the case", field="raised_by"))
    _business_date(raised_on, "raised_on", errors)
    if len(statement.strip()) < 10:
        errors.append(InvalidInput("say what the party disputes (at least 10 characters)", field="statement"))
    if errors:
        raise InvalidInputs(errors)
    dispute = Dispute.objects.create(
        case=case,
        kind=kind,
        raised_by=raised_by,
        raised_on=raised_on,
        statement=statement.strip()[:2000],
        opened_by=actor,
    )
    open_tasks(
        [
            NewTask(
                case_id=case.pk,
                owner_id=case.assigned_worker_id,
                kind=TaskKind.DISPUTE,
                source_key=_task_key(dispute),
                event_on=raised_on,
                due_on=raised_on + timedelta(days=DISPUTE_REVIEW_DAYS),
                detail=f"{dispute.get_kind_display()} (dispute {dispute.pk})",
            )
        ]
    )
    record_audit(
        actor=actor,
        action="dispute.opened",
        target=dispute,
        case_number=case.number,
        summary=dispute.get_kind_display(),
        after={"raised_on": str(raised_on), "kind": kind},
    )
    return dispute


def _task_key(dispute: Dispute) -> str:
    return f"dispute:{dispute.pk}"


def _open_for_work(actor: User, dispute: Dispute, permission: str) -> Dispute:
    dispute = Dispute.objects.select_for_update().select_related("case", "raised_by").get(pk=dispute.pk)
    require(actor, permission, dispute.case)
    if not dispute.is_open:
        raise Conflict(f"This dispute was resolved on {dispute.resolved_on:%m/%d/%Y}.")
    return dispute


@transaction.atomic
def add_evidence(
    *, actor: User, dispute: Dispute, entry: Correspondence, scan: Scan | None = None, note: str = ""
) -> Evidence:
    """Link a correspondence entry of the case (and optionally one of its scans) to the dispute."""
    dispute = _open_for_work(actor, dispute, "disputes.manage")
    if entry.case_id != dispute.case_id:
        raise InvalidInput("is not correspondence of this case", field="entry")
    if scan is not None and scan.entry_id != entry.pk:
        raise InvalidInput("is not a scan of that entry", field="scan")
    evidence = Evidence.objects.create(dispute=dispute, entry=entry, scan=scan, note=note.strip()[:500], added_by=actor)
    record_audit(
        actor=actor,
        action="dispute.evidence_added",
        target=dispute,
        case_number=dispute.case.number,
        summary=f"correspondence {entry.pk}",
        after={"entry": entry.pk, "scan": scan.pk if scan else None},
    )
    return evidence


@transaction.atomic
def add_investigation_note(*, actor: User, dispute: Dispute, noted_on: date, text: str) -> InvestigationNote:
    dispute = _open_for_work(actor, dispute, "disputes.manage")
    errors: list[InvalidInput] = []
    _business_date(noted_on, "noted_on", errors, not_before=dispute.raised_on)
    if not text.strip():
        errors.append(InvalidInput("write the note", field="text"))
    if errors:
        raise InvalidInputs(errors)
    note = InvestigationNote.objects.create(dispute=dispute, noted_on=noted_on, text=text.strip()[:4000], author=actor)
    record_audit(
        actor=actor,
        action="dispute.note_added",
        target=dispute,
        case_number=dispute.case.number,
        summary=f"note {note.pk}",
    )
    return note


@dataclass(frozen=True, slots=True)
class AdjustmentInput:
    """The change to the debt a resolution asks for: it goes to the approval queue, posted only when a second
    officer with signature authority approves it (`ledger.adjustments`)."""

    account: str
    kind: str
    amount: Decimal
    effective_on: date


@transaction.atomic
def resolve_dispute(
    *,
    actor: User,
    dispute: Dispute,
    resolution: str,
    reason: str,
    resolved_on: date,
    adjustment: AdjustmentInput | None = None,
) -> Dispute:
    """Decide the dispute. Upheld or partly upheld may request an adjustment (the dispute keeps the request);
    a denial changes nothing. The dispute's task is completed."""
    dispute = _open_for_work(actor, dispute, "disputes.resolve")
    errors: list[InvalidInput] = []
    if resolution not in Resolution.values:
        errors.append(InvalidInput("choose upheld, denied or partly upheld", field="resolution"))
    if len(reason.strip()) < 10:
        errors.append(InvalidInput("give the reason for the decision (at least 10 characters)", field="reason"))
    _business_date(resolved_on, "resolved_on", errors, not_before=dispute.raised_on)
    if adjustment is not None and resolution == Resolution.DENIED:
        errors.append(InvalidInput("a denied dispute changes no debt", field="adjustment"))
    if errors:
        raise InvalidInputs(errors)
    if adjustment is not None:
        dispute.adjustment = request_adjustment(
            actor=actor,
            case=dispute.case,
            account=adjustment.account,
            kind=adjustment.kind,
            amount=adjustment.amount,
            effective_on=adjustment.effective_on,
            reason=f"Dispute {dispute.pk} {Resolution(resolution).label.lower()}: {reason.strip()}"[:500],
        )
    dispute.resolution, dispute.resolution_reason = resolution, reason.strip()[:2000]
    dispute.resolved_on, dispute.resolved_by = resolved_on, actor
    dispute.save(update_fields=["resolution", "resolution_reason", "resolved_on", "resolved_by", "adjustment"])
    Task.objects.filter(
        case_id=dispute.case_id, kind=TaskKind.DISPUTE, source_key=_task_key(dispute), completed_on__isnull=True
    ).update(completed_on=max(resolved_on, dispute.raised_on), completed_by=actor, completion=Completion.BY_EVENT)
    record_audit(
        actor=actor,
        action="dispute.resolved",
        target=dispute,
        case_number=dispute.case.number,
        summary=f"{Resolution(resolution).label}: {reason.strip()}"[:300],
        before={"resolution": ""},
        after={"resolution": resolution, "resolved_on": str(resolved_on), "adjustment": dispute.adjustment_id},
    )
    return dispute


@transaction.atomic
def generate_result_letter(*, actor: User, dispute: Dispute, dated_on: date) -> Document:
    """The letter telling the party the decision (a new version each time it is generated)."""
    dispute = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("case", "raised_by", "adjustment")
        .get(pk=dispute.pk)
    )
    require(actor, "disputes.manage", dispute.case)
    if dispute.is_open:
        raise Conflict("Resolve the dispute before printing its result letter.")
    if dated_on < dispute.resolved_on:  # type: ignore[operator]  # a resolved dispute has its date
        raise InvalidInput(f"cannot be before the decision ({dispute.resolved_on:%m/%d/%Y})", field="dated_on")
    adjustment = dispute.adjustment
    data: dict[str, object] = {
        "case_number": dispute.case.number,
        "party": dispute.raised_by,
        "raised_on": dispute.raised_on,
        "kind": dispute.get_kind_display(),
        "statement": dispute.statement,
        "resolution": dispute.get_resolution_display(),
        "reason": dispute.resolution_reason,
        "resolved_on": dispute.resolved_on,
        "issued_by": actor.get_full_name() or actor.username,
    }
    if adjustment is not None:
        data["adjustment_direction"] = "increase" if adjustment.kind in INCREASES else "reduction"
        data["adjustment_amount"] = adjustment.amount
        data["adjustment_effective_on"] = adjustment.effective_on
    letter = generate_document(
        actor=actor,
        case=dispute.case,
        kind=LETTER_KIND,
        data=data,
        dated_on=dated_on,
        subject=f"dispute {dispute.pk}",
        person=dispute.raised_by,
    )
    dispute.letter = letter
    dispute.save(update_fields=["letter"])
    return letter
