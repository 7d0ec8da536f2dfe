"""`opencse rules guideline`: the child support guideline of a state (design/rules-cli.md).

The adapter reads the payload, calls the pure rule of the jurisdiction in `opencse.rules.guidelines`
and shapes its result. Amounts are monthly, JSON strings, printed with two decimal places.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from opencse.rules.commands import RuleOutput
from opencse.rules.guidelines.deviation import Deviation, DeviationReason
from opencse.rules.guidelines.mississippi import MississippiIncome, mississippi_guideline
from opencse.rules.inputs import Reader
from opencse.rules.money import format_amount

RULE = "guideline"


def run(payload: Reader, as_of: date) -> RuleOutput:
    jurisdiction = payload.choice("jurisdiction", sorted(JURISDICTIONS))
    return JURISDICTIONS[jurisdiction](payload, as_of)


def run_mississippi(payload: Reader, as_of: date) -> RuleOutput:
    number_of_children = payload.integer("number_of_children", minimum=1, maximum=30)
    obligor = payload.object("obligor")
    income = MississippiIncome(
        gross_income=obligor.amount("gross_income"),
        taxes=obligor.amount("taxes"),
        social_security=obligor.amount("social_security"),
        mandatory_retirement=obligor.amount("mandatory_retirement"),
        other_child_support_paid=obligor.amount("other_child_support_paid"),
        other_children_in_home_allowance=obligor.amount("other_children_in_home_allowance", default="0"),
    )
    obligor.reject_unknown()
    deviations = read_deviations(payload)
    payload.reject_unknown()
    result = mississippi_guideline(
        income=income, number_of_children=number_of_children, deviations=deviations, as_of=as_of
    )
    notes = []
    if not result.within_guideline_range:
        notes.append(
            "Annual adjusted gross income is outside $10,000-$100,000: the tribunal must make a written "
            "finding whether applying the guideline is reasonable (Miss. Code Ann. § 43-19-101(4))."
        )
    return RuleOutput(
        rule=RULE,
        as_of=as_of,
        result={
            "jurisdiction": "MS",
            "adjusted_gross_income": format_amount(result.adjusted_gross_income),
            "adjusted_gross_income_annual": format_amount(result.adjusted_gross_income_annual),
            "percentage": _percent(result.percentage),
            "support": format_amount(result.support),
            "within_guideline_range": result.within_guideline_range,
            "written_finding_required": not result.within_guideline_range,
            "deviations": [_deviation_json(deviation) for deviation in result.deviations],
            "ordered_support": format_amount(result.ordered_support),
        },
        explanation=result.explanation,
        parameters=result.parameters,
        title="Mississippi child support guideline (Miss. Code Ann. §§ 43-19-101, 43-19-103)",
        notes=tuple(notes),
    )


def read_deviations(payload: Reader) -> list[Deviation]:
    items = payload.objects("deviations", default=[])
    deviations = []
    for item in items:
        deviations.append(
            Deviation(
                reason=item.text("reason", max_length=40),
                amount=item.amount("amount", negative_allowed=True),
                finding=item.text("finding", max_length=1000),
            )
        )
        item.reject_unknown()
    return deviations


def _deviation_json(deviation: DeviationReason) -> dict[str, Any]:
    return {
        "reason": deviation.reason,
        "description": deviation.description,
        "reference": deviation.reference,
        "amount": format_amount(deviation.amount),
        "finding": deviation.finding,
    }


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


JURISDICTIONS: dict[str, Callable[[Reader, date], RuleOutput]] = {
    "MS": run_mississippi,
}
