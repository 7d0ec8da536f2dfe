"""Money held as future support, applied when support comes due (45 CFR 302.51(b), 302.52(b)(5)).

A collection larger than everything owed leaves its excess *held as future support* (a `held`
disbursement row). When a later month's support accrues, that money pays it: `apply_held_support`
distributes each held collection's balance, oldest first, against the debts owed on the day it runs
(`opencse.rules.distribution`, the family's assistance status on that day), posting payment entries
dated that day and moving the money out of `held` to the family or the state (a pair of rows on the
same collection, so its disbursement rows still add up to what was received). The disbursement run
calls it first, so prepaid support reaches the family on the day it is due.

Idempotent: each application is numbered per collection (`held:<collection>:<n>`), computed under the
case's lock from the applications already posted, so a second run the same day finds nothing owed
that the held money has not already paid.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction

from opencse.cases.models import Case
from opencse.common.money import MoneySum
from opencse.ledger import services
from opencse.ledger.accrual import bring_current
from opencse.ledger.models import Collection, CollectionShare, LedgerEntry, Payee
from opencse.rules import distribution as rule
from opencse.rules.money import ZERO

CASES_MAXIMUM = 50_000  # a run's held cases: prepayment is rare; more means something is wrong


def cases_holding_money(case_ids: list[int] | None = None) -> list[int]:
    rows = CollectionShare.objects.filter(payee=Payee.HELD)
    if case_ids is not None:
        rows = rows.filter(case_id__in=case_ids)
    totals = rows.values("case_id").annotate(total=MoneySum("amount"))
    found = sorted(row["case_id"] for row in totals if row["total"] > ZERO)
    assert len(found) <= CASES_MAXIMUM, f"{len(found)} cases hold future support"
    return found


def apply_held_support(*, on: date, case_ids: list[int] | None = None) -> Decimal:
    """Apply every case's held money to what is owed on `on`; returns the total applied."""
    return sum((_apply_for_case(case_id, on) for case_id in cases_holding_money(case_ids)), ZERO)


@transaction.atomic
def _apply_for_case(case_id: int, on: date) -> Decimal:
    case = Case.objects.select_for_update().get(pk=case_id)
    held: dict[int, Decimal] = defaultdict(lambda: ZERO)
    applications: dict[int, int] = defaultdict(int)
    for collection_id, amount in (
        CollectionShare.objects.filter(case=case, payee=Payee.HELD)
        .order_by("pk")
        .values_list("collection_id", "amount")
    ):
        held[collection_id] += amount
        applications[collection_id] += amount < ZERO
    applied = ZERO
    bring_current(case_id=case.pk, on=on)  # accrued through `on` before its debts are read
    for collection in Collection.objects.filter(pk__in=[pk for pk, amount in held.items() if amount > ZERO]).order_by(
        "collected_on", "pk"
    ):
        debts = services.debts_on(case=case, on=on)
        owed = debts.current_support_due + sum(debts.arrears.values(), ZERO)
        if owed <= ZERO:
            break
        plan = rule.distribute(
            collection=rule.Collection(amount=min(held[collection.pk], owed), source=rule.DistributionSource.REGULAR),
            debts=debts,
            as_of=on,
            jurisdiction=services.distribution_jurisdiction(),
        )
        if not plan.allocations:
            continue
        key = f"held:{collection.pk}:{applications[collection.pk] + 1}"
        entries, disbursements = services.rows_for(collection, plan, held_on=on, key=key)
        LedgerEntry.objects.bulk_create(entries)
        CollectionShare.objects.bulk_create(disbursements)
        applied += plan.family_total + plan.state_total
    return applied
