"""Posting many collections at once (payment files): the same result as `post_collection` one by one,
with a handful of queries per month of collection dates instead of a dozen per collection.

For each month of collection dates in the batch, in order: lock the cases (in id order), bring them all
current (one accrual, one rollover query, the reclassification of the assisted cases), read every
balance, assistance period (with the periods of their assistance groups) and retained amount in four
grouped queries, then distribute each collection with the pure rule in memory — per case in
collection-date order, each distribution seeing the debts the previous one left and the unreimbursed
assistance every earlier retention on a case of the same assistance group left — and write the
collections, entries and disbursements with bulk inserts. `tests/ledger/test_bulk.py` checks that the
result equals posting the same collections one by one through the service.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from opencse.cases.models import Case, Program
from opencse.common.bulk_insert import insert_rows
from opencse.common.events import publish
from opencse.common.money import MoneySum
from opencse.ledger.accrual import bring_cases_current, month_end
from opencse.ledger.assignment import AssistanceFamilies, assistance_families, retained_by_case, unreimbursed
from opencse.ledger.models import (
    CURRENT_SUPPORT,
    Collection,
    CollectionShare,
    CollectionStatus,
    LedgerEntry,
)
from opencse.ledger.services import collections_posted, distribution_jurisdiction, rows_for, rule_collection
from opencse.rules import distribution as rule
from opencse.rules.assignment import AssistanceSpan
from opencse.rules.money import ZERO
from opencse.security.audit import audit_event, record_audits
from opencse.security.models import User
from opencse.security.policy import require

logger = logging.getLogger(__name__)
CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class CollectionInput:
    case_id: int
    amount: Decimal
    source: str
    collected_on: date
    received_on: date
    payor_name: str = ""
    payor_fein: str = ""
    reference: str = ""
    import_key: str | None = None
    obligor_id: int | None = None


@dataclass(slots=True)
class _CaseState:
    program: str
    owed: dict[str, Decimal]
    periods: list[AssistanceSpan]  # the case's own periods: its assistance status


@dataclass(slots=True)
class _Batch:
    """The cases of one month's collections, and what URA needs: the assistance groups' periods and what
    the state retained on every case of each group (updated as collections are distributed)."""

    cases: dict[int, _CaseState]
    families: AssistanceFamilies
    retained: dict[int, Decimal]


@transaction.atomic
def post_collections(items: Sequence[CollectionInput], *, actor: User) -> list[Collection]:
    """Post and distribute every item (validated by the caller: positive whole cents, collected on or
    before received, a case) as `actor` (the system actor for a payment file), with one audit row per
    collection, as `post_collection` writes. Items are taken by collection date, then in the order given."""
    require(actor, "ledger.post")
    ordered = sorted(enumerate(items), key=lambda pair: (pair[1].collected_on, pair[0]))
    by_month: dict[date, list[CollectionInput]] = defaultdict(list)
    for _, item in ordered:
        by_month[month_end(item.collected_on)].append(item)
    posted: list[Collection] = []
    for ending in sorted(by_month):
        posted += _post_month(by_month[ending], ending, actor)
    return posted


def _post_month(items: list[CollectionInput], ending: date, actor: User) -> list[Collection]:
    case_ids = sorted({item.case_id for item in items})
    locked = list(
        Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk").values_list("pk", "program", "number")
    )
    programs = {pk: program for pk, program, _ in locked}
    numbers = {pk: number for pk, _, number in locked}
    assert len(programs) == len(case_ids), "every collection names an existing case"
    bring_cases_current(case_ids=case_ids, on=ending)
    batch = _batch(case_ids, programs, ending)
    jurisdiction, now = distribution_jurisdiction(), timezone.now()
    collections, plans = [], []
    for item in items:
        collection = Collection(case_id=item.case_id, obligor_id=item.obligor_id, amount=item.amount,
                                source=item.source, collected_on=item.collected_on, received_on=item.received_on,
                                status=CollectionStatus.POSTED, posted_at=now, payor_name=item.payor_name[:120],
                                payor_fein=item.payor_fein, reference=item.reference[:60],
                                import_key=item.import_key)  # fmt: skip
        plan = rule.distribute(
            collection=rule_collection(collection),
            as_of=item.collected_on,
            debts=_debts(batch, item.case_id, item.collected_on),
            jurisdiction=jurisdiction,
        )
        _apply(batch, item.case_id, plan)
        collections.append(collection)
        plans.append(plan)
    Collection.objects.bulk_create(collections, batch_size=CHUNK)
    entries: list[LedgerEntry] = []
    disbursements: list[CollectionShare] = []
    for collection, plan in zip(collections, plans, strict=True):
        new_entries, new_disbursements = rows_for(collection, plan)
        entries += new_entries
        disbursements += new_disbursements
    insert_rows(entries)  # COPY on PostgreSQL: the batch's largest writes
    insert_rows(disbursements)
    record_audits([
        audit_event(actor=actor, action="collection.posted", target=collection, case_number=numbers[item.case_id],
                    after={"amount": str(collection.amount), "source": collection.source,
                           "collected_on": str(collection.collected_on)})
        for item, collection in zip(items, collections, strict=True)
    ])  # fmt: skip
    publish(collections_posted(collections, actor=actor))  # one event for the month's collections
    logger.info("bulk posting %s: %d collections on %d cases", ending, len(collections), len(case_ids))
    return collections


def _batch(case_ids: list[int], programs: dict[int, str], ending: date) -> _Batch:
    """Every balance, the assistance groups' periods and the retained amounts, in grouped queries."""
    families = assistance_families(case_ids)
    cases = {case_id: _CaseState(program=programs[case_id], owed=defaultdict(lambda: ZERO),
                                 periods=families.own[case_id]) for case_id in case_ids}  # fmt: skip
    for row in (LedgerEntry.objects.filter(case_id__in=case_ids, effective_on__lte=ending)
                .values("case_id", "account").annotate(total=MoneySum("amount"))):  # fmt: skip
        cases[row["case_id"]].owed[row["account"]] = row["total"]
    return _Batch(cases=cases, families=families, retained=retained_by_case(families.all_cases()))


def _debts(batch: _Batch, case_id: int, on: date) -> rule.Debts:
    """What `ledger.services.debts_on` reads from the database, from the in-memory state."""
    state = batch.cases[case_id]
    on_now = any(p.covers(on) for p in state.periods)
    ever = any(p.starts_on <= on for p in state.periods)
    if on_now or state.program in (Program.CURRENT_ASSISTANCE, Program.FOSTER_CARE):
        kind = rule.CaseType.CURRENT_ASSISTANCE
    elif ever or state.program == Program.FORMER_ASSISTANCE:
        kind = rule.CaseType.FORMER_ASSISTANCE
    else:
        kind = rule.CaseType.NEVER_ASSISTANCE
    ura = ZERO
    if kind != rule.CaseType.NEVER_ASSISTANCE:
        ura = unreimbursed(batch.families, batch.retained, case_id, on=on)
    arrears = {bucket: max(state.owed[bucket.value], ZERO) for bucket in rule.ArrearsBucket}
    return rule.Debts(case_type=kind, current_support_due=max(state.owed[CURRENT_SUPPORT], ZERO), arrears=arrears,
                      unreimbursed_assistance=ura)  # fmt: skip


def _apply(batch: _Batch, case_id: int, plan: rule.Distribution) -> None:
    for allocation in plan.allocations:
        batch.cases[case_id].owed[allocation.applied_to] -= allocation.amount
    # Another case of the same assistance group sees this retention in its URA (42 U.S.C. 657(a)(3)).
    batch.retained[case_id] += plan.state_total
