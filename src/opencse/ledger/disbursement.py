"""Paying money out: the disbursement run, returned payments, undistributable money, unclaimed property.

A posted collection's `CollectionShare` rows say who its money belongs to (family, state, obligor refund,
held, undistributable). The nightly **disbursement run** pays what is owed and not yet paid:

1. For every disbursement row to the family, the state or an obligor refund, the part not yet covered by
   a payout (its amount less the `PayoutLine`s of payouts that were not returned) — one grouped query.
2. Per case and payee, the sum of those parts. Positive: one payout covering them all (a recovery from an
   earlier reversal is netted against new money: recoupment). Zero: a `netted` payout of 0.00 that
   covers rows which cancel out (a reversal before the money went out). Negative: nothing is paid; the
   payee owes the agency that amount (an overpayment to recover, listed by `overpayments`).
3. The recipient and method: the state's share is a transfer to the IV-A agency (assistance
   reimbursement); the family's share goes to the case's custodial party — direct deposit when an
   authorization is on file, else a check to a releasable mailing address — or, on a responding
   interstate case, to the initiating agency: by EFT to its remittance account when the case is linked to
   an active agency of the directory (`opencse.cases.agencies`) with an account, a case number there and
   the obligor's SSN (DED02 and DED05 are mandatory), else by check to the agency; a refund goes to the
   obligor the same way. Money with no way to reach its payee (no bank account and no address that may
   leave the system, e.g. a family-violence-protected address, or no custodial party) is moved to
   **undistributable**, per collection, with the reason, and an officer releases it once the payee can
   be paid.
4. The NACHA PPD credit file (direct deposits), the NACHA CCD+ file with DED addenda (payments to other
   IV-D agencies, `opencse.interfaces.nacha_interstate`) and the check register (CSV) are written on the
   run. Trace numbers come from one sequence, so they are unique across the two files.

Each payout is due when the oldest money it carries was due (45 CFR 302.32(b)), so `timeliness` reports
the federal timeframe met or missed. A returned direct deposit or a voided check is a `PayoutReturn`: the
payout's lines stop counting, and its money moves to undistributable (`opencse.ledger.payouts`, with the
release of undistributable money, unclaimed property and direct deposit authorizations; the reports are
in `opencse.ledger.disbursement_selectors`). Everything is append-only; the money invariant of every
collection (its disbursement rows sum to its amount) holds throughout, because every move is a pair of
rows on the same collection.

The run works case by case in chunks, each chunk in one transaction; a run killed midway and started
again pays the rest and nothing twice (the lines are the watermark). Its payouts go out only with its files:
the next run, whatever its date, first finishes a run a crash left unfinished (an earlier day's under its
own record, its files and `sent_on` dated the day they really go out), so no payout stays paid in no file.

Why over 400 lines: the run, its routes and the three files it writes share the payout rows and their
routes; split apart, a change to a route would have to be mirrored in the file that pays it.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BigIntegerField, Max, Q
from django.db.models.functions import Cast
from django.utils import timezone

from opencse.cases.models import Case, CaseMember, Category, MemberRole
from opencse.common.events import publish
from opencse.common.money import MoneySum
from opencse.errors import Conflict, InvalidInput
from opencse.interfaces.nacha_interstate import AgencyCredit, write_ccd_credits
from opencse.interfaces.nacha_ppd import Credit, Originator, trace_number, write_ppd_credits
from opencse.ledger.events import DisbursementsMade
from opencse.ledger.held import apply_held_support
from opencse.ledger.models import (
    PAID_OUT_PAYEES,
    Collection,
    CollectionShare,
    DirectDeposit,
    DisbursementRun,
    Payee,
    PaymentMethod,
    Payout,
    PayoutLine,
    PayoutReturn,
)
from opencse.people.models import Person
from opencse.people.selectors import address_lines_for_documents
from opencse.rules.federal_share import federal_share
from opencse.rules.money import ZERO
from opencse.security import crypto
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2_000
NO_ROUTE = "no direct deposit authorization and no mailing address that may leave the system"
NO_PAYEE = "no custodial party on the case"
CHANGE_MARGIN = timedelta(hours=1)  # a posting that began before the last run and committed after it
RUN_LOCK_KEY = 0x0C5E_D15B  # the advisory lock of the disbursement run
FIRST_CHECK_NUMBER = 100_001


@dataclass(frozen=True, slots=True)
class RunSummary:
    run: DisbursementRun
    payouts: int
    eft: int
    checks: int
    transfers: int
    undistributable: Decimal
    total: Decimal
    interstate: int = 0  # of `eft`: CCD+ credits to other IV-D agencies
    finished_first: tuple[RunSummary, ...] = ()  # earlier runs a crash had left unfinished, finished first


@dataclass(frozen=True, slots=True)
class Pending:
    share_id: int
    collection_id: int
    case_id: int
    payee: str
    remainder: Decimal
    due_on: date


@dataclass(frozen=True, slots=True)
class _Route:
    method: str
    recipient_id: int | None
    recipient_name: str
    deposit: DirectDeposit | None = None
    address: list[str] | None = None
    agency_id: int | None = None  # another IV-D agency of the directory


def originator() -> Originator:
    return Originator(
        bank_routing=settings.OPENCSE_ODFI_ROUTING,
        bank_name=settings.OPENCSE_ODFI_NAME,
        company_name=settings.OPENCSE_SDU_NAME,
        company_id=settings.OPENCSE_SDU_COMPANY_ID,
    )


def pending_rows(case_ids: list[int] | None = None) -> list[Pending]:
    """Every family, state or refund disbursement row not fully covered by an unreturned payout."""
    rows = CollectionShare.objects.filter(payee__in=PAID_OUT_PAYEES)
    if case_ids is not None:
        rows = rows.filter(case_id__in=case_ids)
    covered = MoneySum("payout_lines__amount", filter=Q(payout_lines__payout__returned__isnull=True))
    found = []
    for pk, collection_id, case_id, payee, amount, due_on, paid in (
        rows.annotate(paid=covered)
        .values_list("pk", "collection_id", "case_id", "payee", "amount", "due_on", "paid")
        .order_by("case_id", "pk")
        .iterator(5_000)
    ):
        remainder = amount - (paid or ZERO)
        if remainder:
            found.append(Pending(pk, collection_id, case_id, payee, remainder, due_on))
    return found


def run_disbursements(*, actor: User, run_on: date, chunk_size: int = CHUNK_SIZE, full: bool = False) -> RunSummary:
    """Pay everything owed and not yet paid, as of `run_on` (a business day). A run that a crash left
    unfinished is finished first, whatever its date: the same day's is resumed as this run; an earlier day's
    is finished under its own record (its remaining cases paid, its files written), dated `run_on`, the day
    its money really goes out (`finished_first`); one dated after `run_on` is refused. Only the cases with
    something new since the last finished run are read (`full` reads every case: for a first run or a
    periodic check)."""
    require(actor, "ledger.disburse")
    with one_run_at_a_time():
        finished_first = tuple(
            _complete(run, actor=actor, sent_on=run_on, chunk_size=chunk_size, full=False)
            for run in _unfinished_before(run_on)
        )
        with transaction.atomic():
            run = DisbursementRun.objects.select_for_update().filter(run_on=run_on, finished_at__isnull=True).first()
            if run is None:
                run = DisbursementRun.objects.create(run_on=run_on, actor=actor)
        summary = _complete(run, actor=actor, sent_on=run_on, chunk_size=chunk_size, full=full)
        return replace(summary, finished_first=finished_first)


@contextmanager
def one_run_at_a_time() -> Iterator[None]:
    """Refuse a second disbursement run while one is in progress (a PostgreSQL session advisory lock: two
    runs would number checks and traces from the same last one). SQLite serializes writers itself."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise Conflict("Another disbursement run is in progress; try again when it has finished.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])


def _unfinished_before(run_on: date) -> list[DisbursementRun]:
    """The runs a crash left unfinished on a day before `run_on`, oldest first; a `Conflict` naming the run
    when one is dated after `run_on` (its payouts would go out before their run's own day)."""
    unfinished = list(DisbursementRun.objects.filter(finished_at__isnull=True).order_by("started_at", "pk"))
    later = [run for run in unfinished if run.run_on > run_on]
    if later:
        run = later[0]
        raise Conflict(
            f"Disbursement run {run.pk} of {run.run_on.isoformat()} did not finish ({run.payout_rows.count()} "
            f"payouts in no file yet) and is dated after {run_on.isoformat()}: finish it first by running the "
            f"disbursement of {run.run_on.isoformat()} again (opencse disburse --on {run.run_on.isoformat()})."
        )
    return [run for run in unfinished if run.run_on < run_on]


def _complete(run: DisbursementRun, *, actor: User, sent_on: date, chunk_size: int, full: bool) -> RunSummary:
    """Pay the run's cases not yet paid, chunk by chunk, and write its files dated `sent_on`."""
    apply_held_support(on=run.run_on)  # prepaid support pays what came due, before anything is paid out
    last = (
        DisbursementRun.objects.filter(finished_at__isnull=False, started_at__lt=run.started_at)
        .order_by("-started_at")
        .first()
    )
    if full or last is None:
        case_ids = sorted({row.case_id for row in pending_rows()})
    else:
        case_ids = sorted(cases_with_news(since=last.started_at - CHANGE_MARGIN))
    undistributable = ZERO
    for start in range(0, len(case_ids), chunk_size):
        undistributable += _pay_chunk(run, case_ids[start : start + chunk_size], issued_on=sent_on)
        logger.info(
            "disbursement run %s: %d of %d cases", run.pk, min(start + chunk_size, len(case_ids)), len(case_ids)
        )
    if run.run_on != sent_on:
        logger.warning("disbursement run %s of %s was left unfinished; its files are written on %s",
                       run.pk, run.run_on, sent_on)  # fmt: skip
    try:
        return _finish(run, actor, undistributable, sent_on=sent_on)
    except Conflict as error:
        raise Conflict(f"Disbursement run {run.pk} of {run.run_on.isoformat()} cannot finish: {error}") from error


def cases_with_news(*, since: datetime) -> set[int]:
    """The cases a run must read: new disbursement rows (postings, reversals, releases) or returned payouts
    since `since`, and every case with a refund still owed (it waits for the obligor's address)."""
    found = set(CollectionShare.objects.filter(created_at__gte=since).values_list("case_id", flat=True).distinct())
    found |= set(PayoutReturn.objects.filter(created_at__gte=since).values_list("payout__case_id", flat=True))
    refunds = CollectionShare.objects.filter(payee=Payee.OBLIGOR_REFUND).values_list("case_id", flat=True).distinct()
    found |= {row.case_id for row in pending_rows(list(refunds))}
    return found


def _due_on(rows: list[Pending], default: date) -> date:
    """The due date of what a payout pays: amounts owed back (negative rows) cancel the oldest money first,
    and the payout is due when the oldest money it still carries was due."""
    owed_back = -sum((row.remainder for row in rows if row.remainder < ZERO), ZERO)
    for row in sorted((row for row in rows if row.remainder > ZERO), key=lambda row: (row.due_on, row.share_id)):
        if row.remainder > owed_back:
            return row.due_on
        owed_back -= row.remainder
    return default


def _federal_share(payee: str, total: Decimal, on: date) -> Decimal | None:
    if payee != Payee.STATE or total <= ZERO:
        return ZERO
    try:
        return federal_share(total, jurisdiction=settings.OPENCSE_STATE, as_of=on).federal
    except InvalidInput:
        return None  # no confirmed FMAP for the fiscal year: reported as not determined


@transaction.atomic
def _pay_chunk(run: DisbursementRun, case_ids: list[int], *, issued_on: date | None = None) -> Decimal:
    """Pay the cases' unpaid money as payouts of `run`, issued on `issued_on` (default the run's day; a later
    day when a later run finishes a run that a crash left unfinished)."""
    list(Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk").values_list("pk", flat=True))
    groups: dict[tuple[int, str], list[Pending]] = defaultdict(list)
    for row in pending_rows(case_ids):  # re-read under the lock: a concurrent posting or run is seen
        groups[(row.case_id, row.payee)].append(row)
    routes = payment_routes({case_id for case_id, _ in groups}, {payee for _, payee in groups})
    next_check = _next_check_number()
    next_trace = _next_trace_sequence()
    payouts: list[Payout] = []
    members: list[list[Pending]] = []
    moves: list[CollectionShare] = []
    undistributable = ZERO
    for (case_id, payee), rows in groups.items():
        total = sum((row.remainder for row in rows), ZERO)
        if total < ZERO:
            continue  # an overpayment the payee owes back: netted against later money
        route = routes.get((case_id, payee))
        if total > ZERO and (route is None or isinstance(route, str)):
            if payee == Payee.FAMILY:
                reason = route if isinstance(route, str) else NO_ROUTE
                moves += to_undistributable(rows, reason=reason, key=f"run{run.pk}")
                undistributable += total
            continue  # a refund with no way to reach the obligor waits, overdue, in `undeliverable_refunds`
        if not isinstance(route, _Route):
            route = None  # rows that cancel out need no way to reach the payee
        method = PaymentMethod.NETTED if total == ZERO or route is None else route.method
        reference = ""
        if method == PaymentMethod.CHECK:
            reference, next_check = str(next_check), next_check + 1
        elif method == PaymentMethod.EFT:
            reference, next_trace = trace_number(originator(), next_trace), next_trace + 1
        payouts.append(
            Payout(
                run=run,
                case_id=case_id,
                payee=payee,
                recipient_id=route.recipient_id if route else None,
                recipient_name=route.recipient_name if route else "",
                agency_id=route.agency_id if route else None,
                method=method,
                amount=total,
                due_on=_due_on(rows, run.run_on),
                issued_on=issued_on or run.run_on,
                reference=reference,
                federal_share=_federal_share(payee, total, run.run_on),
            )
        )
        members.append(rows)
    Payout.objects.bulk_create(payouts)
    PayoutLine.objects.bulk_create(
        [
            PayoutLine(payout=payout, share_id=row.share_id, amount=row.remainder)
            for payout, rows in zip(payouts, members, strict=True)
            for row in rows
        ],
        batch_size=5_000,
    )
    CollectionShare.objects.bulk_create(moves, batch_size=5_000)
    publish(DisbursementsMade(case_ids=tuple(sorted({payout.case_id for payout in payouts})),
                              made_on=issued_on or run.run_on, actor_id=run.actor_id))  # fmt: skip
    return undistributable


def payment_routes(case_ids: set[int], payees: set[str]) -> dict[tuple[int, str], _Route | str]:
    """How each (case, payee) can be paid, in grouped queries; a string is the reason it cannot."""
    cases = {case.pk: case for case in Case.objects.filter(pk__in=case_ids).select_related("other_agency")}
    parties = _parties(case_ids)
    person_ids = list(set(parties.values()))
    open_deposits = DirectDeposit.objects.filter(person_id__in=person_ids, ends_on__isnull=True)
    deposits = {deposit.person_id: deposit for deposit in open_deposits.select_related("person")}
    addresses = address_lines_for_documents(person_ids=person_ids)
    linked = [
        pk for pk, case in cases.items() if case.category == Category.INTERSTATE_RESPONDING and case.other_agency_id
    ]
    obligors = [parties[(pk, Payee.OBLIGOR_REFUND)] for pk in linked if (pk, Payee.OBLIGOR_REFUND) in parties]
    with_ssn = set(Person.objects.filter(pk__in=obligors).exclude(ssn_encrypted="").values_list("pk", flat=True))
    routes: dict[tuple[int, str], _Route | str] = {}
    for case_id in case_ids:
        case = cases[case_id]
        if Payee.STATE in payees:
            routes[(case_id, Payee.STATE)] = _Route(PaymentMethod.TRANSFER, None, settings.OPENCSE_IVA_AGENCY_NAME)
        if case.category == Category.INTERSTATE_RESPONDING:
            agency_route = _agency_route(
                case, obligor_ssn_on_file=parties.get((case_id, Payee.OBLIGOR_REFUND)) in with_ssn
            )
            if agency_route is not None:
                routes[(case_id, Payee.FAMILY)] = agency_route
        for payee in (Payee.FAMILY, Payee.OBLIGOR_REFUND):
            if (case_id, payee) not in routes:
                party = parties.get((case_id, payee))
                routes[(case_id, payee)] = (
                    _person_route(party, deposits, addresses)
                    if party is not None
                    else (NO_PAYEE if payee == Payee.FAMILY else "no obligor on the case")
                )
    return routes


def _parties(case_ids: set[int]) -> dict[tuple[int, str], int]:
    """The person paid for each (case, family or refund): the custodial party or caretaker relative, and the
    obligor (the payor of record of the latest collection, else the noncustodial parent)."""
    parties: dict[tuple[int, str], int] = {}
    roles = {MemberRole.CUSTODIAL_PARTY: Payee.FAMILY, MemberRole.CARETAKER_RELATIVE: Payee.FAMILY,
             MemberRole.NONCUSTODIAL_PARENT: Payee.OBLIGOR_REFUND}  # fmt: skip
    for case_id, person_id, role in (
        CaseMember.objects.filter(case_id__in=case_ids, left_on__isnull=True, role__in=list(roles))
        .order_by("case_id", "role", "pk")
        .values_list("case_id", "person_id", "role")
    ):
        parties.setdefault((case_id, roles[MemberRole(role)]), person_id)
    for case_id, obligor_id in (
        Collection.objects.filter(case_id__in=case_ids, obligor__isnull=False)
        .order_by("case_id", "-pk")
        .values_list("case_id", "obligor_id")
    ):
        parties[(case_id, Payee.OBLIGOR_REFUND)] = obligor_id  # the payor of record wins for a refund
    return parties


def _agency_route(case: Case, *, obligor_ssn_on_file: bool) -> _Route | None:
    """The family's share of a responding interstate case goes to the initiating agency (45 CFR
    303.7(d)(6)(v)): by EFT (CCD+ with DED) when the case is linked to an active agency with a remittance
    account, the agency's case number (DED02) and the obligor's SSN (DED05) are on file; else by check, to
    the directory's address, or named after `other_jurisdiction` when no active agency is linked."""
    agency = case.other_agency
    if agency is not None and agency.active:
        if agency.has_bank_account and case.other_case_identifier and obligor_ssn_on_file:
            return _Route(PaymentMethod.EFT, None, agency.name, agency_id=agency.pk)
        return _Route(PaymentMethod.CHECK, None, agency.name, address=[agency.name, *agency.address_lines],
                      agency_id=agency.pk)  # fmt: skip
    if case.other_jurisdiction:
        return _Route(PaymentMethod.CHECK, None, f"Child support agency, {case.other_jurisdiction}"[:120])
    return None


def _person_route(
    person_id: int, deposits: dict[int, DirectDeposit], addresses: dict[int, list[str] | None]
) -> _Route | str:
    """Direct deposit when authorized, else a check to a mailing address that may leave the system."""
    if person_id in deposits:
        deposit = deposits[person_id]
        return _Route(PaymentMethod.EFT, person_id, deposit.person.full_name, deposit=deposit)
    lines = addresses[person_id]
    if lines is None:
        return NO_ROUTE
    return _Route(PaymentMethod.CHECK, person_id, lines[0], address=lines)


def to_undistributable(rows: list[Pending], *, reason: str, key: str) -> list[CollectionShare]:
    """Pairs of rows, per collection: out of the payee's share, into undistributable."""
    by_collection: dict[tuple[int, int, str], Decimal] = defaultdict(lambda: ZERO)
    due: dict[tuple[int, int, str], date] = {}
    for row in rows:
        group = (row.collection_id, row.case_id, row.payee)
        by_collection[group] += row.remainder
        due[group] = min(due.get(group, row.due_on), row.due_on)
    moves = []
    for (collection_id, case_id, payee), amount in by_collection.items():
        if not amount:
            continue
        common = {"collection_id": collection_id, "case_id": case_id, "due_on": due[(collection_id, case_id, payee)]}
        moves += [
            CollectionShare(
                payee=payee, amount=-amount, source_key=f"undistributable:{key}:{collection_id}:{payee}:out", **common
            ),
            CollectionShare(payee=Payee.UNDISTRIBUTABLE, amount=amount,
                            source_key=f"undistributable:{key}:{collection_id}:{payee}:in", **common),
        ]  # fmt: skip
    logger.info("moved to undistributable (%s): %d collections", reason, len(moves) // 2)
    return moves


def _next_check_number() -> int:
    checks = Payout.objects.filter(method=PaymentMethod.CHECK)
    last = checks.aggregate(last=Max(Cast("reference", BigIntegerField())))["last"]
    return int(last) + 1 if last else FIRST_CHECK_NUMBER


def _next_trace_sequence() -> int:
    last = Payout.objects.filter(method=PaymentMethod.EFT).aggregate(last=Max("reference"))["last"]
    return int(last[8:]) % 10_000_000 + 1 if last else 1


def _finish(run: DisbursementRun, actor: User, undistributable: Decimal, *, sent_on: date) -> RunSummary:
    """Write the run's files, dated `sent_on`, with every payout of the run (those of chunks committed before
    a crash too), and mark it finished: its payouts are sent on `sent_on`."""
    payouts = list(run.payout_rows.exclude(method=PaymentMethod.NETTED).select_related("case", "agency").order_by("pk"))
    eft = [payout for payout in payouts if payout.method == PaymentMethod.EFT]
    deposits = [payout for payout in eft if payout.agency_id is None]
    to_agencies = [payout for payout in eft if payout.agency_id is not None]
    checks = [payout for payout in payouts if payout.method == PaymentMethod.CHECK]
    run.nacha_file = _nacha_file(run, deposits, sent_on) if deposits else ""
    run.interstate_file = _interstate_file(run, to_agencies, sent_on) if to_agencies else ""
    run.check_register = _check_register(checks, sent_on)
    run.sent_on = sent_on
    run.payouts = len(payouts)
    run.total_amount = sum((payout.amount for payout in payouts), ZERO)
    run.finished_at = timezone.now()
    run.save(update_fields=["nacha_file", "interstate_file", "check_register", "sent_on", "payouts", "total_amount",
                            "finished_at"])  # fmt: skip
    summary = {"payouts": run.payouts, "total": str(run.total_amount), "undistributable": str(undistributable),
               "run_on": run.run_on.isoformat(), "sent_on": sent_on.isoformat()}  # fmt: skip
    record_audit(actor=actor, action="disbursement.run", target=run, after=summary)
    return RunSummary(run=run, payouts=len(payouts), eft=len(eft), checks=len(checks),
                      transfers=len(payouts) - len(eft) - len(checks), undistributable=undistributable,
                      total=run.total_amount, interstate=len(to_agencies))  # fmt: skip


def _nacha_file(run: DisbursementRun, payouts: list[Payout], sent_on: date) -> str:
    deposits = {
        deposit.person_id: deposit
        for deposit in DirectDeposit.objects.filter(person_id__in=[payout.recipient_id for payout in payouts])
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=run.run_on))
        .order_by("pk")
    }
    credits = [
        Credit(
            routing_number=deposits[payout.recipient_id].routing_number,
            account_number=crypto.decrypt(deposits[payout.recipient_id].account_number_encrypted),
            account_type=deposits[payout.recipient_id].account_type,
            amount=payout.amount,
            individual_id=payout.case.number,
            individual_name=payout.recipient_name,
            trace_number=payout.reference,
        )
        for payout in payouts
        if payout.recipient_id is not None
    ]
    assert len(credits) == len(payouts), "every direct deposit payout has a recipient"
    return write_ppd_credits(credits, originator=originator(), effective_on=sent_on, created_at=timezone.now())


def _interstate_file(run: DisbursementRun, payouts: list[Payout], sent_on: date) -> str:
    """The CCD+ file to other IV-D agencies: one entry per payout, its DED carrying the agency's case number,
    the latest collection date of the money it pays (DED03: a payout forwards every collection since the last
    run, netted, so one pay date stands for them), the obligor's SSN (decrypted only into the file) and name,
    and the agency's FIPS code."""
    paid_on = dict(
        PayoutLine.objects.filter(payout__in=payouts, amount__gt=0)
        .values("payout_id")
        .annotate(latest=Max("share__collection__collected_on"))
        .values_list("payout_id", "latest")
    )
    parties = _parties({payout.case_id for payout in payouts})
    obligor_of = {
        case_id: person_id for (case_id, payee), person_id in parties.items() if payee == Payee.OBLIGOR_REFUND
    }
    obligors = {
        pk: (first_name, last_name, ssn_encrypted)
        for pk, first_name, last_name, ssn_encrypted in Person.objects.filter(pk__in=obligor_of.values())
        .exclude(ssn_encrypted="")
        .values_list("pk", "first_name", "last_name", "ssn_encrypted")
    }
    credits = []
    for payout in payouts:
        agency = payout.agency
        assert agency is not None and agency.has_bank_account, "an EFT to an agency has its account"
        obligor = obligors.get(obligor_of.get(payout.case_id, 0))
        if obligor is None or not payout.case.other_case_identifier:
            # Changed after the payout was made (a run resumed after a crash): the run stays unfinished, and
            # running it again once the data is back writes the file; nothing is paid twice.
            raise Conflict(f"Case {payout.case.number} was paid by EFT to {agency.name}, but its case number "
                           "there or the obligor's SSN is no longer on file: restore it and run again.")  # fmt: skip
        first_name, last_name, ssn_encrypted = obligor
        credits.append(
            AgencyCredit(
                routing_number=agency.routing_number,
                account_number=crypto.decrypt(agency.account_number_encrypted),
                agency_name=agency.name,
                case_number=payout.case.number,
                trace_number=payout.reference,
                amount=payout.amount,
                case_identifier=payout.case.other_case_identifier,
                payment_date=paid_on[payout.pk],
                obligor_ssn=crypto.decrypt(ssn_encrypted),
                obligor_last_name=last_name,
                obligor_first_name=first_name,
                fips_code=agency.fips_code,
            )
        )
    return write_ccd_credits(credits, originator=originator(), effective_on=sent_on, created_at=timezone.now())


def _check_register(payouts: list[Payout], sent_on: date) -> str:
    """The check printer's file: one line per check, dated the day it is printed (`sent_on`), with the mailing
    address lines (never a protected address: the address comes from `address_lines_for_documents`, which
    refuses them)."""
    addresses = address_lines_for_documents(
        person_ids=[payout.recipient_id for payout in payouts if payout.recipient_id is not None]
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["check_number", "issue_date", "amount", "case_number", "payee_name", "address_1", "address_2",
                     "address_3"])  # fmt: skip
    for payout in payouts:
        lines = addresses.get(payout.recipient_id) if payout.recipient_id is not None else None
        if payout.agency is not None:
            lines = [payout.recipient_name, *payout.agency.address_lines]
        mailing = [*(lines or [payout.recipient_name])[1:], "", "", ""]
        writer.writerow([payout.reference, sent_on.isoformat(), str(payout.amount), payout.case.number,
                         payout.recipient_name, *mailing[:3]])  # fmt: skip
    return out.getvalue()
