"""Employer compliance: when a withholding employer's payment does not arrive as expected, a task says so.

45 CFR 303.100(a)(5)-(6) and 42 U.S.C. 666(b)(6)(A): the employer begins withholding no later than the first
pay period that occurs after the order's `begin_within_days` (form item: "no later than the first pay period
that occurs … days after the date of this order") and sends the amount to the SDU within
`remit_within_business_days` business days of the pay date (7 in every State, 42 U.S.C. 666(b)(6)(A)(i)).
The agency must act on an employer's failure to comply (303.100(e), 42 U.S.C. 666(b)(6)(C)).

An order in force is one original or amended order not replaced (not amended again, not terminated). The
batch raises a task for it when, on `as_of`:

Only the order's employer's payments count: a collection whose payment file names the employer's FEIN (NACHA
batch header, the CSV's column: `Collection.payor_fein`), or whose payer is unknown (blank FEIN); when the
employer on file has no FEIN, every income-withholding collection on the case counts.

- the first payment is overdue: no posted income-withholding collection on the case was collected on or after
  the order's date, and `as_of` is after the order's date + `begin_within_days` + one month (the longest
  pay cycle the form names, monthly) + `remit_within_business_days` business days of the State's calendar;
- or payments stopped: the last posted income-withholding collection on the case is more than
  `STALE_AFTER_DAYS` days (45: one monthly cycle plus its remittance window with a margin; a parameter of the
  batch, not a legal clock) before `as_of`, counted once the first payment was due.

The finding is set-based (one query for the orders in force with their last collection); the tasks are
opened by the worklist's subscriber to `EmployerPaymentsOverdue`, one open task per order (a new one only
after the officer completed the previous one and the payments are still missing after a later collection).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.lookups import Exact

from opencse.common.events import publish
from opencse.enforcement.events import EmployerPaymentsOverdue
from opencse.enforcement.models import Action, IncomeWithholding
from opencse.ledger.models import Collection, CollectionSource, CollectionStatus
from opencse.rules.calendar import add_business_days
from opencse.security.policy import require
from opencse.security.services import system_actor

STALE_AFTER_DAYS = 45


def first_payment_due(*, dated_on: date, begin_within_days: int, remit_within_business_days: int) -> date:
    """The last day the first payment may arrive: begin date + one monthly pay cycle + the remittance window."""
    pay_date = dated_on + timedelta(days=begin_within_days) + relativedelta(months=1)
    return add_business_days(pay_date, remit_within_business_days, str(settings.OPENCSE_STATE), as_of=pay_date)


@dataclass
class ComplianceResult:
    as_of: date
    checked: int = 0
    overdue: list[tuple[int, int, date, str]] = field(default_factory=list)  # the event's items


def overdue_withholdings(*, as_of: date, stale_after_days: int = STALE_AFTER_DAYS) -> ComplianceResult:
    """The orders in force on `as_of` whose employer's payment has not arrived as expected: one query."""
    last_paid = (
        Collection.objects.filter(
            case_id=OuterRef("case_id"),
            source=CollectionSource.INCOME_WITHHOLDING,
            status=CollectionStatus.POSTED,
            collected_on__lte=as_of,
        )
        # The order's employer's payments: those the file says it sent, and those whose payer is unknown (a
        # check, a payment file without the FEIN); any, when the employer on file has no FEIN.
        .filter(Q(payor_fein="") | Q(payor_fein=OuterRef("employer__fein")) | Q(Exact(OuterRef("employer__fein"), "")))
        .values("case_id")
        .annotate(last=Max("collected_on"))
        .values("last")
    )
    rows = (
        IncomeWithholding.objects.filter(
            action__in=[Action.ORIGINAL, Action.AMENDED],
            replaced_by__isnull=True,
            dated_on__lte=as_of,
            case__closed_on__isnull=True,
        )
        .filter(Q(employment__ended_on__isnull=True) | Q(employment__ended_on__gte=as_of))
        .annotate(last_paid=Subquery(last_paid[:1]))
        .values_list("pk", "case_id", "dated_on", "begin_within_days", "remit_within_business_days", "last_paid")
        .order_by("case_id", "pk")
    )
    result = ComplianceResult(as_of=as_of)
    stale_before = as_of - timedelta(days=stale_after_days)
    for pk, case_id, dated_on, begin, remit, last in rows:
        result.checked += 1
        due = first_payment_due(dated_on=dated_on, begin_within_days=begin, remit_within_business_days=remit)
        if as_of <= due:
            continue
        if last is None or last < dated_on:
            result.overdue.append((case_id, pk, due, f"No payment since the order of {dated_on:%m/%d/%Y}; the "
                                   f"first was due by {due:%m/%d/%Y}"))  # fmt: skip
        elif last < stale_before:
            result.overdue.append((case_id, pk, last, f"No payment since {last:%m/%d/%Y} (more than "
                                   f"{stale_after_days} days)"))  # fmt: skip
    return result


@transaction.atomic
def check_employer_compliance(*, as_of: date, stale_after_days: int = STALE_AFTER_DAYS) -> ComplianceResult:
    """Find the overdue employer payments and tell the worklist (`EmployerPaymentsOverdue`), as the system."""
    require(system_actor(), "enforcement.withhold")
    result = overdue_withholdings(as_of=as_of, stale_after_days=stale_after_days)
    if result.overdue:
        publish(EmployerPaymentsOverdue(found_on=as_of, items=tuple(result.overdue)))
    return result
