"""Retroactive modifications: the ledger side of a modification that takes effect on a day the ledger has
already accrued the old order past (docs/ledger.md, "Retroactive modifications").

Courts and agencies often make a modification effective back to the filing date of the motion. The old
order's terms still end the day before (`orders.services`); this module makes each month's figures what
the new order says, without editing a row:

- **Closed months** (before the month of the day it is entered): their unpaid support was already rolled
  into arrears. The old charges stay; one `adjustment` per month, dated the month's end, on the bucket
  that month's arrears went to (the rollover's bucket, else the bucket `month_bucket` gives), for
  (new order's charges - old order's charges) of the month, memo naming the modification. The new terms
  do not accrue those months (their watermark starts at the last closed day), so charges and rollover
  keep their one-per-month keys.
- **Open months** (the month it is entered and later months already accrued): every old charge due on
  or after the effective date is reversed (kind `reversal`, same account and date); the new terms accrue
  normally, and the month-end rollover moves what is unpaid.
- **Credit.** A reduction never makes a balance negative on any date: it takes from the month's bucket
  at most its lowest balance from the month's end on. What is left (the obligor already paid the old,
  higher amount) is a credit, applied to the case's other arrears, the bucket owed longest first, dated
  the day of entry; what still remains is an **overpayment** by the obligor, recorded in the audit row
  and listed by `modification_overpayments` for an officer to refund or hold through the existing
  adjustment and refund paths.

Paired assertion: what is posted (adjustments, reversals, credits, the new terms' charges in the
period) equals the new order's charges less the old order's over the period, plus the overpayment,
asserted in memory before the insert and again on the rows read back. Every entry's key starts
`retro:<new order>:`, so nothing is posted twice; the old order is then `modified`, so entering the
modification again is refused. The caller holds the case lock and the transaction (`enter_order`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet

from opencse.cases.models import Case
from opencse.common.money import MoneySum
from opencse.ledger.accrual import accrue, bring_cases_current, month_end
from opencse.ledger.assignment import assistance_families, reclassify
from opencse.ledger.models import CURRENT_SUPPORT, EntryKind, LedgerEntry
from opencse.orders.models import ACCRUING_KINDS, Order, OrderTerm, TermStep
from opencse.rules.assignment import AssistanceSpan, month_bucket
from opencse.rules.money import ZERO
from opencse.rules.schedules import Frequency, Step, TermSchedule, charges_due
from opencse.security.audit import record_audit
from opencse.security.models import AuditEvent, User
from opencse.security.policy import require

ACTION = "order.retroactive_modification"
ENTRIES_MAXIMUM = 20_000  # a case's ledger read into memory: decades of weekly charges fit


@dataclass(frozen=True, slots=True)
class TermBefore:
    """An accruing term of the modified order as it stood before it was ended."""

    term_id: int
    schedule: TermSchedule
    accrued_through: date | None


@dataclass(frozen=True, slots=True)
class RetroactiveResult:
    period_from: date
    period_through: date
    old_total: Decimal  # the old order's charges in the period
    new_total: Decimal  # the new order's charges in the period
    posted_total: Decimal  # every entry the modification changed, summed
    overpayment: Decimal  # the credit no arrears could take: owed back to the obligor


@dataclass(slots=True)
class _Book:
    """The case's entries by account and date, with what this modification posts added as it goes."""

    totals: dict[str, dict[date, Decimal]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Decimal)))
    first_owed: dict[str, date] = field(default_factory=dict)  # the first day each arrears bucket was owed
    rolled_into: dict[date, str] = field(default_factory=dict)  # month end -> bucket the month's arrears went to
    posted: list[LedgerEntry] = field(default_factory=list)
    case_id: int = 0
    actor_id: int | None = None
    order_id: int = 0
    memo: str = ""

    def post(
        self, account: str, amount: Decimal, on: date, key: str, note: str, *, reverses: LedgerEntry | None = None
    ) -> None:
        assert amount != ZERO
        entry = LedgerEntry(
            case_id=self.case_id,
            term_id=reverses.term_id if reverses is not None else None,
            account=account,
            kind=EntryKind.REVERSAL if reverses is not None else EntryKind.ADJUSTMENT,
            amount=amount,
            effective_on=on,
            source_key=f"retro:{self.order_id}:{key}",
            reverses=reverses,
            actor_id=self.actor_id,
            memo=f"{self.memo}: {note}"[:200],
        )
        self.totals[account][on] += amount
        self.posted.append(entry)

    def lowest_from(self, account: str, on: date) -> Decimal:
        """The lowest balance of `account` on `on` or any later date: what a reduction dated `on` may take
        without making the account negative on any day."""
        by_date = self.totals[account]
        balance = sum((amount for day, amount in by_date.items() if day <= on), ZERO)
        lowest = balance
        for day in sorted(day for day in by_date if day > on):
            balance += by_date[day]
            lowest = min(lowest, balance)
        return lowest


def terms_before(order: Order) -> list[TermBefore]:
    """The order's accruing terms with their schedules, before they are ended (two queries)."""
    rows = list(
        OrderTerm.objects.filter(order=order, kind__in=list(ACCRUING_KINDS))
        .order_by("pk")
        .values_list("pk", "frequency", "starts_on", "ends_on", "accrued_through")
    )
    steps = _steps([row[0] for row in rows])
    return [
        TermBefore(term_id=pk, schedule=_schedule(frequency, starts_on, ends_on, steps[pk]), accrued_through=through)
        for pk, frequency, starts_on, ends_on, through in rows
    ]


def _schedule(frequency: str, starts_on: date, ends_on: date | None, steps: tuple[Step, ...]) -> TermSchedule:
    return TermSchedule(frequency=Frequency(frequency), starts_on=starts_on, ends_on=ends_on, steps=steps)


def _steps(term_ids: list[int]) -> dict[int, tuple[Step, ...]]:
    found: dict[int, list[Step]] = defaultdict(list)
    rows = TermStep.objects.filter(term_id__in=term_ids).order_by("term_id", "starts_on")
    for term_id, starts_on, amount in rows.values_list("term_id", "starts_on", "amount"):
        found[term_id].append(Step(starts_on=starts_on, amount=amount))
    return {term_id: tuple(steps) for term_id, steps in found.items()}


def is_retroactive(before: Sequence[TermBefore], *, effective_on: date) -> bool:
    return any(term.accrued_through is not None and term.accrued_through >= effective_on for term in before)


def _by_month(charges: Iterable[tuple[date, Decimal]]) -> dict[date, Decimal]:
    months: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for due_on, amount in charges:
        months[month_end(due_on)] += amount
    return months


def adjust_for_modification(
    *, actor: User, case: Case, order: Order, before: Sequence[TermBefore], effective_on: date, entered_on: date
) -> RetroactiveResult | None:
    """Make the ledger say what the modification `order` says from `effective_on` on, when the modified
    order's terms (`before`, taken before they were ended) were accrued past that day. None when not.
    `entered_on` is the business day the modification is recorded: months before its month are closed
    (adjusted on their arrears bucket), its month and later are open (reversed and charged anew)."""
    if not is_retroactive(before, effective_on=effective_on):
        return None
    require(actor, "ledger.post", case)
    accrued = max(term.accrued_through for term in before if term.accrued_through is not None)
    closed_through = min(accrued, entered_on.replace(day=1) - timedelta(days=1))
    new_terms = _new_schedules(order)
    old_closed = _by_month(
        (charge.due_on, charge.amount)
        for term in before
        if term.accrued_through is not None
        for charge in charges_due(
            term.schedule, through=min(term.accrued_through, closed_through), after=effective_on - timedelta(days=1)
        )
    )
    new_closed = _by_month(
        (charge.due_on, charge.amount)
        for schedule in new_terms.values()
        for charge in charges_due(schedule, through=closed_through)
    )
    # The new terms' closed months are carried by the month adjustments below, never charged.
    OrderTerm.objects.filter(pk__in=list(new_terms)).update(accrued_through=closed_through)
    bring_cases_current(case_ids=[case.pk], on=entered_on)
    if accrued > month_end(entered_on):
        accrue(through=accrued, case_ids=[case.pk])
    book = _read_book(case)
    book.case_id, book.actor_id, book.order_id = case.pk, actor.pk, order.pk
    book.memo = f"modification {order.docket_number} effective {effective_on.isoformat()}"
    periods = assistance_families([case.pk]).own[case.pk]
    credit = _adjust_closed_months(book, old_closed, new_closed, periods)
    old_open, credit_open = _reverse_open_charges(book, before, first_open=closed_through + timedelta(days=1),
                                                  effective_on=effective_on)  # fmt: skip
    overpayment = _apply_credit(book, credit + credit_open, entered_on)
    new_open = _new_charges(new_terms, after=closed_through, through=accrued)
    old_total = sum(old_closed.values(), ZERO) + old_open
    new_total = sum(new_closed.values(), ZERO) + new_open
    posted_total = sum((entry.amount for entry in book.posted), ZERO) + new_open
    assert overpayment >= ZERO
    assert posted_total == new_total - old_total + overpayment, (posted_total, overpayment, new_total, old_total)
    LedgerEntry.objects.bulk_create(book.posted)
    new_charges = LedgerEntry.objects.filter(term_id__in=list(new_terms), kind=EntryKind.CHARGE)
    assert not new_charges.filter(effective_on__lte=closed_through).exists(), "closed months are never charged"
    read_back = _sum(LedgerEntry.objects.filter(case=case, source_key__startswith=f"retro:{order.pk}:"))
    charged = _sum(new_charges.filter(effective_on__gt=closed_through, effective_on__lte=accrued))
    assert read_back + charged == new_total - old_total + overpayment, (read_back, charged, overpayment)
    if periods:
        reclassify(case_ids=[case.pk], on=entered_on)
    result = RetroactiveResult(effective_on, accrued, old_total, new_total, posted_total, overpayment)
    _audit(actor, case, order, result)
    return result


def _new_schedules(order: Order) -> dict[int, TermSchedule]:
    rows = list(
        OrderTerm.objects.filter(order=order, kind__in=list(ACCRUING_KINDS)).values_list(
            "pk", "frequency", "starts_on", "ends_on", "accrued_through"
        )
    )
    assert all(row[4] is None for row in rows), "a new order's terms have accrued nothing"
    steps = _steps([row[0] for row in rows])
    return {pk: _schedule(frequency, starts_on, ends_on, steps[pk]) for pk, frequency, starts_on, ends_on, _ in rows}


def _sum(entries: QuerySet[LedgerEntry]) -> Decimal:
    total: Decimal | None = entries.aggregate(total=MoneySum("amount"))["total"]
    return total if total is not None else ZERO


def _new_charges(schedules: dict[int, TermSchedule], *, after: date, through: date) -> Decimal:
    return sum((c.amount for s in schedules.values() for c in charges_due(s, through=through, after=after)), ZERO)


def _read_book(case: Case) -> _Book:
    book = _Book()
    rows = LedgerEntry.objects.filter(case=case).values_list("account", "effective_on", "amount", "kind", "source_key")
    count = 0
    rolled_prefix = f"rollover:{case.pk}:"
    for account, effective_on, amount, kind, source_key in rows.iterator(5_000):
        count += 1
        book.totals[account][effective_on] += amount
        if amount > ZERO and account != CURRENT_SUPPORT:
            book.first_owed[account] = min(book.first_owed.get(account, effective_on), effective_on)
        if kind == EntryKind.ROLLOVER and source_key.startswith(rolled_prefix) and source_key.endswith(":in"):
            book.rolled_into[effective_on] = account
    assert count <= ENTRIES_MAXIMUM, f"case {case.pk} has {count} ledger entries"
    return book


def _adjust_closed_months(
    book: _Book, old: dict[date, Decimal], new: dict[date, Decimal], periods: Sequence[AssistanceSpan]
) -> Decimal:
    """One adjustment per closed month on the bucket its arrears went to; returns the credit left over
    (reductions the bucket could not take)."""
    credit = ZERO
    for ending in sorted(set(old) | set(new)):
        change = new.get(ending, ZERO) - old.get(ending, ZERO)
        if change == ZERO:
            continue
        bucket = book.rolled_into.get(ending) or month_bucket(month_ending=ending, periods=periods).bucket.value
        if change < ZERO:
            taken = min(-change, max(book.lowest_from(bucket, ending), ZERO))
            credit += -change - taken
            change = -taken
        if change != ZERO:
            note = f"{ending:%Y-%m} support {old.get(ending, ZERO)} -> {new.get(ending, ZERO)}"
            book.post(bucket, change, ending, f"{ending:%Y-%m}", note)
    return credit


def _reverse_open_charges(
    book: _Book, before: Sequence[TermBefore], *, first_open: date, effective_on: date
) -> tuple[Decimal, Decimal]:
    """Reverse the old terms' charges of the open months; returns their total and the credit left where
    the month's current support was already paid at the old amount."""
    charges = list(
        LedgerEntry.objects.filter(
            term_id__in=[term.term_id for term in before],
            kind=EntryKind.CHARGE,
            effective_on__gte=max(first_open, effective_on),
            reversal__isnull=True,
        ).order_by("effective_on", "pk")
    )
    for charge in charges:
        book.post(charge.account, -charge.amount, charge.effective_on, f"reverse:{charge.pk}",
                  f"charge of {charge.effective_on.isoformat()} reversed", reverses=charge)  # fmt: skip
    if not charges:
        return ZERO, ZERO
    start = charges[0].effective_on
    shortfall = -min(book.lowest_from(CURRENT_SUPPORT, start), ZERO)
    if shortfall > ZERO:
        book.post(CURRENT_SUPPORT, shortfall, start, "current", "current support already paid at the old amount")
    return sum((charge.amount for charge in charges), ZERO), shortfall


def _apply_credit(book: _Book, credit: Decimal, entered_on: date) -> Decimal:
    """Apply the credit to the case's arrears, the bucket owed longest first, dated the day the modification
    is entered; returns what no arrears could take (the obligor's overpayment)."""
    remaining = credit
    for bucket in sorted(book.first_owed, key=lambda account: (book.first_owed[account], account)):
        if remaining == ZERO:
            break
        taken = min(remaining, max(book.lowest_from(bucket, entered_on), ZERO))
        if taken > ZERO:
            book.post(bucket, -taken, entered_on, f"credit:{bucket}", "credit for support paid at the old amount")
            remaining -= taken
    return remaining


def _audit(actor: User, case: Case, order: Order, result: RetroactiveResult) -> None:
    net_change = result.new_total - result.old_total
    record_audit(
        actor=actor,
        action=ACTION,
        target=order,
        case_number=case.number,
        summary=(
            f"{order.docket_number}: {result.period_from.isoformat()} to {result.period_through.isoformat()}, "
            f"change {net_change}, overpayment {result.overpayment}"
        ),
        after={
            "period_from": result.period_from.isoformat(),
            "period_through": result.period_through.isoformat(),
            "old_total": str(result.old_total),
            "new_total": str(result.new_total),
            "net_change": str(net_change),
            "posted_total": str(result.posted_total),
            "overpayment": str(result.overpayment),
        },
    )


@dataclass(frozen=True, slots=True)
class ModificationOverpayment:
    order_id: int
    amount: Decimal
    recorded_at: datetime


def modification_overpayments(*, case: Case) -> list[ModificationOverpayment]:
    """Support the obligor paid that a retroactive modification took away and no arrears could absorb:
    owed back to the obligor, for an officer to refund or hold as future support."""
    rows = AuditEvent.objects.filter(action=ACTION, case_number=case.number).order_by("at", "pk")
    found = []
    for target_id, after, at in rows.values_list("target_id", "after", "at"):
        amount = Decimal(after.get("overpayment", "0"))
        if amount > ZERO:
            found.append(ModificationOverpayment(order_id=int(target_id), amount=amount, recorded_at=at))
    return found
