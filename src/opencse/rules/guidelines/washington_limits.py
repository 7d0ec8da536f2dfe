"""The limits of RCW 26.19.065 on the paying parent's basic obligation (worksheet lines 8-9)."""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from opencse.rules.explain import Explanation
from opencse.rules.money import percent_of, round_cents
from opencse.rules.params import ParameterSet, parameters

PARAMETERS = "wa/child_support_schedule"
MONTHS_PER_YEAR = 12


@dataclass(frozen=True, slots=True)
class Limitation:
    """Worksheet line 8: the limits of RCW 26.19.065 on the paying parent's basic obligation."""

    self_support_reserve: Decimal
    presumptive_minimum: Decimal
    income_limit: Decimal
    after_limitations: Decimal  # line 9
    applied: str | None  # "self_support_reserve", "presumptive_minimum", "income_45_percent" or None


def limit_obligation(
    *,
    net_income: Decimal,
    basic: Decimal,
    number_of_children: int,
    as_of: date,
    lines: Explanation,
    below_table: bool = False,
) -> Limitation:
    """Worksheet lines 8-9: the paying parent's basic obligation after the limits of RCW 26.19.065.

    (2)(a)-(b): a parent whose net income is below the self-support reserve owes the presumptive
    minimum of $50 per child; otherwise the basic obligation may not take net income below the
    reserve, but never goes under the minimum. (1): the obligation may not exceed 45 % of net income
    except for good cause, again never under the minimum. Line 8a: when the combined income is below
    the table (`below_table`), there is no table amount and the presumptive minimum applies
    (RCW 26.19.020, 26.19.065(2)(a)). OpenCSE applies the limits as presumptions;
    a finding that one would be unjust is a deviation (RCW 26.19.075), entered by the officer.
    """
    rules = parameters(PARAMETERS, as_of)
    per_child = lines.take(rules["presumptive_minimum_per_child"], "Presumptive minimum per child")
    minimum = round_cents(per_child * number_of_children, rounding=ROUND_DOWN)
    lines.add("Line 8: presumptive minimum for these children", minimum, "RCW 26.19.065(2)(a)")
    reserve = self_support_reserve(as_of=as_of, lines=lines)
    # "May not exceed": round the 45 % limit down so that it never allows more than 45 %.
    limit_percent = lines.take(rules["income_limit_percent"], "Limit on support, percent of net income")
    income_limit = round_cents(percent_of(net_income, limit_percent), rounding=ROUND_DOWN)
    lines.add("Line 8: 45 % of the obligor's net income", income_limit, "RCW 26.19.065(1)")

    after, applied = basic, None
    if below_table:
        lines.add("Line 8a: combined income below the table: presumptive minimum", minimum, "RCW 26.19.020")
        after, applied = minimum, "presumptive_minimum"
    elif net_income < reserve:
        after, applied = minimum, "presumptive_minimum"
    elif basic > net_income - reserve:
        available = net_income - reserve
        lines.add("Line 8: obligor's net income above the self-support reserve", available, "RCW 26.19.065(2)(b)")
        after, applied = (
            (available, "self_support_reserve") if available >= minimum else (minimum, "presumptive_minimum")
        )
    if after > income_limit and after > minimum:
        after = max(income_limit, minimum)
        applied = "income_45_percent" if income_limit >= minimum else "presumptive_minimum"
    lines.add("Line 8: limitation applied", applied or "none", "RCW 26.19.065")
    lines.add("Line 9: obligor's basic obligation after limitations", after, "RCW 26.19.065; WSCSS worksheet line 9")
    assert after <= basic or after == minimum, (after, basic, minimum)
    assert after <= income_limit or after == minimum, (after, income_limit)
    return Limitation(
        self_support_reserve=reserve,
        presumptive_minimum=minimum,
        income_limit=income_limit,
        after_limitations=after,
        applied=applied,
    )


def self_support_reserve(*, as_of: date, lines: Explanation) -> Decimal:
    """The monthly self-support reserve: a percentage of the one-person poverty guideline (RCW 26.19.065(2))."""
    rules = parameters(PARAMETERS, as_of)
    percent = lines.take(rules["self_support_reserve_percent"], "Self-support reserve, percent of poverty guideline")
    guideline = parameters("us/poverty_guideline", as_of)["one_person_annual"]
    annual = lines.take(guideline, f"Federal poverty guideline, one person, annual (in force {guideline.effective})")
    reserve = round_cents(percent_of(annual, percent) / MONTHS_PER_YEAR, rounding=_mode(rules))
    lines.add("Line 8: self-support reserve, monthly (rounded half up)", reserve, "RCW 26.19.065(2)(b)")
    return reserve


def _mode(rules: ParameterSet) -> str:
    name = rules["rounding"].value
    mode = getattr(decimal, str(name), None)
    assert isinstance(mode, str) and mode.startswith("ROUND_"), name
    return mode
