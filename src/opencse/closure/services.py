"""Closing a case as 45 CFR 303.11 has it: propose under a criterion of (b), send the 60-day notice of (d)
when the criterion needs one, keep the case open on a response under (d)(3), close the noticed cases when
their period ends (a batch), and reopen a closed case ((d)(5)).

The closing itself is `cases.services.close_case` (the case's status, the audit row, the timeline note,
the `CaseClosed` event that completes the worklist): the same for an immediate closure and for the batch.
Every date is a business date the caller passes in; the clock only stamps `created_at`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from opencse.cases.models import Case, ClosureReason, MemberRole, NoteKind
from opencse.cases.services import NOTE_LENGTH_MAXIMUM, add_note, close_case
from opencse.closure.events import ClosureNoticeSent
from opencse.closure.models import Closure, Reopening, Status
from opencse.common.events import publish
from opencse.documents.services import generate_document
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.people.models import Person
from opencse.rules.closure import (
    NOTICE_PARAGRAPH,
    WORDS,
    ClosureFacts,
    Criterion,
    Notice,
    assess,
    notice_period_ends,
    response_stops_closure,
)
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require
from opencse.security.services import system_actor

NOTICE_KIND = "closure_notice"
NOTE_MAXIMUM = 3000  # the officer's note; the closure heading and citation come before it in the timeline
REAPPLICATION = (
    "To receive services again, you must complete a new application for child support services and pay any "
    "application fee. Services may carry State fees and cost recovery, and collections are distributed under "
    "the State's distribution rules (45 CFR 303.11(d)(4))."
)
# The case's closure_reason code (cases.ClosureReason, older numbering of 303.11(b)) that matches each current
# criterion; "other" where none does. The current paragraph is always written in the timeline note and kept
# on the Closure row (docs/closure.md).
REASON_CODE: dict[Criterion, str] = {
    Criterion.B1: ClosureReason.NO_ORDER_NO_PATERNITY_CHILD_18,
    Criterion.B4: ClosureReason.NONCUSTODIAL_PARENT_DECEASED,
    Criterion.B6: ClosureReason.PATERNITY_CANNOT_BE_ESTABLISHED,
    Criterion.B7: ClosureReason.NONCUSTODIAL_PARENT_NOT_LOCATED,
    Criterion.B8: ClosureReason.NO_INCOME_OR_ASSETS,
    Criterion.B9: ClosureReason.NO_INCOME_OR_ASSETS,
    Criterion.B10: ClosureReason.FOREIGN_RESIDENT,
    Criterion.B12: ClosureReason.RECIPIENT_REQUEST,
    Criterion.B16: ClosureReason.UNCOOPERATIVE_RECIPIENT,
    Criterion.B18: ClosureReason.INITIATING_AGENCY_NOTICE,
    Criterion.B19: ClosureReason.INITIATING_AGENCY_NOTICE,
}


@dataclass(frozen=True, slots=True)
class BatchResult:
    closed: int
    superseded: int


def _criterion(value: str) -> Criterion:
    try:
        return Criterion(value)
    except ValueError:
        raise InvalidInput("choose a criterion of 45 CFR 303.11(b)", field="criterion") from None


def _note(text: str, field: str = "note") -> str:
    text = text.strip()
    if not text:
        raise InvalidInput("say what was found and done (it goes into the case record)", field=field)
    if len(text) > NOTE_MAXIMUM:
        raise InvalidInput(f"must be at most {NOTE_MAXIMUM} characters", field=field)
    return text


def recipient_of_services(case: Case) -> Person:
    """The person the notice goes to: the custodial party (or caretaker relative) on the case now."""
    member = (
        case.members.select_related("person")
        .filter(role__in=[MemberRole.CUSTODIAL_PARTY, MemberRole.CARETAKER_RELATIVE], left_on__isnull=True)
        .order_by("role", "pk")
        .first()
    )
    if member is None:
        raise InvalidInput("the case has no custodial party to send the notice to", field="criterion")
    return member.person


def _stored_facts(facts: ClosureFacts) -> dict[str, Any]:
    stored: dict[str, Any] = {}
    for name, value in dataclasses.asdict(facts).items():
        stored[name] = str(value) if isinstance(value, Decimal | date) else value
    return stored


def _closing_note(criterion: Criterion, note: str) -> str:
    return f"Closure criterion {criterion.paragraph}: {WORDS[criterion]}.\n{note}"


@transaction.atomic
def propose_closure(
    *, actor: User, case: Case, criterion: str, facts: ClosureFacts, note: str, proposed_on: date
) -> Closure:
    """Close `case` under `criterion` of 303.11(b) on `proposed_on`, or, when the criterion needs the notice
    of 303.11(d)(1) or (d)(4), send the notice of intent to close and record the closure as pending until the
    60 calendar days pass. Refused, naming the field, when the facts do not meet the criterion."""
    require(actor, "cases.close", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise Conflict(f"Case {case.number} is already closed.")
    if Closure.objects.filter(case=case, status=Status.PENDING).exists():
        raise Conflict(f"Case {case.number} already has a notice of intent to close pending.")
    chosen = _criterion(criterion)
    note = _note(note)
    if proposed_on < case.opened_on:
        raise InvalidInput("cannot be before the case was opened", field="proposed_on")
    found = assess(facts, as_of=proposed_on).of(chosen)
    if not found.met:
        raise InvalidInput(f"{chosen.paragraph} is {found.reason}", field="criterion")
    closure = Closure(case=case, criterion=chosen.value, notice=found.notice.value, facts=_stored_facts(facts),
                      note=note, proposed_on=proposed_on, proposed_by=actor)  # fmt: skip
    if found.notice == Notice.NONE:
        close_case(actor=actor, case=case, reason=REASON_CODE.get(chosen, ClosureReason.OTHER),
                   closed_on=proposed_on, note=_closing_note(chosen, note))  # fmt: skip
        closure.status, closure.closed_on = Status.CLOSED, proposed_on
        closure.save()
        return closure
    if found.notice == Notice.INITIATING_AGENCY:
        raise InvalidInput(
            "the notice to the initiating agency (45 CFR 303.11(d)(2)) is not built yet: send it through the "
            "intergovernmental exchange and close the case when its 60 days have passed",
            field="criterion",
        )
    closes_on = notice_period_ends(proposed_on, as_of=proposed_on)
    recipient = recipient_of_services(case)
    document = generate_document(
        actor=actor,
        case=case,
        kind=NOTICE_KIND,
        data={
            "case_number": case.number,
            "recipient": recipient,
            "sent_on": proposed_on,
            "closes_on": closes_on,
            "reason": WORDS[chosen],
            "citation": chosen.paragraph,
            "reapplication": REAPPLICATION if found.notice == Notice.RECIPIENT_WITH_REAPPLICATION else "",
            "issued_by": actor.get_full_name() or actor.username,
        },
        dated_on=proposed_on,
        subject=f"notice of {proposed_on.isoformat()}",
        person=recipient,
    )
    closure.status, closure.closes_on, closure.notice_document = Status.PENDING, closes_on, document
    closure.save()
    dates = {"proposed_on": str(proposed_on), "closes_on": str(closes_on)}
    record_audit(actor=actor, action="case.closure_noticed", target=closure, case_number=case.number,
                 after={"criterion": chosen.value, **dates})  # fmt: skip
    add_note(actor=actor, case=case, kind=NoteKind.SYSTEM, text=(
        f"Notice of intent to close sent on {proposed_on:%m/%d/%Y} under {chosen.paragraph} "
        f"({NOTICE_PARAGRAPH[found.notice]}): the case closes on or after {closes_on:%m/%d/%Y} unless the "
        f"recipient responds with information that could lead to action.\n{note}"
    ))  # fmt: skip
    publish(ClosureNoticeSent(closure_id=closure.pk, case_id=case.pk, sent_on=proposed_on, closes_on=closes_on,
                              criterion=chosen.value, actor_id=actor.pk))  # fmt: skip
    return closure


@transaction.atomic
def record_closure_response(
    *,
    actor: User,
    case: Case,
    received_on: date,
    note: str,
    could_lead_to_action: bool = True,
    contact_reestablished: bool = False,
) -> Closure:
    """The recipient (or the initiating agency) answered the notice: the case stays open when the answer is one
    that 45 CFR 303.11(d)(3) names (information that could lead to paternity, an order or enforcement; under
    (b)(15), contact reestablished). Any other answer is a case note, and the closure goes on."""
    require(actor, "cases.close", case)
    closure = Closure.objects.select_for_update().filter(case=case, status=Status.PENDING).first()
    if closure is None:
        raise Conflict(f"Case {case.number} has no notice of intent to close pending.")
    note = _note(note)
    errors = []
    if received_on < closure.proposed_on:
        errors.append(InvalidInput("cannot be before the notice was sent", field="received_on"))
    reestablished = contact_reestablished and closure.criterion == Criterion.B15
    if not response_stops_closure(closure.notice, could_lead_to_action=could_lead_to_action,
                                  contact_reestablished=reestablished):  # fmt: skip
        errors.append(InvalidInput(
            "under 45 CFR 303.11(d)(3) only a response with information that could lead to paternity, an order "
            "or enforcement (or, under (b)(15), renewed contact) keeps the case open; record any other answer "
            "as a case note", field="could_lead_to_action",
        ))  # fmt: skip
    if errors:
        raise errors[0] if len(errors) == 1 else InvalidInputs(errors)
    closure.status, closure.response_received_on, closure.response_note = Status.STOPPED, received_on, note
    closure.save(update_fields=["status", "response_received_on", "response_note"])
    record_audit(
        actor=actor,
        action="case.closure_stopped",
        target=closure,
        case_number=case.number,
        before={"status": Status.PENDING},
        after={"status": Status.STOPPED, "received_on": str(received_on)},
    )
    add_note(actor=actor, case=case, kind=NoteKind.SYSTEM, text=(
        f"Response to the notice of intent to close received on {received_on:%m/%d/%Y}: the case stays open "
        f"(45 CFR 303.11(d)(3)).\n{note}"
    ))  # fmt: skip
    return closure


def close_cases_after_notice(*, as_of: date) -> BatchResult:
    """Close, on `as_of`, every case whose notice period ended on or before `as_of` with no response that kept
    it open; as the system actor, each case in its own transaction. Running it again changes nothing."""
    actor = system_actor()
    due = list(
        Closure.objects.filter(status=Status.PENDING, closes_on__lte=as_of).order_by("closes_on", "pk")
        .values_list("pk", flat=True)
    )  # fmt: skip
    closed = superseded = 0
    for closure_id in due:
        outcome = _close_one(actor, closure_id, as_of)
        closed += outcome == Status.CLOSED
        superseded += outcome == Status.SUPERSEDED
    return BatchResult(closed=closed, superseded=superseded)


@transaction.atomic
def _close_one(actor: User, closure_id: int, as_of: date) -> str:
    closure = Closure.objects.select_for_update().select_related("case").get(pk=closure_id)
    if closure.status != Status.PENDING:
        return ""  # another run took it
    assert closure.closes_on is not None and closure.closes_on <= as_of
    criterion = Criterion(closure.criterion)
    if not closure.case.is_open:
        closure.status = Status.SUPERSEDED
        closure.save(update_fields=["status"])
        return Status.SUPERSEDED
    note = (
        f"No response that keeps the case open was received to the notice of {closure.proposed_on:%m/%d/%Y} "
        f"({NOTICE_PARAGRAPH[Notice(closure.notice)]}); its 60 days ended on {closure.closes_on:%m/%d/%Y}.\n"
        f"{closure.note}"
    )
    close_case(actor=actor, case=closure.case, reason=REASON_CODE.get(criterion, ClosureReason.OTHER),
               closed_on=as_of, note=_closing_note(criterion, note)[: NOTE_LENGTH_MAXIMUM - 200])  # fmt: skip
    closure.status, closure.closed_on = Status.CLOSED, as_of
    closure.save(update_fields=["status", "closed_on"])
    return Status.CLOSED


@transaction.atomic
def reopen_case(*, actor: User, case: Case, reopened_on: date, reason: str) -> Reopening:
    """Open a closed case again (45 CFR 303.11(d)(5): a change in circumstances that could lead to paternity,
    an order or enforcement), with the reason on the timeline and in the audit trail."""
    require(actor, "cases.reopen", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_open:
        raise Conflict(f"Case {case.number} is open.")
    reason = _note(reason, field="reason")
    assert case.closed_on is not None
    if reopened_on < case.closed_on:
        raise InvalidInput(f"cannot be before the case was closed ({case.closed_on:%m/%d/%Y})", field="reopened_on")
    reopening = Reopening.objects.create(case=case, reopened_on=reopened_on, reason=reason,
                                         was_closed_on=case.closed_on, was_closure_reason=case.closure_reason,
                                         reopened_by=actor)  # fmt: skip
    before = {"closed_on": str(case.closed_on), "closure_reason": case.closure_reason}
    case.closed_on, case.closure_reason = None, ""
    case.save(update_fields=["closed_on", "closure_reason"])
    Closure.objects.filter(case=case, status=Status.PENDING).update(status=Status.SUPERSEDED)
    record_audit(actor=actor, action="case.reopened", target=case, case_number=case.number, before=before,
                 after={"closed_on": None, "closure_reason": "", "reopened_on": str(reopened_on)})  # fmt: skip
    add_note(actor=actor, case=case, kind=NoteKind.SYSTEM,
             text=f"Case reopened on {reopened_on:%m/%d/%Y} (45 CFR 303.11(d)(5)).\n{reason}")  # fmt: skip
    return reopening
