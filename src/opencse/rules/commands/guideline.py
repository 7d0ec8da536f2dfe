"""`opencse rules guideline`: the child support guideline of a state (design/rules-cli.md).

The adapter reads the payload, calls the pure rule of the jurisdiction in `opencse.rules.guidelines`
and shapes its result. Amounts are monthly, JSON strings, printed with two decimal places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.commands import RuleOutput
from opencse.rules.guidelines.deviation import Deviation, DeviationReason
from opencse.rules.guidelines.mississippi import MississippiIncome, mississippi_guideline
from opencse.rules.guidelines.registry import guideline_jurisdictions
from opencse.rules.guidelines.washington import (
    Expenses,
    ParentIncome,
    SharedExpense,
    WashingtonGuideline,
    washington_guideline,
)
from opencse.rules.inputs import Reader
from opencse.rules.money import format_amount

RULE = "guideline"


def run(payload: Reader, as_of: date) -> RuleOutput:
    jurisdiction = payload.choice("jurisdiction", sorted(guideline_jurisdictions(as_of)))
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


def run_washington(payload: Reader, as_of: date) -> RuleOutput:
    children = payload.objects("children", min_length=1)
    for child in children:
        child.integer("age", minimum=0, maximum=CHILD_AGE_MAXIMUM)
        child.reject_unknown()
    notes: list[str] = []
    obligor = read_parent(payload, "obligor", notes)
    obligee = read_parent(payload, "obligee", notes)
    expenses = Expenses(
        health_insurance_premiums=read_expense(payload, "health_insurance_premiums"),
        uninsured_health_care=read_expense(payload, "uninsured_health_care"),
        day_care=read_expense(payload, "day_care"),
        special_expenses=read_expense(payload, "special_expenses"),
    )
    deviations = read_deviations(payload)
    payload.reject_unknown()
    result = washington_guideline(
        obligor=obligor,
        obligee=obligee,
        number_of_children=len(children),
        expenses=expenses,
        deviations=deviations,
        as_of=as_of,
    )
    return RuleOutput(
        rule=RULE,
        as_of=as_of,
        result=_washington_json(result),
        explanation=result.explanation,
        parameters=result.parameters,
        title="Washington State Child Support Schedule worksheet, standard calculation (chapter 26.19 RCW)",
        notes=(*result.notices, *notes),
    )


def _washington_json(result: WashingtonGuideline) -> dict[str, Any]:
    return {
        "jurisdiction": "WA",
        "obligor_net_income": format_amount(result.obligor_net_income),
        "obligee_net_income": format_amount(result.obligee_net_income),
        "combined_net_income": format_amount(result.combined_net_income),
        "per_child_amount": format_amount(result.per_child_amount),
        "basic_support_obligation": format_amount(result.basic_support_obligation),
        "proportional_share": {
            "obligor": format_amount(result.proportional_share_percent[0]),
            "obligee": format_amount(result.proportional_share_percent[1]),
        },
        "obligor_basic_support": format_amount(result.obligor_basic_support),
        "obligee_basic_support": format_amount(result.obligee_basic_support),
        "self_support_reserve": format_amount(result.limitation.self_support_reserve),
        "income_limit_45_percent": format_amount(result.limitation.income_limit),
        "presumptive_minimum": format_amount(result.limitation.presumptive_minimum),
        "obligor_basic_support_after_limitations": format_amount(result.limitation.after_limitations),
        "limitation_applied": result.limitation.applied,
        "health_care_total": format_amount(result.health_care_total),
        "day_care_and_special_total": format_amount(result.day_care_and_special_total),
        "obligor_expense_share": format_amount(result.obligor_expense_share),
        "obligor_gross_obligation": format_amount(result.obligor_gross_obligation),
        "obligor_credits": format_amount(result.obligor_credits),
        "standard_calculation": format_amount(result.standard_calculation),
        "medical_support": {
            "reasonable_cost_limit": format_amount(result.medical_support.reasonable_cost_limit),
            "obligor_coverage_reasonable": result.medical_support.obligor_coverage_reasonable,
            "cash_medical_support_premium": format_amount(result.medical_support.cash_medical_support_premium),
        },
        "deviations": [_deviation_json(deviation) for deviation in result.deviations],
        "ordered_support": format_amount(result.ordered_support),
        "imputed_income": {
            role: None if amount is None else format_amount(amount)
            for role, amount in zip(("obligor", "obligee"), result.imputed_income, strict=True)
        },
        "notices": list(result.notices),
    }


CHILD_AGE_MAXIMUM = 25  # support may continue for a dependent adult child (RCW 26.19.035(1)(f))


def read_parent(payload: Reader, role: str, notes: list[str]) -> ParentIncome:
    """A parent's income: `net_income`, or `gross_income` with the RCW 26.19.071(5) deductions."""
    parent = payload.object(role)
    if parent.has("household_size"):
        size = parent.integer("household_size", minimum=1, maximum=30)
        notes.append(
            f"{role} household size {size}: the self-support reserve is measured for a one-person family "
            "(RCW 26.19.065(2)), so household size does not change it; it may support a deviation (RCW 26.19.075)."
        )
    given = [key for key in ("net_income", "gross_income", "imputed") if parent.has(key)]
    if len(given) > 1:
        raise InvalidInput("give only one of net_income, gross_income, imputed", field=parent.field(given[1]))
    if parent.has("net_income"):
        income = ParentIncome(net_income=parent.amount("net_income"))
    elif parent.has("gross_income"):
        income = replace(read_deductions(parent), gross_income=parent.amount("gross_income"))
    elif parent.has("imputed"):
        imputed = parent.object("imputed")
        basis = imputed.text("basis", max_length=40)
        rate = imputed.amount("minimum_wage_hourly") if imputed.has("minimum_wage_hourly") else None
        imputed.reject_unknown()
        income = replace(read_deductions(parent), imputation_basis=basis, minimum_wage_hourly=rate)
    else:
        parent.amount("net_income")  # raises "is required", naming the field
        raise AssertionError("unreachable: a missing net_income raises InvalidInput")
    parent.reject_unknown()
    return income


def read_deductions(parent: Reader) -> ParentIncome:
    """The RCW 26.19.071(5) deductions a parent gives with a gross or imputed income (each defaults to 0)."""
    return ParentIncome(
        income_taxes=parent.amount("income_taxes", default="0"),
        fica=parent.amount("fica", default="0"),
        mandatory_pension=parent.amount("mandatory_pension", default="0"),
        union_dues=parent.amount("union_dues", default="0"),
        state_industrial_insurance=parent.amount("state_industrial_insurance", default="0"),
        mandatory_state_premiums=parent.amount("mandatory_state_premiums", default="0"),
        other_support_paid=parent.amount("other_support_paid", default="0"),
        voluntary_pension=parent.amount("voluntary_pension", default="0"),
        business_expenses=parent.amount("business_expenses", default="0"),
    )


def read_expense(payload: Reader, name: str) -> SharedExpense:
    expense = payload.object(name, required=False)
    shared = SharedExpense(
        obligor=expense.amount("obligor", default="0"), obligee=expense.amount("obligee", default="0")
    )
    expense.reject_unknown()
    return shared


# Each guideline jurisdiction of the registry (params/us/guidelines.yaml) with the reader of its inputs.
JURISDICTIONS: dict[str, Callable[[Reader, date], RuleOutput]] = {
    "MS": run_mississippi,
    "WA": run_washington,
}
assert set(JURISDICTIONS) == set(guideline_jurisdictions()), "each registered guideline has its reader"
