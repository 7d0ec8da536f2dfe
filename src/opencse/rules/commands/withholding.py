"""`opencse rules withholding`: the CCPA limit and the split across orders (design/rules-cli.md).

Reads the payload, calls `opencse.rules.withholding`, and shapes the result. All amounts are per
pay period. Disposable earnings are given directly, or as `gross_earnings` with the
`deductions_required_by_law` (15 U.S.C. 1672(b)), never both.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from opencse.errors import InvalidInput
from opencse.rules.commands import RuleOutput
from opencse.rules.explain import ParameterUse
from opencse.rules.inputs import Reader
from opencse.rules.money import HUNDRED, ZERO, format_amount
from opencse.rules.withholding import (
    JURISDICTIONS,
    ORDERS_MAXIMUM,
    DisposableEarnings,
    Order,
    Withholding,
    allocate_withholding,
    disposable_earnings,
    pay_frequencies,
)

TITLE = "Income withholding for support (15 U.S.C. 1673(b); 45 CFR 303.100(a)(5))"
NOTES = (
    "All amounts are per pay period; the limit applies to everything withheld for support.",
    "The 5-point increase may pay only arrears owed for periods before the last 12 weeks, never current support.",
    "Leftover cents of a proration go to the largest remainders, ties to the order listed first.",
)


def run(payload: Reader, as_of: date) -> RuleOutput:
    pay_frequency = payload.choice("pay_frequency", pay_frequencies(as_of=as_of))
    earnings = _earnings(payload, as_of)
    disposable = earnings if isinstance(earnings, Decimal) else earnings.disposable_earnings
    supporting = payload.boolean("supporting_other_spouse_or_child")
    arrears_over_12_weeks = payload.boolean("arrears_over_12_weeks")
    state_limit_percent = None
    if _present(payload, "state_limit_percent"):
        state_limit_percent = payload.decimal("state_limit_percent", minimum=ZERO, maximum=HUNDRED)
    jurisdiction = payload.choice("jurisdiction", JURISDICTIONS) if _present(payload, "jurisdiction") else None
    employer_fee = payload.amount("employer_fee", default=ZERO)
    orders = [_order(item) for item in payload.objects("orders", min_length=1)]
    if len(orders) > ORDERS_MAXIMUM:
        raise InvalidInput(f"must have at most {ORDERS_MAXIMUM} orders", field="orders")
    payload.reject_unknown()
    withholding = allocate_withholding(
        disposable_earnings=disposable,
        supporting_other_spouse_or_child=supporting,
        arrears_over_12_weeks=arrears_over_12_weeks,
        orders=orders,
        as_of=as_of,
        pay_frequency=pay_frequency,
        state_limit_percent=state_limit_percent,
        jurisdiction=jurisdiction,
        employer_fee=employer_fee,
    )
    explanation, used = withholding.explanation, withholding.parameters
    if isinstance(earnings, DisposableEarnings):
        explanation = earnings.explanation + explanation
        used = _merge(earnings.parameters, used)
    return RuleOutput(
        rule="withholding",
        as_of=as_of,
        result=_result(pay_frequency, disposable, withholding),
        explanation=explanation,
        parameters=used,
        title=TITLE,
        notes=NOTES,
    )


def _present(payload: Reader, key: str) -> bool:
    payload.read.add(key)  # an explicit null is the same as leaving the optional field out
    return payload.has(key)


def _earnings(payload: Reader, as_of: date) -> Decimal | DisposableEarnings:
    if not _present(payload, "gross_earnings"):
        if _present(payload, "deductions_required_by_law"):
            raise InvalidInput("needs gross_earnings", field="deductions_required_by_law")
        return payload.amount("disposable_earnings")
    if _present(payload, "disposable_earnings"):
        raise InvalidInput("give either disposable_earnings or gross_earnings, not both", field="gross_earnings")
    gross = payload.amount("gross_earnings")
    deductions = payload.object("deductions_required_by_law", required=False)
    amounts = {str(code): deductions.amount(str(code)) for code in deductions.data}
    return disposable_earnings(gross_earnings=gross, deductions_required_by_law=amounts, as_of=as_of)


def _order(item: Reader) -> Order:
    order = Order(
        id=item.text("id"),
        current_support=item.amount("current_support"),
        arrears_payment=item.amount("arrears_payment"),
        arrears_balance=item.amount("arrears_balance", default=ZERO),
    )
    item.reject_unknown()
    return order


def _merge(first: tuple[ParameterUse, ...], second: tuple[ParameterUse, ...]) -> tuple[ParameterUse, ...]:
    seen = {(use.name, use.effective) for use in first}
    return first + tuple(use for use in second if (use.name, use.effective) not in seen)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _result(pay_frequency: str, disposable: Decimal, withholding: Withholding) -> dict[str, object]:
    return {
        "pay_frequency": pay_frequency,
        "disposable_earnings": format_amount(disposable),
        "limit_percent": _percent(withholding.limit_percent),
        "maximum": format_amount(withholding.maximum),
        "total_withheld": format_amount(withholding.total_withheld),
        "current_support_withheld": format_amount(withholding.current_support_withheld),
        "arrears_withheld": format_amount(withholding.arrears_withheld),
        "employer_fee_withheld": format_amount(withholding.employer_fee_withheld),
        "allocations": [
            {
                "id": allocation.id,
                "current_support": format_amount(allocation.current_support),
                "arrears": format_amount(allocation.arrears),
            }
            for allocation in withholding.allocations
        ],
    }
