"""The nightly income withholding batch: an order to every verified employer of an obligor that has none.

Every IV-D order is subject to immediate income withholding (42 U.S.C. 666(b)(3); 45 CFR 303.100(b)) and the
system must send the order within two business days of learning of the employer, by automated means
(42 U.S.C. 654a(g)(1)(A)(i); 45 CFR 307.11(c)). The batch finds, in one query, each open case and verified,
not-ended job of the obligor its orders in force charge, with no withholding ever sent on that case to that
job, and sends the original order as the system actor (`services.issue_income_withholding`, the same service
an officer uses). A case the service refuses (no current support and no payment on arrears, the case charges
two obligors) gets one system note saying why, and its worklist task stays open for the officer: nothing is
dropped silently. Idempotent: a second run sends nothing (the order now exists). A case with an exception to
immediate withholding in force (good cause or a written alternative arrangement, 303.100(b)(1)(i)-(ii)) is
passed over quietly while the payments missed are less than one month's support (303.100(c)(1):
`rules.income_withholding.withholding_held`), and reported as held.

Each order is a printed PDF, so the sending is one service call per order; the finding is set-based.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q

from opencse.cases.models import Case
from opencse.cases.services import add_system_note
from opencse.enforcement.models import IncomeWithholding, WithholdingException
from opencse.enforcement.services import issue_income_withholding
from opencse.enforcement.sweep import arrears_by_case, monthly_support
from opencse.errors import Conflict, InvalidInput
from opencse.orders.models import OrderStatus, TermKind
from opencse.orders.selectors import UNPAID_KINDS
from opencse.people.models import Employment
from opencse.rules.income_withholding import WithholdingException as RuleException
from opencse.rules.income_withholding import withholding_held
from opencse.rules.money import ZERO
from opencse.security.services import system_actor

log = logging.getLogger(__name__)
WITHHELD_KINDS = [kind for kind in TermKind.values if kind not in UNPAID_KINDS]  # medical insurance charges nothing


@dataclass
class WithholdingBatch:
    as_of: date
    sent: list[int] = field(default_factory=list)  # IncomeWithholding ids
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (case number, employer, reason)
    held: list[str] = field(default_factory=list)  # case numbers whose exception to withholding holds


def jobs_without_withholding(*, as_of: date) -> list[tuple[int, int]]:
    """(case id, employment id) of each open case whose orders in force on `as_of` charge a person with a
    verified job not ended, and no withholding was ever sent on that case to that job: one query."""
    terms = "person__obligations"
    sent = IncomeWithholding.objects.filter(case_id=OuterRef(f"{terms}__case_id"), employment_id=OuterRef("pk"))
    rows = (
        Employment.objects.filter(verified=True, verified_on__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=as_of))
        .filter(  # one filter() call: every condition on the same term
            Q(**{f"{terms}__ends_on__isnull": True}) | Q(**{f"{terms}__ends_on__gte": as_of}),
            **{
                f"{terms}__starts_on__lte": as_of,
                f"{terms}__order__status": OrderStatus.ACTIVE,
                f"{terms}__case__closed_on__isnull": True,
                f"{terms}__kind__in": WITHHELD_KINDS,
            },
        )
        .annotate(case_id=F(f"{terms}__case_id"), already=Exists(sent))
        .filter(already=False)
        .values_list("case_id", "pk")
        .distinct()
        .order_by("case_id", "pk")
    )
    return list(rows)


def send_due_withholdings(*, as_of: date, dry_run: bool = False) -> WithholdingBatch:
    """Send the original order for every job `jobs_without_withholding` finds (or only list them)."""
    result = WithholdingBatch(as_of=as_of)
    actor = system_actor()
    due = jobs_without_withholding(as_of=as_of)
    held = held_by_exception(case_ids={case_id for case_id, _ in due}, as_of=as_of)
    result.held = sorted(Case.objects.filter(pk__in=held).values_list("number", flat=True))
    for case_id, employment_id in due:
        if case_id in held:
            continue
        case = Case.objects.get(pk=case_id)
        employment = Employment.objects.select_related("employer").get(pk=employment_id)
        if dry_run:
            result.refused.append((case.number, employment.employer.name, "not sent: dry run"))
            continue
        try:
            with transaction.atomic():
                sent = issue_income_withholding(actor=actor, case=case, employment=employment, dated_on=as_of)
        except (InvalidInput, Conflict) as refusal:
            result.refused.append((case.number, employment.employer.name, refusal.message))
            with transaction.atomic():
                add_system_note(
                    actor=actor,
                    case=case,
                    text=f"Income withholding to {employment.employer.name} was not sent automatically: "
                    f"{refusal.message} The withholding task stays open.",
                    source_key=f"withholding-refused:{case.pk}:{employment.pk}",
                )
            continue
        result.sent.append(sent.pk)
    log.info("income withholding as of %s: %d sent, %d not sent, %d held by an exception", as_of, len(result.sent),
             len(result.refused), len(result.held))  # fmt: skip
    return result


def held_by_exception(*, case_ids: set[int], as_of: date) -> set[int]:
    """Of `case_ids`, those whose exception to immediate withholding holds on `as_of`: one query for the
    exceptions in force, and for those cases only their arrears and monthly support (set-based, as the sweep)."""
    excepted = dict(
        WithholdingException.objects.filter(case_id__in=case_ids, ended_on__isnull=True, since__lte=as_of).values_list(
            "case_id", "kind"
        )
    )
    if not excepted:
        return set()
    owed = arrears_by_case(as_of=as_of, case_ids=list(excepted))
    support = monthly_support(as_of=as_of)
    return {
        case_id
        for case_id, kind in excepted.items()
        if withholding_held(
            exception=RuleException(kind), unpaid=owed.get(case_id, ZERO), monthly_support=support.get(case_id, ZERO)
        )[0]
    }
