"""The case's finance tab: orders and terms, balances by account, arrears over time, collections with
their distribution, and the ledger with running totals. Read-only; the money moves through services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opencse.cases.selectors import case_for_viewer
from opencse.ledger import selectors
from opencse.ledger.models import Account
from opencse.ledger.summary import case_money
from opencse.orders.selectors import orders_of_case
from opencse.rules.money import ZERO
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors
from opencse.web.disbursement.views import case_payouts_context

CHART_WIDTH, CHART_HEIGHT, LEDGER_LINES_SHOWN = 640, 140, 120


@dataclass(frozen=True, slots=True)
class Chart:
    """An arrears line chart as SVG points, with the figures it is drawn from (shown as a table too)."""

    points: str
    series: list[tuple[date, Decimal]]
    highest: Decimal


def arrears_chart(series: list[tuple[date, Decimal]]) -> Chart:
    highest = max((amount for _, amount in series), default=ZERO)
    scale = highest if highest > 0 else Decimal(1)
    step = CHART_WIDTH / max(len(series) - 1, 1)
    points = " ".join(
        f"{index * step:.1f},{CHART_HEIGHT - CHART_HEIGHT * (amount / scale):.1f}"
        for index, (_, amount) in enumerate(series)
    )
    return Chart(points=points, series=series, highest=highest)


@allow("ledger.view")
@require_http_methods(["GET"])
@domain_errors
def case_finance(request: AuthenticatedRequest, number: str) -> HttpResponse:
    case = case_for_viewer(viewer=request.user, number=number)
    today = timezone.localdate()
    money = case_money(case=case, as_of=today)
    lines, lines_total = selectors.latest_ledger_lines(case=case, through=today, count=LEDGER_LINES_SHOWN)
    context = {
        "case": case,
        "today": today,
        "money": money,
        "orders": orders_of_case(case=case),
        "balances": [(Account(account).label, amount) for account, amount in money.by_account.items() if amount],
        "total_owed": money.balance,
        "unreimbursed_assistance": selectors.unreimbursed_assistance(case=case, as_of=today),
        "chart": arrears_chart(selectors.arrears_by_month(case=case, through=today)),
        "collections": list(selectors.collections_of_case(case=case)[:50]),
        "lines": lines,
        "lines_total": lines_total,
        **case_payouts_context(viewer=request.user, case=case, today=today),
    }
    return render(request, "web/case_finance.html", context)
