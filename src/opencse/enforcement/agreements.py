"""Payment agreements: an officer negotiates a monthly payment on arrears, an SEO 2 or supervisor signs it off
(the two-person rule of `common.approval`); while kept, it holds the remedies that name it; missed, it is
broken and they resume (the sweep decides both, `kept_agreements`).

Kept means: in each month the agreement has run (the 31 days before the date, once 31 days have passed since
it started), the obligor's voluntary payments on the case (income withholding, direct payments, payments
through another State; not intercepts or levies) came to at least the agreed amount. This reading is an
OpenCSE choice (docs/enforcement.md): no federal rule defines it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from opencse.cases.models import Case
from opencse.cases.selectors import visible_cases
from opencse.cases.services import add_system_note
from opencse.common.approval import check_second_person, stamp_decision
from opencse.common.money import MoneySum
from opencse.enforcement.models import AgreementEnd, AgreementStatus, PaymentAgreement
from opencse.enforcement.selectors import obligor_of
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from opencse.ledger.models import Collection, CollectionSource, CollectionStatus
from opencse.rules.money import ZERO
from opencse.security.audit import audit_event, record_audit, record_audits
from opencse.security.models import User
from opencse.security.policy import require

MONTH = timedelta(days=31)
VOLUNTARY = [CollectionSource.INCOME_WITHHOLDING, CollectionSource.DIRECT_PAYMENT, CollectionSource.OTHER_STATE]


def _note(actor: User, agreement: PaymentAgreement, words: str, key: str) -> None:
    add_system_note(actor=actor, case=agreement.case, text=f"Payment agreement ({agreement}): {words}",
                    source_key=f"agreement:{agreement.pk}:{key}")  # fmt: skip


@transaction.atomic
def propose_agreement(*, actor: User, case: Case, monthly_amount: Decimal, starts_on: date,
                      terms: str = "") -> PaymentAgreement:  # fmt: skip
    require(actor, "enforcement.propose", case)
    errors = []
    if monthly_amount <= ZERO:
        errors.append(InvalidInput("must be more than $0.00", field="monthly_amount"))
    if starts_on > timezone.localdate() + timedelta(days=90):
        errors.append(InvalidInput("must start within 90 days", field="starts_on"))
    if errors:
        raise InvalidInputs(errors)
    obligor = obligor_of(case, on=starts_on)
    try:
        with transaction.atomic():
            agreement = PaymentAgreement.objects.create(case=case, obligor=obligor, monthly_amount=monthly_amount,
                                                        starts_on=starts_on, terms=terms.strip()[:500],
                                                        proposed_by=actor)  # fmt: skip
    except IntegrityError as error:
        raise Conflict("The case already has a payment agreement waiting or in effect.") from error
    record_audit(actor=actor, action="agreement.proposed", target=agreement, case_number=case.number,
                 after={"monthly_amount": str(monthly_amount), "starts_on": starts_on.isoformat()})  # fmt: skip
    _note(actor, agreement, "negotiated, waiting for signature", "proposed")
    return agreement


@transaction.atomic
def decide_agreement(*, actor: User, agreement: PaymentAgreement, approve: bool, note: str = "") -> PaymentAgreement:
    """An SEO 2 or supervisor signs the agreement (it takes effect) or rejects it (with a note)."""
    require(actor, "enforcement.approve", agreement.case)
    agreement = PaymentAgreement.objects.select_for_update().select_related("case").get(pk=agreement.pk)
    check_second_person(
        actor_id=actor.pk,
        requester_id=agreement.proposed_by_id,
        status=agreement.status,
        waiting=AgreementStatus.PROPOSED,
        what="payment agreement",
        refusal="You negotiated this agreement; another officer with signature authority signs it.",
    )
    if not approve and not note.strip():
        raise InvalidInput("say why it is rejected", field="note")
    status = AgreementStatus.ACTIVE if approve else AgreementStatus.REJECTED
    stamp_decision(agreement, actor=actor, status=status, note=note)
    record_audit(actor=actor, action=f"agreement.{'signed' if approve else 'rejected'}", target=agreement,
                 case_number=agreement.case.number, after={"note": note.strip()})  # fmt: skip
    _note(actor, agreement, "signed, in effect" if approve else f"rejected: {note.strip()}", status)
    return agreement


@transaction.atomic
def end_agreement(*, actor: User, agreement: PaymentAgreement, ended_on: date, reason: str,
                  note: str = "") -> PaymentAgreement:  # fmt: skip
    """End an agreement in effect: paid off, renegotiated (a new one may then be negotiated) or ended by the
    officer. From then it holds nothing: the next sweep proposes the remedies it held if the case still qualifies
    (a kept agreement is only an active one, `kept_agreements`)."""
    require(actor, "enforcement.propose", agreement.case)
    agreement = PaymentAgreement.objects.select_for_update().select_related("case").get(pk=agreement.pk)
    if agreement.status != AgreementStatus.ACTIVE:
        raise Conflict(f"This agreement is {agreement.get_status_display().lower()}: only one in effect can be ended.")
    errors = []
    if ended_on > timezone.localdate():
        errors.append(InvalidInput("cannot be in the future", field="ended_on"))
    if reason not in AgreementEnd.values:
        errors.append(InvalidInput("choose why it ends", field="reason"))
    note = note.strip()
    if reason == AgreementEnd.ENDED_BY_OFFICER and not note:
        errors.append(InvalidInput("say why the officer ends it", field="note"))
    if len(note) > 500:
        errors.append(InvalidInput("at most 500 characters", field="note"))
    if errors:
        raise errors[0] if len(errors) == 1 else InvalidInputs(errors)
    agreement.status, agreement.ended_on, agreement.end_reason = AgreementStatus.ENDED, ended_on, reason
    agreement.end_note, agreement.ended_by = note, actor
    agreement.save(update_fields=["status", "ended_on", "end_reason", "end_note", "ended_by"])
    record_audit(actor=actor, action="agreement.ended", target=agreement, case_number=agreement.case.number,
                 before={"status": AgreementStatus.ACTIVE},
                 after={"status": AgreementStatus.ENDED, "ended_on": ended_on.isoformat(), "reason": reason,
                        "note": note})  # fmt: skip
    words = AgreementEnd(reason).label.split(":")[0].lower()
    _note(actor, agreement, f"ended on {ended_on:%m/%d/%Y} ({words}); the remedies it held may resume"
          + (f". {note}" if note else ""), "ended")  # fmt: skip
    return agreement


def end_agreements_of_closed_case(*, actor: User, case_id: int, closed_on: date) -> int:
    """A case closed (45 CFR 303.11) ends its agreement in effect and the one waiting for a signature: nothing is
    left for them to hold (the closure is the authority: `subscribers.case_closed`). Returns how many."""
    agreements = list(
        PaymentAgreement.objects.select_for_update()
        .select_related("case")
        .filter(case_id=case_id, status__in=[AgreementStatus.ACTIVE, AgreementStatus.PROPOSED])
    )
    for agreement in agreements:
        before = agreement.status
        agreement.status, agreement.ended_on = AgreementStatus.ENDED, closed_on
        agreement.end_reason, agreement.ended_by = AgreementEnd.CASE_CLOSED, actor
        agreement.save(update_fields=["status", "ended_on", "end_reason", "ended_by"])
        record_audit(actor=actor, action="agreement.ended", target=agreement, case_number=agreement.case.number,
                     before={"status": before},
                     after={"status": AgreementStatus.ENDED, "ended_on": closed_on.isoformat(),
                            "reason": AgreementEnd.CASE_CLOSED})  # fmt: skip
        _note(actor, agreement, f"ended on {closed_on:%m/%d/%Y}: the case was closed", "ended")
    return len(agreements)


def kept_agreements(*, as_of: date) -> tuple[set[int], list[int]]:
    """(cases whose agreement is kept on `as_of`, ids of agreements broken on `as_of`): two queries."""
    active = list(
        PaymentAgreement.objects.filter(status=AgreementStatus.ACTIVE, starts_on__lte=as_of).values_list(
            "pk", "case_id", "monthly_amount", "starts_on"
        )
    )
    if not active:
        return set(), []
    paid = voluntary_paid(case_ids=[case_id for _, case_id, _, _ in active], as_of=as_of)
    kept, broken = set(), []
    for agreement_id, case_id, monthly, starts_on in active:
        if _kept(starts_on, monthly, paid.get(case_id, ZERO), as_of):
            kept.add(case_id)
        else:
            broken.append(agreement_id)
    return kept, broken


def _kept(starts_on: date, monthly: Decimal, paid: Decimal, as_of: date) -> bool:
    return starts_on > as_of - MONTH or paid >= monthly  # the first month runs; or the month was paid


def voluntary_paid(*, case_ids: list[int], as_of: date) -> dict[int, Decimal]:
    """The voluntary payments posted on each case in the 31 days up to `as_of` (one query)."""
    return dict(
        Collection.objects.filter(
            Q(case_id__in=case_ids),
            status=CollectionStatus.POSTED,
            source__in=VOLUNTARY,
            collected_on__gt=as_of - MONTH,
            collected_on__lte=as_of,
        )
        .values("case_id")
        .annotate(total=MoneySum("amount"))
        .values_list("case_id", "total")
    )


@dataclass(frozen=True, slots=True)
class Standing:
    """An agreement as a page shows it: paid in the last 31 days and, while it is in effect, whether kept."""

    agreement: PaymentAgreement
    paid_this_month: Decimal
    kept: bool | None  # None unless signed and in effect on the date


def standings(agreements: list[PaymentAgreement], *, as_of: date) -> list[Standing]:
    """Each agreement with what was paid toward it this month and whether it is kept on `as_of` (one query)."""
    paid = voluntary_paid(case_ids=sorted({agreement.case_id for agreement in agreements}), as_of=as_of)
    shown = []
    for agreement in agreements:
        total = paid.get(agreement.case_id, ZERO)
        running = agreement.status == AgreementStatus.ACTIVE and agreement.starts_on <= as_of
        kept = _kept(agreement.starts_on, agreement.monthly_amount, total, as_of) if running else None
        shown.append(Standing(agreement=agreement, paid_this_month=total, kept=kept))
    return shown


def agreements_of_case(*, case: Case) -> QuerySet[PaymentAgreement]:
    """The case's payment agreements, latest first."""
    return (
        PaymentAgreement.objects.filter(case=case)
        .select_related("proposed_by", "decided_by", "obligor")
        .order_by("-proposed_at", "-pk")
    )


def agreement_on_case(*, case: Case, agreement_id: int) -> PaymentAgreement:
    found = agreements_of_case(case=case).filter(pk=agreement_id).first()
    if found is None:
        raise NotFound(f"No payment agreement {agreement_id} on case {case.number}.")
    return found


def agreements_waiting(*, viewer: object) -> QuerySet[PaymentAgreement]:
    """Agreements waiting for signature on the cases the viewer may see, oldest first (the approval queue)."""
    return (
        PaymentAgreement.objects.filter(status=AgreementStatus.PROPOSED, case__in=visible_cases(viewer))
        .select_related("case", "proposed_by", "obligor")
        .order_by("proposed_at", "pk")
    )


def mark_broken(*, agreement_ids: list[int], as_of: date, actor: User) -> None:
    """The sweep's finding, set-based: the agreements are broken on `as_of` (one UPDATE, audit rows)."""
    if not agreement_ids:
        return
    PaymentAgreement.objects.filter(pk__in=agreement_ids).update(status=AgreementStatus.BROKEN, broken_on=as_of)
    record_audits([
        audit_event(actor=actor, action="agreement.broken", target=agreement, case_number=agreement.case.number,
                    summary="A month's payment was missed: the held remedies resume", after={"on": as_of.isoformat()})
        for agreement in PaymentAgreement.objects.filter(pk__in=agreement_ids).select_related("case")
    ])  # fmt: skip
