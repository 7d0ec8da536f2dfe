"""Reading what was paid out: the 45 CFR 302.32(b) timeliness report, overpayments to recover, refunds
that cannot be delivered, a case's payouts and undistributable money, the recent runs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q

from opencse.cases.models import Case
from opencse.errors import NotFound
from opencse.ledger.disbursement import Pending, pending_rows
from opencse.ledger.models import (
    DirectDeposit,
    DisbursementRun,
    Payee,
    PaymentMethod,
    Payout,
    PayoutLine,
    PayoutReturn,
)
from opencse.people.models import Person
from opencse.rules.money import ZERO


@dataclass(frozen=True, slots=True)
class Timeliness:
    """45 CFR 302.32(b): payouts issued in a period, on time or late, and money still unpaid past due."""

    issued: int
    on_time: int
    late: int
    overdue_unpaid: int
    overdue_unpaid_amount: Decimal

    @property
    def percent_on_time(self) -> Decimal:
        return (Decimal(100) * self.on_time / self.issued).quantize(Decimal("0.1")) if self.issued else Decimal(100)


def timeliness(*, start: date, end: date, as_of: date, pending: list[Pending] | None = None) -> Timeliness:
    """A payout is issued the day its run's files were written (`DisbursementRun.sent_on`): a payout of a run
    that a crash left unfinished and a later run finished is issued that later day, and one whose run has not
    finished is not issued at all — its money counts as unpaid, past due once its due date has passed."""
    issued = Payout.objects.filter(issued_on__lte=end, run__sent_on__range=(start, end)).exclude(
        method=PaymentMethod.NETTED
    )  # issued_on <= the run's sent_on: the index bounds the scan
    counts = issued.aggregate(total=Count("pk"), late=Count("pk", filter=Q(run__sent_on__gt=F("due_on"))))
    rows = pending_rows() if pending is None else pending
    overdue = [row.remainder for row in rows if row.remainder > ZERO and row.due_on < as_of]
    overdue += PayoutLine.objects.filter(
        payout__run__sent_on__isnull=True,
        payout__returned__isnull=True,
        amount__gt=ZERO,
        share__due_on__lt=as_of,
    ).values_list("amount", flat=True)  # marked paid by a run that has not sent them
    total = counts["total"] or 0
    late = counts["late"] or 0
    return Timeliness(issued=total, on_time=total - late, late=late, overdue_unpaid=len(overdue),
                      overdue_unpaid_amount=sum(overdue, ZERO))  # fmt: skip


def undeliverable_refunds(*, as_of: date, pending: list[Pending] | None = None) -> list[tuple[int, Decimal]]:
    """(case, amount) of refunds due to obligors and not paid by `as_of` (no address on file)."""
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in pending_rows() if pending is None else pending:
        if row.payee == Payee.OBLIGOR_REFUND and row.due_on < as_of:
            totals[row.case_id] += row.remainder
    return [(case_id, total) for case_id, total in sorted(totals.items()) if total > ZERO]


def overpayments(*, pending: list[Pending] | None = None) -> list[tuple[int, str, Decimal]]:
    """(case, payee, amount owed back) for every payee paid more than is now theirs (a reversal after
    the money went out), to recover from later disbursements or by demand. `pending`: the rows of
    `pending_rows()` when the caller already read them (one scan serves every report of a page)."""
    totals: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for row in pending_rows() if pending is None else pending:
        totals[(row.case_id, row.payee)] += row.remainder
    return [(case_id, payee, -total) for (case_id, payee), total in sorted(totals.items()) if total < ZERO]


@dataclass(frozen=True, slots=True)
class CasePayout:
    """A payout as the case's finance tab shows it: the 45 CFR 302.32(b) timeframe and any return."""

    payout: Payout
    returned: PayoutReturn | None

    @property
    def counted(self) -> bool:
        """A netted payout moved no money: the timeframe does not apply (`timeliness` leaves it out)."""
        return self.payout.method != PaymentMethod.NETTED

    @property
    def sent_on(self) -> date | None:
        """The day the payout really went out: its run's files were written (None: its run has not finished)."""
        return self.payout.run.sent_on

    @property
    def on_time(self) -> bool:
        return self.sent_on is not None and self.sent_on <= self.payout.due_on

    @property
    def returnable(self) -> bool:
        """A deposit or check that went out and has not come back (one of an unfinished run is in no file yet:
        the next run sends it)."""
        sent = self.sent_on is not None
        return sent and self.returned is None and self.payout.method in (PaymentMethod.EFT, PaymentMethod.CHECK)


def payouts_of_case(*, case: Case, limit: int = 200) -> list[CasePayout]:
    """The case's payouts, newest first (the caller has already checked the viewer may see the case)."""
    payouts = case.payouts.select_related("case", "returned", "run").order_by("-issued_on", "-pk")[:limit]
    return [CasePayout(payout=payout, returned=getattr(payout, "returned", None)) for payout in payouts]


def payout_for_viewer(*, viewer: object, payout_id: int) -> Payout:
    """One payout on a case the viewer may see; `NotFound` otherwise (the two are not told apart)."""
    from opencse.cases.selectors import row_on_visible_case

    return row_on_visible_case(Payout.objects.select_related("case"), payout_id, viewer=viewer, noun="payout")


@dataclass(frozen=True, slots=True)
class RunRow:
    run: DisbursementRun
    eft: int
    checks: int


def recent_runs(*, limit: int = 30) -> list[RunRow]:
    """The latest disbursement runs, newest first, with their direct deposit and check counts."""
    runs = DisbursementRun.objects.annotate(
        eft=Count("payout_rows", filter=Q(payout_rows__method=PaymentMethod.EFT)),
        checks=Count("payout_rows", filter=Q(payout_rows__method=PaymentMethod.CHECK)),
    ).order_by("-run_on", "-pk")[:limit]
    return [RunRow(run=run, eft=run.eft, checks=run.checks) for run in runs]


def disbursement_run(*, run_id: int) -> DisbursementRun:
    from opencse.errors import NotFound

    run = DisbursementRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"No disbursement run {run_id}.")
    return run


@dataclass(frozen=True, slots=True)
class CaseAmount:
    case_number: str
    payee: str  # the payee's label
    amount: Decimal


def overpayments_to_recover(*, viewer: object, pending: list[Pending] | None = None) -> list[CaseAmount]:
    """`overpayments` on the cases the viewer may see, by case number."""
    found = overpayments(pending=pending)
    numbers = _visible_numbers(viewer, {case_id for case_id, _, _ in found})
    return [
        CaseAmount(case_number=numbers[case_id], payee=Payee(payee).label, amount=amount)
        for case_id, payee, amount in found
        if case_id in numbers
    ]


def refunds_undeliverable(*, viewer: object, as_of: date, pending: list[Pending] | None = None) -> list[CaseAmount]:
    """`undeliverable_refunds` on the cases the viewer may see, by case number."""
    found = undeliverable_refunds(as_of=as_of, pending=pending)
    numbers = _visible_numbers(viewer, {case_id for case_id, _ in found})
    return [
        CaseAmount(case_number=numbers[case_id], payee=Payee.OBLIGOR_REFUND.label, amount=amount)
        for case_id, amount in found
        if case_id in numbers
    ]


def _visible_numbers(viewer: object, case_ids: set[int]) -> dict[int, str]:
    from opencse.cases.selectors import visible_cases

    return dict(visible_cases(viewer).filter(pk__in=case_ids).values_list("pk", "number"))


def direct_deposit_of(*, person: Person) -> DirectDeposit | None:
    """The person's direct deposit authorization in force (the latest, not ended), if any."""
    return DirectDeposit.objects.filter(person=person, ends_on__isnull=True).order_by("-starts_on", "-pk").first()


def run_by_id(run_id: int) -> DisbursementRun:
    """A disbursement run; 404 when there is none."""
    run = DisbursementRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"No disbursement run {run_id}.")
    return run


def payout_by_id(payout_id: int) -> Payout:
    """A payout with its case, run and any return; 404 when there is none (the caller checks the case)."""
    payout = Payout.objects.select_related("case", "returned", "run").filter(pk=payout_id).first()
    if payout is None:
        raise NotFound(f"No payout {payout_id}.")
    return payout
