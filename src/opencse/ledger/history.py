"""The certified payment history: every charge, payment and adjustment of a case over a date range,
with running balances, as CSV and as a PDF an officer can sign and bring to court.

The history carries names, the case number and the order's docket number, never an address, so a
family-violence-protected address can never reach the exhibit.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from opencse.cases.models import Case, MemberRole
from opencse.errors import InvalidInput
from opencse.ledger.models import Account, EntryKind
from opencse.ledger.selectors import LedgerLine, balances, ledger_lines
from opencse.rules.money import ZERO, format_amount

COLUMNS = ["date", "kind", "account", "charged", "paid", "adjusted", "balance", "reference"]


@dataclass(frozen=True, slots=True)
class PaymentHistory:
    case: Case
    start: date
    end: date
    opening_balance: Decimal
    lines: tuple[LedgerLine, ...]
    closing_by_account: dict[str, Decimal]


def payment_history(*, case: Case, start: date, end: date) -> PaymentHistory:
    if end < start:
        raise InvalidInput("must not be before the start", field="end")
    every = ledger_lines(case=case, through=end, limit=200_000)
    before = [line for line in every if line.entry.effective_on < start]
    within = tuple(line for line in every if line.entry.effective_on >= start)
    opening = before[-1].balance_after if before else ZERO
    return PaymentHistory(
        case=case,
        start=start,
        end=end,
        opening_balance=opening,
        lines=within,
        closing_by_account=balances(case=case, as_of=end),
    )


def _row(line: LedgerLine) -> list[str]:
    entry = line.entry
    amount = format_amount(entry.amount)
    charged = amount if entry.kind == EntryKind.CHARGE else ""
    paid = format_amount(-entry.amount) if entry.kind in (EntryKind.PAYMENT, EntryKind.REVERSAL) else ""
    adjusted = amount if entry.kind in (EntryKind.ADJUSTMENT, EntryKind.ROLLOVER) else ""
    reference = f"collection {entry.collection_id}" if entry.collection_id else entry.memo
    return [
        entry.effective_on.isoformat(),
        EntryKind(entry.kind).label,
        Account(entry.account).label,
        charged,
        paid,
        adjusted,
        format_amount(line.balance_after),
        reference,
    ]


def history_csv(history: PaymentHistory) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case", history.case.number, "from", history.start.isoformat(), "to", history.end.isoformat()])
    writer.writerow(["opening balance", format_amount(history.opening_balance)])
    writer.writerow(COLUMNS)
    for line in history.lines:
        writer.writerow(_row(line))
    for account, balance in history.closing_by_account.items():
        writer.writerow(["closing balance", Account(account).label, format_amount(balance)])
    return out.getvalue()


def _parties(case: Case) -> str:
    names = {MemberRole.NONCUSTODIAL_PARENT: [], MemberRole.CUSTODIAL_PARTY: []}  # type: dict[str, list[str]]
    for member in case.members.select_related("person").filter(role__in=list(names)):
        names[member.role].append(member.person.full_name)
    return (
        f"Obligor: {', '.join(names[MemberRole.NONCUSTODIAL_PARENT]) or 'not recorded'}. "
        f"Obligee: {', '.join(names[MemberRole.CUSTODIAL_PARTY]) or 'not recorded'}."
    )


def history_pdf(history: PaymentHistory, *, certified_by: str) -> bytes:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.6 * inch,
        rightMargin=0.6 * inch,
        title=f"Certified payment history {history.case.number}",
    )
    dockets = ", ".join(history.case.orders.values_list("docket_number", flat=True)) or "none recorded"
    story = [
        Paragraph(f"Certified Payment History — Case {history.case.number}", styles["Title"]),
        Paragraph(f"{_parties(history.case)} Orders: {dockets}.", styles["Normal"]),
        Paragraph(
            f"Period {history.start.isoformat()} to {history.end.isoformat()}. Opening balance "
            f"${format_amount(history.opening_balance)}.",
            styles["Normal"],
        ),
        Spacer(1, 0.15 * inch),
    ]
    rows = [["Date", "Entry", "Account", "Charged", "Paid", "Adjusted", "Balance"]]
    rows += [row[:7] for row in (_row(line) for line in history.lines)]
    table = Table(rows, repeatRows=1, colWidths=[0.8 * inch, 1.5 * inch, 2.0 * inch] + [0.75 * inch] * 4)
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 7),
                ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    story += [table, Spacer(1, 0.2 * inch)]
    closing = [
        [Account(account).label, f"${format_amount(balance)}"]
        for account, balance in history.closing_by_account.items()
        if balance
    ]
    story += [
        Paragraph(f"Balances owed on {history.end.isoformat()}:", styles["Heading3"]),
        Table(closing or [["No balance owed", "$0.00"]]),
        Spacer(1, 0.3 * inch),
        Paragraph(
            f"I certify that this is a true and correct record of the payments and charges on this "
            f"case as kept by the child support agency. Certified by {certified_by}.",
            styles["Normal"],
        ),
        Spacer(1, 0.4 * inch),
        Paragraph("Signature ______________________________  Date ____________", styles["Normal"]),
    ]
    document.build(story)
    return buffer.getvalue()
