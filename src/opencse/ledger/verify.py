"""`opencse ledger verify`: re-derive the ledger's invariants from the stored rows (set-based).

The write path asserts the same facts before commit (ledger.services, ledger.disbursement); this is the
second half of the paired assertion (style.md 3.7), run over the whole database. Money marked paid must
have gone out: every payout with money belongs to a finished run, and every direct deposit, EFT to another
agency and check is in its run's file exactly once, for its amount (`payouts_in_no_file`).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count

from opencse.common.money import MoneySum
from opencse.ledger.models import (
    CURRENT_SUPPORT,
    Collection,
    CollectionShare,
    CollectionStatus,
    DisbursementRun,
    EntryKind,
    LedgerEntry,
    Payee,
    PaymentMethod,
    Payout,
)
from opencse.rules.money import ZERO

PROBLEMS_MAXIMUM = 1000


def _sums(rows: object, key: str) -> dict[int, Decimal]:
    return defaultdict(lambda: ZERO, {row[key]: row["total"] for row in rows})  # type: ignore[attr-defined]


def verify_ledger() -> list[str]:
    """Every problem found, in words; an empty list means the ledger holds together."""
    problems: list[str] = []
    disbursed = _sums(
        CollectionShare.objects.values("collection_id").annotate(total=MoneySum("amount")), "collection_id"
    )
    paid_out = _sums(
        # Family money that could not be paid stays the family's: undistributable, then unclaimed property.
        CollectionShare.objects.filter(payee__in=[Payee.FAMILY, Payee.STATE, Payee.UNDISTRIBUTABLE, Payee.ESCHEATED])
        .values("collection_id")
        .annotate(total=MoneySum("amount")),
        "collection_id",
    )
    applied = _sums(
        LedgerEntry.objects.filter(collection__isnull=False).values("collection_id").annotate(total=MoneySum("amount")),
        "collection_id",
    )
    for collection_id, amount, status in Collection.objects.values_list("pk", "amount", "status").iterator(5_000):
        expected = amount if status == CollectionStatus.POSTED else ZERO
        if disbursed[collection_id] != expected:
            problems.append(
                f"collection {collection_id} ({status}): disbursed {disbursed[collection_id]}, expected {expected}"
            )
        if -applied[collection_id] != paid_out[collection_id]:
            problems.append(
                f"collection {collection_id}: applied to debts {-applied[collection_id]}, "
                f"paid to family and state {paid_out[collection_id]}"
            )
        if len(problems) >= PROBLEMS_MAXIMUM:
            return problems
    totals = LedgerEntry.objects.values("case_id", "account").annotate(total=MoneySum("amount"))
    for row in (row for row in totals.iterator(5_000) if row["total"] < ZERO):
        if len(problems) >= PROBLEMS_MAXIMUM:
            break
        problems.append(f"case {row['case_id']}: {row['account']} balance is negative ({row['total']})")
    mismatched = (
        LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).exclude(reverses__isnull=True).select_related("reverses")
    )
    for entry in mismatched.iterator(5_000):
        assert entry.reverses is not None
        if entry.amount != -entry.reverses.amount or entry.account != entry.reverses.account:
            problems.append(f"entry {entry.pk} does not exactly reverse entry {entry.reverses_id}")
    orphans = LedgerEntry.objects.filter(kind=EntryKind.PAYMENT, collection__isnull=True).count()
    if orphans:
        problems.append(f"{orphans} payment entries belong to no collection")
    stray = LedgerEntry.objects.filter(kind=EntryKind.CHARGE).exclude(account=CURRENT_SUPPORT).count()
    if stray:
        problems.append(f"{stray} charges were posted outside current support")
    problems += payouts_in_no_file(limit=PROBLEMS_MAXIMUM - len(problems))
    return problems[:PROBLEMS_MAXIMUM]


_FILES = {"ppd": "PPD bank file", "ccd": "CCD+ file to other agencies", "checks": "check register"}
_SHOWN = 5  # references named per problem


def payouts_in_no_file(*, limit: int = PROBLEMS_MAXIMUM) -> list[str]:
    """Money marked paid that did not go out: payouts with money of a run that never finished (in no file,
    whatever their method), and the direct deposits, EFTs to other agencies and checks of a finished run
    that its files do not hold exactly once for their amount (a missing file is every one of them)."""
    problems = []
    unfinished = (
        Payout.objects.filter(run__finished_at__isnull=True, amount__gt=ZERO)
        .values("run_id", "run__run_on")
        .annotate(count=Count("pk"), total=MoneySum("amount"))
        .order_by("run_id")
    )
    for row in unfinished:
        problems.append(
            f"disbursement run {row['run_id']} of {row['run__run_on']} did not finish: {row['count']} payouts "
            f"({row['total']}) are marked paid and are in no file (the next disbursement run finishes it)"
        )
    runs = DisbursementRun.objects.filter(finished_at__isnull=False).only(
        "pk", "run_on", "nacha_file", "interstate_file", "check_register"
    )
    for run in runs.order_by("pk").iterator(20):
        if len(problems) >= limit:
            break
        problems += _run_files_problems(run)
    return problems[:limit]


def _run_files_problems(run: DisbursementRun) -> list[str]:
    expected: dict[str, Counter[tuple[str, Decimal]]] = {kind: Counter() for kind in _FILES}
    payouts = Payout.objects.filter(run=run, amount__gt=ZERO, method__in=[PaymentMethod.EFT, PaymentMethod.CHECK])
    for method, agency_id, reference, amount in payouts.values_list("method", "agency_id", "reference", "amount"):
        kind = "checks" if method == PaymentMethod.CHECK else "ppd" if agency_id is None else "ccd"
        expected[kind][(reference, amount)] += 1
    found = {
        "ppd": _nacha_entries(run.nacha_file),
        "ccd": _nacha_entries(run.interstate_file),
        "checks": _register_entries(run.check_register),
    }
    problems = []
    for kind, name in _FILES.items():
        missing = expected[kind] - found[kind]
        extra = found[kind] - expected[kind]
        if missing:
            total = sum((amount * count for (_, amount), count in missing.items()), ZERO)
            lost = f"{missing.total()} payouts ({total}) marked paid are"
            where = f"its {name} is missing: {lost} in no file" if not found[kind] else f"{lost} not in its {name}"
            problems.append(f"disbursement run {run.pk} of {run.run_on}: {where}: {_references(missing)}")
        if extra:
            problems.append(f"disbursement run {run.pk} of {run.run_on}: its {name} pays {extra.total()} entries "
                            f"that are no payout of the run or repeat one: {_references(extra)}")  # fmt: skip
    return problems


def _nacha_entries(text: str) -> Counter[tuple[str, Decimal]]:
    """(trace number, amount) of each entry detail record of a NACHA file (PPD or CCD+)."""
    return Counter((line[79:94], Decimal(int(line[29:39])) / 100) for line in text.splitlines() if line.startswith("6"))


def _register_entries(text: str) -> Counter[tuple[str, Decimal]]:
    """(check number, amount) of each line of a check register."""
    rows = list(csv.reader(io.StringIO(text)))[1:]
    return Counter((row[0], Decimal(row[2])) for row in rows if row)


def _references(entries: Counter[tuple[str, Decimal]]) -> str:
    shown = sorted(entries)[:_SHOWN]
    more = f" and {entries.total() - len(shown)} more" if entries.total() > len(shown) else ""
    return ", ".join(f"{reference or '(no reference)'} ({amount})" for reference, amount in shown) + more
