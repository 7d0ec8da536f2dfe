"""The amounts of an Income Withholding for Support (IWO): what the order says, per month and per pay period.

For every IV-D order the State withholds enough income to pay current support "plus an additional amount
to be applied toward liquidation of overdue support" (42 U.S.C. 666(b)(1); 45 CFR 303.100(a)(1)-(2)), on
the federal form (OMB 0970-0154, 303.100(e)(1), (h)). This rule fills the form's "Order Information" and
"Amounts to Withhold" from the obligations an order sets:

- each current obligation on its line of the form (child support, cash medical support, spousal support,
  other), as a monthly amount;
- past-due child support: the periodic payment on arrears the order sets; when it sets none and arrears are
  owed, the State's percentage of the current support (`arrears_payment_percent_of_current`); never more
  than the arrears owed; none when nothing is owed;
- "Arrears greater than 12 weeks?": the caller's finding (15 U.S.C. 1673(b)(2) raises the limit by 5 points
  for such arrears);
- the total, and the same total per weekly, biweekly, semimonthly and monthly pay period (the employer need
  not change its pay cycle: 42 U.S.C. 666(b)(6)(C)), converted with the order conventions' periods a year
  (`rules.schedules.per_period_equivalent`: monthly x 12 / periods, half-up to the cent);
- the remittance terms: begin within N days, remit within N business days, the employer's fee, the limit
  percentage the form states.

The CCPA limit itself is applied by the employer to each paycheck (`rules.withholding`); the IWO states the
amounts ordered. Numbers are dated parameters (`params/us/income_withholding.yaml`, a State's own file first
for each key it sets). Rounding: every amount is to the cent, half-up, once (docs/enforcement.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.money import ZERO, round_cents
from opencse.rules.params import ParameterValue, governing_jurisdiction, parameter_file, parameters
from opencse.rules.schedules import Frequency, per_period_equivalent

TOPIC = "income_withholding"
PAY_PERIODS = (Frequency.WEEKLY, Frequency.BIWEEKLY, Frequency.SEMIMONTHLY, Frequency.MONTHLY)
REF_AMOUNTS = "42 U.S.C. 666(b)(1); 45 CFR 303.100(a)(1)-(2)"
REF_PAY_CYCLE = "42 U.S.C. 666(b)(6)(C): the employer need not change its pay cycle; IWO form, Amounts to Withhold"


class FormLine(StrEnum):
    """The lines of the form's Order Information, in its order."""

    CHILD_SUPPORT = "current_child_support"
    PAST_DUE_CHILD_SUPPORT = "past_due_child_support"
    CASH_MEDICAL = "current_cash_medical_support"
    SPOUSAL_SUPPORT = "current_spousal_support"
    OTHER = "other"


LABELS = {
    FormLine.CHILD_SUPPORT: "current child support",
    FormLine.PAST_DUE_CHILD_SUPPORT: "past-due child support",
    FormLine.CASH_MEDICAL: "current cash medical support",
    FormLine.SPOUSAL_SUPPORT: "current spousal support",
    FormLine.OTHER: "other",
}
CURRENT_LINES = (FormLine.CHILD_SUPPORT, FormLine.CASH_MEDICAL, FormLine.SPOUSAL_SUPPORT, FormLine.OTHER)


@dataclass(frozen=True, slots=True)
class Ordered:
    """What the order sets, as monthly amounts. `arrears_payment` is None when the order sets no periodic
    payment on arrears (the State's percentage applies then)."""

    child_support: Decimal = ZERO
    cash_medical: Decimal = ZERO
    spousal_support: Decimal = ZERO
    other: Decimal = ZERO
    other_description: str = ""
    arrears_payment: Decimal | None = None


@dataclass(frozen=True, slots=True)
class IwoAmounts:
    monthly: dict[str, Decimal]  # by `FormLine` value, every line present
    total_monthly: Decimal
    per_pay_period: dict[str, Decimal]  # weekly, biweekly, semimonthly, monthly
    arrears_over_12_weeks: bool
    other_description: str
    begin_within_days: int
    remit_within_business_days: int
    employer_fee: Decimal
    limit_percent: Decimal
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]


def _parameter(key: str, *, state: str | None, as_of: date) -> ParameterValue[Any]:
    jurisdiction = governing_jurisdiction(TOPIC, state=state, key=key)
    return parameters(parameter_file(TOPIC, jurisdiction=jurisdiction), as_of)[key]


def _money(value: Decimal, field: str) -> Decimal:
    if value < ZERO or value != round_cents(value, rounding=ROUND_HALF_UP):
        raise InvalidInput("must be an amount of zero or more, in cents", field=field)
    return value


def iwo_amounts(
    *, ordered: Ordered, arrears_owed: Decimal, arrears_over_12_weeks: bool, state: str | None, as_of: date
) -> IwoAmounts:
    """The amounts and terms of an IWO dated `as_of` for an order setting `ordered`, with `arrears_owed`."""
    for name in ("child_support", "cash_medical", "spousal_support", "other"):
        _money(getattr(ordered, name), name)
    _money(arrears_owed, "arrears_owed")
    if ordered.arrears_payment is not None:
        _money(ordered.arrears_payment, "arrears_payment")
    if ordered.other > ZERO and not ordered.other_description.strip():
        raise InvalidInput("say what the other obligation is (the form requires it)", field="other_description")
    sheet = Explanation()
    monthly = {
        FormLine.CHILD_SUPPORT: ordered.child_support,
        FormLine.CASH_MEDICAL: ordered.cash_medical,
        FormLine.SPOUSAL_SUPPORT: ordered.spousal_support,
        FormLine.OTHER: ordered.other,
    }
    for line in CURRENT_LINES:
        if monthly[line]:
            sheet.add(f"{LABELS[line].capitalize()} ordered, per month", monthly[line], REF_AMOUNTS)
    monthly[FormLine.PAST_DUE_CHILD_SUPPORT] = _arrears_payment(sheet, ordered, arrears_owed, state, as_of)
    total = sum(monthly.values(), ZERO)
    sheet.add("Total to withhold, per month", total, REF_AMOUNTS)
    per_period = {}
    for frequency in PAY_PERIODS:
        per_period[str(frequency)] = per_period_equivalent(total, frequency, as_of=as_of)
        sheet.add(
            f"Total per {frequency} pay period (monthly x 12 / periods a year)",
            per_period[str(frequency)],
            REF_PAY_CYCLE,
        )
    sheet.add("Arrears greater than 12 weeks", arrears_over_12_weeks, "15 U.S.C. 1673(b)(2); IWO form")
    begin = sheet.take(_parameter("begin_within_days", state=state, as_of=as_of), "Begin withholding within, days")
    remit = sheet.take(
        _parameter("remit_within_business_days", state=state, as_of=as_of),
        "Send payment within, business days of the pay date",
    )
    fee = sheet.take(_parameter("employer_fee", state=state, as_of=as_of), "Employer's fee per pay period")
    limit = sheet.take(
        _parameter("form_limit_percent", state=state, as_of=as_of),
        "Withhold up to this percentage of disposable income for all orders",
    )
    return IwoAmounts(
        monthly={str(line): amount for line, amount in monthly.items()},
        total_monthly=total,
        per_pay_period=per_period,
        arrears_over_12_weeks=arrears_over_12_weeks,
        other_description=ordered.other_description.strip(),
        begin_within_days=int(begin),
        remit_within_business_days=int(remit),
        employer_fee=Decimal(fee),
        limit_percent=Decimal(limit),
        explanation=sheet.done(),
        parameters=tuple(sheet.used.values()),
    )


def _arrears_payment(
    sheet: Explanation, ordered: Ordered, arrears_owed: Decimal, state: str | None, as_of: date
) -> Decimal:
    """The past-due line: the order's payment on arrears, else the State's percentage of current support;
    never more than is owed."""
    sheet.add("Arrears owed", arrears_owed, "the case's ledger on the date of the IWO")
    if arrears_owed == ZERO:
        return ZERO
    if ordered.arrears_payment is not None:
        asked = ordered.arrears_payment
        sheet.add("Payment on arrears the order sets, per month", asked, REF_AMOUNTS)
    else:
        current = ordered.child_support + ordered.cash_medical + ordered.spousal_support + ordered.other
        if current == ZERO:
            raise InvalidInput(
                "the order sets no payment on arrears and no current support to take a percentage of: "
                "enter the payment on arrears on the order first",
                field="arrears_payment",
            )
        percent = Decimal(
            sheet.take(
                _parameter("arrears_payment_percent_of_current", state=state, as_of=as_of),
                "The order sets no payment on arrears: percentage of current support",
            )
        )
        asked = round_cents(current * percent / 100, rounding=ROUND_HALF_UP)
        sheet.add("Payment on arrears, per month (current support x percentage)", asked, "42 U.S.C. 666(b)(1)")
    if asked > arrears_owed:
        sheet.add("Payment on arrears, no more than is owed", arrears_owed, "42 U.S.C. 666(b)(1)")
        return arrears_owed
    return asked


def sent_across_state_lines(*, issuing_state: str | None, employer_state: str, as_of: date) -> Line | None:
    """The line an order carries when it goes straight to the obligor's employer in another State.

    UIFSA section 501 (every State's law since 42 U.S.C. 666(f)): an income-withholding order issued in one State
    may be sent to the obligor's employer in another without filing a petition or registering the order there;
    section 502: that employer follows the order for the amounts and how long to withhold, and the law of the
    obligor's principal place of employment for its fee, the most it may withhold and when to begin and remit
    (42 U.S.C. 666(b)(6)(A)(i); 45 CFR 303.100(f)). The citation is the issuing State's
    (`direct_interstate_withholding`). None when the employer's State is the issuing State or not known."""
    employer_state = employer_state.strip().upper()
    if not employer_state or not issuing_state or employer_state == issuing_state.upper():
        return None
    law = _parameter("direct_interstate_withholding", state=issuing_state, as_of=as_of)
    step = (f"Sent directly to an employer in another State ({employer_state}): it follows its own State's law "
            "for its fee, the most it may withhold and when to begin and remit")  # fmt: skip
    return Line(step=step, value=employer_state, reference=str(law.value))


class WithholdingException(StrEnum):
    """The two exceptions to immediate income withholding (45 CFR 303.100(b)(1)(i)-(ii); 42 U.S.C. 666(b)(3))."""

    GOOD_CAUSE = "good_cause"  # the court or agency found good cause not to withhold at once, in writing
    ALTERNATIVE_ARRANGEMENT = "alternative_arrangement"  # a written agreement of both parties, in the record


def withholding_held(
    *, exception: WithholdingException | None, unpaid: Decimal, monthly_support: Decimal
) -> tuple[bool, str]:
    """Whether an order's income withholding waits, and why, with the citation.

    Every IV-D order is subject to immediate withholding (45 CFR 303.100(b)(1); 42 U.S.C. 666(b)(3)(A)) unless the
    court or agency found good cause not to require it, or both parties signed an alternative arrangement
    (303.100(b)(1)(i)-(ii)). Such an order becomes subject to withholding on the date the payments missed equal
    the support payable for one month (303.100(c)(1); 666(b)(3)(B)(i)); earlier at the obligor's request, which
    the officer records by ending the exception. `unpaid` is the arrears owed, `monthly_support` the current
    support in force as a monthly amount."""
    if exception is None:
        return False, "Immediate income withholding (45 CFR 303.100(b)(1); 42 U.S.C. 666(b)(3)(A))"
    if monthly_support > ZERO and unpaid >= monthly_support:
        return False, (f"Payments missed (${unpaid:,}) equal at least one month's support (${monthly_support:,}): "
                       "withholding starts despite the exception (45 CFR 303.100(c)(1); "
                       "42 U.S.C. 666(b)(3)(B)(i))")  # fmt: skip
    what = ("good cause found not to require immediate withholding" if exception == WithholdingException.GOOD_CAUSE
            else "a written alternative arrangement of both parties")  # fmt: skip
    return True, (f"Withholding waits: {what} (45 CFR 303.100(b)(1)(i)-(ii)), until the payments missed equal one "
                  "month's support (303.100(c)(1))")  # fmt: skip
