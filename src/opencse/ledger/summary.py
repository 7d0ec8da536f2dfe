"""What an officer reads first on a case: the order's monthly amount, what is owed now (or the credit), the
arrears, how far accrual has run, and the last payment. A fixed number of queries, whatever the number of
members, orders and ledger entries (the case page and the finance tab both read it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Min

from opencse.cases.models import Case
from opencse.ledger.models import CURRENT_SUPPORT, Collection, CollectionStatus
from opencse.ledger.selectors import balances
from opencse.orders.models import OrderStatus, OrderTerm
from opencse.orders.selectors import OrderedAmount, obligations_in_force
from opencse.rules.money import ZERO


@dataclass(frozen=True, slots=True)
class CaseMoney:
    as_of: date
    by_account: dict[str, Decimal]  # what is owed in each account (a negative amount is a credit)
    obligations: list[OrderedAmount]  # what the active orders charge on `as_of`
    monthly_ordered: Decimal  # their monthly equivalents added up (one-time amounts left out)
    current_support_due: Decimal  # unpaid current support of this month
    arrears: Decimal  # every arrears account together
    balance: Decimal  # all accounts: owed when positive, a credit when negative
    accrued_through: date | None  # the earliest day accrual has run to on an active term (None: never run)
    last_payment: Collection | None

    @property
    def owed(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def credit(self) -> Decimal:
        """What the obligor has paid beyond what is owed: shown as a credit, never as a negative amount owed."""
        return max(-self.balance, ZERO)


def case_money(*, case: Case, as_of: date) -> CaseMoney:
    """The case's money on `as_of` (five queries)."""
    by_account = balances(case=case, as_of=as_of)
    obligations = obligations_in_force(case=case, on=as_of)
    accrued = OrderTerm.objects.filter(order__case=case, order__status=OrderStatus.ACTIVE).aggregate(
        through=Min("accrued_through")
    )["through"]
    last_payment = (
        Collection.objects.filter(case=case, status=CollectionStatus.POSTED, collected_on__lte=as_of)
        .order_by("-collected_on", "-pk")
        .first()
    )
    current = by_account.get(CURRENT_SUPPORT, ZERO)
    return CaseMoney(
        as_of=as_of,
        by_account=by_account,
        obligations=obligations,
        monthly_ordered=sum((each.monthly or ZERO for each in obligations), ZERO),
        current_support_due=current,
        arrears=sum((amount for account, amount in by_account.items() if account != CURRENT_SUPPORT), ZERO),
        balance=sum(by_account.values(), ZERO),
        accrued_through=accrued,
        last_payment=last_payment,
    )
