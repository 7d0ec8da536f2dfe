"""Washington child support schedule: the standard calculation (chapter 26.19 RCW).

Washington uses income shares. Each parent's monthly net income (RCW 26.19.071) is added into the
combined net income; the economic table of RCW 26.19.020 gives a per-child amount for that income and
the number of children, which times the children is the basic support obligation. Each parent owes it
in proportion to his or her share of the combined income (RCW 26.19.080(1)). The paying parent's share
is then limited (RCW 26.19.065): the self-support reserve, the $50-per-child presumptive minimum and
the 45 % of net income limit. Health care, day care and special child-rearing expenses sit outside
the table and are shared in the same proportion (RCW 26.19.080(2)-(3)); what the paying parent pays
directly is credited. The result is the standard calculation (worksheet line 17); a deviation
(RCW 26.19.075) comes only after it and needs a written finding.

The module follows the lines of the Washington State Child Support Schedule worksheet (WSCSS,
form of 2019-01-01), and each explanation line names its worksheet line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.guidelines.deviation import Deviation, DeviationReason, ordered_amount, record_deviations
from opencse.rules.guidelines.imputation import BASES, imputed_monthly_income
from opencse.rules.guidelines.medical import MedicalSupport, washington_medical_support
from opencse.rules.guidelines.washington_limits import Limitation, limit_obligation
from opencse.rules.guidelines.washington_table import (
    below_table,
    below_table_notice,
    presumptive_ceiling_notice,
    table_amount,
)
from opencse.rules.money import HUNDRED, ZERO, round_cents, split_pro_rata
from opencse.rules.params import ParameterSet, parameters

PARAMETERS = "wa/child_support_schedule"
MONTHS_PER_YEAR = 12


@dataclass(frozen=True, slots=True)
class ParentIncome:
    """A parent's monthly income: a net income, or gross income and the RCW 26.19.071(5) deductions."""

    net_income: Decimal | None = None
    gross_income: Decimal | None = None
    income_taxes: Decimal = ZERO  # (5)(a) federal and state income taxes
    fica: Decimal = ZERO  # (5)(b) FICA, and self-employment taxes under (5)(h)
    mandatory_pension: Decimal = ZERO  # (5)(c)
    union_dues: Decimal = ZERO  # (5)(d) mandatory union or professional dues
    state_industrial_insurance: Decimal = ZERO  # (5)(e) before 2026
    mandatory_state_premiums: Decimal = ZERO  # (5)(e) from 2026: paid family and medical leave, WA Cares
    other_support_paid: Decimal = ZERO  # (5)(f) court-ordered maintenance actually paid
    voluntary_pension: Decimal = ZERO  # (5)(g) up to $5,000 a year
    business_expenses: Decimal = ZERO  # (5)(h) normal business expenses
    imputation_basis: str | None = None  # RCW 26.19.071(6): impute gross income at minimum wage
    minimum_wage_hourly: Decimal | None = None  # the local minimum wage, when above the state's


@dataclass(frozen=True, slots=True)
class SharedExpense:
    """A monthly expense outside the table and what each parent pays of it directly."""

    obligor: Decimal = ZERO
    obligee: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.obligor + self.obligee


@dataclass(frozen=True, slots=True)
class Expenses:
    """Health care (line 10), day care and special child-rearing expenses (line 11), per RCW 26.19.080."""

    health_insurance_premiums: SharedExpense = field(default_factory=SharedExpense)
    uninsured_health_care: SharedExpense = field(default_factory=SharedExpense)
    day_care: SharedExpense = field(default_factory=SharedExpense)
    special_expenses: SharedExpense = field(default_factory=SharedExpense)


@dataclass(frozen=True, slots=True)
class WashingtonGuideline:
    """The standard calculation of the WSCSS worksheet, line by line."""

    obligor_net_income: Decimal  # line 3
    obligee_net_income: Decimal  # line 3
    combined_net_income: Decimal  # line 4
    per_child_amount: Decimal  # economic table
    basic_support_obligation: Decimal  # line 5
    proportional_share_percent: tuple[Decimal, Decimal]  # line 6 (obligor, obligee), shown to 0.01 %
    obligor_basic_support: Decimal  # line 7
    obligee_basic_support: Decimal  # line 7
    limitation: Limitation  # lines 8-9
    health_care_total: Decimal  # line 10
    day_care_and_special_total: Decimal  # lines 11-12
    obligor_expense_share: Decimal  # line 14
    obligor_gross_obligation: Decimal  # line 15
    obligor_credits: Decimal  # line 16
    standard_calculation: Decimal  # line 17
    medical_support: MedicalSupport  # RCW 26.09.105, 45 CFR 303.31
    deviations: tuple[DeviationReason, ...]
    ordered_support: Decimal
    imputed_income: tuple[Decimal | None, Decimal | None]  # (obligor, obligee) gross, when imputed
    notices: tuple[str, ...]
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


def washington_guideline(
    *,
    obligor: ParentIncome,
    obligee: ParentIncome,
    number_of_children: int,
    expenses: Expenses,
    deviations: Sequence[Deviation] = (),
    as_of: date,
) -> WashingtonGuideline:
    """The standard calculation under chapter 26.19 RCW (WSCSS worksheet lines 1-17)."""
    rules = parameters(PARAMETERS, as_of)
    lines = Explanation()
    notices: list[str] = []
    maximum = int(lines.take(rules["children_in_table_maximum"], "Largest family size in the economic table"))
    if not 1 <= number_of_children <= maximum:
        raise InvalidInput(
            f"must list 1 to {maximum} children: the economic table (RCW 26.19.020) stops at five and the "
            "method for more is set by the AOC instructions, which OpenCSE has not loaded",
            field="children",
        )
    obligor_gross = gross_income(parent=obligor, role="obligor", as_of=as_of, lines=lines, notices=notices)
    obligee_gross = gross_income(parent=obligee, role="obligee", as_of=as_of, lines=lines, notices=notices)
    obligor_net = net_income(parent=obligor, gross=obligor_gross, role="obligor", rules=rules, lines=lines)
    obligee_net = net_income(parent=obligee, gross=obligee_gross, role="obligee", rules=rules, lines=lines)
    combined = obligor_net + obligee_net
    lines.add("Line 4: combined monthly net income", combined, "RCW 26.19.071; WSCSS worksheet line 4")

    per_child, below = _table(combined=combined, number_of_children=number_of_children, rules=rules, lines=lines)
    notices.extend(_table_notices(combined=combined, below=below, rules=rules))
    basic = per_child * number_of_children
    lines.add(f"Line 5: basic support obligation (${per_child:,} x {number_of_children})", basic, "RCW 26.19.020")

    shares = pro_rata(HUNDRED, (obligor_net, obligee_net))
    lines.add("Line 6: obligor's proportional share of income (percent)", shares[0], "RCW 26.19.080(1)")
    lines.add("Line 6: obligee's proportional share of income (percent)", shares[1], "RCW 26.19.080(1)")
    # Line 7 uses the exact share, not the rounded percent, and the two parts add back to line 5.
    obligor_basic, obligee_basic = pro_rata(basic, (obligor_net, obligee_net))
    lines.add("Line 7: obligor's basic child support obligation", obligor_basic, "RCW 26.19.080(1)")
    lines.add("Line 7: obligee's basic child support obligation", obligee_basic, "RCW 26.19.080(1)")

    limitation = limit_obligation(
        net_income=obligor_net,
        basic=obligor_basic,
        number_of_children=number_of_children,
        below_table=below,
        as_of=as_of,
        lines=lines,
    )
    imputed = (
        obligor_gross if obligor.imputation_basis else None,
        obligee_gross if obligee.imputation_basis else None,
    )
    return _finish(
        imputed=imputed,
        obligor_net=obligor_net,
        obligee_net=obligee_net,
        per_child=per_child,
        basic=basic,
        shares=(shares[0], shares[1]),
        basics=(obligor_basic, obligee_basic),
        limitation=limitation,
        expenses=expenses,
        deviations=deviations,
        rules=rules,
        lines=lines,
        notices=notices,
    )


def _table(
    *, combined: Decimal, number_of_children: int, rules: ParameterSet, lines: Explanation
) -> tuple[Decimal, bool]:
    """The per-child table amount, and whether the combined income is below the table (no table amount)."""
    if below_table(combined=combined, rules=rules, lines=lines):
        return ZERO, True
    return table_amount(combined=combined, number_of_children=number_of_children, rules=rules, lines=lines), False


def _table_notices(*, combined: Decimal, below: bool, rules: ParameterSet) -> list[str]:
    """What the worksheet must say about the table: below it, above its presumptive ceiling, and its source."""
    notices = []
    if below:
        notices.append(below_table_notice(rules))
    if combined > rules["presumptive_ceiling_combined"].value:
        notices.append(presumptive_ceiling_notice(rules))
    source = rules["table_source_notice"]
    if source.value:
        notices.append(str(source.value))
    return notices


def pro_rata(total: Decimal, weights: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
    """`split_pro_rata` over the two parents' net incomes; when both are zero no share exists, so both are 0."""
    if not total or not sum(weights, ZERO):
        return ZERO, ZERO
    first, second = split_pro_rata(total, list(weights))
    return first, second


def gross_income(
    *, parent: ParentIncome, role: str, as_of: date, lines: Explanation, notices: list[str]
) -> Decimal | None:
    """Line 1: the gross monthly income given, or imputed under RCW 26.19.071(6); None when net is given."""
    if parent.imputation_basis is None:
        return parent.gross_income
    imputed = imputed_monthly_income(
        basis=parent.imputation_basis,
        minimum_wage_hourly=parent.minimum_wage_hourly,
        role=role,
        as_of=as_of,
        lines=lines,
    )
    notices.append(
        f"The {role}'s income is IMPUTED ({parent.imputation_basis}, {BASES[parent.imputation_basis]}): "
        f"{imputed} a month gross, not an income shown by records."
    )
    return imputed


def net_income(
    *, parent: ParentIncome, gross: Decimal | None, role: str, rules: ParameterSet, lines: Explanation
) -> Decimal:
    """Worksheet lines 1-3: monthly net income, gross income less the RCW 26.19.071(5) deductions."""
    if parent.net_income is not None:
        lines.add(f"Line 3: {role}'s monthly net income (given)", parent.net_income, "RCW 26.19.071")
        return parent.net_income
    if gross is None:
        raise InvalidInput("give net_income, or gross_income and its deductions", field=f"{role}.net_income")
    lines.add(f"Line 1: {role}'s gross monthly income", gross, "RCW 26.19.071(3)")
    cap_annual = rules["voluntary_retirement_deduction_annual_maximum"]
    lines.note(cap_annual)
    # "Up to $5,000 per year": the monthly cap rounds down so that twelve months never exceed it.
    cap_monthly = round_cents(cap_annual.value / MONTHS_PER_YEAR, rounding=ROUND_DOWN)
    if parent.mandatory_state_premiums and not rules["mandatory_state_premiums_deductible"].value:
        raise InvalidInput(
            "is deductible only from 2026-01-01 (RCW 26.19.071(5)(e) as amended by 2025 EHB 1014)",
            field=f"{role}.mandatory_state_premiums",
        )
    lines.note(rules["mandatory_state_premiums_deductible"])
    deductions = (
        ("income taxes", parent.income_taxes, "(5)(a)"),
        ("FICA and self-employment taxes", parent.fica, "(5)(b)"),
        ("mandatory pension", parent.mandatory_pension, "(5)(c)"),
        ("mandatory union or professional dues", parent.union_dues, "(5)(d)"),
        ("state industrial insurance premiums", parent.state_industrial_insurance, "(5)(e)"),
        ("mandatory state premiums (PFML, WA Cares)", parent.mandatory_state_premiums, "(5)(e) as amended 2026"),
        ("court-ordered maintenance paid", parent.other_support_paid, "(5)(f)"),
        ("voluntary retirement contributions (capped)", min(parent.voluntary_pension, cap_monthly), "(5)(g)"),
        ("normal business expenses", parent.business_expenses, "(5)(h)"),
    )
    total = sum((amount for _, amount, _ in deductions), ZERO)
    for step, amount, subsection in deductions:
        assert amount >= ZERO, (step, amount)
        if amount:
            lines.add(f"Line 2: {role}'s {step}", amount, f"RCW 26.19.071{subsection}")
    lines.add(f"Line 2: {role}'s total deductions", total, "RCW 26.19.071(5)")
    net = max(gross - total, ZERO)
    lines.add(f"Line 3: {role}'s monthly net income (not below zero)", net, "RCW 26.19.071; WSCSS worksheet line 3")
    return net


def share_expenses(
    *, expenses: Expenses, weights: tuple[Decimal, Decimal], lines: Explanation
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Lines 10-14 and 16: (health care total, day care and special total, obligor's share, obligor's credits)."""
    health = expenses.health_insurance_premiums.total + expenses.uninsured_health_care.total
    lines.add("Line 10: health care (premiums for the children and uninsured expenses)", health, "RCW 26.19.080(2)")
    day_care_special = expenses.day_care.total + expenses.special_expenses.total
    lines.add("Lines 11-12: day care and special child-rearing expenses", day_care_special, "RCW 26.19.080(3)")
    total = health + day_care_special
    lines.add("Line 13: total health care, day care and special expenses", total, "RCW 26.19.080(2)-(3)")
    obligor_share = pro_rata(total, weights)[0]
    lines.add("Line 14: obligor's proportional share of line 13", obligor_share, "RCW 26.19.080(2)-(3)")
    credits = (
        expenses.health_insurance_premiums.obligor
        + expenses.uninsured_health_care.obligor
        + expenses.day_care.obligor
        + expenses.special_expenses.obligor
    )
    return health, day_care_special, obligor_share, credits


def _finish(
    *,
    imputed: tuple[Decimal | None, Decimal | None],
    obligor_net: Decimal,
    obligee_net: Decimal,
    per_child: Decimal,
    basic: Decimal,
    shares: tuple[Decimal, Decimal],
    basics: tuple[Decimal, Decimal],
    limitation: Limitation,
    expenses: Expenses,
    deviations: Sequence[Deviation],
    rules: ParameterSet,
    lines: Explanation,
    notices: list[str],
) -> WashingtonGuideline:
    """Lines 10-17, deviations, and the result."""
    health, day_care_special, obligor_share, credits = share_expenses(
        expenses=expenses, weights=(obligor_net, obligee_net), lines=lines
    )
    gross_obligation = limitation.after_limitations + obligor_share
    lines.add("Line 15: obligor's gross child support obligation (line 9 + line 14)", gross_obligation, "RCW 26.19.080")
    lines.add("Line 16: credits for expenses the obligor pays directly", credits, "WSCSS worksheet line 16")
    standard = max(gross_obligation - credits, limitation.presumptive_minimum)
    lines.add(
        "Line 17: standard calculation (line 15 - line 16, or $50 per child if greater)",
        standard,
        "RCW 26.19.011(8), 26.19.065(2)(a); WSCSS worksheet line 17",
    )
    medical = _medical(
        expenses=expenses, weights=(obligor_net, obligee_net), limitation=limitation, rules=rules, lines=lines
    )
    if medical.premium_share_above_limit or not medical.obligor_coverage_reasonable:
        notices.append(MEDICAL_NOTICE)
    recorded, ordered = _deviate(standard=standard, deviations=deviations, rules=rules, lines=lines)
    assert sum(basics, ZERO) == basic, (basics, basic)
    return WashingtonGuideline(
        obligor_net_income=obligor_net,
        obligee_net_income=obligee_net,
        combined_net_income=obligor_net + obligee_net,
        per_child_amount=per_child,
        basic_support_obligation=basic,
        proportional_share_percent=shares,
        obligor_basic_support=basics[0],
        obligee_basic_support=basics[1],
        limitation=limitation,
        health_care_total=health,
        day_care_and_special_total=day_care_special,
        obligor_expense_share=obligor_share,
        obligor_gross_obligation=gross_obligation,
        obligor_credits=credits,
        standard_calculation=standard,
        medical_support=medical,
        deviations=recorded,
        ordered_support=ordered,
        imputed_income=imputed,
        notices=tuple(notices),
        explanation=lines.done(),
        parameters=lines.parameters(),
    )


MEDICAL_NOTICE = (
    "Health insurance costs exceed 25 % of the obligor's basic support obligation: the court decides whether "
    "to order coverage or a premium payment above that limit in the child's best interests (RCW 26.09.105(11))."
)


def _medical(
    *,
    expenses: Expenses,
    weights: tuple[Decimal, Decimal],
    limitation: Limitation,
    rules: ParameterSet,
    lines: Explanation,
) -> MedicalSupport:
    """The RCW 26.09.105 cost standard for the premiums on the worksheet."""
    obligee_premium = expenses.health_insurance_premiums.obligee
    share = pro_rata(obligee_premium, weights)[0]
    return washington_medical_support(
        obligor_basic_support=limitation.after_limitations,
        obligor_premium_paid=expenses.health_insurance_premiums.obligor,
        obligor_share_of_obligee_premium=share,
        as_of=rules.as_of,
        lines=lines,
    )


def _deviate(
    *, standard: Decimal, deviations: Sequence[Deviation], rules: ParameterSet, lines: Explanation
) -> tuple[tuple[DeviationReason, ...], Decimal]:
    """Deviations from the standard calculation (RCW 26.19.075): their reasons and the amount ordered."""
    recorded = record_deviations(
        deviations=deviations,
        allowed=rules["deviation_reasons"].value,
        reference_prefix="RCW 26.19.075(1)",
        field="deviations",
    )
    lines.note(rules["deviation_reasons"])
    for deviation in recorded:
        lines.add(f"Deviation: {deviation.description}", deviation.amount, deviation.reference)
    ordered = ordered_amount(standard=standard, deviations=recorded, field="deviations")
    lines.add("Transfer payment ordered (standard calculation plus deviations)", ordered, "RCW 26.19.075(3)")
    return recorded, ordered
