"""Withholding support from unemployment compensation or workers' compensation: when, and how much a week.

Two pure rules, each citing its source and taking its numbers from dated parameters
(`params/us/benefit_intercept.yaml`, a State's own file first for each key it sets):

- `support_not_met`: whether an obligor's support is "not being met" (42 U.S.C. 654(19)(A); 45 CFR
  302.65(c)(1)-(2)), the condition for intercepting the benefit. Neither text defines it; OpenCSE's definition is
  the parameter `unmet_share_of_monthly_support`: arrears above zero and at least that percentage of one month's
  current support (100: a month missed, the line 45 CFR 303.100(c)(1) draws); any arrears when no current support
  is in force.
- `intercept_amount`: the amount withheld from each week's benefit.
  - By **legal process** (45 CFR 302.65(c)(2); 42 U.S.C. 503(e)(2)(A)(iii), 666(b)(8)): what the income
    withholding rule orders (current support plus the payment on arrears, 42 U.S.C. 666(b)(1);
    `rules.income_withholding`), converted to a week (monthly x 12 / 52, the IWO's own weekly conversion), limited
    by the State's share of the weekly benefit amount and, where the parameter says the CCPA applies, by 50% of the
    weekly benefit (55% with arrears over 12 weeks old; 15 U.S.C. 1673(b)(2); 45 CFR 303.100(a)(3)).
  - The State's share is per benefit: `weekly_benefit_limit_percent` for unemployment compensation (the State's
    unemployment law: RCW 50.40.050, Miss. Code Ann. 71-5-516), `workers_compensation_limit_percent` for workers'
    compensation, which those unemployment statutes do not reach (Mississippi's is Miss. Code Ann. 71-3-129, a
    lien for the delinquent support on the benefits, setting no weekly share in (1)-(4)).
  - By **voluntary agreement** (45 CFR 302.65(c)(2); 42 U.S.C. 503(e)(2)(A)(i)-(ii)): the weekly amount the obligor
    agreed to, limited by the State's share of the weekly benefit amount (the amount payable is always a ceiling:
    503(e)(2)(A)); the CCPA does not apply to the obligor's own election.
  Never more than the weekly benefit amount itself. Rounding: amounts to the cent, half-up, once; a percentage
  limit is rounded down to the cent (a limit is never exceeded by rounding).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.money import HUNDRED, ZERO, round_cents
from opencse.rules.params import ParameterValue, governing_jurisdiction, parameter_file, parameters
from opencse.rules.schedules import Frequency, per_period_equivalent

TOPIC = "benefit_intercept"
REF_UNMET = "42 U.S.C. 654(19)(A); 45 CFR 302.65(c)(1)-(2)"
REF_LEGAL_PROCESS = "45 CFR 302.65(c)(2); 42 U.S.C. 503(e)(2)(A)(iii), 666(b)(1), 666(b)(8)"
REF_AGREEMENT = "45 CFR 302.65(c)(2); 42 U.S.C. 503(e)(2)(A)(i)-(ii)"
REF_PAYABLE = "42 U.S.C. 503(e)(2)(A): not exceeding the amount otherwise payable"
UNEMPLOYMENT = "unemployment"
WORKERS_COMPENSATION = "workers_compensation"
# The State's share of a weekly benefit, by benefit: each State's unemployment law sets its own; workers'
# compensation has its own key (a State's unemployment statute does not govern it).
LIMIT_KEYS = {UNEMPLOYMENT: "weekly_benefit_limit_percent", WORKERS_COMPENSATION: "workers_compensation_limit_percent"}
REF_WEEKLY = "monthly x 12 / 52, the Income Withholding for Support's weekly amount (42 U.S.C. 666(b)(6)(C))"


class Basis(StrEnum):
    """How the benefit is withheld (45 CFR 302.65(c)(2))."""

    AGREEMENT = "agreement"  # the obligor's voluntary agreement, a copy to the payer
    LEGAL_PROCESS = "legal_process"  # the income withholding order served on the payer


@dataclass(frozen=True, slots=True)
class Unmet:
    not_met: bool
    reason: str
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


@dataclass(frozen=True, slots=True)
class InterceptAmount:
    weekly: Decimal  # withheld from each week's benefit
    ordered_weekly: Decimal  # what the order or the agreement asks, a week, before the limits
    state_limit: Decimal  # the State's share of the weekly benefit amount, in dollars
    ccpa_limit: Decimal | None  # None where the CCPA does not apply
    limited_by: str  # "" when the amount asked is withheld in full; else which limit
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


def _parameter(key: str, *, state: str | None, as_of: date) -> ParameterValue[Any]:
    jurisdiction = governing_jurisdiction(TOPIC, state=state, key=key)
    return parameters(parameter_file(TOPIC, jurisdiction=jurisdiction), as_of)[key]


def _money(value: Decimal, field: str) -> Decimal:
    if value < ZERO or value != round_cents(value, rounding=ROUND_HALF_UP):
        raise InvalidInput("must be an amount of zero or more, in cents", field=field)
    return value


def support_not_met(*, arrears: Decimal, monthly_support: Decimal, state: str | None, as_of: date) -> Unmet:
    """Whether support is "not being met" on `as_of`, given the `arrears` owed then and the current support in
    force as a monthly amount (`monthly_support`)."""
    _money(arrears, "arrears")
    _money(monthly_support, "monthly_support")
    sheet = Explanation()
    sheet.add("Arrears owed", arrears, "the case's ledger on the date")
    sheet.add("Current support in force, per month", monthly_support, "the orders in force on the date")
    if arrears <= ZERO:
        sheet.add("Support is being met", "nothing is owed", REF_UNMET)
        return Unmet(False, "Nothing is past due: support is being met", sheet.done(), sheet.parameters())
    if monthly_support == ZERO:
        sheet.add("Support is not being met", "arrears are owed and no current support is in force", REF_UNMET)
        return Unmet(True, f"${arrears:,} past due on an arrears-only order", sheet.done(), sheet.parameters())
    share = Decimal(sheet.take(_parameter("unmet_share_of_monthly_support", state=state, as_of=as_of),
                               "Arrears must reach this percentage of a month's support"))  # fmt: skip
    line = round_cents(monthly_support * share / HUNDRED, rounding=ROUND_HALF_UP)
    sheet.add("Arrears at which support is not being met", line, REF_UNMET)
    not_met = arrears >= line
    compared = "at least" if not_met else "less than"
    reason = f"${arrears:,} past due, {compared} {share:f}% of a month's support (${monthly_support:,})"
    sheet.add("Support is not being met" if not_met else "Support is being met", not_met, REF_UNMET)
    return Unmet(not_met, reason, sheet.done(), sheet.parameters())


def intercept_amount(
    *,
    basis: Basis,
    benefit: str,
    weekly_benefit: Decimal,
    ordered_monthly: Decimal = ZERO,
    agreed_weekly: Decimal | None = None,
    arrears_over_12_weeks: bool = False,
    state: str | None,
    as_of: date,
) -> InterceptAmount:
    """The amount withheld from each week's benefit of `weekly_benefit` (module docstring); `benefit` is
    `UNEMPLOYMENT` or `WORKERS_COMPENSATION` (which State limit applies).

    `ordered_monthly` is the total the income withholding rule orders a month (legal process);
    `agreed_weekly` the amount the obligor agreed to a week (voluntary agreement)."""
    if benefit not in LIMIT_KEYS:
        raise InvalidInput("choose unemployment or workers' compensation", field="benefit")
    _money(weekly_benefit, "weekly_benefit")
    if weekly_benefit == ZERO:
        raise InvalidInput("must be more than $0.00: no benefit is paid to withhold from", field="weekly_benefit")
    sheet = Explanation()
    sheet.add("Weekly benefit amount", weekly_benefit, "the payer's determination on the claim")
    if basis == Basis.AGREEMENT:
        if agreed_weekly is None or _money(agreed_weekly, "agreed_weekly") == ZERO:
            raise InvalidInput("enter the weekly amount the obligor agreed to", field="agreed_weekly")
        asked = agreed_weekly
        sheet.add("Amount the obligor agreed to, per week", asked, REF_AGREEMENT)
    elif basis == Basis.LEGAL_PROCESS:
        _money(ordered_monthly, "ordered_monthly")
        if ordered_monthly == ZERO:
            raise InvalidInput("the order sets nothing to withhold on that date", field="ordered_monthly")
        sheet.add("Total the order withholds, per month", ordered_monthly, REF_LEGAL_PROCESS)
        asked = per_period_equivalent(ordered_monthly, Frequency.WEEKLY, as_of=as_of)
        sheet.add("Per week", asked, REF_WEEKLY)
    else:  # pragma: no cover - a StrEnum has no other member
        raise InvalidInput("choose a voluntary agreement or legal process", field="basis")
    percent = Decimal(sheet.take(_parameter(LIMIT_KEYS[benefit], state=state, as_of=as_of),
                                 "The State's limit, percentage of the weekly benefit amount"))  # fmt: skip
    state_limit = min(weekly_benefit, round_cents(weekly_benefit * percent / HUNDRED, rounding=ROUND_DOWN))
    sheet.add("The State's limit, per week", state_limit, REF_PAYABLE)
    ccpa_limit = None
    if basis == Basis.LEGAL_PROCESS and _parameter("ccpa_applies_to_legal_process", state=state, as_of=as_of).value:
        sheet.note(_parameter("ccpa_applies_to_legal_process", state=state, as_of=as_of))
        ccpa = Decimal(sheet.take(_parameter("ccpa_limit_percent", state=state, as_of=as_of),
                                  "Consumer Credit Protection Act limit, percentage of the benefit"))  # fmt: skip
        if arrears_over_12_weeks:
            ccpa += Decimal(sheet.take(_parameter("ccpa_old_arrears_increase_percent", state=state, as_of=as_of),
                                       "Increase for arrears over 12 weeks old, points"))  # fmt: skip
        ccpa_limit = round_cents(weekly_benefit * ccpa / HUNDRED, rounding=ROUND_DOWN)
        sheet.add("Consumer Credit Protection Act limit, per week", ccpa_limit,
                  "15 U.S.C. 1673(b)(2); 45 CFR 303.100(a)(3)")  # fmt: skip
    limits = [("the State's limit on the weekly benefit", state_limit)]
    if ccpa_limit is not None:
        limits.append(("the Consumer Credit Protection Act limit", ccpa_limit))
    weekly, limited_by = asked, ""
    for name, limit in limits:
        if limit < weekly:
            weekly, limited_by = limit, name
    sheet.add("Withheld from each week's benefit" + (f" (limited by {limited_by})" if limited_by else ""), weekly,
              REF_AGREEMENT if basis == Basis.AGREEMENT else REF_LEGAL_PROCESS)  # fmt: skip
    return InterceptAmount(weekly=weekly, ordered_weekly=asked, state_limit=state_limit, ccpa_limit=ccpa_limit,
                           limited_by=limited_by, explanation=sheet.done(), parameters=sheet.parameters())  # fmt: skip


def state_workforce_agency(*, state: str | None, as_of: date) -> tuple[str, list[str]] | None:
    """The name and mailing lines of the State workforce agency configured for `state` on `as_of` (45 CFR
    302.65(a)), or None when none is configured (the officer enters the payer on the claim)."""
    jurisdiction = governing_jurisdiction(TOPIC, state=state, key="state_workforce_agency")
    values = parameters(parameter_file(TOPIC, jurisdiction=jurisdiction), as_of)
    if "state_workforce_agency" not in values:
        return None
    agency = values["state_workforce_agency"].value
    return str(agency["name"]), [str(line) for line in agency["lines"]]
