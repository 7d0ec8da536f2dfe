"""Facts about the obligor that stop enforcement: a bankruptcy stay and the receipt of SSI, recorded on the person.

- **Bankruptcy stay.** The petition starts the automatic stay (11 U.S.C. 362(a)); it lasts until the court lifts
  it, or the case is discharged or dismissed (362(c)). Which remedies it holds is the remedies' data
  (`rules.remedies`, exemption `bankruptcy_stay`).
- **SSI.** An SSI recipient's account is not levied (45 CFR 307.11(c)(3)(i)); money levied from it is returned
  within five business days (307.11(c)(3)(ii): the worklist's task, `ssi_levies`).

Recording a fact that holds while actions are under way stops them at once, on the business date the officer
learned of it (an officer expects collection to stop the day the agency is told of the petition, not the next
night): a proposal, a notice whose window runs, or a contest is **withdrawn**; an action taken is **released**;
each with a step saying why. When the stay ends the remedies are not revived: the nightly sweep proposes them
again if the case still qualifies, with a new notice and a new contest window (`docs/enforcement.md`).

The sweep reads both facts set-based (`stays_in_effect`, `ssi_recipients`: one query each for every obligor).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from opencse.cases.models import Case
from opencse.cases.services import add_system_note
from opencse.enforcement.endings import actions_released
from opencse.enforcement.models import (
    OPEN_STATUSES,
    ActionStatus,
    ActionStep,
    BankruptcyChapter,
    BankruptcyStay,
    EnforcementAction,
    SsiReceipt,
    SsiVerification,
    StayEnd,
)
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from opencse.ledger.models import Collection, CollectionSource, CollectionStatus
from opencse.orders.models import OrderTerm
from opencse.people.models import Person
from opencse.rules.remedies import EXEMPTIONS, remedies
from opencse.security.audit import record_audit, record_audit_rows
from opencse.security.models import User
from opencse.security.policy import require

TEXT_MAXIMUM = 500
BANKRUPTCY = "bankruptcy_stay"
SSI = "ssi_recipient"


def obligor_on_case(case: Case) -> Person:
    """The obligor of the case's latest order term (the sweep's definition: a term's obligor)."""
    term = OrderTerm.objects.filter(case=case).select_related("obligor").order_by("-starts_on", "-pk").first()
    if term is None:
        raise Conflict(f"Case {case.number} has no order naming an obligor: enter the order first.")
    return term.obligor


def _not_future(on: date, field: str, errors: list[InvalidInput]) -> None:
    if on > timezone.localdate():
        errors.append(InvalidInput("cannot be in the future", field=field))


def _required(value: str, field: str, errors: list[InvalidInput], maximum: int) -> str:
    value = value.strip()
    if not value:
        errors.append(InvalidInput("required", field=field))
    elif len(value) > maximum:
        errors.append(InvalidInput(f"at most {maximum} characters", field=field))
    return value


def _raise(errors: list[InvalidInput]) -> None:
    if errors:
        raise errors[0] if len(errors) == 1 else InvalidInputs(errors)


@transaction.atomic
def record_bankruptcy_stay(*, actor: User, case: Case, petition_filed_on: date, chapter: str, court: str,
                           court_case_number: str, recorded_on: date) -> BankruptcyStay:  # fmt: skip
    """The obligor of `case` filed a bankruptcy petition: the stay is in effect from `petition_filed_on`. The open
    actions it holds, on every case of the obligor, stop on `recorded_on` (the day the agency learned of it)."""
    require(actor, "enforcement.act", case)
    obligor = obligor_on_case(case)
    errors: list[InvalidInput] = []
    _not_future(petition_filed_on, "petition_filed_on", errors)
    _not_future(recorded_on, "recorded_on", errors)
    if recorded_on < petition_filed_on:
        errors.append(InvalidInput("cannot be before the petition was filed", field="recorded_on"))
    if chapter not in BankruptcyChapter.values:
        errors.append(InvalidInput("choose the chapter of the Bankruptcy Code", field="chapter"))
    court = _required(court, "court", errors, 120)
    court_case_number = _required(court_case_number, "court_case_number", errors, 40)
    _raise(errors)
    try:
        with transaction.atomic():
            stay = BankruptcyStay.objects.create(
                obligor=obligor, petition_filed_on=petition_filed_on, chapter=chapter, court=court,
                court_case_number=court_case_number, recorded_by=actor,
            )  # fmt: skip
    except IntegrityError as error:
        raise InvalidInput(
            f"bankruptcy case {court_case_number} is already recorded for this person", field="court_case_number"
        ) from error
    record_audit(actor=actor, action="bankruptcy.recorded", target=stay, case_number=case.number,
                 summary=str(stay), after={"petition_filed_on": petition_filed_on.isoformat(), "chapter": chapter,
                                           "court": court, "court_case_number": court_case_number})  # fmt: skip
    add_system_note(actor=actor, case=case, source_key=f"bankruptcy:{stay.pk}:recorded",
                    text=f"Bankruptcy recorded: {stay}, {court}. The automatic stay (11 U.S.C. 362(a)) holds the "
                    "remedies it names.")  # fmt: skip
    stop_actions(obligor_ids=[obligor.pk], exemption=BANKRUPTCY, on=recorded_on, actor=actor)
    return stay


@transaction.atomic
def end_bankruptcy_stay(*, actor: User, stay: BankruptcyStay, case: Case, ended_on: date, ended_how: str,
                        note: str = "") -> BankruptcyStay:  # fmt: skip
    """The stay ended on `ended_on` (lifted, discharged or dismissed): from that day the sweep proposes the remedies
    again when the case still qualifies."""
    require(actor, "enforcement.act", case)
    stay = BankruptcyStay.objects.select_for_update().get(pk=stay.pk)
    if stay.ended_on is not None:
        raise Conflict(f"This stay already ended on {stay.ended_on:%m/%d/%Y}.")
    errors: list[InvalidInput] = []
    _not_future(ended_on, "ended_on", errors)
    if ended_on < stay.petition_filed_on:
        errors.append(InvalidInput(f"cannot be before the petition, {stay.petition_filed_on:%m/%d/%Y}",
                                   field="ended_on"))  # fmt: skip
    if ended_how not in StayEnd.values:
        errors.append(InvalidInput("choose how the stay ended", field="ended_how"))
    if len(note.strip()) > TEXT_MAXIMUM:
        errors.append(InvalidInput(f"at most {TEXT_MAXIMUM} characters", field="note"))
    _raise(errors)
    stay.ended_on, stay.ended_how, stay.end_note = ended_on, ended_how, note.strip()
    stay.ended_by, stay.ended_at = actor, timezone.now()
    stay.save(update_fields=["ended_on", "ended_how", "end_note", "ended_by", "ended_at"])
    record_audit(actor=actor, action="bankruptcy.stay_ended", target=stay, case_number=case.number,
                 summary=str(stay), before={"ended_on": None},
                 after={"ended_on": ended_on.isoformat(), "ended_how": ended_how})  # fmt: skip
    add_system_note(actor=actor, case=case, source_key=f"bankruptcy:{stay.pk}:ended",
                    text=f"Bankruptcy stay ended on {ended_on:%m/%d/%Y} ({StayEnd(ended_how).label.lower()}): "
                    f"{stay}. The remedies it held may be proposed again. {note.strip()}".strip())  # fmt: skip
    return stay


@transaction.atomic
def record_ssi(*, actor: User, case: Case, receiving_from: date, verified_how: str, recorded_on: date,
               receiving_to: date | None = None, note: str = "") -> SsiReceipt:  # fmt: skip
    """The obligor of `case` receives (or received) SSI from `receiving_from` (to `receiving_to`, the last day,
    when known). If it covers `recorded_on`, the open levies on the obligor's accounts stop that day."""
    require(actor, "enforcement.act", case)
    obligor = obligor_on_case(case)
    errors: list[InvalidInput] = []
    _not_future(receiving_from, "receiving_from", errors)
    _not_future(recorded_on, "recorded_on", errors)
    if receiving_to is not None and receiving_to < receiving_from:
        errors.append(InvalidInput("cannot be before the first day received", field="receiving_to"))
    if verified_how not in SsiVerification.values:
        errors.append(InvalidInput("say how the SSI was verified", field="verified_how"))
    if verified_how == SsiVerification.OTHER and not note.strip():
        errors.append(InvalidInput("say how it was verified", field="note"))
    if len(note.strip()) > TEXT_MAXIMUM:
        errors.append(InvalidInput(f"at most {TEXT_MAXIMUM} characters", field="note"))
    overlapping = SsiReceipt.objects.filter(person=obligor).filter(
        Q(receiving_to__isnull=True) | Q(receiving_to__gte=receiving_from)
    )
    if receiving_to is not None:
        overlapping = overlapping.filter(receiving_from__lte=receiving_to)
    if overlapping.exists():
        errors.append(InvalidInput("overlaps a period of SSI already recorded for this person", field="receiving_from"))
    _raise(errors)
    receipt = SsiReceipt.objects.create(person=obligor, receiving_from=receiving_from, receiving_to=receiving_to,
                                        verified_how=verified_how, note=note.strip(), recorded_by=actor)  # fmt: skip
    record_audit(actor=actor, action="ssi.recorded", target=receipt, case_number=case.number, summary=str(receipt),
                 after={"receiving_from": receiving_from.isoformat(), "verified_how": verified_how,
                        "receiving_to": receiving_to.isoformat() if receiving_to else None})  # fmt: skip
    add_system_note(actor=actor, case=case, source_key=f"ssi:{receipt.pk}:recorded",
                    text=f"SSI recorded for the obligor: {receipt} ({SsiVerification(verified_how).label.lower()}). "
                    "No levy on the obligor's accounts (45 CFR 307.11(c)(3)).")  # fmt: skip
    if receipt.covers(recorded_on):
        stop_actions(obligor_ids=[obligor.pk], exemption=SSI, on=recorded_on, actor=actor)
    return receipt


@transaction.atomic
def end_ssi(*, actor: User, receipt: SsiReceipt, case: Case, receiving_to: date, note: str = "") -> SsiReceipt:
    """The obligor's SSI stopped: `receiving_to` is the last day received."""
    require(actor, "enforcement.act", case)
    receipt = SsiReceipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.receiving_to is not None:
        raise Conflict(f"This period of SSI already ended on {receipt.receiving_to:%m/%d/%Y}.")
    errors: list[InvalidInput] = []
    _not_future(receiving_to, "receiving_to", errors)
    if receiving_to < receipt.receiving_from:
        errors.append(InvalidInput(f"cannot be before the first day received, {receipt.receiving_from:%m/%d/%Y}",
                                   field="receiving_to"))  # fmt: skip
    if len(note.strip()) > TEXT_MAXIMUM:
        errors.append(InvalidInput(f"at most {TEXT_MAXIMUM} characters", field="note"))
    _raise(errors)
    receipt.receiving_to, receipt.ended_by, receipt.ended_at = receiving_to, actor, timezone.now()
    if note.strip():
        receipt.note = f"{receipt.note} {note.strip()}".strip()[:TEXT_MAXIMUM]
    receipt.save(update_fields=["receiving_to", "ended_by", "ended_at", "note"])
    record_audit(actor=actor, action="ssi.ended", target=receipt, case_number=case.number, summary=str(receipt),
                 before={"receiving_to": None}, after={"receiving_to": receiving_to.isoformat()})  # fmt: skip
    add_system_note(actor=actor, case=case, source_key=f"ssi:{receipt.pk}:ended",
                    text=f"SSI ended for the obligor: {receipt}.")  # fmt: skip
    return receipt


def stop_actions(*, obligor_ids: list[int], exemption: str, on: date, actor: User) -> int:
    """Stop the open actions against the obligors whose remedy names `exemption` (its data, in force on `on`):
    proposed, noticed or contested ones are withdrawn, taken ones released; one step each saying why."""
    keys = [remedy.key for remedy in remedies(state=settings.OPENCSE_STATE, as_of=on) if exemption in remedy.exemptions]
    rows = list(
        EnforcementAction.objects.filter(obligor_id__in=obligor_ids, status__in=OPEN_STATUSES, remedy__in=keys)
        .values_list("pk", "case_id", "case__number", "remedy_name", "arrears", "status")
        .order_by("pk")
    )
    end_actions(rows, on=on, actor=actor, note=f"Stopped: {EXEMPTIONS[exemption]}.")
    return len(rows)


ActionRow = tuple[int, int, str, str, Decimal, str]  # pk, case id, case number, remedy name, arrears, status


def end_actions(rows: list[ActionRow], *, on: date, actor: User, note: str, announce: bool = True) -> None:
    """Withdraw the actions not taken and release the taken ones, on `on`, with `note` as each step's reason:
    one UPDATE per outcome, the steps and audit rows in bulk, one timeline note per case; the releases go out
    (`endings.actions_released`; `announce=False` from a reaction to an event)."""
    taken = [row for row in rows if row[5] == ActionStatus.TAKEN]
    not_taken = [row for row in rows if row[5] != ActionStatus.TAKEN]
    EnforcementAction.objects.filter(pk__in=[row[0] for row in taken]).update(
        status=ActionStatus.RELEASED, released_on=on
    )
    EnforcementAction.objects.filter(pk__in=[row[0] for row in not_taken]).update(status=ActionStatus.WITHDRAWN)
    now = timezone.now()
    ActionStep.objects.bulk_create(
        [
            ActionStep(
                action_id=row[0],
                step="released" if row in taken else "withdrawn",
                on=on,
                note=note[:500],
                by=actor,
                recorded_at=now,
            )
            for row in rows
        ]
    )
    for step, chosen in (("released", taken), ("withdrawn", not_taken)):
        record_audit_rows(actor=actor, action=f"enforcement.{step}", target_model=EnforcementAction,
                          rows=[(pk, number, f"{name}: {step}", {"on": on.isoformat(), "note": note[:500]})
                                for pk, _, number, name, _, _ in chosen])  # fmt: skip
    by_case: dict[int, list[ActionRow]] = defaultdict(list)
    for row in rows:
        by_case[row[1]].append(row)
    cases = Case.objects.in_bulk(list(by_case))
    for case_id, actions in by_case.items():
        names = "; ".join(f"{row[3]} ({'released' if row in taken else 'withdrawn'})" for row in actions)
        first = min(row[0] for row in actions)
        add_system_note(actor=actor, case=cases[case_id], text=f"Enforcement stopped on {on:%m/%d/%Y}: {names}. {note}",
                        source_key=f"enforcement:stopped:{on.isoformat()}:{first}")  # fmt: skip
    actions_released({row[0]: note[:500] for row in taken}, on=on, actor=actor, announce=announce)


def stays_in_effect(*, obligor_ids: list[int] | None, on: date) -> set[int]:
    """The obligors (of `obligor_ids`, or all) under a bankruptcy stay on `on` (one query)."""
    stays = BankruptcyStay.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), petition_filed_on__lte=on)
    if obligor_ids is not None:
        stays = stays.filter(obligor_id__in=obligor_ids)
    return set(stays.values_list("obligor_id", flat=True))


def ssi_recipients(*, obligor_ids: list[int] | None, on: date) -> set[int]:
    """The persons (of `obligor_ids`, or all) receiving SSI on `on` (one query)."""
    receipts = SsiReceipt.objects.filter(Q(receiving_to__isnull=True) | Q(receiving_to__gte=on), receiving_from__lte=on)
    if obligor_ids is not None:
        receipts = receipts.filter(person_id__in=obligor_ids)
    return set(receipts.values_list("person_id", flat=True))


def ssi_levies(*, collection_ids: list[int]) -> list[tuple[int, int, date, Decimal]]:
    """Of the collections, the posted financial institution levies from a person receiving SSI on the day collected
    (45 CFR 307.11(c)(3)(ii)): (collection id, case id, date received, amount). Two queries whatever the number; the
    obligor is the collection's, else the case's (its latest term's)."""
    levies = list(
        Collection.objects.filter(pk__in=collection_ids, source=CollectionSource.FINANCIAL_INSTITUTION_LEVY,
                                  status=CollectionStatus.POSTED, case__isnull=False)
        .values_list("pk", "case_id", "obligor_id", "collected_on", "received_on", "amount")
    )  # fmt: skip
    if not levies:
        return []
    without = {case_id for _, case_id, obligor_id, *_ in levies if obligor_id is None}
    terms = OrderTerm.objects.filter(case_id__in=without).order_by("case_id", "starts_on", "pk")
    latest = dict(terms.values_list("case_id", "obligor_id"))  # the last term's obligor wins
    people = [person for _, case_id, obligor_id, *_ in levies if (person := obligor_id or latest.get(case_id))]
    receipts: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for person_id, start, end in SsiReceipt.objects.filter(person_id__in=people).values_list(
        "person_id", "receiving_from", "receiving_to"
    ):
        receipts[person_id].append((start, end))
    found = []
    for pk, case_id, obligor_id, collected_on, received_on, amount in levies:
        person = obligor_id or latest.get(case_id)
        periods = receipts.get(person, []) if person else []
        if any(start <= collected_on and (end is None or end >= collected_on) for start, end in periods):
            found.append((pk, case_id, received_on, amount))
    return found


def bankruptcy_stays_of(*, person: Person) -> QuerySet[BankruptcyStay]:
    return (
        BankruptcyStay.objects.filter(obligor=person)
        .select_related("recorded_by", "ended_by")
        .order_by("-petition_filed_on", "-pk")
    )


def ssi_receipts_of(*, person: Person) -> QuerySet[SsiReceipt]:
    return (
        SsiReceipt.objects.filter(person=person)
        .select_related("recorded_by", "ended_by")
        .order_by("-receiving_from", "-pk")
    )


def stay_of(*, person: Person, stay_id: int) -> BankruptcyStay:
    found = bankruptcy_stays_of(person=person).filter(pk=stay_id).first()
    if found is None:
        raise NotFound(f"No bankruptcy {stay_id} recorded for this obligor.")
    return found


def ssi_receipt_of(*, person: Person, receipt_id: int) -> SsiReceipt:
    found = ssi_receipts_of(person=person).filter(pk=receipt_id).first()
    if found is None:
        raise NotFound(f"No period of SSI {receipt_id} recorded for this obligor.")
    return found


def facts_summary(*, person: Person, on: date) -> dict[str, Any]:
    """What the page shows on top: whether a stay is in effect and whether SSI is received on `on`."""
    return {
        "stayed": bool(stays_in_effect(obligor_ids=[person.pk], on=on)),
        "ssi": bool(ssi_recipients(obligor_ids=[person.pk], on=on)),
    }
