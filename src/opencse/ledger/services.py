"""Posting collections: identify, distribute (45 CFR 302.51 via opencse.rules.distribution), schedule
disbursement, reverse. Each service checks the policy, runs in one transaction, and writes an audit row.

For every posted collection: payment entries (negative, on the debt accounts) equal the family's and
the state's shares, and disbursement rows (family, state, held, refund) add up to the amount received;
both are asserted before commit and re-derived by `verify_ledger`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from opencse.cases.models import Case, Program
from opencse.common.events import publish
from opencse.common.validation import check_not_future
from opencse.errors import Conflict, InvalidInput
from opencse.ledger import accrual, assignment, selectors
from opencse.ledger.events import CollectionsPosted, PostedCollection
from opencse.ledger.idempotency import Idempotency, earlier_postings, idempotency_for
from opencse.ledger.models import (
    CURRENT_SUPPORT,
    AssistancePeriod,
    Collection,
    CollectionShare,
    CollectionSource,
    CollectionStatus,
    EntryKind,
    LedgerEntry,
    Payee,
)
from opencse.orders.selectors import cases_owed_by
from opencse.people.models import Person
from opencse.rules import distribution as rule
from opencse.rules.assignment import assignment_rules_start
from opencse.rules.money import AMOUNT_MAXIMUM, ZERO, is_whole_cents
from opencse.rules.params import governing_jurisdiction
from opencse.rules.timeframes import DisbursementClock
from opencse.rules.timeframes import disbursement_due_on as due_on_by_rule
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

# Title IV-D began in 1975 (Pub. L. 93-647): an earlier date is a typing slip, and the ledger's month
# arithmetic must never meet year 1. The web forms use the same bound.
LEDGER_DATE_EARLIEST = date(1975, 1, 1)
RULE_SOURCE: dict[str, rule.DistributionSource] = {
    CollectionSource.FEDERAL_TAX_OFFSET: rule.DistributionSource.FEDERAL_TAX_OFFSET,
    CollectionSource.STATE_TAX_OFFSET: rule.DistributionSource.STATE_TAX_OFFSET,
}
UNAPPLIED_PAYEE = {
    rule.UnappliedTreatment.HELD_AS_FUTURE_SUPPORT: Payee.HELD,
    rule.UnappliedTreatment.RETURNED_TO_OBLIGOR: Payee.OBLIGOR_REFUND,
}


def _check_amount_and_dates(amount: Decimal, collected_on: date, received_on: date) -> None:
    """The service's own guard, whatever the caller parsed: a positive amount in cents up to
    `AMOUNT_MAXIMUM`; collected from `LEDGER_DATE_EARLIEST` on, not after receipt; received by today."""
    if amount <= ZERO or not is_whole_cents(amount):
        raise InvalidInput("must be a positive amount in whole cents", field="amount")
    if amount > AMOUNT_MAXIMUM:
        raise InvalidInput(f"must be at most {AMOUNT_MAXIMUM:,}", field="amount")
    today = timezone.localdate()
    if received_on > today:
        raise InvalidInput("cannot be in the future", field="received_on")
    if collected_on > received_on:
        raise InvalidInput("cannot be after the date the payment was received", field="collected_on")
    if collected_on < LEDGER_DATE_EARLIEST:
        raise InvalidInput(f"cannot be before {LEDGER_DATE_EARLIEST:%m/%d/%Y}", field="collected_on")


def case_type(*, case: Case, on: date) -> rule.CaseType:
    """The family's assistance status on the collection date (45 CFR 302.51(a))."""
    if selectors.on_assistance(case=case, on=on) or case.program in (Program.CURRENT_ASSISTANCE, Program.FOSTER_CARE):
        return rule.CaseType.CURRENT_ASSISTANCE
    if selectors.ever_on_assistance(case=case, before=on) or case.program == Program.FORMER_ASSISTANCE:
        return rule.CaseType.FORMER_ASSISTANCE
    return rule.CaseType.NEVER_ASSISTANCE


def debts_on(*, case: Case, on: date) -> rule.Debts:
    """The debts a collection dated `on` meets: this month's unpaid current support, each bucket, URA.
    A read: the caller brings the case current through `on` first (`accrual.bring_current`)."""
    owed = selectors.balances(case=case, as_of=accrual.month_end(on))
    kind = case_type(case=case, on=on)
    ura = selectors.unreimbursed_assistance(case=case, as_of=on) if kind != rule.CaseType.NEVER_ASSISTANCE else ZERO
    arrears = {bucket: max(owed[bucket.value], ZERO) for bucket in rule.ArrearsBucket}
    if kind == rule.CaseType.NEVER_ASSISTANCE:
        assert all(
            arrears[bucket] == ZERO for bucket in rule.ArrearsBucket if bucket != rule.ArrearsBucket.NEVER_ASSIGNED
        )
    return rule.Debts(
        case_type=kind,
        current_support_due=max(owed[CURRENT_SUPPORT], ZERO),
        arrears=arrears,
        unreimbursed_assistance=ura,
    )


@transaction.atomic
def post_collection(
    *,
    actor: User,
    case: Case,
    amount: Decimal,
    source: str,
    collected_on: date,
    received_on: date,
    payor_name: str = "",
    reference: str = "",
    import_key: str | None = None,
    obligor: Person | None = None,
    idempotency_key: str | None = None,
    share_of: Idempotency | None = None,
) -> Collection:
    """Record money received for a case and distribute it (45 CFR 302.51, 302.32). With `idempotency_key`,
    a retry of the same posting returns the collection first posted (`opencse.ledger.idempotency`);
    `share_of` is for `post_collection_for_obligor`, which posts each case's share under its own key."""
    require(actor, "ledger.post", case)
    _check_amount_and_dates(amount, collected_on, received_on)
    if source not in CollectionSource.values:
        raise InvalidInput(f"{source[:30]!r} is not a collection source", field="source")
    idempotency = share_of.for_share(case.pk) if share_of is not None else None
    if idempotency_key is not None:
        asked = {"case": case.pk, "amount": f"{amount:.2f}", "source": source, "collected_on": collected_on,
                 "received_on": received_on, "payor_name": payor_name, "reference": reference}  # fmt: skip
        idempotency = idempotency_for(actor_id=actor.pk, key=idempotency_key, request=asked)
    case = Case.objects.select_for_update().get(pk=case.pk)  # one posting per case at a time
    if idempotency is not None and (earlier := earlier_postings(idempotency)):
        return earlier[0]  # a retry: the collection first posted under this key
    if import_key is not None and Collection.objects.filter(import_key=import_key).exists():
        raise Conflict(f"Payment {import_key} was already posted.")
    collection = _create_collection(
        idempotency,
        case=case,
        obligor=obligor,
        amount=amount,
        source=source,
        collected_on=collected_on,
        received_on=received_on,
        status=CollectionStatus.POSTED,
        posted_at=timezone.now(),
        payor_name=payor_name[:120],
        reference=reference[:60],
        import_key=import_key,
        created_by=actor,
    )
    if collection.pk is None:  # the same key won a race on another case: refused, or the first posting
        assert idempotency is not None
        return earlier_postings(idempotency)[0]
    _distribute(collection)
    record_audit(
        actor=actor,
        action="collection.posted",
        target=collection,
        case_number=case.number,
        after={"amount": str(amount), "source": source, "collected_on": str(collected_on)},
    )
    publish(collections_posted([collection], actor=actor))
    return collection


def _create_collection(idempotency: Idempotency | None, **fields: object) -> Collection:
    """Save the collection under its idempotency key. A concurrent posting that saved the same key first
    makes the unique constraint refuse this one: an unsaved collection is returned, and nothing is kept."""
    if idempotency is None:
        return Collection.objects.create(**fields)
    try:
        with transaction.atomic():
            return Collection.objects.create(
                **fields, idempotency_key=idempotency.key, idempotency_digest=idempotency.digest
            )
    except IntegrityError:
        if not Collection.objects.filter(idempotency_key=idempotency.key).exists():
            raise  # another constraint
        return Collection(**fields)


def _distribute(collection: Collection) -> None:
    case = collection.case
    assert case is not None
    accrual.bring_current(case_id=case.pk, on=collection.collected_on)
    plan = rule.distribute(
        collection=rule_collection(collection), debts=debts_on(case=case, on=collection.collected_on),
        as_of=collection.collected_on, jurisdiction=distribution_jurisdiction())  # fmt: skip
    entries, disbursements = rows_for(collection, plan)
    LedgerEntry.objects.bulk_create(entries)
    CollectionShare.objects.bulk_create(disbursements)


def rule_collection(collection: Collection) -> rule.Collection:
    return rule.Collection(amount=collection.amount,
                           source=RULE_SOURCE.get(collection.source, rule.DistributionSource.REGULAR))  # fmt: skip


def rows_for(
    collection: Collection, plan: rule.Distribution, *, held_on: date | None = None, key: str = ""
) -> tuple[list[LedgerEntry], list[CollectionShare]]:
    """The payment entries and disbursements that record `plan` for a saved collection. With `held_on`,
    `plan` distributes money of the collection held as future support, applied on that day under `key`:
    the rows then move that money out of `held` (their sum is zero) instead of adding up to the amount."""
    assert collection.pk is not None and collection.case_id is not None
    applied_on = held_on or collection.collected_on
    prefix = key or f"payment:{collection.pk}"
    entries: list[LedgerEntry] = []
    by_payee: defaultdict[str, Decimal] = defaultdict(lambda: ZERO)
    for index, allocation in enumerate(plan.allocations):
        entries.append(LedgerEntry(
            case_id=collection.case_id, account=allocation.applied_to, kind=EntryKind.PAYMENT,
            amount=-allocation.amount, effective_on=applied_on, collection=collection,
            actor=collection.created_by, source_key=f"{prefix}:{index}", memo=f"to {allocation.payee}",
        ))  # fmt: skip
        by_payee[Payee.FAMILY if allocation.payee == rule.PaidTo.FAMILY else Payee.STATE] += allocation.amount
    if plan.unapplied and held_on is None:
        by_payee[UNAPPLIED_PAYEE[plan.unapplied_treatment]] += plan.unapplied
    if held_on is not None:
        by_payee[Payee.HELD] -= plan.family_total + plan.state_total
    due_on = disbursement_due_on(held_on) if held_on is not None else due_date(collection)
    disbursements = [
        CollectionShare(collection=collection, case_id=collection.case_id, payee=payee, amount=total, due_on=due_on,
                     source_key=f"{key}:{payee}" if key else f"disbursement:{collection.pk}:{payee}")
        for payee, total in by_payee.items() if total
    ]  # fmt: skip
    if held_on is None:
        disbursements = _month_end_family_share(collection, plan, disbursements)
    # Paired assertions (style.md 3.7): what is applied equals what is paid out, and nothing is lost.
    assert -sum((entry.amount for entry in entries), ZERO) == plan.family_total + plan.state_total
    moved = sum((row.amount for row in disbursements), ZERO)
    assert moved == (ZERO if held_on is not None else collection.amount)
    return entries, disbursements


def disbursement_due_on(received_on: date, clock: DisbursementClock = DisbursementClock.RECEIPT) -> date:
    """45 CFR 302.32(b), on the state's calendar: the rule `opencse.rules.timeframes.disbursement_due_on`."""
    return due_on_by_rule(received_on=received_on, clock=clock, jurisdiction=settings.OPENCSE_STATE)


def _month_end_family_share(
    collection: Collection, plan: rule.Distribution, rows: list[CollectionShare]
) -> list[CollectionShare]:
    """45 CFR 302.32(b)(2)(i): a current-assistance family's money other than the pass-through is due two
    business days after the end of the month of receipt (the pass-through, two business days after
    receipt). The family's row is split in two when both parts are present; the amounts are unchanged."""
    family = next((row for row in rows if row.payee == Payee.FAMILY), None)
    if (
        family is None
        or plan.case_type is not rule.CaseType.CURRENT_ASSISTANCE
        or collection.source == CollectionSource.FEDERAL_TAX_OFFSET
    ):
        return rows
    later = family.amount - min(plan.passed_through, family.amount)
    if later <= ZERO:
        return rows
    month_end_due = disbursement_due_on(clock_start(collection), DisbursementClock.MONTH_END)
    month_end_row = CollectionShare(collection=collection, case_id=family.case_id, payee=Payee.FAMILY,
                                 amount=later, due_on=max(month_end_due, family.due_on),
                                 source_key=f"{family.source_key}:month-end")  # fmt: skip
    if later == family.amount:
        return [row for row in rows if row is not family] + [month_end_row]
    family.amount -= later
    return [*rows, month_end_row]


def clock_start(collection: Collection) -> date:
    """The day the disbursement clock starts: receipt, or identification for a payment held in suspense."""
    if collection.suspense_reason and collection.posted_at is not None:
        return max(collection.received_on, timezone.localdate(collection.posted_at))
    return collection.received_on


def due_date(collection: Collection) -> date:
    """When a collection's money must be paid out (45 CFR 302.32(b); 42 U.S.C. 654b(c)(1)):
    - a federal tax refund offset: 30 calendar days after its receipt (302.32(b)(2)(iv), (b)(3)(ii)(A));
    - otherwise two business days after receipt — and for a payment held in suspense, after the day it was
      identified: the clock runs only "if sufficient information identifying the payee is provided".
    A current-assistance family's money other than the pass-through gets the later, month-end date when
    the rows are built (`_month_end_family_share`, 302.32(b)(2)(i))."""
    if collection.source == CollectionSource.FEDERAL_TAX_OFFSET:
        return disbursement_due_on(clock_start(collection), DisbursementClock.FEDERAL_TAX_OFFSET)
    return disbursement_due_on(clock_start(collection))


def collections_posted(collections: Sequence[Collection], *, actor: User) -> CollectionsPosted:
    """The event of posted collections, each with the disbursement clock it started (`due_date`'s clocks:
    a federal tax refund offset's 30 days, else two business days from `clock_start`)."""
    return CollectionsPosted(
        collections=tuple(
            PostedCollection(
                collection_id=collection.pk,
                case_id=collection.case_id,
                clock=(
                    DisbursementClock.FEDERAL_TAX_OFFSET
                    if collection.source == CollectionSource.FEDERAL_TAX_OFFSET
                    else DisbursementClock.RECEIPT
                ).value,
                clock_starts_on=clock_start(collection),
            )
            for collection in collections
            if collection.case_id is not None
        ),
        actor_id=actor.pk,
    )


def distribution_jurisdiction() -> str:
    return governing_jurisdiction("distribution", state=settings.OPENCSE_STATE)


@transaction.atomic
def post_collection_for_obligor(
    *,
    actor: User,
    obligor: Person,
    amount: Decimal,
    source: str,
    collected_on: date,
    received_on: date,
    payor_name: str = "",
    reference: str = "",
    idempotency_key: str | None = None,
) -> list[Collection]:
    """Divide one payment among every open case where `obligor` owes support, current support first and
    pro rata (45 CFR 303.100(a)(5), via `split_across_cases`), then post each case's share as its own
    collection. What is left when every case is paid goes with the largest share (held as future support).
    With `idempotency_key`, a retry returns the collections first posted."""
    _check_amount_and_dates(amount, collected_on, received_on)
    idempotency = None
    if idempotency_key is not None:
        asked = {"obligor": obligor.pk, "amount": f"{amount:.2f}", "source": source, "collected_on": collected_on,
                 "received_on": received_on, "payor_name": payor_name, "reference": reference}  # fmt: skip
        idempotency = idempotency_for(actor_id=actor.pk, key=idempotency_key, request=asked)
    # Locked in id order, so two postings for overlapping obligors never deadlock.
    cases = list(cases_owed_by(person=obligor).select_for_update().order_by("pk"))
    if not cases:
        raise InvalidInput("this person owes support on no open case", field="obligor")
    for case in cases:
        require(actor, "ledger.post", case)
    if idempotency is not None and (earlier := earlier_postings(idempotency)):
        return earlier  # a retry: the shares first posted under this key
    split = rule.split_across_cases(
        amount=amount,
        source=RULE_SOURCE.get(source, rule.DistributionSource.REGULAR),
        cases=_case_dues(cases, on=collected_on),
        as_of=collected_on,
        jurisdiction=distribution_jurisdiction(),
    )
    shares = {share.case_id: share.total for share in split.shares}
    largest = max(shares, key=lambda case_id: (shares[case_id], -int(case_id)))
    shares[largest] += split.unapplied
    assert sum(shares.values(), ZERO) == amount
    by_id = {str(case.pk): case for case in cases}
    return [
        post_collection(
            actor=actor,
            case=by_id[case_id],
            amount=share,
            source=source,
            collected_on=collected_on,
            received_on=received_on,
            payor_name=payor_name,
            reference=reference,
            obligor=obligor,
            share_of=idempotency,
        )
        for case_id, share in shares.items()
        if share > ZERO
    ]


def _case_dues(cases: list[Case], *, on: date) -> list[rule.CaseDue]:
    dues = []
    for case in cases:
        accrual.bring_current(case_id=case.pk, on=on)
        debts = debts_on(case=case, on=on)
        dues.append(
            rule.CaseDue(
                case_id=str(case.pk),
                current_support_due=debts.current_support_due,
                arrears_due=sum(debts.arrears.values(), ZERO),
            )
        )
    return dues


@transaction.atomic
def hold_in_suspense(
    *,
    actor: User,
    amount: Decimal,
    source: str,
    collected_on: date,
    received_on: date,
    reason: str,
    payor_name: str = "",
    reference: str = "",
    import_key: str | None = None,
    payor_fein: str = "",
) -> Collection:
    """Keep a payment that cannot be identified with a case, for an officer to work (never dropped)."""
    require(actor, "ledger.post")
    _check_amount_and_dates(amount, collected_on, received_on)
    if import_key is not None and Collection.objects.filter(import_key=import_key).exists():
        raise Conflict(f"Payment {import_key} was already received.")
    collection = Collection.objects.create(
        amount=amount,
        source=source,
        collected_on=collected_on,
        received_on=received_on,
        status=CollectionStatus.SUSPENSE,
        payor_name=payor_name[:120],
        payor_fein=payor_fein,
        reference=reference[:60],
        import_key=import_key,
        suspense_reason=reason[:200],
        created_by=actor,
    )
    record_audit(
        actor=actor,
        action="collection.suspended",
        target=collection,
        summary=reason[:300],
        after={"amount": str(amount), "source": source},
    )
    return collection


@transaction.atomic
def resolve_suspense(*, actor: User, collection: Collection, case: Case) -> Collection:
    """Identify a suspended payment's case and distribute it."""
    require(actor, "ledger.post", case)
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    if collection.status != CollectionStatus.SUSPENSE:
        raise Conflict("This payment is not in suspense.")
    Case.objects.select_for_update().get(pk=case.pk)
    collection.case, collection.status, collection.posted_at = case, CollectionStatus.POSTED, timezone.now()
    collection.save(update_fields=["case", "status", "posted_at"])
    _distribute(collection)
    record_audit(
        actor=actor,
        action="collection.identified",
        target=collection,
        case_number=case.number,
        before={"status": CollectionStatus.SUSPENSE},
        after={"status": CollectionStatus.POSTED},
    )
    publish(collections_posted([collection], actor=actor))
    return collection


@transaction.atomic
def reverse_collection(*, actor: User, collection: Collection, reason: str, reversed_on: date) -> Collection:
    """Undo a posted collection (NSF, stop payment, posting error): reverse exactly what it distributed,
    effective on `reversed_on` (the business day the bank returned the payment or the error was found).
    What was already paid out becomes a recovery owed back (a negative disbursement)."""
    assert collection.case is not None
    require(actor, "ledger.reverse", collection.case)
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    if collection.status != CollectionStatus.POSTED:
        raise Conflict(f"Only a posted collection can be reversed; this one is {collection.status}.")
    if not reason.strip():
        raise InvalidInput("give the reason for the reversal", field="reason")
    if reversed_on < collection.received_on:
        raise InvalidInput("cannot be before the payment was received", field="reversed_on")
    check_not_future(reversed_on, field="reversed_on")
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                case_id=entry.case_id,
                account=entry.account,
                kind=EntryKind.REVERSAL,
                amount=-entry.amount,
                effective_on=reversed_on,
                collection=collection,
                reverses=entry,
                actor=actor,
                source_key=f"reversal:{entry.pk}",
                memo=reason[:200],
            )
            for entry in collection.entries.filter(kind=EntryKind.PAYMENT)
        ]
    )
    CollectionShare.objects.bulk_create(
        [
            CollectionShare(
                collection=collection,
                case_id=row.case_id,
                payee=row.payee,
                amount=-row.amount,
                due_on=reversed_on,
                reverses=row,
                source_key=f"disbursement-reversal:{row.pk}",
            )
            for row in collection.shares.filter(reverses__isnull=True)
        ]
    )
    collection.status = CollectionStatus.REVERSED
    collection.save(update_fields=["status"])
    assert collection.case is not None
    record_audit(
        actor=actor,
        action="collection.reversed",
        target=collection,
        case_number=collection.case.number,
        summary=reason[:300],
        before={"status": CollectionStatus.POSTED},
        after={"status": CollectionStatus.REVERSED},
    )
    return collection


@transaction.atomic
def record_assistance(
    *,
    actor: User,
    case: Case,
    starts_on: date,
    grant_monthly: Decimal,
    ends_on: date | None = None,
    assistance_group: str = "",
) -> AssistancePeriod:
    """Record a span of public assistance (from the IV-A referral), which assigns support rights.
    `assistance_group` is the IV-A assistance group (TANF case) number; blank when the case is its own group."""
    require(actor, "cases.update", case)
    if grant_monthly < ZERO or not is_whole_cents(grant_monthly):
        raise InvalidInput("must be whole cents and not negative", field="grant_monthly")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput("cannot be before the start", field="ends_on")
    if len(assistance_group.strip()) > 20:
        raise InvalidInput("an assistance group number has at most 20 characters", field="assistance_group")
    rules_start = assignment_rules_start(jurisdiction=assignment.assignment_jurisdiction())
    if starts_on < rules_start:
        raise InvalidInput(f"OpenCSE's assignment rules start on {rules_start} (PRWORA, AT-97-17)", field="starts_on")
    case = Case.objects.select_for_update().get(pk=case.pk)  # no posting interleaves with the reclassification
    period = AssistancePeriod.objects.create(
        case=case,
        starts_on=starts_on,
        ends_on=ends_on,
        grant_monthly=grant_monthly,
        assistance_group=assistance_group.strip(),
    )
    record_audit(
        actor=actor,
        action="assistance.recorded",
        target=period,
        case_number=case.number,
        after={
            "starts_on": str(starts_on),
            "ends_on": str(ends_on or ""),
            "grant": str(grant_monthly),
            "assistance_group": assistance_group.strip(),
        },
    )
    _reclassify_for(period)
    return period


def _reclassify_for(period: AssistancePeriod) -> None:
    """The buckets a newly recorded period changes (42 U.S.C. 608(a)(3), 657(a)(3); AT-97-17, AT-09-03):
    months it covers that were already rolled into never-assigned arrears become permanently assigned;
    then the rule runs on the day assistance began (what was owed before it is pre-assistance arrears),
    at each month moved, on the day it ended (temporarily assigned becomes conditionally assigned) and
    today, each date no later than today."""
    today = timezone.localdate()
    moved_at = assignment.assign_assistance_months(case_id=period.case_id)
    dates = {period.starts_on, *moved_at, today}
    if period.ends_on is not None:
        dates.add(period.ends_on)
    for on in sorted(day for day in dates if period.starts_on <= day <= today or day == today):
        assignment.reclassify(case_ids=[period.case_id], on=on)
