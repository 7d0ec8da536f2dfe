"""`opencse rules distribute`: read the payload, call `distribution.distribute`, shape the result.

The input and result fields are the public contract of design/rules-cli.md ("distribute"). Two
optional fields go beyond it: `jurisdiction` (whose distribution parameters to use; default "US",
the federal defaults) and, in the result, `unapplied_treatment` and `unreimbursed_assistance_after`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from opencse.rules.commands import RuleOutput
from opencse.rules.distribution import (
    ArrearsBucket,
    CaseType,
    Collection,
    CollectionSource,
    Debts,
    Distribution,
    distribute,
)
from opencse.rules.inputs import Reader
from opencse.rules.money import ZERO, format_amount

TITLE = "Distribution of a collection (42 U.S.C. 657; 45 CFR 302.51)"


def run(payload: Reader, as_of: date) -> RuleOutput:
    jurisdiction = payload.text("jurisdiction", default="US", max_length=10)
    case_type = CaseType(payload.choice("case_type", [kind.value for kind in CaseType]))
    collection_fields = payload.object("collection")
    collection = Collection(
        amount=collection_fields.amount("amount"),
        source=CollectionSource(collection_fields.choice("source", [source.value for source in CollectionSource])),
    )
    collection_fields.reject_unknown()
    debts = Debts(
        case_type=case_type,
        current_support_due=payload.amount("current_support_due"),
        arrears=_arrears(payload.object("arrears")),
        unreimbursed_assistance=_unreimbursed_assistance(payload, case_type),
        pass_through=payload.amount("pass_through") if payload.has("pass_through") else None,
    )
    payload.read.add("pass_through")
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
