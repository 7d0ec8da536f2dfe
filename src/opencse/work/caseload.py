"""An officer's caseload as a page of rows that say something: each open case with its parties, what is
owed (or the credit), the last payment and the next deadline, sortable and filtered, paged so that an
officer with thousands of cases sees them all. Four queries a page, whatever its length: the page of
cases, their parties, their balances and last payments, their next open task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, QuerySet

from opencse.cases.models import Case
from opencse.cases.selectors import caseload
from opencse.common.money import MoneySum
from opencse.errors import InvalidInput
from opencse.ledger.models import Collection, CollectionStatus, LedgerEntry
from opencse.rules.money import ZERO
from opencse.work.models import Task
from opencse.work.selectors import parties_of_cases

SORTS = {
    "referral": ("referral_received_on", "number"),
    "-referral": ("-referral_received_on", "number"),
    "number": ("number",),
    "opened": ("opened_on", "number"),
}


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    case: Case
    custodial_parties: tuple[str, ...]
    noncustodial_parents: tuple[str, ...]
    balance: Decimal  # owed when positive, a credit when negative
    last_payment_on: date | None
    next_due_on: date | None
    open_tasks: int


def caseload_cases(*, viewer: object, program: str = "", text: str = "", sort: str = "referral") -> QuerySet[Case]:
    """The viewer's open cases, narrowed by program and by a case number or a party's name, sorted."""
    if sort not in SORTS:
        raise InvalidInput(f"sort by one of {', '.join(SORTS)}", field="sort")
    cases = caseload(viewer=viewer)
    if program:
        cases = cases.filter(program=program)
    for word in text.split()[:3]:
        cases = cases.filter(
            Q(number__istartswith=word)
            | Q(members__person__last_name__istartswith=word)
            | Q(members__person__first_name__istartswith=word)
        ).distinct()
    return cases.order_by(*SORTS[sort])


def caseload_rows(*, cases: list[Case], as_of: date) -> list[CaseloadRow]:
    """The rows of one page of cases (three queries beside the page's own)."""
    ids = [case.pk for case in cases]
    parties = parties_of_cases(set(ids))
    balances = dict(
        LedgerEntry.objects.filter(case_id__in=ids, effective_on__lte=as_of)
        .values("case_id")
        .annotate(total=MoneySum("amount"))
        .values_list("case_id", "total")
    )
    paid = dict(
        Collection.objects.filter(case_id__in=ids, status=CollectionStatus.POSTED, collected_on__lte=as_of)
        .values("case_id")
        .annotate(last=Max("collected_on"))
        .values_list("case_id", "last")
    )
    tasks = {
        case_id: (next_due, count)
        for case_id, next_due, count in Task.objects.filter(case_id__in=ids, completed_on__isnull=True)
        .values("case_id")
        .annotate(next_due=Min("due_on"), count=Count("pk"))
        .values_list("case_id", "next_due", "count")
    }
    return [
        CaseloadRow(
            case=case,
            custodial_parties=tuple(parties[case.pk]["custodial"]),
            noncustodial_parents=tuple(parties[case.pk]["noncustodial"]),
            balance=balances.get(case.pk) or ZERO,
            last_payment_on=paid.get(case.pk),
            next_due_on=tasks.get(case.pk, (None, 0))[0],
            open_tasks=tasks.get(case.pk, (None, 0))[1],
        )
        for case in cases
    ]
