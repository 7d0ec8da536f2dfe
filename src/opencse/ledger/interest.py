"""The month-end interest job: `charge_interest(month_ending=...)`, set-based, chunked, idempotent.

For each chunk of cases, in its own transaction: one aggregate query of every interest-bearing
bucket's balance and interest charged as of the month's end (plus, when payments apply to interest
first, one query of each bucket's credits and interest month by month), the pure rule
`opencse.rules.interest.monthly_interest` per case, and one bulk insert. Each entry is posted on the
bucket whose balance earned it, dated the month's end, kind "interest", with the unique key
`interest:<case>:<YYYY-MM>:<account>`: running a month twice, or again after a crash, posts nothing
twice and leaves the same ledger as one clean run.

What the balance of month M excludes, so that a re-run computes exactly what the first run did:
- the interest entries dated M's last day (M's own interest, already posted by an earlier run);
- the rollover entries dated M's last day: support unpaid at the close of M becomes arrears then, and
  bears interest from the next month.

Which parameters: the setting `OPENCSE_INTEREST_PARAMS` when set (a parameter-file name under
`opencse/rules/params`, such as `wa/interest`, or an absolute path to a YAML file without its `.yaml`
suffix, which is how the tests switch interest on); otherwise `<state>/interest` for the installation's
`OPENCSE_STATE` when that file exists, else the federal default `us/interest` (off).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncMonth

from opencse.cases.models import Case
from opencse.common.money import MoneySum
from opencse.errors import Conflict
from opencse.ledger.accrual import month_end
from opencse.ledger.models import EntryKind, LedgerEntry
from opencse.rules.interest import (
    BucketBalance,
    InterestTerms,
    interest_terms,
    monthly_interest,
    unpaid_interest_interest_first,
    unpaid_interest_principal_first,
)
from opencse.rules.money import ZERO
from opencse.rules.params import governing_file

logger = logging.getLogger(__name__)

CHUNK_SIZE = 5_000
IS_INTEREST = Q(kind=EntryKind.INTEREST) | Q(reverses__kind=EntryKind.INTEREST)  # a reversed charge nets out


@dataclass(frozen=True, slots=True)
class InterestRun:
    parameters: str  # the parameter file read
    enabled: bool
    reference: str  # the citation of `enabled`
    cases: int
    entries: int
    total: Decimal


def interest_parameters_name() -> str:
    """The parameter file this installation's interest follows (see the module docstring)."""
    configured = str(getattr(settings, "OPENCSE_INTEREST_PARAMS", "") or "")
    if configured:
        return configured
    return governing_file("interest", state=settings.OPENCSE_STATE)


def charge_interest(
    *, month_ending: date, case_ids: list[int] | None = None, chunk_size: int = CHUNK_SIZE
) -> InterestRun:
    """Post the interest of the month ending `month_ending` on every case (of `case_ids`, if given)."""
    assert month_ending == month_end(month_ending), "interest is charged at a month's last day"
    assert 1 <= chunk_size <= 50_000
    name = interest_parameters_name()
    terms = interest_terms(name, month_ending)
    enabled_reference = next((use.reference for use in terms.parameters if use.name.endswith(".enabled")), "")
    if not terms.enabled:
        return InterestRun(name, False, enabled_reference, cases=0, entries=0, total=ZERO)
    later = LedgerEntry.objects.filter(kind=EntryKind.INTEREST, effective_on__gt=month_ending)
    if case_ids is not None:
        later = later.filter(case_id__in=case_ids)
    if later.exists():
        raise Conflict(f"interest is already charged for a month after {month_ending}; charge months in order")
    cases = Case.objects.order_by("pk")
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    all_ids = list(cases.values_list("pk", flat=True))
    entries, total = 0, ZERO
    for start in range(0, len(all_ids), chunk_size):
        posted, amount = _charge_chunk(all_ids[start : start + chunk_size], month_ending, terms)
        entries, total = entries + posted, total + amount
        done = min(start + chunk_size, len(all_ids))
        logger.info("interest %s: %d of %d cases, %d entries", month_ending, done, len(all_ids), entries)
    return InterestRun(name, True, enabled_reference, cases=len(all_ids), entries=entries, total=total)


@transaction.atomic
def _charge_chunk(case_ids: list[int], month_ending: date, terms: InterestTerms) -> tuple[int, Decimal]:
    owed = _bucket_balances(case_ids, month_ending, terms)
    month = month_ending.strftime("%Y-%m")
    wanted: list[LedgerEntry] = []
    for case_id, buckets in owed.items():
        result = monthly_interest(month_ending=month_ending, balances=buckets, terms=terms)
        for account, amount in result.interest.items():
            wanted.append(
                LedgerEntry(
                    case_id=case_id,
                    account=account,
                    kind=EntryKind.INTEREST,
                    amount=amount,
                    effective_on=month_ending,
                    source_key=f"interest:{case_id}:{month}:{account}",
                    memo=f"{terms.annual_rate_percent}% a year, {terms.method}, on {_base(buckets[account], terms)}",
                )
            )
    # The keys already posted for this month (a re-run, or a run after a crash): one query per chunk.
    posted = LedgerEntry.objects.filter(case_id__in=case_ids, kind=EntryKind.INTEREST, effective_on=month_ending)
    done = set(posted.values_list("source_key", flat=True))
    new = [entry for entry in wanted if entry.source_key not in done]
    assert all(entry.amount > ZERO for entry in new)
    LedgerEntry.objects.bulk_create(new, batch_size=5_000)
    return len(new), sum((entry.amount for entry in new), ZERO)


def _bucket_balances(
    case_ids: list[int], month_ending: date, terms: InterestTerms
) -> dict[int, dict[str, BucketBalance]]:
    """Each case's interest-bearing buckets at the month's end, split into principal and unpaid interest."""
    rows = (
        _entries(case_ids, month_ending, terms)
        .values("case_id", "account")
        .annotate(balance=MoneySum("amount"), interest=MoneySum("amount", filter=IS_INTEREST))
        .order_by()
    )
    history = _monthly_history(case_ids, month_ending, terms) if terms.payments_apply_to == "interest_first" else {}
    found: dict[int, dict[str, BucketBalance]] = defaultdict(dict)
    for row in rows:
        balance, charged = row["balance"], max(row["interest"] or ZERO, ZERO)
        key = (row["case_id"], row["account"])
        if terms.payments_apply_to == "interest_first":
            unpaid = unpaid_interest_interest_first(balance=balance, months=history.get(key, []))
        else:
            unpaid = unpaid_interest_principal_first(balance=balance, interest_charged=charged)
        found[row["case_id"]][row["account"]] = BucketBalance(balance=balance, interest_unpaid=unpaid)
    return found


def _monthly_history(
    case_ids: list[int], month_ending: date, terms: InterestTerms
) -> dict[tuple[int, str], list[tuple[Decimal, Decimal]]]:
    """Per bucket, oldest month first: (credits of the month as a positive amount, interest charged net
    of reversals)."""
    rows = (
        _entries(case_ids, month_ending, terms)
        .annotate(month=TruncMonth("effective_on"))
        .values("case_id", "account", "month")
        .annotate(
            credits=MoneySum("amount", filter=Q(amount__lt=0) & ~IS_INTEREST),
            interest=MoneySum("amount", filter=IS_INTEREST),
        )
        .order_by("case_id", "account", "month")
    )
    history: dict[tuple[int, str], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for row in rows:
        credits, interest = -(row["credits"] or ZERO), row["interest"] or ZERO
        history[(row["case_id"], row["account"])].append((credits, interest))
    return history


def _entries(case_ids: list[int], month_ending: date, terms: InterestTerms) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(
            case_id__in=case_ids, account__in=sorted(terms.accrues_on), effective_on__lte=month_ending
        )
        .exclude(kind=EntryKind.INTEREST, effective_on=month_ending)
        .exclude(kind=EntryKind.ROLLOVER, effective_on=month_ending)
    )


def _base(row: BucketBalance, terms: InterestTerms) -> Decimal:
    return row.balance - row.interest_unpaid if terms.method == "simple" else row.balance
