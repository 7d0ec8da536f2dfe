"""Paying money out: the disbursement run, returned payments, undistributable money, unclaimed property.

A posted collection's `Disbursement` rows say who its money belongs to (family, state, obligor refund,
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
   interstate case, to the initiating agency; a refund goes to the obligor the same way. Money with no
   way to reach its payee (no bank account and no address that may leave the system, e.g. a
   family-violence-protected address, or no custodial party) is moved to **undistributable**, per
   collection, with the reason, and an officer releases it once the payee can be paid.
4. The NACHA PPD credit file (direct deposits) and the check register (CSV) are written on the run.

Each payout carries the earliest due date of what it pays (45 CFR 302.32(b): two business days after
receipt), so `timeliness` reports the federal timeframe met or missed. A returned direct deposit or a
voided check is a `PayoutReturn`: the payout's lines stop counting, and its money moves to
undistributable. Everything is append-only; the money invariant of every collection (its disbursement
rows sum to its amount) holds throughout, because every move is a pair of rows on the same collection.

The run works case by case in chunks, each chunk in one transaction; a run killed midway and started
again pays the rest and nothing twice (the lines are the watermark).
"""

from __future__ import annotations

import csv
import io
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, Count, F, Max, Q
from django.db.models.functions import Cast
from django.utils import timezone
from stdnum.us import rtn as stdnum_rtn

from opencse.cases.models import Case, CaseMember, Category, MemberRole
from opencse.common.money import MoneySum
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.interfaces.nacha_ppd import Credit, Originator, trace_number, write_ppd_credits
from opencse.ledger.models import (
    PAID_OUT_PAYEES,
    AccountType,
    Collection,
    DirectDeposit,
    Disbursement,
    DisbursementRun,
    Payee,
    PaymentMethod,
    Payout,
    PayoutLine,
    PayoutReturn,
    ReturnKind,
)
from opencse.people.models import Person
from opencse.people.selectors import address_lines_for_documents
from opencse.rules.federal_share import federal_share
from opencse.rules.money import ZERO
from opencse.rules.params import parameters
from opencse.security import crypto
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2_000
NO_ROUTE = "no direct deposit authorization and no mailing address that may leave the system"
NO_PAYEE = "no custodial party on the case"
CHANGE_MARGIN = timedelta(hours=1)  # a posting that began before the last run and committed after it
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


@dataclass(frozen=True, slots=True)
class _Pending:
    disbursement_id: int
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


@transaction.atomic
def authorize_direct_deposit(
    *, actor: User, person: Person, routing_number: str, account_number: str, account_type: str, starts_on: date
) -> DirectDeposit:
    """Record a payee's direct deposit authorization (the account number encrypted at rest); it replaces
    the one before, which ends the day before."""
    require(actor, "people.update")
    errors = []
    if not (len(routing_number) == 9 and routing_number.isdigit() and stdnum_rtn.is_valid(routing_number)):
        errors.append(InvalidInput("is not a valid 9-digit ABA routing number", field="routing_number"))
    if not (4 <= len(account_number) <= 17 and account_number.isalnum()):
        errors.append(InvalidInput("must be 4 to 17 letters or digits", field="account_number"))
    if account_type not in AccountType.values:
        errors.append(InvalidInput("must be checking or savings", field="account_type"))
    if errors:
        raise InvalidInputs(errors)
    previous = DirectDeposit.objects.select_for_update().filter(person=person, ends_on__isnull=True).first()
    if previous is not None:
        if previous.starts_on >= starts_on:
            raise InvalidInput("must be after the start of the authorization on file", field="starts_on")
        previous.ends_on = starts_on - timedelta(days=1)
        previous.save(update_fields=["ends_on"])
    deposit = DirectDeposit.objects.create(
        person=person,
        routing_number=routing_number,
        account_number_encrypted=crypto.encrypt(account_number),
        account_last4=account_number[-4:],
        account_type=account_type,
        starts_on=starts_on,
        created_by=actor,
    )
    record_audit(actor=actor, action="direct_deposit.authorized", target=person,
                 after={"routing_number": routing_number, "account": f"****{account_number[-4:]}"})  # fmt: skip
    return deposit


def originator() -> Originator:
    return Originator(
        bank_routing=settings.OPENCSE_ODFI_ROUTING,
        bank_name=settings.OPENCSE_ODFI_NAME,
        company_name=settings.OPENCSE_SDU_NAME,
        company_id=settings.OPENCSE_SDU_COMPANY_ID,
    )


def pending_rows(case_ids: list[int] | None = None) -> list[_Pending]:
    """Every family, state or refund disbursement row not fully covered by an unreturned payout."""
    rows = Disbursement.objects.filter(payee__in=PAID_OUT_PAYEES)
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
            found.append(_Pending(pk, collection_id, case_id, payee, remainder, due_on))
    return found


def run_disbursements(
    *, actor: User | None, run_on: date, chunk_size: int = CHUNK_SIZE, full: bool = False
) -> RunSummary:
    """Pay everything owed and not yet paid, as of `run_on` (a business day). Resumes the day's unfinished
    run, if a crash left one, instead of starting another. Only the cases with something new since the
    last finished run are read (`full` reads every case: for a first run or a periodic check)."""
    if actor is not None:
        require(actor, "ledger.disburse")
    with transaction.atomic():
        run = DisbursementRun.objects.select_for_update().filter(run_on=run_on, finished_at__isnull=True).first()
        if run is None:
            run = DisbursementRun.objects.create(run_on=run_on, actor=actor)
    last = DisbursementRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    if full or last is None:
        case_ids = sorted({row.case_id for row in pending_rows()})
    else:
        case_ids = sorted(cases_with_news(since=last.started_at - CHANGE_MARGIN))
    undistributable = ZERO
    for start in range(0, len(case_ids), chunk_size):
        undistributable += _pay_chunk(run, case_ids[start : start + chunk_size])
        logger.info(
            "disbursement run %s: %d of %d cases", run.pk, min(start + chunk_size, len(case_ids)), len(case_ids)
        )
    return _finish(run, actor, undistributable)


def cases_with_news(*, since: datetime) -> set[int]:
    """The cases a run must read: new disbursement rows (postings, reversals, releases) or returned payouts
    since `since`, and every case with a refund still owed (it waits for the obligor's address)."""
    found = set(Disbursement.objects.filter(created_at__gte=since).values_list("case_id", flat=True).distinct())
    found |= set(PayoutReturn.objects.filter(created_at__gte=since).values_list("payout__case_id", flat=True))
    refunds = Disbursement.objects.filter(payee=Payee.OBLIGOR_REFUND).values_list("case_id", flat=True).distinct()
    found |= {row.case_id for row in pending_rows(list(refunds))}
    return found


def _due_on(rows: list[_Pending], default: date) -> date:
    """The due date of what a payout pays: amounts owed back (negative rows) cancel the oldest money first,
    and the payout is due when the oldest money it still carries was due."""
    owed_back = -sum((row.remainder for row in rows if row.remainder < ZERO), ZERO)
    for row in sorted((row for row in rows if row.remainder > ZERO), key=lambda row: (row.due_on, row.disbursement_id)):
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
def _pay_chunk(run: DisbursementRun, case_ids: list[int]) -> Decimal:
    list(Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk").values_list("pk", flat=True))
    groups: dict[tuple[int, str], list[_Pending]] = defaultdict(list)
    for row in pending_rows(case_ids):  # re-read under the lock: a concurrent posting or run is seen
        groups[(row.case_id, row.payee)].append(row)
    routes = _routes({case_id for case_id, _ in groups}, {payee for _, payee in groups})
    next_check = _next_check_number()
    next_trace = _next_trace_sequence()
    payouts: list[Payout] = []
    members: list[list[_Pending]] = []
    moves: list[Disbursement] = []
    undistributable = ZERO
    for (case_id, payee), rows in groups.items():
        total = sum((row.remainder for row in rows), ZERO)
        if total < ZERO:
            continue  # an overpayment the payee owes back: netted against later money
        route = routes.get((case_id, payee))
        if total > ZERO and (route is None or isinstance(route, str)):
            if payee == Payee.FAMILY:
                reason = route if isinstance(route, str) else NO_ROUTE
                moves += _to_undistributable(rows, reason=reason, key=f"run{run.pk}")
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
                method=method,
                amount=total,
                due_on=_due_on(rows, run.run_on),
                issued_on=run.run_on,
                reference=reference,
                federal_share=_federal_share(payee, total, run.run_on),
            )
        )
        members.append(rows)
    Payout.objects.bulk_create(payouts)
    PayoutLine.objects.bulk_create(
        [
            PayoutLine(payout=payout, disbursement_id=row.disbursement_id, amount=row.remainder)
            for payout, rows in zip(payouts, members, strict=True)
            for row in rows
        ],
        batch_size=5_000,
    )
    Disbursement.objects.bulk_create(moves, batch_size=5_000)
    return undistributable


def _routes(case_ids: set[int], payees: set[str]) -> dict[tuple[int, str], _Route | str]:
    """How each (case, payee) can be paid, in grouped queries; a string is the reason it cannot."""
    cases = {case.pk: case for case in Case.objects.filter(pk__in=case_ids)}
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
    person_ids = list(set(parties.values()))
    open_deposits = DirectDeposit.objects.filter(person_id__in=person_ids, ends_on__isnull=True)
    deposits = {deposit.person_id: deposit for deposit in open_deposits.select_related("person")}
    addresses = address_lines_for_documents(person_ids=person_ids)
    routes: dict[tuple[int, str], _Route | str] = {}
    for case_id in case_ids:
        case = cases[case_id]
        if Payee.STATE in payees:
            routes[(case_id, Payee.STATE)] = _Route(PaymentMethod.TRANSFER, None, settings.OPENCSE_IVA_AGENCY_NAME)
        if case.category == Category.INTERSTATE_RESPONDING and case.other_jurisdiction:
            agency = f"Child support agency, {case.other_jurisdiction}"
            routes[(case_id, Payee.FAMILY)] = _Route(PaymentMethod.CHECK, None, agency[:120])
        for payee in (Payee.FAMILY, Payee.OBLIGOR_REFUND):
            if (case_id, payee) not in routes:
                party = parties.get((case_id, payee))
                routes[(case_id, payee)] = (
                    _person_route(party, deposits, addresses)
                    if party is not None
                    else (NO_PAYEE if payee == Payee.FAMILY else "no obligor on the case")
                )
    return routes


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


def _to_undistributable(rows: list[_Pending], *, reason: str, key: str) -> list[Disbursement]:
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
            Disbursement(payee=payee, amount=-amount, source_key=f"undistributable:{key}:{collection_id}:{payee}:out",
                         **common),
            Disbursement(payee=Payee.UNDISTRIBUTABLE, amount=amount,
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


def _finish(run: DisbursementRun, actor: User | None, undistributable: Decimal) -> RunSummary:
    payouts = list(run.payout_rows.exclude(method=PaymentMethod.NETTED).select_related("case").order_by("pk"))
    eft = [payout for payout in payouts if payout.method == PaymentMethod.EFT]
    checks = [payout for payout in payouts if payout.method == PaymentMethod.CHECK]
    run.nacha_file = _nacha_file(run, eft) if eft else ""
    run.check_register = _check_register(checks)
    run.payouts = len(payouts)
    run.total_amount = sum((payout.amount for payout in payouts), ZERO)
    run.finished_at = timezone.now()
    run.save(update_fields=["nacha_file", "check_register", "payouts", "total_amount", "finished_at"])
    summary = {"payouts": run.payouts, "total": str(run.total_amount), "undistributable": str(undistributable)}
    record_audit(actor=actor, action="disbursement.run", target=run, after=summary)
    return RunSummary(run=run, payouts=len(payouts), eft=len(eft), checks=len(checks),
                      transfers=len(payouts) - len(eft) - len(checks), undistributable=undistributable,
                      total=run.total_amount)  # fmt: skip


def _nacha_file(run: DisbursementRun, payouts: list[Payout]) -> str:
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
    return write_ppd_credits(credits, originator=originator(), effective_on=run.run_on, created_at=timezone.now())


def _check_register(payouts: list[Payout]) -> str:
    """The check printer's file: one line per check, with the mailing address lines (never a protected
    address: the address comes from `address_lines_for_documents`, which refuses them)."""
    addresses = address_lines_for_documents(
        person_ids=[payout.recipient_id for payout in payouts if payout.recipient_id is not None]
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["check_number", "issue_date", "amount", "case_number", "payee_name", "address_1", "address_2",
                     "address_3"])  # fmt: skip
    for payout in payouts:
        lines = addresses.get(payout.recipient_id) if payout.recipient_id is not None else None
        mailing = [*(lines or [payout.recipient_name])[1:], "", "", ""]
        writer.writerow([payout.reference, payout.issued_on.isoformat(), str(payout.amount), payout.case.number,
                         payout.recipient_name, *mailing[:3]])  # fmt: skip
    return out.getvalue()


# ----------------------------------------------------------------------------------------------
# After the run: returns, undistributable money, unclaimed property


@transaction.atomic
def return_payout(*, actor: User, payout: Payout, kind: str, returned_on: date, reason: str) -> PayoutReturn:
    """Record that a payout did not reach its payee (returned deposit, voided or stale check). Its money
    moves to undistributable, on each collection it came from, until an officer releases it."""
    require(actor, "ledger.post", payout.case)
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    if kind not in ReturnKind.values:
        raise InvalidInput(f"{kind[:30]!r} is not a kind of return", field="kind")
    if not reason.strip():
        raise InvalidInput("give the reason", field="reason")
    if payout.method not in (PaymentMethod.EFT, PaymentMethod.CHECK):
        raise Conflict("Only a direct deposit or a check can come back.")
    if PayoutReturn.objects.filter(payout=payout).exists():
        raise Conflict("This payout was already recorded as returned.")
    if returned_on < payout.issued_on:
        raise InvalidInput("cannot be before the payout was issued", field="returned_on")
    returned = PayoutReturn.objects.create(payout=payout, kind=kind, returned_on=returned_on,
                                           reason=reason[:200], actor=actor)  # fmt: skip
    rows = [
        _Pending(line.disbursement_id, line.disbursement.collection_id, payout.case_id, payout.payee, line.amount,
                 line.disbursement.due_on)
        for line in payout.lines.select_related("disbursement")
    ]  # fmt: skip
    if payout.payee == Payee.FAMILY:
        Disbursement.objects.bulk_create(_to_undistributable(rows, reason=reason, key=f"return{payout.pk}"))
    # A returned refund is owed to the obligor again: the next run reissues it once a good address is on file.
    record_audit(actor=actor, action="payout.returned", target=payout, case_number=payout.case.number,
                 summary=reason[:300], after={"kind": kind, "amount": str(payout.amount)})  # fmt: skip
    return returned


def undistributable_by_collection(*, case: Case) -> dict[int, Decimal]:
    rows = (
        Disbursement.objects.filter(case=case, payee=Payee.UNDISTRIBUTABLE)
        .values("collection_id")
        .annotate(total=MoneySum("amount"))
    )
    return {row["collection_id"]: row["total"] for row in rows if row["total"] > ZERO}


@transaction.atomic
def release_undistributable(*, actor: User, case: Case, reason: str) -> Decimal:
    """Give a case's undistributable money back to the family (an address or a bank account is now on
    file, or the payee was found); the next run pays it."""
    require(actor, "ledger.disburse", case)
    if not reason.strip():
        raise InvalidInput("give the reason", field="reason")
    Case.objects.select_for_update().get(pk=case.pk)
    return _move_undistributable(
        actor=actor, case=case, to=Payee.FAMILY, reason=reason, action="undistributable.released"
    )


def _move_undistributable(*, actor: User | None, case: Case, to: str, reason: str, action: str) -> Decimal:
    held = undistributable_by_collection(case=case)
    if not held:
        raise Conflict("This case holds no undistributable money.")
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    today = timezone.localdate()
    Disbursement.objects.bulk_create(
        [
            row
            for collection_id, amount in held.items()
            for row in (
                Disbursement(collection_id=collection_id, case=case, payee=Payee.UNDISTRIBUTABLE, amount=-amount,
                             due_on=today, source_key=f"{action}:{stamp}:{collection_id}:out"),
                Disbursement(collection_id=collection_id, case=case, payee=to, amount=amount, due_on=today,
                             source_key=f"{action}:{stamp}:{collection_id}:in"),
            )
        ]
    )  # fmt: skip
    total = sum(held.values(), ZERO)
    record_audit(actor=actor, action=action, target=case, case_number=case.number, summary=reason[:300],
                 after={"amount": str(total), "to": to})  # fmt: skip
    return total


@transaction.atomic
def transfer_unclaimed(*, actor: User, case: Case, as_of: date, reason: str) -> Decimal:
    """Transfer a case's undistributable money to the state's unclaimed property program, once it has
    been undistributable for the state's dormancy period (`disbursement` parameters)."""
    require(actor, "ledger.disburse", case)
    if not reason.strip():
        raise InvalidInput("give the reason (the efforts made to find the payee)", field="reason")
    years = int(parameters(_disbursement_parameters(), as_of)["unclaimed_after_years"].value)
    since = _undistributable_since(case)
    if since is None or since > _years_before(as_of, years):
        raise Conflict(f"The money has not been undistributable for {years} years yet.")
    Case.objects.select_for_update().get(pk=case.pk)
    return _move_undistributable(actor=actor, case=case, to=Payee.ESCHEATED, reason=reason,
                                 action="undistributable.escheated")  # fmt: skip


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # February 29th
        return day.replace(year=day.year - years, day=28)


def _disbursement_parameters() -> str:
    from opencse.rules.params import PARAMS_DIR

    state = settings.OPENCSE_STATE.lower()
    return f"{state}/disbursement" if (PARAMS_DIR / state / "disbursement.yaml").exists() else "us/disbursement"


def _undistributable_since(case: Case) -> date | None:
    """The day the oldest money still undistributable on the case became so."""
    balance = ZERO
    since: date | None = None
    for amount, created_at in (
        Disbursement.objects.filter(case=case, payee=Payee.UNDISTRIBUTABLE)
        .order_by("created_at", "pk")
        .values_list("amount", "created_at")
    ):
        if balance <= ZERO and amount > ZERO:
            since = timezone.localdate(created_at)
        balance += amount
    return since if balance > ZERO else None


# ----------------------------------------------------------------------------------------------
# Reports


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


def timeliness(*, start: date, end: date, as_of: date) -> Timeliness:
    issued = Payout.objects.filter(issued_on__range=(start, end)).exclude(method=PaymentMethod.NETTED)
    counts = issued.aggregate(total=Count("pk"), late=Count("pk", filter=Q(issued_on__gt=F("due_on"))))
    overdue = [row for row in pending_rows() if row.remainder > ZERO and row.due_on < as_of]
    total = counts["total"] or 0
    late = counts["late"] or 0
    return Timeliness(issued=total, on_time=total - late, late=late, overdue_unpaid=len(overdue),
                      overdue_unpaid_amount=sum((row.remainder for row in overdue), ZERO))  # fmt: skip


def undeliverable_refunds(*, as_of: date) -> list[tuple[int, Decimal]]:
    """(case, amount) of refunds due to obligors and not paid by `as_of` (no address on file)."""
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in pending_rows():
        if row.payee == Payee.OBLIGOR_REFUND and row.due_on < as_of:
            totals[row.case_id] += row.remainder
    return [(case_id, total) for case_id, total in sorted(totals.items()) if total > ZERO]


def overpayments() -> list[tuple[int, str, Decimal]]:
    """(case, payee, amount owed back) for every payee paid more than is now theirs (a reversal after
    the money went out), to recover from later disbursements or by demand."""
    totals: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for row in pending_rows():
        totals[(row.case_id, row.payee)] += row.remainder
    return [(case_id, payee, -total) for (case_id, payee), total in sorted(totals.items()) if total < ZERO]


# ----------------------------------------------------------------------------------------------
# Read functions for the screens: a case's payouts and held money, recent runs, follow-up lists


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
    def on_time(self) -> bool:
        return self.payout.issued_on <= self.payout.due_on

    @property
    def returnable(self) -> bool:
        return self.returned is None and self.payout.method in (PaymentMethod.EFT, PaymentMethod.CHECK)


def payouts_of_case(*, case: Case, limit: int = 200) -> list[CasePayout]:
    """The case's payouts, newest first (the caller has already checked the viewer may see the case)."""
    payouts = case.payouts.select_related("returned").order_by("-issued_on", "-pk")[:limit]
    return [CasePayout(payout=payout, returned=getattr(payout, "returned", None)) for payout in payouts]


def payout_for_viewer(*, viewer: object, payout_id: int) -> Payout:
    """One payout on a case the viewer may see; `NotFound` otherwise (the two are not told apart)."""
    from opencse.cases.selectors import visible_cases
    from opencse.errors import NotFound

    payout = Payout.objects.select_related("case").filter(pk=payout_id, case__in=visible_cases(viewer)).first()
    if payout is None:
        raise NotFound(f"No payout {payout_id} that you may see.")
    return payout


@dataclass(frozen=True, slots=True)
class HeldMoney:
    """A case's undistributable balance: how much, since when, why, and whether the family can be paid now."""

    amount: Decimal
    since: date | None
    reasons: list[str]
    blocked_by: str  # why the family still cannot be paid ("" when it can)
    payable_by: str  # how the next run would pay the family after a release ("" when it cannot)
    unclaimed_from: date | None  # the end of the dormancy period for unclaimed property


def undistributable_of_case(*, case: Case, as_of: date) -> HeldMoney | None:
    """The case's undistributable money and its reasons, or None when it holds none."""
    held = undistributable_by_collection(case=case)
    if not held:
        return None
    since = _undistributable_since(case)
    moves = Disbursement.objects.filter(
        case=case, payee=Payee.UNDISTRIBUTABLE, amount__gt=0, source_key__startswith="undistributable:"
    )
    keys = [
        key
        for key, created_at in moves.order_by("created_at", "pk").values_list("source_key", "created_at")
        if since is None or timezone.localdate(created_at) >= since
    ]
    route = _routes({case.pk}, {Payee.FAMILY})[(case.pk, Payee.FAMILY)]
    years = int(parameters(_disbursement_parameters(), as_of)["unclaimed_after_years"].value)
    return HeldMoney(
        amount=sum(held.values(), ZERO),
        since=since,
        reasons=_held_reasons(keys),
        blocked_by=route if isinstance(route, str) else "",
        payable_by="" if isinstance(route, str) else f"{PaymentMethod(route.method).label} to {route.recipient_name}",
        unclaimed_from=None if since is None else _years_before(since, -years),  # `years` after `since`
    )


def _held_reasons(source_keys: list[str]) -> list[str]:
    """Why money was moved to undistributable, read from the keys of the moves: a run that found no way to
    pay the family (`undistributable:run<id>:…`) or a payout that came back (`undistributable:return<id>:…`)."""
    origins: dict[tuple[str, int], None] = {}
    for key in source_keys:
        origin = key.split(":")[1]
        kind = origin.rstrip("0123456789")
        if kind in ("run", "return") and origin[len(kind) :]:
            origins[(kind, int(origin[len(kind) :]))] = None
    runs = dict(
        DisbursementRun.objects.filter(pk__in=[pk for kind, pk in origins if kind == "run"]).values_list("pk", "run_on")
    )
    returns = {
        row.payout_id: row
        for row in PayoutReturn.objects.filter(
            payout_id__in=[pk for kind, pk in origins if kind == "return"]
        ).select_related("payout")
    }
    reasons = []
    for kind, pk in origins:
        if kind == "run" and pk in runs:
            reasons.append(f"The disbursement run of {runs[pk]:%m/%d/%Y} found no way to pay the family")
        elif kind == "return" and pk in returns:
            came_back = returns[pk]
            payout = came_back.payout
            reasons.append(
                f"{PaymentMethod(payout.method).label} {payout.reference} of {payout.amount} came back on "
                f"{came_back.returned_on:%m/%d/%Y}: {came_back.get_kind_display().lower()} ({came_back.reason})"
            )
    return reasons


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


def overpayments_to_recover(*, viewer: object) -> list[CaseAmount]:
    """`overpayments` on the cases the viewer may see, by case number."""
    found = overpayments()
    numbers = _visible_numbers(viewer, {case_id for case_id, _, _ in found})
    return [
        CaseAmount(case_number=numbers[case_id], payee=Payee(payee).label, amount=amount)
        for case_id, payee, amount in found
        if case_id in numbers
    ]


def refunds_undeliverable(*, viewer: object, as_of: date) -> list[CaseAmount]:
    """`undeliverable_refunds` on the cases the viewer may see, by case number."""
    found = undeliverable_refunds(as_of=as_of)
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
