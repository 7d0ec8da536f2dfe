"""The nightly accrual and the month-end rollover: set-based, chunked, idempotent, resumable.

- `accrue(through=...)` posts every charge due through a date for every accruing term, chunk by
  chunk (one query for the terms, one for their steps, one bulk insert, one watermark update per
  chunk, each chunk in its own transaction). Each charge's `source_key` is
  `charge:<term id>:<period key>` and is unique, so a re-run, or a run after a crash between the
  insert and the watermark update, posts nothing twice.
- `roll_over(month_end=...)` moves each case's unpaid current support at a month's end into an
  arrears bucket: `permanently_assigned` when the family received assistance in the month,
  `never_assigned` otherwise (42 U.S.C. 608(a)(3); `opencse.rules.assignment.month_bucket`), then
  reclassifies the assisted cases' arrears (`ledger.assignment.reclassify`: pre-assistance arrears when
  assistance begins, temporarily assigned arrears when it ends, assigned arrears above URA).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import TruncMonth

from opencse.common.bulk_insert import ROWS_MAXIMUM, insert_rows
from opencse.common.money import MoneySum
from opencse.ledger.assignment import reclassify
from opencse.ledger.models import CURRENT_SUPPORT, AssistancePeriod, EntryKind, LedgerEntry
from opencse.orders.models import ACCRUING_KINDS, OrderTerm, TermStep
from opencse.rules.assignment import AssistanceSpan, month_bucket
from opencse.rules.money import ZERO
from opencse.rules.schedules import Frequency, Step, TermSchedule, charges_due

logger = logging.getLogger(__name__)

CHUNK_SIZE = 5_000


@dataclass(frozen=True, slots=True)
class AccrualResult:
    terms: int
    charges: int


def accrue(*, through: date, case_ids: list[int] | None = None, chunk_size: int = CHUNK_SIZE) -> AccrualResult:
    """Post every charge due through `through` (inclusive) for the accruing terms (of `case_ids`, if given)."""
    assert 1 <= chunk_size <= 50_000
    terms = OrderTerm.objects.filter(kind__in=list(ACCRUING_KINDS), starts_on__lte=through).filter(
        Q(accrued_through__isnull=True) | Q(accrued_through__lt=through)
    )
    if case_ids is not None:
        terms = terms.filter(case_id__in=case_ids)
    term_ids = list(terms.order_by("pk").values_list("pk", flat=True))
    total_terms = total_charges = 0
    for start in range(0, len(term_ids), chunk_size):
        chunk = term_ids[start : start + chunk_size]
        total_charges += _accrue_chunk(chunk, through)
        total_terms += len(chunk)
        logger.info("accrual through %s: %d of %d terms", through, total_terms, len(term_ids))
    return AccrualResult(terms=total_terms, charges=total_charges)


@transaction.atomic
def _accrue_chunk(term_ids: list[int], through: date) -> int:
    rows = OrderTerm.objects.filter(pk__in=term_ids).values_list(
        "pk", "case_id", "frequency", "starts_on", "ends_on", "accrued_through"
    )
    steps: dict[int, list[Step]] = defaultdict(list)
    for term_id, starts_on, amount in (
        TermStep.objects.filter(term_id__in=term_ids)
        .order_by("term_id", "starts_on")
        .values_list("term_id", "starts_on", "amount")
    ):
        steps[term_id].append(Step(starts_on=starts_on, amount=amount))
    entries = []
    for term_id, case_id, frequency, starts_on, ends_on, accrued_through in rows:
        schedule = TermSchedule(
            frequency=Frequency(frequency), starts_on=starts_on, ends_on=ends_on, steps=tuple(steps[term_id])
        )
        for charge in charges_due(schedule, through=through, after=accrued_through):
            if charge.amount:
                entries.append(
                    LedgerEntry(
                        case_id=case_id,
                        term_id=term_id,
                        account=CURRENT_SUPPORT,
                        kind=EntryKind.CHARGE,
                        amount=charge.amount,
                        effective_on=charge.due_on,
                        source_key=f"charge:{term_id}:{charge.period_key}",
                    )
                )
    _insert(entries)
    OrderTerm.objects.filter(pk__in=term_ids).update(accrued_through=through)
    return len(entries)


def _insert(entries: list[LedgerEntry]) -> None:
    """Write new entries; one whose `source_key` is already posted is skipped (a re-run posts nothing twice)."""
    for start in range(0, len(entries), ROWS_MAXIMUM):
        insert_rows(entries[start : start + ROWS_MAXIMUM], ignore_conflicts=True)


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _rollover_pair(case_id: int, balance: Decimal, month_ending: date, bucket: str) -> list[LedgerEntry]:
    month = month_ending.strftime("%Y-%m")
    return [
        LedgerEntry(
            case_id=case_id,
            account=CURRENT_SUPPORT,
            kind=EntryKind.ROLLOVER,
            amount=-balance,
            effective_on=month_ending,
            source_key=f"rollover:{case_id}:{month}:out",
        ),
        LedgerEntry(
            case_id=case_id,
            account=bucket,
            kind=EntryKind.ROLLOVER,
            amount=balance,
            effective_on=month_ending,
            source_key=f"rollover:{case_id}:{month}:in",
        ),
    ]


def _periods(case_ids: list[int] | None) -> dict[int, list[AssistanceSpan]]:
    """The cases' own assistance periods (every case's when `case_ids` is None): one query."""
    rows = AssistancePeriod.objects.all()
    if case_ids is not None:
        rows = rows.filter(case_id__in=case_ids)
    periods: dict[int, list[AssistanceSpan]] = defaultdict(list)
    for case_id, starts_on, ends_on in rows.values_list("case_id", "starts_on", "ends_on"):
        periods[case_id].append(AssistanceSpan(starts_on=starts_on, ends_on=ends_on))
    return periods


@transaction.atomic
def roll_over(*, month_ending: date, case_ids: list[int] | None = None) -> int:
    """Move every case's unpaid current support at the close of `month_ending` into arrears, in the bucket
    the assistance history gives (`opencse.rules.assignment.month_bucket`), then reclassify the arrears
    of every case that ever had assistance on that day (`ledger.assignment.reclassify`).

    The pair of entries is dated the month's last day, so the month's current balance is then zero: a
    collection dated in a month already rolled over pays arrears, never that month's current support
    twice. Re-running finds nothing left to move."""
    assert month_ending == month_end(month_ending), "roll over at a month's last day"
    owed = (
        LedgerEntry.objects.filter(account=CURRENT_SUPPORT, effective_on__lte=month_ending)
        .values("case_id")
        .annotate(balance=MoneySum("amount"))
    )
    if case_ids is not None:
        owed = owed.filter(case_id__in=case_ids)
    # Positive balances only, compared after conversion to exact cents (see common.money).
    balances = {row["case_id"]: row["balance"] for row in owed if row["balance"] > ZERO}
    periods = _periods(case_ids)
    entries = []
    for case_id, balance in balances.items():
        bucket = month_bucket(month_ending=month_ending, periods=periods.get(case_id, ()))
        entries += _rollover_pair(case_id, balance, month_ending, bucket.bucket.value)
    _insert(entries)
    # A case never assisted has only never-assigned arrears: nothing to reclassify.
    reclassify(case_ids=sorted(periods), on=month_ending)
    return len(entries) // 2


def bring_current(*, case_id: int, on: date) -> None:
    """Accrue one case through the end of `on`'s month and roll over every earlier month still holding
    unpaid current support, so a collection on `on` sees this month's current support and all older
    months as arrears."""
    bring_cases_current(case_ids=[case_id], on=on)


def bring_cases_current(*, case_ids: list[int], on: date) -> None:
    """`bring_current` for many cases at once: one accrual, one aggregate query, one bulk insert, then the
    assisted cases' arrears reclassified at each month end rolled over and at the last one before `on`'s
    month (`ledger.assignment.reclassify`): the same moves whether collections are posted one by one or
    in bulk, since each month end's moves depend only on the ledger through that day."""
    accrue(through=month_end(on), case_ids=case_ids)
    first_of_month = on.replace(day=1)
    by_month = (LedgerEntry.objects.filter(case_id__in=case_ids, account=CURRENT_SUPPORT,
                                           effective_on__lt=first_of_month)
                .annotate(month=TruncMonth("effective_on")).values("case_id", "month")
                .annotate(total=MoneySum("amount")).order_by("case_id", "month"))  # fmt: skip
    periods = _periods(case_ids)
    entries: list[LedgerEntry] = []
    unpaid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    # The month ends to reclassify at, and the assisted cases for each.
    month_ends: dict[date, set[int]] = defaultdict(set)
    month_ends[first_of_month - timedelta(days=1)].update(periods)
    for row in by_month:
        case_id = row["case_id"]
        unpaid[case_id] += row["total"]
        if unpaid[case_id] > 0:
            ending = month_end(_as_date(row["month"]))
            bucket = month_bucket(month_ending=ending, periods=periods.get(case_id, ()))
            entries += _rollover_pair(case_id, unpaid[case_id], ending, bucket.bucket.value)
            unpaid[case_id] = ZERO
            if case_id in periods:
                month_ends[ending].add(case_id)
    assert all(balance <= 0 for balance in unpaid.values()), unpaid
    _insert(entries)
    for ending in sorted(month_ends):
        if month_ends[ending]:
            reclassify(case_ids=sorted(month_ends[ending]), on=ending)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
