"""Reading the ledger: balances are always the sum of entries, never a stored total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from opencse.cases.models import Case
from opencse.cases.selectors import row_on_visible_case, visible_cases
from opencse.common.money import MoneySum
from opencse.errors import NotFound
from opencse.ledger.assignment import assistance_families, retained_by_case, unreimbursed
from opencse.ledger.models import (
    CURRENT_SUPPORT,
    Account,
    Adjustment,
    AdjustmentStatus,
    AssistancePeriod,
    Collection,
    CollectionShare,
    CollectionStatus,
    EntryKind,
    LedgerEntry,
)
from opencse.rules.assignment import AssistanceSpan
from opencse.rules.assignment import months_of_assistance as months_of_assistance_rule
from opencse.rules.money import ZERO


def balances(*, case: Case, as_of: date) -> dict[str, Decimal]:
    """What the obligor owes on `as_of` in each account: current support and each arrears bucket."""
    rows = (
        LedgerEntry.objects.filter(case=case, effective_on__lte=as_of)
        .values("account")
        .annotate(balance=MoneySum("amount"))
    )
    found = dict.fromkeys(Account.values, ZERO)
    for row in rows:  # one row per account, summed by the database
        found[row["account"]] = row["balance"]
    return found


def months_of_assistance(period: AssistancePeriod, *, through: date) -> int:
    """Whole or partial months of a period up to `through` (a month counts when assistance was paid in it)."""
    span = AssistanceSpan(starts_on=period.starts_on, ends_on=period.ends_on)
    return months_of_assistance_rule(span, through=through)


def unreimbursed_assistance(*, case: Case, as_of: date) -> Decimal:
    """URA: assistance paid through `as_of` to the case's assistance group, less what the state has
    retained from collections on every case of the group (42 U.S.C. 657(a)(1), (a)(3); 45 CFR 302.51).
    The group is the IV-A assistance group: the case's own periods and every period, on any case, that
    names the same group; several IV-D cases (one per noncustodial parent) may share one. Assistance is
    the monthly grant for each month of a period (OpenCSE choice: docs/ledger.md)."""
    families = assistance_families([case.pk])
    return unreimbursed(families, retained_by_case(families.all_cases()), case.pk, on=as_of)


def on_assistance(*, case: Case, on: date) -> bool:
    return case.assistance_periods.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on).exists()


def ever_on_assistance(*, case: Case, before: date) -> bool:
    return case.assistance_periods.filter(starts_on__lte=before).exists()


@dataclass(frozen=True, slots=True)
class LedgerLine:
    entry: LedgerEntry
    balance_after: Decimal  # the running total owed, all accounts


def ledger_lines(*, case: Case, through: date | None = None, limit: int = 5000) -> list[LedgerLine]:
    """The case's entries in effective-date order with the running balance (the payment history)."""
    entries = (
        LedgerEntry.objects.filter(case=case).select_related("collection", "reverses").order_by("effective_on", "id")
    )
    if through is not None:
        entries = entries.filter(effective_on__lte=through)
    running = ZERO
    lines = []
    for entry in entries[:limit]:
        running += entry.amount
        lines.append(LedgerLine(entry=entry, balance_after=running))
    return lines


def latest_ledger_lines(*, case: Case, through: date, count: int) -> tuple[list[LedgerLine], int]:
    """The case's `count` latest entries through `through`, newest first, each with the running balance
    after it, and how many entries there are in all: two queries, however long the history (the running
    balance is counted back from the total)."""
    entries = LedgerEntry.objects.filter(case=case, effective_on__lte=through)
    totals = entries.aggregate(balance=MoneySum("amount"), entries=Count("id"))
    latest = entries.select_related("collection", "reverses").order_by("-effective_on", "-id")[:count]
    running = totals["balance"] or ZERO
    lines = []
    for entry in latest:
        lines.append(LedgerLine(entry=entry, balance_after=running))
        running -= entry.amount
    return lines, totals["entries"]


def collections_of_case(*, case: Case) -> QuerySet[Collection]:
    return case.collections.prefetch_related("shares").order_by("-collected_on", "-id")


def collection_for_viewer(*, viewer: object, collection_id: int) -> Collection:
    """A collection on a case the viewer may see (a suspended one has no case: see the suspense queue)."""
    collections = Collection.objects.select_related("case")
    return row_on_visible_case(collections, collection_id, viewer=viewer, noun="collection")


def suspense_collection_for_viewer(*, viewer: object, collection_id: int) -> Collection:
    """A payment to identify: one in suspense (the queue is the whole agency's, for every role that may post),
    or one since identified onto a case the viewer may see (so the page can say it left suspense). Any other
    collection, another office's included, is not found: its existence and amount are not the viewer's to learn."""
    in_reach = Q(status=CollectionStatus.SUSPENSE) | Q(case__in=visible_cases(viewer))
    collection = Collection.objects.select_related("case").filter(in_reach, pk=collection_id).first()
    if collection is None:
        raise NotFound(f"No payment {collection_id} in suspense.")
    return collection


def adjustment_for_viewer(*, viewer: object, adjustment_id: int) -> Adjustment:
    adjustments = Adjustment.objects.select_related("case")
    return row_on_visible_case(adjustments, adjustment_id, viewer=viewer, noun="adjustment")


def arrears_by_month(*, case: Case, through: date, months: int = 24) -> list[tuple[date, Decimal]]:
    """Total arrears (every bucket, not current support) at the end of each of the last `months` months
    through `through`: one grouped query, then a running total."""
    assert 1 <= months <= 240
    first = _month_start(through, back=months - 1)
    totals = {
        _as_month(row["month"]): row["total"]
        for row in LedgerEntry.objects.filter(case=case, effective_on__lte=through).exclude(account=CURRENT_SUPPORT)
        .annotate(month=TruncMonth("effective_on")).values("month").annotate(total=MoneySum("amount"))
    }  # fmt: skip
    running = sum((total for month, total in totals.items() if month < first), ZERO)
    series, month = [], first
    for _ in range(months):
        running += totals.get(month, ZERO)
        series.append((_month_last_day(month), running))
        month = _month_start(_month_last_day(month), back=-1)
    return series


def _month_start(day: date, *, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _month_last_day(first: date) -> date:
    return _month_start(first, back=-1) - timedelta(days=1)


def _as_month(value: date | datetime) -> date:
    day = value.date() if isinstance(value, datetime) else value
    return day.replace(day=1)


def adjustments_waiting(*, viewer: object) -> QuerySet[Adjustment]:
    """Adjustments waiting for an officer with signature authority, on the cases `viewer` sees, oldest first:
    a part of the one approval queue (the Approvals page)."""
    return (
        Adjustment.objects.filter(status=AdjustmentStatus.PENDING, case__in=visible_cases(viewer))
        .select_related("case", "requested_by")
        .order_by("requested_at", "id")
    )


def suspense_queue() -> QuerySet[Collection]:
    """Collections not yet identified, oldest received first: the suspense queue of the web and the API."""
    return (
        Collection.objects.filter(status=CollectionStatus.SUSPENSE)
        .prefetch_related("shares")
        .order_by("received_on", "id")
    )


def collections_posted_for_obligor(*, viewer: object, obligor_id: int, ids: list[int]) -> list[Collection]:
    """The collections named by `ids` posted for this obligor, on cases the viewer sees, by case number."""
    return list(
        Collection.objects.filter(pk__in=ids, obligor_id=obligor_id, case__in=visible_cases(viewer))
        .select_related("case")
        .prefetch_related("shares", "entries")
        .order_by("case__number")
    )


def distribution_rows(*, collection: Collection) -> tuple[list[LedgerEntry], list[CollectionShare]]:
    """A collection's payment and reversal entries and its rows of where the money goes, in posting order."""
    entries = list(collection.entries.filter(kind__in=(EntryKind.PAYMENT, EntryKind.REVERSAL)).order_by("id"))
    return entries, list(collection.shares.order_by("id"))


def assistance_periods_of(*, case: Case) -> list[AssistancePeriod]:
    """The case's periods of assistance, latest first."""
    return list(case.assistance_periods.order_by("-starts_on", "-id"))


def adjustments_of_case(*, case: Case) -> list[Adjustment]:
    """The case's adjustment requests and their decisions, latest first."""
    return list(case.adjustments.select_related("requested_by", "decided_by").order_by("-requested_at"))


def adjustments_waiting_on_case(*, case: Case) -> list[Adjustment]:
    """The case's adjustment requests waiting for signature authority, oldest first."""
    return list(case.adjustments.filter(status=AdjustmentStatus.PENDING).order_by("requested_at", "id"))
