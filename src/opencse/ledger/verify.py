"""`opencse ledger verify`: re-derive the ledger's invariants from the stored rows (set-based).

The write path asserts the same facts before commit (ledger.services); this is the second half of the
paired assertion (style.md 3.7), run over the whole database.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from opencse.common.money import MoneySum
from opencse.ledger.models import (
    CURRENT_SUPPORT,
    Collection,
    CollectionStatus,
    Disbursement,
    EntryKind,
    LedgerEntry,
    Payee,
)
from opencse.rules.money import ZERO

PROBLEMS_MAXIMUM = 1000


def _sums(rows: object, key: str) -> dict[int, Decimal]:
    return defaultdict(lambda: ZERO, {row[key]: row["total"] for row in rows})  # type: ignore[attr-defined]


def verify_ledger() -> list[str]:
    """Every problem found, in words; an empty list means the ledger holds together."""
    problems: list[str] = []
    disbursed = _sums(Disbursement.objects.values("collection_id").annotate(total=MoneySum("amount")), "collection_id")
    paid_out = _sums(
        # Family money that could not be paid stays the family's: undistributable, then unclaimed property.
        Disbursement.objects.filter(payee__in=[Payee.FAMILY, Payee.STATE, Payee.UNDISTRIBUTABLE, Payee.ESCHEATED])
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
    return problems[:PROBLEMS_MAXIMUM]
