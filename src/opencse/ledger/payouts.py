"""After the run: returned payouts, undistributable money and the transfer of
unclaimed money to the state's unclaimed property program. Every money move is a pair of disbursement rows
on the same collection (see `opencse.ledger.disbursement`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opencse.cases.models import Case
from opencse.common.money import MoneySum
from opencse.errors import Conflict, InvalidInput
from opencse.ledger.disbursement import Pending, payment_routes, to_undistributable
from opencse.ledger.models import (
    CollectionShare,
    DisbursementRun,
    Payee,
    PaymentMethod,
    Payout,
    PayoutReturn,
    ReturnKind,
)
from opencse.rules.money import ZERO
from opencse.rules.params import governing_file, parameters
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

logger = logging.getLogger(__name__)


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
    if payout.run.sent_on is None:  # its run is in no file yet: the next run sends it (ledger.disbursement)
        run = payout.run
        raise Conflict(f"This payout has not gone out: disbursement run {run.pk} of {run.run_on:%m/%d/%Y} has not "
                       "finished, and the next disbursement run sends it.")  # fmt: skip
    if returned_on < payout.issued_on:
        raise InvalidInput("cannot be before the payout was issued", field="returned_on")
    returned = PayoutReturn.objects.create(payout=payout, kind=kind, returned_on=returned_on,
                                           reason=reason[:200], actor=actor)  # fmt: skip
    rows = [
        Pending(line.share_id, line.share.collection_id, payout.case_id, payout.payee, line.amount,
                 line.share.due_on)
        for line in payout.lines.select_related("share")
    ]  # fmt: skip
    if payout.payee == Payee.FAMILY:
        CollectionShare.objects.bulk_create(to_undistributable(rows, reason=reason, key=f"return{payout.pk}"))
    # A returned refund is owed to the obligor again: the next run reissues it once a good address is on file.
    record_audit(actor=actor, action="payout.returned", target=payout, case_number=payout.case.number,
                 summary=reason[:300], after={"kind": kind, "amount": str(payout.amount)})  # fmt: skip
    return returned


def undistributable_by_collection(*, case: Case) -> dict[int, Decimal]:
    rows = (
        CollectionShare.objects.filter(case=case, payee=Payee.UNDISTRIBUTABLE)
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
        actor=actor, case=case, to=Payee.FAMILY, reason=reason, action="undistributable.released",
        moved_on=timezone.localdate(),  # the release is the officer's act, recorded as it happens
    )  # fmt: skip


def _move_undistributable(*, actor: User, case: Case, to: str, reason: str, action: str, moved_on: date) -> Decimal:
    held = undistributable_by_collection(case=case)
    if not held:
        raise Conflict("This case holds no undistributable money.")
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    CollectionShare.objects.bulk_create(
        [
            row
            for collection_id, amount in held.items()
            for row in (
                CollectionShare(collection_id=collection_id, case=case, payee=Payee.UNDISTRIBUTABLE, amount=-amount,
                             due_on=moved_on, source_key=f"{action}:{stamp}:{collection_id}:out"),
                CollectionShare(collection_id=collection_id, case=case, payee=to, amount=amount, due_on=moved_on,
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
                                 action="undistributable.escheated", moved_on=as_of)  # fmt: skip


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # February 29th
        return day.replace(year=day.year - years, day=28)


def _disbursement_parameters() -> str:
    return governing_file("disbursement", state=settings.OPENCSE_STATE)


def _undistributable_since(case: Case) -> date | None:
    """The business day the oldest money still undistributable on the case became so: the date of the run
    that found no way to pay the family, or of the return of the payout (never the time a row was written,
    so the dormancy period of unclaimed property is counted from the event an auditor can check)."""
    balance = ZERO
    since: date | None = None
    rows = list(
        CollectionShare.objects.filter(case=case, payee=Payee.UNDISTRIBUTABLE)
        .order_by("created_at", "pk")
        .values_list("amount", "source_key")
    )
    moved_on = _moved_on_by_origin(
        [key for amount, key in rows if amount > ZERO and key.startswith("undistributable:")]
    )
    for amount, key in rows:
        if balance <= ZERO and amount > ZERO:
            # A reversal that restores released money (`disbursement-reversal:…`) keeps the date the money
            # first became undistributable.
            since = moved_on.get(_origin(key), since) if key.startswith("undistributable:") else since
        balance += amount
    return since if balance > ZERO else None


def _origin(source_key: str) -> tuple[str, int]:
    """The event that moved money into undistributable, from the move's key (`undistributable:run<id>:…`
    for a run, `undistributable:return<id>:…` for a payout that came back): ("run", id) or ("return", id)."""
    origin = source_key.split(":")[1]
    kind = origin.rstrip("0123456789")
    assert kind in ("run", "return") and origin[len(kind) :], source_key
    return kind, int(origin[len(kind) :])


def _moved_on_by_origin(source_keys: list[str]) -> dict[tuple[str, int], date]:
    origins = {_origin(key) for key in source_keys}
    runs = DisbursementRun.objects.filter(pk__in=[pk for kind, pk in origins if kind == "run"])
    returns = PayoutReturn.objects.filter(payout_id__in=[pk for kind, pk in origins if kind == "return"])
    moved_on = {("run", pk): day for pk, day in runs.values_list("pk", "run_on")}
    moved_on |= {("return", pk): day for pk, day in returns.values_list("payout_id", "returned_on")}
    assert set(moved_on) == origins, origins - set(moved_on)
    return moved_on


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
    moves = CollectionShare.objects.filter(
        case=case, payee=Payee.UNDISTRIBUTABLE, amount__gt=0, source_key__startswith="undistributable:"
    )
    keys = list(moves.order_by("created_at", "pk").values_list("source_key", flat=True))
    moved_on = _moved_on_by_origin(keys)
    keys = [key for key in keys if since is None or moved_on[_origin(key)] >= since]
    route = payment_routes({case.pk}, {Payee.FAMILY})[(case.pk, Payee.FAMILY)]
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
    origins = dict.fromkeys(_origin(key) for key in source_keys)  # in order, once each
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
