"""`opencse rules distribute`: read the payload, call `distribution.distribute`, shape the result.

The input and result fields are the public contract of design/rules-cli.md ("distribute"). What
goes beyond it is optional and additive: `jurisdiction` (whose distribution parameters to use;
default "US", the federal defaults); in the result, `unapplied_treatment` and
`unreimbursed_assistance_after`; and a multi-case form for one obligor (45 CFR 303.100(a)(5)): when
the payload has `cases` (each with `case_id` and the single-case fields) instead of the single-case
fields, the collection is split across them first, every allocation names its `case_id`, and the
result adds `cases` with each case's share and totals.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.commands import RuleOutput
from opencse.rules.distribution import (
    ArrearsBucket,
    CaseDue,
    CaseSplit,
    CaseType,
    Collection,
    Debts,
    Distribution,
    DistributionSource,
    distribute,
    split_across_cases,
)
from opencse.rules.explain import Line, ParameterUse
from opencse.rules.inputs import Reader
from opencse.rules.money import ZERO, format_amount

TITLE = "Distribution of a collection (42 U.S.C. 657; 45 CFR 302.51)"


def run(payload: Reader, as_of: date) -> RuleOutput:
    jurisdiction = payload.text("jurisdiction", default="US", max_length=10)
    collection = _collection(payload.object("collection"))
    if payload.has("cases"):
        return _run_cases(payload, collection=collection, as_of=as_of, jurisdiction=jurisdiction)
    debts = _debts(payload)
    payload.reject_unknown()
    distribution = distribute(collection=collection, debts=debts, as_of=as_of, jurisdiction=jurisdiction)
    return RuleOutput(
        rule="distribute",
        as_of=as_of,
        result=_result(distribution),
        explanation=distribution.explanation,
        parameters=distribution.parameters,
        title=TITLE,
        notes=_notes(distribution),
    )


def _collection(fields: Reader) -> Collection:
    collection = Collection(
        amount=fields.amount("amount"),
        source=DistributionSource(fields.choice("source", [source.value for source in DistributionSource])),
    )
    fields.reject_unknown()
    return collection


def _debts(fields: Reader) -> Debts:
    """One case's debts; the caller refuses the fields this does not read."""
    case_type = CaseType(fields.choice("case_type", [kind.value for kind in CaseType]))
    debts = Debts(
        case_type=case_type,
        current_support_due=fields.amount("current_support_due"),
        arrears=_arrears(fields.object("arrears")),
        unreimbursed_assistance=_unreimbursed_assistance(fields, case_type),
        pass_through=fields.amount("pass_through") if fields.has("pass_through") else None,
    )
    fields.read.add("pass_through")
    return debts


def _run_cases(payload: Reader, *, collection: Collection, as_of: date, jurisdiction: str) -> RuleOutput:
    """The multi-case form: split across the obligor's cases (303.100(a)(5)), then distribute each share."""
    debts_by_case: dict[str, Debts] = {}
    for fields in payload.objects("cases", min_length=1):
        case_id = fields.text("case_id", max_length=40)
        if case_id in debts_by_case:
            raise InvalidInput("each case may appear only once", field=fields.field("case_id"))
        debts_by_case[case_id] = _debts(fields)
        fields.reject_unknown()
    payload.reject_unknown()
    cases = [
        CaseDue(
            case_id=case_id,
            current_support_due=debts.current_support_due,
            arrears_due=sum(debts.arrears.values(), ZERO),
        )
        for case_id, debts in debts_by_case.items()
    ]
    split = split_across_cases(
        amount=collection.amount, source=collection.source, cases=cases, as_of=as_of, jurisdiction=jurisdiction
    )
    distributions = {
        share.case_id: distribute(
            collection=Collection(amount=share.total, source=collection.source),
            debts=debts_by_case[share.case_id],
            as_of=as_of,
            jurisdiction=jurisdiction,
        )
        for share in split.shares
        if share.total > ZERO
    }
    return RuleOutput(
        rule="distribute",
        as_of=as_of,
        result=_cases_result(split, distributions, collection=collection),
        explanation=_cases_explanation(split, distributions),
        parameters=_merged_parameters(split, distributions),
        title=TITLE + " across an obligor's cases (45 CFR 303.100(a)(5))",
    )


def _cases_result(
    split: CaseSplit, distributions: dict[str, Distribution], *, collection: Collection
) -> dict[str, Any]:
    allocations = [
        {"case_id": case_id, **line}
        for case_id, distribution in distributions.items()
        for line in _result(distribution)["allocations"]
    ]
    family_total = sum((d.family_total for d in distributions.values()), ZERO)
    state_total = sum((d.state_total for d in distributions.values()), ZERO)
    unapplied = split.unapplied + sum((d.unapplied for d in distributions.values()), ZERO)
    # Money is neither created nor lost across the cases either.
    assert family_total + state_total + unapplied == collection.amount, (family_total, state_total, unapplied)
    cases = []
    for share in split.shares:
        row: dict[str, Any] = {
            "case_id": share.case_id,
            "current_support_share": format_amount(share.current_support),
            "arrears_share": format_amount(share.arrears),
        }
        if share.case_id in distributions:
            row.update({k: v for k, v in _result(distributions[share.case_id]).items() if k != "allocations"})
        cases.append(row)
    return {
        "allocations": allocations,
        "family_total": format_amount(family_total),
        "state_total": format_amount(state_total),
        "unapplied": format_amount(unapplied),
        "unapplied_treatment": split.unapplied_treatment.value,
        "cases": cases,
    }


def _cases_explanation(split: CaseSplit, distributions: dict[str, Distribution]) -> tuple[Line, ...]:
    lines = list(split.explanation)
    for case_id, distribution in distributions.items():
        lines += [dataclasses.replace(line, step=f"Case {case_id}: {line.step}") for line in distribution.explanation]
    return tuple(lines)


def _merged_parameters(split: CaseSplit, distributions: dict[str, Distribution]) -> tuple[ParameterUse, ...]:
    merged = {(use.name, use.effective): use for use in split.parameters}
    for distribution in distributions.values():
        for use in distribution.parameters:
            merged.setdefault((use.name, use.effective), use)
    return tuple(merged.values())


def _unreimbursed_assistance(payload: Reader, case_type: CaseType) -> Decimal:
    """Required wherever the State may retain; a never-assistance family was never paid assistance."""
    if case_type is CaseType.NEVER_ASSISTANCE:
        return payload.amount("unreimbursed_assistance", default=ZERO)
    return payload.amount("unreimbursed_assistance")


def _arrears(fields: Reader) -> dict[ArrearsBucket, Decimal]:
    """Each bucket's balance; a bucket left out owes nothing, a misspelt one is refused."""
    arrears = {bucket: fields.amount(bucket.value, default=ZERO) for bucket in ArrearsBucket}
    fields.reject_unknown()
    return arrears


def _result(distribution: Distribution) -> dict[str, Any]:
    return {
        "allocations": [
            {"applied_to": line.applied_to, "amount": format_amount(line.amount), "payee": line.payee.value}
            for line in distribution.allocations
        ],
        "family_total": format_amount(distribution.family_total),
        "state_total": format_amount(distribution.state_total),
        "unapplied": format_amount(distribution.unapplied),
        "unapplied_treatment": distribution.unapplied_treatment.value,
        "unreimbursed_assistance_after": format_amount(distribution.unreimbursed_assistance_after),
    }


def _notes(distribution: Distribution) -> tuple[str, ...]:
    notes = [
        "State means the government share: the Federal share (FMAP, 42 U.S.C. 657(c)(2)) is split from it later.",
    ]
    if distribution.unapplied > ZERO:
        notes.append(
            f"{format_amount(distribution.unapplied)} is unapplied and "
            f"{distribution.unapplied_treatment.value.replace('_', ' ')} (see docs/rules/distribute.md)."
        )
    return tuple(notes)
