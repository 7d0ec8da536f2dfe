"""Medical support: health care coverage at reasonable cost and cash medical support.

45 CFR 303.31 requires every IV-D order to address medical support: coverage accessible to the child
and reasonable in cost under the State's standard, or cash medical support. Washington's standard is
RCW 26.09.105: coverage costs no more than 25 % of the obligated parent's basic support obligation,
and cash medical support is the parent's proportionate share of a premium paid by the other parent
or a public entity, capped at the same 25 %, plus a proportionate share of uninsured expenses.

The worksheet already shares premiums and uninsured expenses in proportion to income (RCW 26.19.080(2));
this module checks them against the cost standard and reports the cap, so that the officer sees when
the court must decide whether to exceed it (RCW 26.09.105(11)). It never changes the standard
calculation on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from opencse.rules.explain import Explanation
from opencse.rules.money import percent_of, round_cents
from opencse.rules.params import parameters


@dataclass(frozen=True, slots=True)
class MedicalSupport:
    """The cost standard applied to the obligor's health care costs."""

    reasonable_cost_limit: Decimal  # 25 % of the obligor's basic support obligation (line 9)
    obligor_coverage_reasonable: bool  # the premium the obligor pays is within the limit
    cash_medical_support_premium: Decimal  # obligor's share of the premium the obligee pays, capped
    premium_share_above_limit: bool  # the uncapped share would exceed the limit


def washington_medical_support(
    *,
    obligor_basic_support: Decimal,
    obligor_premium_paid: Decimal,
    obligor_share_of_obligee_premium: Decimal,
    as_of: date,
    lines: Explanation,
) -> MedicalSupport:
    """Reasonable cost and cash medical support under RCW 26.09.105 and 45 CFR 303.31."""
    lines.note(parameters("us/medical_support", as_of)["order_must_address_medical_support"])
    percent = lines.take(
        parameters("wa/medical_support", as_of)["reasonable_cost_percent_of_basic_support"],
        "Medical support: reasonable cost, percent of the obligor's basic support obligation",
    )
    # "No more than 25 %": round the limit down so that it never allows more.
    limit = round_cents(percent_of(obligor_basic_support, percent), rounding=ROUND_DOWN)
    lines.add("Medical support: reasonable cost limit (25 % of line 9)", limit, "RCW 26.09.105(2)(b)(i), (8)(b)")
    reasonable = obligor_premium_paid <= limit
    lines.add("Medical support: premium the obligor pays is within the limit", reasonable, "RCW 26.09.105(8)(b), (11)")
    capped = min(obligor_share_of_obligee_premium, limit)
    lines.add(
        "Medical support: obligor's monthly payment toward the obligee's premium (capped)",
        capped,
        "RCW 26.09.105(2)(b)(i), (18)(f); 45 CFR 303.31",
    )
    return MedicalSupport(
        reasonable_cost_limit=limit,
        obligor_coverage_reasonable=reasonable,
        cash_medical_support_premium=capped,
        premium_share_above_limit=obligor_share_of_obligee_premium > limit,
    )
