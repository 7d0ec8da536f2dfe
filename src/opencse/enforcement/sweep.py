"""The delinquency sweep: find every delinquent case and propose the remedies it qualifies for.

45 CFR 303.6(b): the agency monitors every case with an order and identifies a delinquency no later than the
date the unpaid support equals one month's support; (c)(2): it takes an appropriate enforcement action within
30 calendar days of identifying it. The sweep (the nightly cycle calls `opencse enforcement sweep --as-of`)
reads, for every open case with an order, in three set-based queries: the arrears on the date (every arrears
account of the ledger), the current support in force as a monthly amount (each term's step in force, times
its periods a year over 12, from the order conventions' parameters), and the facts that hold a remedy (a
pending contest, a protected party). The pure rule (`rules.remedies`) says which remedies each delinquent
case qualifies for; the sweep proposes each one not already open (nor rejected in the last
`REJECTION_QUIET_DAYS`), in one bulk insert with its steps and audit rows, as the system actor, and
publishes `RemediesProposed` so the worklist opens the 303.6(c)(2) task. Nothing irreversible happens here:
an officer with signature authority approves or rejects each proposal (`services`). Idempotent: a second run
on the same date proposes nothing new.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from opencse.cases.models import Case, CaseMember, Program
from opencse.common.events import publish
from opencse.common.money import MoneySum
from opencse.enforcement.events import RemediesProposed
from opencse.enforcement.models import OPEN_STATUSES, ActionStatus, ActionStep, EnforcementAction
from opencse.ledger.models import Account, LedgerEntry
from opencse.orders.models import Frequency, OrderStatus, OrderTerm, TermKind, TermStep
from opencse.rules.money import ZERO
from opencse.rules.remedies import DelinquencyFacts, Finding, assess
from opencse.rules.schedules import Frequency as RuleFrequency
from opencse.rules.schedules import monthly_equivalent
from opencse.security.audit import audit_event, record_audits
from opencse.security.services import system_actor

log = logging.getLogger(__name__)
# Current support for 303.6(b)'s "one month's support": what the order charges each month for the children.
SUPPORT_KINDS = [TermKind.CURRENT_SUPPORT, TermKind.CASH_MEDICAL, TermKind.CHILD_CARE, TermKind.SPOUSAL_SUPPORT]
ARREARS_ACCOUNTS = [account for account in Account.values if account != Account.CURRENT_SUPPORT]
ASSIGNED_PROGRAMS = [Program.CURRENT_ASSISTANCE, Program.FORMER_ASSISTANCE, Program.FOSTER_CARE]
REJECTION_QUIET_DAYS = 90  # a rejected proposal is not proposed again for 90 days: an OpenCSE choice
CHUNK = 5_000


@dataclass
class SweepResult:
    as_of: date
    cases_checked: int = 0
    delinquent: int = 0
    proposed: int = 0
    by_remedy: dict[str, int] = field(default_factory=dict)


def monthly_support(*, as_of: date) -> dict[int, Decimal]:
    """Each open case's current support in force on `as_of` as a monthly amount: one query for the terms and
    their step in force, the arithmetic in Decimal (`rules.schedules.monthly_equivalent`, per term)."""
    step_amount = Subquery(
        TermStep.objects.filter(term=OuterRef("pk"), starts_on__lte=as_of).order_by("-starts_on").values("amount")[:1]
    )
    rows = (
        OrderTerm.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=as_of),
            kind__in=SUPPORT_KINDS,
            starts_on__lte=as_of,
            order__status=OrderStatus.ACTIVE,
            case__closed_on__isnull=True,
        )
        .exclude(frequency=Frequency.ONE_TIME)
        .annotate(amount=step_amount)
        .values_list("case_id", "frequency", "amount")
        .iterator(chunk_size=CHUNK)
    )
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for case_id, frequency, amount in rows:
        if amount is not None:
            totals[case_id] += monthly_equivalent(Decimal(amount), RuleFrequency(frequency), as_of=as_of)
    return dict(totals)


def arrears_by_case(*, as_of: date, case_ids: list[int] | None = None) -> dict[int, Decimal]:
    """Each case's arrears on `as_of`, summed by the database (cases owing nothing are left out)."""
    entries = LedgerEntry.objects.filter(account__in=ARREARS_ACCOUNTS, effective_on__lte=as_of)
    if case_ids is not None:
        entries = entries.filter(case_id__in=case_ids)
    rows = entries.values("case_id").annotate(owed=MoneySum("amount")).filter(owed__gt=0).values_list("case_id", "owed")
    return {case_id: Decimal(owed) for case_id, owed in rows}


@lru_cache(maxsize=64)
def _assess(arrears: Decimal, monthly: Decimal, assistance: bool, contest: bool, protected: bool,
            state: str, as_of: date) -> tuple[Finding, ...]:  # fmt: skip
    facts = DelinquencyFacts(arrears=arrears, monthly_support=monthly, assistance=assistance,
                             contest_pending=contest, protected_party=protected)  # fmt: skip
    return assess(facts, state=state, as_of=as_of)


@transaction.atomic
def sweep(*, as_of: date) -> SweepResult:
    """Propose every remedy a delinquent case qualifies for on `as_of` and has not open (see the module)."""
    result = SweepResult(as_of=as_of)
    support = monthly_support(as_of=as_of)
    owed = arrears_by_case(as_of=as_of)
    open_cases = Case.objects.filter(closed_on__isnull=True, pk__in=list(owed)).values_list("pk", "program")
    program = dict(open_cases)
    owed = {case_id: amount for case_id, amount in owed.items() if case_id in program}
    result.cases_checked = len(set(support) | set(owed))
    case_ids = sorted(owed)
    taken = _open_or_quiet(case_ids, as_of)
    contested = set(
        EnforcementAction.objects.filter(case_id__in=case_ids, status=ActionStatus.CONTESTED).values_list(
            "case_id", flat=True
        )
    )
    protected = set(
        CaseMember.objects.filter(case_id__in=case_ids, left_on__isnull=True, person__family_violence=True).values_list(
            "case_id", flat=True
        )
    )
    obligors = _obligors(case_ids)
    actor = system_actor()
    state = str(settings.OPENCSE_STATE)
    new: list[EnforcementAction] = []
    for case_id in case_ids:
        findings = _assess(owed[case_id], support.get(case_id, ZERO), program[case_id] in ASSIGNED_PROGRAMS,
                           case_id in contested, case_id in protected, state, as_of)  # fmt: skip
        if not findings or not any(finding.eligible for finding in findings):
            continue
        result.delinquent += 1
        obligor_id = obligors.get(case_id)
        if obligor_id is None:
            continue  # arrears without a term charging anyone: nothing to act on (the ledger's own report shows it)
        for finding in findings:
            remedy = finding.remedy
            if not finding.eligible or (case_id, remedy.key) in taken:
                continue
            new.append(EnforcementAction(
                case_id=case_id, obligor_id=obligor_id, remedy=remedy.key, remedy_name=remedy.name[:120],
                citation=remedy.citation[:200], found_on=as_of, arrears=owed[case_id],
                monthly_support=support.get(case_id, ZERO), reasons=list(finding.reasons),
                contest_days=remedy.contest_days, service_methods=list(remedy.service), proposed_by=actor,
            ))  # fmt: skip
            result.by_remedy[remedy.key] = result.by_remedy.get(remedy.key, 0) + 1
    EnforcementAction.objects.bulk_create(new, batch_size=CHUNK)
    ActionStep.objects.bulk_create(
        [ActionStep(action=action, step="proposed", on=as_of, by=actor, note="Found by the delinquency sweep")
         for action in new],
        batch_size=CHUNK,
    )  # fmt: skip
    record_audits([
        audit_event(actor=actor, action="enforcement.proposed", target=action,
                    summary=f"{action.remedy_name}: ${action.arrears:,} owed", after={"found_on": as_of.isoformat()})
        for action in new
    ])  # fmt: skip
    result.proposed = len(new)
    by_case: dict[int, list[int]] = defaultdict(list)
    for action in new:
        by_case[action.case_id].append(action.pk)
    if by_case:
        publish(RemediesProposed(found_on=as_of, actions_by_case={k: tuple(v) for k, v in by_case.items()}))
    log.info("enforcement sweep as of %s: %d cases, %d delinquent, %d proposals", as_of, result.cases_checked,
             result.delinquent, result.proposed)  # fmt: skip
    return result


def _open_or_quiet(case_ids: list[int], as_of: date) -> set[tuple[int, str]]:
    """(case, remedy) already open, or rejected within the quiet period: not proposed again."""
    quiet_since = as_of - timedelta(days=REJECTION_QUIET_DAYS)
    rows = EnforcementAction.objects.filter(case_id__in=case_ids).filter(
        Q(status__in=OPEN_STATUSES) | Q(status=ActionStatus.REJECTED, found_on__gt=quiet_since)
    )
    return set(rows.values_list("case_id", "remedy"))


def _obligors(case_ids: list[int]) -> dict[int, int]:
    """The obligor of each case's latest term (the one definition of an obligor: a term's)."""
    rows = OrderTerm.objects.filter(case_id__in=case_ids).order_by("case_id", "starts_on", "pk")
    return dict(rows.values_list("case_id", "obligor_id"))
