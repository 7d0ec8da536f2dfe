"""Income imputation for a parent whose income is unknown (RCW 26.19.071(6)).

Washington imputes income to a parent who is voluntarily unemployed or underemployed, or whose income
records are missing, in the order of priority of RCW 26.19.071(6)(a). Only the bases that need nothing
but a minimum wage and a number of hours are computed here; the others (the parent's own current or
past pay, the Census median) are figures from the case, entered by the officer as gross income. A
result that used an imputed income says so, with the basis and its citation.

Mississippi has no standard imputation: since HB 1067 (2022) imputation must rest on fact-finding
about the parent (Miss. Code Ann. § 43-19-101), so nothing is computed for it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation
from opencse.rules.money import ROUND_HALF_UP, round_cents
from opencse.rules.params import parameters

WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12
BASES = {
    "full_time_minimum_wage": "RCW 26.19.071(6)(a)(v)",
    "part_time_minimum_wage": "RCW 26.19.071(6)(a)(iv)",
    "high_school_student": "RCW 26.19.071(6)(b)",
}


def imputed_monthly_income(
    *, basis: str, minimum_wage_hourly: Decimal | None, role: str, as_of: date, lines: Explanation
) -> Decimal:
    """Monthly gross income imputed at minimum wage under RCW 26.19.071(6)."""
    if basis not in BASES:
        raise InvalidInput(f"{basis[:40]!r} is not one of: {', '.join(sorted(BASES))}", field=f"{role}.imputed.basis")
    hours = parameters("wa/income_imputation", as_of)["hours_per_week"]
    hours_per_week: Decimal = hours.value[basis]
    lines.note(hours)
    lines.add(f"Line 1f: {role}'s income imputed: hours a week ({basis})", hours_per_week, BASES[basis])
    if minimum_wage_hourly is None:
        rate = lines.take(parameters("wa/minimum_wage", as_of)["state_hourly"], "Washington minimum wage, per hour")
    else:
        rate = minimum_wage_hourly
        lines.add("Local minimum wage where the parent resides, per hour (given)", rate, BASES[basis])
    # Weekly to monthly: x 52 / 12, rounded once, half up (the statute names no conversion).
    monthly = round_cents(rate * hours_per_week * WEEKS_PER_YEAR / MONTHS_PER_YEAR, rounding=ROUND_HALF_UP)
    lines.add(f"Line 1f: {role}'s imputed gross monthly income (rate x hours x 52 / 12)", monthly, BASES[basis])
    return monthly
