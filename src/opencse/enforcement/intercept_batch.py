"""The benefit intercept batch: `opencse enforcement benefit-intercept --on DATE`.

The IV-D agency determines periodically which claimants of unemployment compensation owe support that is not
being met, and enforces it by withholding from the benefit (42 U.S.C. 654(19); 45 CFR 302.65(c)(1)-(2)); workers'
compensation is income for withholding too (42 U.S.C. 666(b)(8)). On the business date `on` the batch:

1. finds, in one query, each benefit claim paying on `on` (started, not ended) whose claimant an order in force on
   an open case charges, with no intercept of that claim ever sent on that case;
2. reads every such case's arrears and monthly support set-based (`sweep.arrears_by_case`, `sweep.monthly_support`)
   and keeps the cases whose support is not being met (`rules.benefit_intercept.support_not_met`); the others are
   reported as held ("support is being met");
3. sends each the intercept by legal process (`intercept.issue_benefit_intercept`, the service an officer uses,
   as the system actor): a voluntary agreement is the obligor's and the officer's, never the batch's. A case the
   service refuses (two obligors, a claim already intercepted on another case's behalf ...) gets one system note
   saying why and is reported;
4. ends each intercept in force whose claim ended before `on`, whose case closed, or whose case owes nothing and
   has no current support in force any more (a termination notice to the payer).

Claims paying on `on` whose claimant no open case's order charges are reported as held ("no order in force").
Idempotent: a second run on the same date sends nothing (each claim and case has its original, each ended
intercept its termination). Each notice is a printed PDF, so the sending is one service call per notice; the
finding is set-based.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q

from opencse.cases.models import Case
from opencse.cases.services import add_system_note
from opencse.enforcement.batch import WITHHELD_KINDS
from opencse.enforcement.intercept import intercepts_in_force, issue_benefit_intercept, terminate_benefit_intercept
from opencse.enforcement.intercept_models import BenefitClaim, BenefitIntercept, InterceptAction, InterceptBasis
from opencse.enforcement.sweep import arrears_by_case, monthly_support
from opencse.errors import Conflict, InvalidInput
from opencse.orders.models import OrderStatus
from opencse.rules.benefit_intercept import support_not_met
from opencse.rules.money import ZERO
from opencse.security.models import User
from opencse.security.services import system_actor

log = logging.getLogger(__name__)
HELD_MET = "support is being met"
HELD_NO_ORDER = "no order in force on an open case charges the claimant"


@dataclass
class InterceptBatch:
    on: date
    sent: list[int] = field(default_factory=list)  # BenefitIntercept ids (originals)
    ended: list[int] = field(default_factory=list)  # BenefitIntercept ids (terminations)
    held: list[tuple[str, str]] = field(default_factory=list)  # (case number or claim, why)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (case number, the service's reason)


def _paying(on: date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def claims_to_intercept(*, on: date) -> tuple[list[tuple[int, int]], set[int]]:
    """((claim id, case id) pairs with no intercept yet, claim ids paying on `on` that no order charges): the
    pairs in one query (every paying claim whose claimant a term in force on an open case charges), the claims
    in another."""
    terms = "person__obligations"
    sent = BenefitIntercept.objects.filter(claim_id=OuterRef("pk"), case_id=OuterRef(f"{terms}__case_id"),
                                           action=InterceptAction.ORIGINAL)  # fmt: skip
    rows = (
        BenefitClaim.objects.filter(_paying(on))
        .filter(  # one filter() call: every condition on the same term
            Q(**{f"{terms}__ends_on__isnull": True}) | Q(**{f"{terms}__ends_on__gte": on}),
            **{
                f"{terms}__starts_on__lte": on,
                f"{terms}__order__status": OrderStatus.ACTIVE,
                f"{terms}__case__closed_on__isnull": True,
                f"{terms}__kind__in": WITHHELD_KINDS,
            },
        )
        .annotate(case_id=F(f"{terms}__case_id"), already=Exists(sent))
        .values_list("pk", "case_id", "already")
        .distinct()
        .order_by("case_id", "pk")
    )
    pairs, charged = [], set()
    for claim_id, case_id, already in rows:
        charged.add(claim_id)
        if not already:
            pairs.append((claim_id, case_id))
    uncharged = set(BenefitClaim.objects.filter(_paying(on)).exclude(pk__in=charged).values_list("pk", flat=True))
    return pairs, uncharged


def run_benefit_intercepts(*, on: date) -> InterceptBatch:
    """Issue the intercepts due on `on` and end those no longer due (module docstring)."""
    result = InterceptBatch(on=on)
    actor = system_actor()
    _end_what_is_over(result, on=on, actor=actor)
    pairs, uncharged = claims_to_intercept(on=on)
    for claim in BenefitClaim.objects.filter(pk__in=uncharged).order_by("pk"):
        result.held.append((f"claim {claim.pk} ({claim.payer_name})", HELD_NO_ORDER))
    case_ids = sorted({case_id for _, case_id in pairs})
    owed = arrears_by_case(as_of=on, case_ids=case_ids)
    support = monthly_support(as_of=on) if case_ids else {}
    numbers = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "number"))
    claims = BenefitClaim.objects.in_bulk([claim_id for claim_id, _ in pairs])
    for claim_id, case_id in pairs:
        unmet = support_not_met(arrears=owed.get(case_id, ZERO), monthly_support=support.get(case_id, ZERO),
                                state=settings.OPENCSE_STATE, as_of=on)  # fmt: skip
        if not unmet.not_met:
            result.held.append((numbers[case_id], f"{HELD_MET}: {unmet.reason}"))
            continue
        case, claim = Case.objects.get(pk=case_id), claims[claim_id]
        try:
            with transaction.atomic():
                sent = issue_benefit_intercept(actor=actor, case=case, claim=claim, dated_on=on,
                                               basis=InterceptBasis.LEGAL_PROCESS)  # fmt: skip
        except (InvalidInput, Conflict) as refusal:
            result.refused.append((case.number, refusal.message))
            with transaction.atomic():
                add_system_note(actor=actor, case=case, source_key=f"benefit-intercept-refused:{case.pk}:{claim.pk}",
                                text=f"The benefit intercept to {claim.payer_name} was not sent automatically: "
                                f"{refusal.message}")  # fmt: skip
            continue
        result.sent.append(sent.pk)
    log.info("benefit intercepts on %s: %d sent, %d ended, %d held, %d refused", on, len(result.sent),
             len(result.ended), len(result.held), len(result.refused))  # fmt: skip
    return result


def _end_what_is_over(result: InterceptBatch, *, on: date, actor: User) -> None:
    """End each intercept in force whose claim ended before `on`, whose case closed, or whose case owes nothing
    and orders no current support any more."""
    in_force = list(intercepts_in_force().order_by("pk"))
    if not in_force:
        return
    case_ids = sorted({intercept.case_id for intercept in in_force})
    owed = arrears_by_case(as_of=on, case_ids=case_ids)
    support = monthly_support(as_of=on)
    for intercept in in_force:
        claim, case = intercept.claim, intercept.case
        if claim.ends_on is not None and claim.ends_on < on:
            reason = f"The claim ended on {claim.ends_on:%m/%d/%Y}."
            dated_on = max(claim.ends_on, intercept.dated_on)
        elif case.closed_on is not None:
            reason = f"The child support case was closed on {case.closed_on:%m/%d/%Y}."
            dated_on = max(case.closed_on, intercept.dated_on)
        elif owed.get(case.pk, ZERO) <= ZERO and support.get(case.pk, ZERO) == ZERO:
            reason = "Nothing is owed and no current support is ordered: support is paid in full."
            dated_on = on
        else:
            continue
        with transaction.atomic():
            ended = terminate_benefit_intercept(actor=actor, intercept=intercept, dated_on=dated_on, reason=reason)
        result.ended.append(ended.pk)
