"""Establishing an order: compute the guideline, propose the obligations, approve or reject them.

Each service checks the actor's authority, runs in one transaction and leaves an audit row. The
guideline arithmetic is the pure rule's (`opencse rules guideline` through `execute`); this module only
stores what it returns and turns an approved proposal into an administrative order (`enter_order`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opencse.cases.models import Case, MemberRole
from opencse.common.approval import check_rejection_reason, check_second_person, stamp_decision
from opencse.common.validation import check_not_future
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.establishment.models import (
    EstablishmentProposal,
    GuidelineWorksheet,
    ProposalStatus,
    ProposedTerm,
)
from opencse.orders.models import Frequency, OrderStatus, TermKind, TribunalKind
from opencse.orders.services import OBLIGOR_ROLES, TermInput, enter_order
from opencse.people.models import Person
from opencse.rules.commands import EXIT_OK, execute
from opencse.rules.guidelines.registry import guideline_jurisdiction
from opencse.rules.money import ZERO, is_whole_cents
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

PAYLOAD_CHARACTERS_MAXIMUM = 20_000  # a worksheet payload is a few hundred characters; more is a mistake
TERMS_MAXIMUM = 20
AMOUNT_MAXIMUM = Decimal("99999999999.99")  # what DecimalField(max_digits=13, decimal_places=2) holds
# The tribunal an approved proposal names, unless the approver gives one. An installation sets
# OPENCSE_ESTABLISHMENT_TRIBUNAL to its agency's name (OpenCSE choice: docs/establishment.md).
DEFAULT_TRIBUNAL_NAME = "Division of Child Support"
# The amount each jurisdiction's result presents as the presumptive (guideline) monthly support.


@dataclass(frozen=True, slots=True)
class ProposedTermInput:
    """One obligation as the worker proposes it: an amount per period from `starts_on`."""

    kind: str
    frequency: str
    amount: Decimal
    starts_on: date
    obligor: Person
    ends_on: date | None = None
    child: Person | None = None


@transaction.atomic
def compute_worksheet(*, actor: User, case: Case, payload: Mapping[str, Any]) -> GuidelineWorksheet:
    """Run the state guideline on `payload` and save the worksheet; bad input saves nothing."""
    require(actor, "orders.enter", case)
    if not case.is_open:
        raise Conflict(f"Case {case.number} is closed; reopen it before computing a guideline.")
    # The payload is stored as JSON, with amounts as strings (style.md 3.5): a Decimal from a Python caller
    # becomes its exact text, which is also what the rule's reader accepts.
    text = json.dumps(payload, default=str)
    if len(text) > PAYLOAD_CHARACTERS_MAXIMUM:
        raise InvalidInput(f"must be at most {PAYLOAD_CHARACTERS_MAXIMUM} characters of JSON", field="payload")
    inputs = json.loads(text)
    code, document, output = execute("guideline", inputs, today=timezone.localdate())
    if code != EXIT_OK or output is None:
        raise InvalidInputs([InvalidInput(str(error["message"]), field=error["field"]) for error in document["errors"]])
    result = document["result"]
    guideline_support = Decimal(result[guideline_jurisdiction(result["jurisdiction"]).amount_key])
    reasons = [deviation["reason"] for deviation in result["deviations"]]
    if max(guideline_support, Decimal(result["ordered_support"])) > AMOUNT_MAXIMUM:
        raise InvalidInput("gives support larger than an order can hold; check the income", field="obligor")
    worksheet = GuidelineWorksheet.objects.create(
        case=case,
        jurisdiction=result["jurisdiction"],
        inputs=inputs,
        result=document,
        title=output.title[:200],
        notes=list(output.notes),
        as_of=output.as_of,
        guideline_support=guideline_support,
        deviated=bool(reasons),
        ordered_support=Decimal(result["ordered_support"]),
        deviation_reasons=reasons,
        computed_by=actor,
    )
    record_audit(
        actor=actor,
        action="worksheet.computed",
        target=worksheet,
        case_number=case.number,
        summary=f"{worksheet.jurisdiction} guideline {guideline_support}, ordered {worksheet.ordered_support}",
        after={"as_of": str(output.as_of), "ordered_support": str(worksheet.ordered_support), "deviations": reasons},
    )
    return worksheet


@transaction.atomic
def propose_obligations(
    *,
    actor: User,
    case: Case,
    worksheet: GuidelineWorksheet,
    effective_on: date,
    terms: Sequence[ProposedTermInput] | None = None,
) -> EstablishmentProposal:
    """Propose the order's obligations from a worksheet. Without `terms`, propose the worksheet's ordered
    support as one monthly current support term owed by the case's noncustodial parent (docs/establishment.md)."""
    require(actor, "orders.enter", case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise Conflict(f"Case {case.number} is closed; reopen it before proposing an order.")
    if worksheet.case_id != case.pk:
        raise InvalidInput("the worksheet belongs to another case", field="worksheet")
    if case.orders.filter(status=OrderStatus.ACTIVE).exists():
        raise Conflict(f"Case {case.number} already has an active order; a change to it is a modification.")
    if case.establishment_proposals.filter(status=ProposalStatus.DRAFT).exists():
        raise Conflict(f"Case {case.number} already has a proposal waiting for approval.")
    chosen = list(terms) if terms is not None else default_terms(case=case, worksheet=worksheet, starts_on=effective_on)
    _check_terms(case, chosen, effective_on)
    proposal = EstablishmentProposal.objects.create(
        case=case, worksheet=worksheet, effective_on=effective_on, prepared_by=actor
    )
    ProposedTerm.objects.bulk_create(
        [
            ProposedTerm(
                proposal=proposal,
                kind=term.kind,
                frequency=term.frequency,
                amount=term.amount,
                starts_on=term.starts_on,
                ends_on=term.ends_on,
                obligor=term.obligor,
                child=term.child,
            )
            for term in chosen
        ]
    )
    record_audit(
        actor=actor,
        action="establishment.proposed",
        target=proposal,
        case_number=case.number,
        summary=f"from worksheet {worksheet.pk}: {len(chosen)} term(s) from {effective_on}",
        after={"worksheet": worksheet.pk, "effective_on": str(effective_on), "terms": _terms_json(chosen)},
    )
    return proposal


def default_terms(*, case: Case, worksheet: GuidelineWorksheet, starts_on: date) -> list[ProposedTermInput]:
    """The worksheet's ordered support, monthly, from the noncustodial parent. For Washington, the part of
    the transfer payment that is the obligor's share of the obligee's premium (RCW 26.09.105; 45 CFR 303.31)
    is proposed as its own cash medical term, so the two terms add up to the ordered support."""
    parents = list(
        case.members.filter(role=MemberRole.NONCUSTODIAL_PARENT, left_on__isnull=True).select_related("person")
    )
    if len(parents) != 1:
        raise InvalidInput(
            f"the case has {len(parents)} noncustodial parents; give the terms and their obligor", field="terms"
        )
    obligor = parents[0].person
    ordered = worksheet.ordered_support
    if ordered <= ZERO:
        raise InvalidInput("the worksheet orders no support; give the terms", field="terms")
    medical = _cash_medical(worksheet)
    cash_medical = min(medical, ordered)
    terms = []
    if ordered - cash_medical > ZERO:
        terms.append(_monthly(TermKind.CURRENT_SUPPORT, ordered - cash_medical, starts_on, obligor))
    if cash_medical > ZERO:
        terms.append(_monthly(TermKind.CASH_MEDICAL, cash_medical, starts_on, obligor))
    assert sum((term.amount for term in terms), ZERO) == ordered, (terms, ordered)
    return terms


def _cash_medical(worksheet: GuidelineWorksheet) -> Decimal:
    medical = worksheet.result["result"].get("medical_support")
    return Decimal(medical["cash_medical_support_premium"]) if medical else ZERO


def _monthly(kind: str, amount: Decimal, starts_on: date, obligor: Person) -> ProposedTermInput:
    return ProposedTermInput(
        kind=kind, frequency=Frequency.MONTHLY, amount=amount, starts_on=starts_on, obligor=obligor
    )


def _check_terms(case: Case, terms: Sequence[ProposedTermInput], effective_on: date) -> None:
    if not 1 <= len(terms) <= TERMS_MAXIMUM:
        raise InvalidInput(f"propose 1 to {TERMS_MAXIMUM} terms", field="terms")
    parents = set(case.members.filter(role__in=OBLIGOR_ROLES, left_on__isnull=True).values_list("person_id", flat=True))
    children = set(
        case.members.filter(role=MemberRole.DEPENDENT_CHILD, left_on__isnull=True).values_list("person_id", flat=True)
    )
    for index, term in enumerate(terms):
        field = f"terms[{index}]"
        if term.kind not in TermKind.values:
            raise InvalidInput(f"{term.kind[:24]!r} is not a kind of term", field=f"{field}.kind")
        if term.frequency not in Frequency.values:
            raise InvalidInput(f"{term.frequency[:12]!r} is not a frequency", field=f"{field}.frequency")
        if term.amount <= ZERO or term.amount > AMOUNT_MAXIMUM or not is_whole_cents(term.amount):
            raise InvalidInput(
                f"must be a positive amount in whole cents, at most {AMOUNT_MAXIMUM}", field=f"{field}.amount"
            )
        if term.starts_on < effective_on:
            raise InvalidInput("must not start before the order takes effect", field=f"{field}.starts_on")
        if term.ends_on is not None and term.ends_on < term.starts_on:
            raise InvalidInput("must not end before it starts", field=f"{field}.ends_on")
        if term.obligor.pk not in parents:
            raise InvalidInput("the obligor must be a parent on this case", field=f"{field}.obligor")
        if term.child is not None and term.child.pk not in children:
            raise InvalidInput("the child must be a dependent child on this case", field=f"{field}.child")


def _terms_json(terms: Sequence[ProposedTermInput]) -> list[dict[str, Any]]:
    return [
        {"kind": term.kind, "frequency": term.frequency, "amount": str(term.amount), "starts_on": str(term.starts_on)}
        for term in terms
    ]


@transaction.atomic
def approve_proposal(
    *,
    actor: User,
    proposal: EstablishmentProposal,
    docket_number: str,
    signed_on: date,
    tribunal_name: str = "",
    note: str = "",
) -> EstablishmentProposal:
    """Approve with signature authority: enter the administrative order and its terms for the ledger."""
    proposal = _draft_for_decision(actor, proposal)
    if not docket_number.strip():
        raise InvalidInput("give the order's docket number", field="docket_number")
    check_not_future(signed_on, field="signed_on")
    if signed_on < proposal.worksheet.as_of:
        raise InvalidInput("cannot be before the worksheet's date", field="signed_on")
    name = tribunal_name.strip() or getattr(settings, "OPENCSE_ESTABLISHMENT_TRIBUNAL", DEFAULT_TRIBUNAL_NAME)
    order = enter_order(
        actor=actor,
        case=proposal.case,
        tribunal_kind=TribunalKind.ADMINISTRATIVE,
        tribunal_name=name[:120],
        issuing_jurisdiction=proposal.worksheet.jurisdiction,
        docket_number=docket_number.strip()[:40],
        signed_on=signed_on,
        effective_on=proposal.effective_on,
        terms=[
            TermInput(
                kind=term.kind,
                frequency=term.frequency,
                starts_on=term.starts_on,
                ends_on=term.ends_on,
                obligor=term.obligor,
                child=term.child,
                steps=[(term.starts_on, term.amount)],
            )
            for term in proposal.terms.select_related("obligor", "child")
        ],
    )
    proposal.order = order
    return _decide(actor, proposal, ProposalStatus.APPROVED, note)


@transaction.atomic
def reject_proposal(*, actor: User, proposal: EstablishmentProposal, note: str) -> EstablishmentProposal:
    """Reject with signature authority, giving the reason; nothing is entered."""
    proposal = _draft_for_decision(actor, proposal)
    check_rejection_reason(note)
    return _decide(actor, proposal, ProposalStatus.REJECTED, note)


def _draft_for_decision(actor: User, proposal: EstablishmentProposal) -> EstablishmentProposal:
    require(actor, "orders.sign", proposal.case)
    proposal = EstablishmentProposal.objects.select_for_update().select_related("case", "worksheet").get(pk=proposal.pk)
    check_second_person(
        actor_id=actor.pk,
        requester_id=proposal.prepared_by_id,
        status=proposal.status,
        waiting=ProposalStatus.DRAFT,
        what="proposal",
        refusal="You may not approve or reject a proposal you prepared.",
    )
    return proposal


def _decide(actor: User, proposal: EstablishmentProposal, status: str, note: str) -> EstablishmentProposal:
    stamp_decision(proposal, actor=actor, status=status, note=note, also=["order"])
    record_audit(
        actor=actor,
        action=f"establishment.{status}",
        target=proposal,
        case_number=proposal.case.number,
        summary=note[:300],
        before={"status": ProposalStatus.DRAFT},
        after={"status": status, "order": proposal.order_id},
    )
    return proposal
