"""Mississippi child support guideline (Miss. Code Ann. §§ 43-19-101 and 43-19-103).

Mississippi uses a percentage-of-obligor-income guideline: the presumptive award is a percentage of
the obligor's adjusted gross income chosen only by the number of children due support
(§ 43-19-101(1)). The obligee's income does not enter the formula; it matters only as a deviation
consideration under § 43-19-103.

Adjusted gross income is gross income from all sources (§ 43-19-101(3)(a)) less the deductions of
(3)(b)-(d): taxes, Social Security and Medicare contributions, mandatory retirement and disability
contributions, support paid under other orders for other children, and the discretionary allowance
a court may make for other children living with the obligor. The statute builds an annual figure and
divides it by 12 ((3)(e)); OpenCSE takes monthly inputs (design/rules-cli.md), which gives the same
monthly figure, and multiplies by 12 only to test the income range of (4).
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.guidelines.deviation import Deviation, DeviationReason, ordered_amount, record_deviations
from opencse.rules.money import ZERO, percent_of, round_cents
from opencse.rules.params import parameters

MONTHS_PER_YEAR = 12
CHILDREN_MAXIMUM = 30  # a bound on input, far above any real case
PARAMETERS = "ms/child_support_guideline"


@dataclass(frozen=True, slots=True)
class MississippiIncome:
    """The obligor's monthly gross income and the deductions of § 43-19-101(3)(b)-(d)."""

    gross_income: Decimal
    taxes: Decimal  # federal, state and local income taxes: (3)(b)(i)
    social_security: Decimal  # Social Security and Medicare contributions: (3)(b)(ii)
    mandatory_retirement: Decimal  # retirement and disability contributions required by law: (3)(b)(iii)
    other_child_support_paid: Decimal  # court-ordered support paid for other children: (3)(c)
    other_children_in_home_allowance: Decimal = ZERO  # the court's discretionary allowance: (3)(d)


@dataclass(frozen=True, slots=True)
class MississippiGuideline:
    """The presumptive support under § 43-19-101 and the amount ordered after any deviation."""

    adjusted_gross_income: Decimal  # monthly
    adjusted_gross_income_annual: Decimal
    percentage: Decimal
    support: Decimal  # monthly, the presumptive guideline amount
    within_guideline_range: bool
    deviations: tuple[DeviationReason, ...]
    ordered_support: Decimal  # monthly, support plus deviations
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


def mississippi_guideline(
    *,
    income: MississippiIncome,
    number_of_children: int,
    deviations: Sequence[Deviation] = (),
    as_of: date,
) -> MississippiGuideline:
    """Presumptive child support under Miss. Code Ann. § 43-19-101, with § 43-19-103 deviations."""
    if not 1 <= number_of_children <= CHILDREN_MAXIMUM:
        raise InvalidInput(f"must be between 1 and {CHILDREN_MAXIMUM}", field="number_of_children")
    rules = parameters(PARAMETERS, as_of)
    lines = Explanation()

    monthly = adjusted_gross_income(income=income, lines=lines)
    annual = monthly * MONTHS_PER_YEAR
    lines.add("Adjusted gross income, annual (monthly x 12)", annual, "Miss. Code Ann. § 43-19-101(3)(e)")

    by_children: tuple[Decimal, ...] = rules["percent_by_children"].value
    lines.note(rules["percent_by_children"])
    percent = by_children[min(number_of_children, len(by_children)) - 1]
    lines.add(f"Percentage for {number_of_children} child(ren)", percent, rules["percent_by_children"].reference)

    rounding = lines.take(rules["support_rounding"], "Rounding of the support amount to the cent")
    support = round_cents(percent_of(monthly, percent), rounding=_rounding_mode(rounding))
    lines.add("Presumptive monthly support (AGI x percentage)", support, "Miss. Code Ann. § 43-19-101(1)")

    low = lines.take(rules["finding_required_below_annual"], "Written finding required if annual AGI is less than")
    high = lines.take(rules["finding_required_above_annual"], "Written finding required if annual AGI is more than")
    within = low <= annual <= high
    lines.add(
        "Within the range where the percentages apply without a written finding",
        within,
        "Miss. Code Ann. § 43-19-101(4)",
    )

    recorded = record_deviations(
        deviations=deviations,
        allowed=rules["deviation_criteria"].value,
        reference_prefix="Miss. Code Ann. § 43-19-103",
        field="deviations",
    )
    lines.note(rules["deviation_criteria"])
    ordered = ordered_amount(standard=support, deviations=recorded, field="deviations")
    for deviation in recorded:
        lines.add(f"Deviation: {deviation.description}", deviation.amount, deviation.reference)
    lines.add("Monthly support ordered", ordered, "Miss. Code Ann. § 43-19-101(2)")

    assert ZERO <= support <= monthly, (support, monthly)
    return MississippiGuideline(
        adjusted_gross_income=monthly,
        adjusted_gross_income_annual=annual,
        percentage=percent,
        support=support,
        within_guideline_range=within,
        deviations=recorded,
        ordered_support=ordered,
        explanation=lines.done(),
        parameters=lines.parameters(),
    )


def adjusted_gross_income(*, income: MississippiIncome, lines: Explanation) -> Decimal:
    """Monthly adjusted gross income under § 43-19-101(3); never below zero."""
    lines.add("Gross income from all sources", income.gross_income, "Miss. Code Ann. § 43-19-101(3)(a)")
    deductions = (
        ("Less federal, state and local taxes", income.taxes, "(3)(b)(i)"),
        ("Less Social Security and Medicare contributions", income.social_security, "(3)(b)(ii)"),
        ("Less mandatory retirement and disability contributions", income.mandatory_retirement, "(3)(b)(iii)"),
        ("Less court-ordered support paid for other children", income.other_child_support_paid, "(3)(c)"),
        ("Less allowance for other children in the obligor's home", income.other_children_in_home_allowance, "(3)(d)"),
    )
    remaining = income.gross_income
    for step, amount, subsection in deductions:
        assert amount >= ZERO, (step, amount)
        if amount or subsection != "(3)(d)":
            lines.add(step, amount, f"Miss. Code Ann. § 43-19-101{subsection}")
        remaining -= amount
    if remaining < ZERO:
        # The statute's figure is an income; deductions above gross income leave nothing to apply the
        # percentage to, rather than a negative award.
        lines.add("Deductions exceed gross income; adjusted gross income taken as zero", remaining, "")
        remaining = ZERO
    lines.add("Adjusted gross income, monthly", remaining, "Miss. Code Ann. § 43-19-101(3)")
    return remaining


def _rounding_mode(name: str) -> str:
    mode = getattr(decimal, str(name), None)
    assert isinstance(mode, str) and mode.startswith("ROUND_"), name
    return mode
