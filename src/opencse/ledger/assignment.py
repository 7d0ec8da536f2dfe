"""Keeping arrears in the right assignment bucket as the family's assistance history changes (42 U.S.C.
608(a)(3), 657(a)(3), (b); 45 CFR 302.51; OCSE AT-97-17, AT-09-03), and URA per assistance group.

- `reclassify(case_ids=..., on=...)` reads, in grouped queries per chunk of cases, every bucket balance,
  the cases' assistance periods and the unreimbursed assistance (URA) of each case's assistance group,
  asks the pure rule `opencse.rules.assignment.reclassify` for each case, and posts each move as a
  pair of `reclassify` entries dated `on` (minus on one bucket, plus on the other: they net to zero).
  Once the buckets satisfy the rule, running it again moves nothing; each entry's `source_key`
  (`reclassify:<case>:<date>:<from>:<to>:<n>:out|in`) is unique, so two runs that read the same
  ledger post one pair.
- `assistance_families(case_ids)` and `retained_by_case(...)` give what URA counts for a case: the
  assistance of its own periods and of every period, on any case, in the same IV-A assistance group
  (each month of a group once: the same assistance recorded on each IV-D case of the group is one
  grant), less what the state retained on every case of that group. The one-by-one selector
  (`selectors.unreimbursed_assistance`) and the bulk path (`bulk.py`) both use them.

- `assign_assistance_months(case_id=...)`: when a period is recorded after month ends it covers were
  rolled over into never-assigned arrears, those months' support becomes permanently assigned.

A move dated `on` takes a bucket's balance through `on`, but never more than the bucket holds today,
so a later entry already posted can never leave a bucket below zero (OpenCSE choice: docs/ledger.md).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count

from opencse.common.money import MoneySum
from opencse.ledger.models import CURRENT_SUPPORT, AssistancePeriod, CollectionShare, EntryKind, LedgerEntry, Payee
from opencse.rules import assignment as rule
from opencse.rules.distribution import ArrearsBucket
from opencse.rules.money import ZERO
from opencse.rules.params import governing_jurisdiction

logger = logging.getLogger(__name__)
CHUNK_SIZE = 5_000


@dataclass(slots=True)
class AssistanceFamilies:
    """For each case: its own periods (its assistance status), the periods URA counts (its own and
    every period sharing one of its assistance groups), and the cases whose retained collections
    reduce its URA (itself and every case with a period in one of its groups)."""

    own: dict[int, list[rule.AssistanceSpan]] = field(default_factory=lambda: defaultdict(list))
    # case -> assistance group ("": the case's own periods without a group) -> the group's periods
    counted: dict[int, dict[str, list[rule.AssistanceSpan]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    sharing: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def all_cases(self) -> set[int]:
        return set().union(*self.sharing.values()) if self.sharing else set()

    def paid(self, case_id: int, *, through: date) -> Decimal:
        groups = self.counted[case_id]
        return sum((rule.assistance_paid(groups[name], through=through) for name in sorted(groups)), ZERO)


def assistance_families(case_ids: Sequence[int]) -> AssistanceFamilies:
    """Two queries: the cases' periods, then every period of the assistance groups they name."""
    families = AssistanceFamilies()
    groups_of: dict[int, set[str]] = defaultdict(set)
    for case_id in case_ids:
        families.sharing[case_id].add(case_id)
    fields = ("pk", "case_id", "starts_on", "ends_on", "grant_monthly", "assistance_group")
    for _, case_id, starts_on, ends_on, grant, group in AssistancePeriod.objects.filter(
        case_id__in=list(case_ids)
    ).values_list(*fields):
        span = rule.AssistanceSpan(starts_on=starts_on, ends_on=ends_on, grant_monthly=grant)
        families.own[case_id].append(span)
        if group:
            groups_of[case_id].add(group)
        else:
            families.counted[case_id][""].append(span)  # blank: the case is its own group
    names = set().union(*groups_of.values()) if groups_of else set()
    by_group: dict[str, list[tuple[int, rule.AssistanceSpan]]] = defaultdict(list)
    for _, case_id, starts_on, ends_on, grant, group in (
        AssistancePeriod.objects.filter(assistance_group__in=sorted(names)).order_by("pk").values_list(*fields)
    ):
        span = rule.AssistanceSpan(starts_on=starts_on, ends_on=ends_on, grant_monthly=grant)
        by_group[group].append((case_id, span))
    for case_id, groups in groups_of.items():
        for group in sorted(groups):
            for other_case_id, span in by_group[group]:
                families.counted[case_id][group].append(span)
                families.sharing[case_id].add(other_case_id)
    return families


def retained_by_case(case_ids: set[int], *, collected_through: date | None = None) -> dict[int, Decimal]:
    """What the state retained (reimbursing assistance) on each case, from collections dated through
    `collected_through` when given: one grouped query. Reversals carry their collection, so they net."""
    rows = CollectionShare.objects.filter(case_id__in=sorted(case_ids), payee=Payee.STATE)
    if collected_through is not None:
        rows = rows.filter(collection__collected_on__lte=collected_through)
    retained: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in rows.values("case_id").annotate(total=MoneySum("amount")):
        retained[row["case_id"]] = row["total"]
    return retained


def unreimbursed(families: AssistanceFamilies, retained: dict[int, Decimal], case_id: int, *, on: date) -> Decimal:
    """URA of a case's assistance group on `on` (42 U.S.C. 657(a)(3)): never below zero."""
    recovered = sum((retained[other] for other in sorted(families.sharing[case_id])), ZERO)
    return max(families.paid(case_id, through=on) - recovered, ZERO)


def assignment_jurisdiction() -> str:
    return governing_jurisdiction("assignment", state=settings.OPENCSE_STATE)


def reclassify(*, case_ids: Sequence[int], on: date, chunk_size: int = CHUNK_SIZE) -> int:
    """Move arrears between buckets so that each case satisfies the assignment rules on `on`; returns the
    number of moves posted. Set-based: a handful of grouped queries and one bulk insert per chunk."""
    assert 1 <= chunk_size <= 50_000
    ordered = sorted(set(case_ids))
    moved = 0
    for start in range(0, len(ordered), chunk_size):
        moved += _reclassify_chunk(ordered[start : start + chunk_size], on)
    if moved:
        logger.info("reclassification on %s: %d moves on %d cases", on, moved, len(ordered))
    return moved


def _reclassify_chunk(case_ids: list[int], on: date) -> int:
    arrears = LedgerEntry.objects.filter(case_id__in=case_ids).exclude(account=CURRENT_SUPPORT)
    through: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for row in arrears.filter(effective_on__lte=on).values("case_id", "account").annotate(total=MoneySum("amount")):
        through[row["case_id"], row["account"]] = row["total"]
    today: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for row in arrears.values("case_id", "account").annotate(total=MoneySum("amount")):
        today[row["case_id"], row["account"]] = row["total"]
    earlier = dict(
        LedgerEntry.objects.filter(case_id__in=case_ids, kind=EntryKind.RECLASSIFICATION, effective_on=on)
        .values("case_id").annotate(count=Count("pk")).values_list("case_id", "count")
    )  # fmt: skip
    families = assistance_families(case_ids)
    # Only collections dated through `on` count, so the moves on a date depend on the ledger through that
    # date alone: posting one by one or in bulk gives the same moves.
    retained = retained_by_case(families.all_cases(), collected_through=on)
    jurisdiction = assignment_jurisdiction()
    entries: list[LedgerEntry] = []
    for case_id in case_ids:
        covering = [span.starts_on for span in families.own[case_id] if span.covers(on)]
        balances = {
            bucket: max(min(through[case_id, bucket.value], today[case_id, bucket.value]), ZERO)
            for bucket in ArrearsBucket
        }
        result = rule.reclassify(
            balances=balances,
            on_assistance=bool(covering),
            assistance_began_on=min(covering) if covering else None,
            unreimbursed_assistance=unreimbursed(families, retained, case_id, on=on),
            as_of=on,
            jurisdiction=jurisdiction,
        )
        sequence = earlier.get(case_id, 0) // 2
        for index, move in enumerate(result.moves):
            entries += _pair(case_id, on, move, sequence + index)
    assert sum((entry.amount for entry in entries), ZERO) == ZERO, "every move nets to zero"
    LedgerEntry.objects.bulk_create(entries, batch_size=5_000, ignore_conflicts=True)
    return len(entries) // 2


def assign_assistance_months(*, case_id: int) -> list[date]:
    """Support of months now known to be assistance months, rolled into never-assigned arrears before
    the period was recorded, moved to permanently assigned (42 U.S.C. 608(a)(3); `month_bucket`), each
    dated its month's end, once, and never more than never-assigned arrears still hold. Returns the month
    ends moved at. For one case (recording a period); four queries."""
    periods = assistance_families([case_id]).own[case_id]
    rolled = list(
        LedgerEntry.objects.filter(case_id=case_id, kind=EntryKind.ROLLOVER, account=rule.NA.value, amount__gt=0)
        .order_by("effective_on").values_list("effective_on", "amount")
    )  # fmt: skip
    never_assigned = LedgerEntry.objects.filter(case_id=case_id, account=rule.NA.value)
    left = max(never_assigned.aggregate(total=MoneySum("amount"))["total"] or ZERO, ZERO)
    # The rule never moves never-assigned arrears to permanently assigned, so such moves were made here,
    # for an earlier period: a month is moved once.
    done = dict(
        LedgerEntry.objects.filter(case_id=case_id, kind=EntryKind.RECLASSIFICATION, account=rule.PA.value,
                                   source_key__contains=f":{rule.NA.value}:{rule.PA.value}:")
        .values("effective_on").annotate(total=MoneySum("amount")).values_list("effective_on", "total")
    )  # fmt: skip
    moves: list[tuple[date, rule.Move]] = []
    for ending, amount in rolled:
        chosen = rule.month_bucket(month_ending=ending, periods=periods)
        moved = min(amount - done.get(ending, ZERO), left)
        if chosen.bucket is rule.PA and moved > ZERO:
            moves.append((ending, rule.Move(rule.NA, rule.PA, moved, chosen.reference)))
            left -= moved
    _post(case_id, moves)
    return [ending for ending, _ in moves]


def _post(case_id: int, moves: list[tuple[date, rule.Move]]) -> None:
    dates = sorted({on for on, _ in moves})
    earlier = dict(
        LedgerEntry.objects.filter(case_id=case_id, kind=EntryKind.RECLASSIFICATION, effective_on__in=dates)
        .values("effective_on").annotate(count=Count("pk")).values_list("effective_on", "count")
    )  # fmt: skip
    entries: list[LedgerEntry] = []
    for index, (on, move) in enumerate(moves):
        entries += _pair(case_id, on, move, earlier.get(on, 0) // 2 + index)
    assert sum((entry.amount for entry in entries), ZERO) == ZERO, "every move nets to zero"
    LedgerEntry.objects.bulk_create(entries, ignore_conflicts=True)


def _pair(case_id: int, on: date, move: rule.Move, sequence: int) -> list[LedgerEntry]:
    key = f"reclassify:{case_id}:{on.isoformat()}:{move.from_bucket.value}:{move.to_bucket.value}:{sequence}"
    common = {"case_id": case_id, "kind": EntryKind.RECLASSIFICATION, "effective_on": on, "memo": move.reference[:200]}
    return [
        LedgerEntry(account=move.from_bucket.value, amount=-move.amount, source_key=f"{key}:out", **common),
        LedgerEntry(account=move.to_bucket.value, amount=move.amount, source_key=f"{key}:in", **common),
    ]
