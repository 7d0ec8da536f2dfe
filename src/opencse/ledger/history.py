"""The certified payment history: every charge, payment and adjustment of a case over a date range,
with running totals, as CSV and as a PDF an officer can sign and bring to court.

The history carries names, the case number and the orders' docket numbers, never an address, so a
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
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from opencse.cases.models import Case, MemberRole
from opencse.common.pdf_text import paragraph, text
from opencse.errors import InvalidInput
from opencse.ledger.models import CURRENT_SUPPORT, Account, EntryKind, LedgerEntry
from opencse.ledger.selectors import LedgerLine, balances, ledger_lines
from opencse.rules.money import ZERO

COLUMNS = ["date", "entry", "account", "due", "paid", "moved or adjusted", "total owed", "reference"]
DUE, PAID, MOVED = "due", "paid", "moved or adjusted"
# The words a court reads for each kind of entry; a kind not named here is shown by its model label, so a
# new kind can never make the exhibit fail (tests/ledger/test_history.py renders every kind).
PLAIN_WORDS = {
    EntryKind.CHARGE: "Support due",
    EntryKind.ROLLOVER: "Unpaid support to arrears",
    EntryKind.PAYMENT: "Payment received",
    EntryKind.REVERSAL: "Payment reversed",
    EntryKind.ADJUSTMENT: "Adjustment",
    EntryKind.INTEREST: "Interest on arrears",
    EntryKind.RECLASSIFICATION: "Arrears moved between assignment accounts",
}
# The column each kind's amount is shown in (a reversal: the column of the entry it reverses). Every kind
# must have one, or the row's amount would be missing while the running total moves: checked on import.
COLUMN_OF_KIND = {
    EntryKind.CHARGE: DUE,
    EntryKind.INTEREST: DUE,
    EntryKind.PAYMENT: PAID,
    EntryKind.REVERSAL: PAID,
    EntryKind.ADJUSTMENT: MOVED,
    EntryKind.ROLLOVER: MOVED,
    EntryKind.RECLASSIFICATION: MOVED,
}
assert set(COLUMN_OF_KIND) == set(EntryKind), "every ledger entry kind has a column in the payment history"


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
    # A rollover is a pair (out of current support, into a bucket) that leaves the total unchanged: the
    # history shows it once, as the move into the bucket.
    within = tuple(
        line
        for line in every
        if line.entry.effective_on >= start
        and not (line.entry.kind == EntryKind.ROLLOVER and line.entry.account == CURRENT_SUPPORT)
    )
    opening = before[-1].balance_after if before else ZERO
    return PaymentHistory(case=case, start=start, end=end, opening_balance=opening, lines=within,
                          closing_by_account=balances(case=case, as_of=end))  # fmt: skip


def dollars(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def entry_words(entry: LedgerEntry) -> str:
    """What the entry is, in the court's words. A reversal names what it reverses unless that is a payment."""
    kind = EntryKind(entry.kind)
    reversed_kind = EntryKind(entry.reverses.kind) if entry.reverses is not None else None
    if kind == EntryKind.REVERSAL and reversed_kind not in (None, EntryKind.PAYMENT, EntryKind.REVERSAL):
        return f"Reversal: {PLAIN_WORDS.get(reversed_kind, reversed_kind.label)}"
    return PLAIN_WORDS.get(kind, kind.label)


def _column(entry: LedgerEntry) -> str:
    kind = EntryKind(entry.kind)
    if kind == EntryKind.REVERSAL and entry.reverses is not None:
        kind = EntryKind(entry.reverses.kind)  # a retroactive modification reverses charges, not payments
    return COLUMN_OF_KIND[kind]


def _row(line: LedgerLine) -> list[str]:
    entry = line.entry
    column = _column(entry)
    shown = dollars(-entry.amount if column == PAID else entry.amount)  # a payment lowers the total owed
    due, paid, moved = (shown if column == name else "" for name in (DUE, PAID, MOVED))
    reference = f"collection {entry.collection_id}" if entry.collection_id else entry.memo
    account = Account(entry.account).label
    return [entry.effective_on.isoformat(), entry_words(entry), account, due, paid, moved,
            dollars(line.balance_after), reference]  # fmt: skip


def history_csv(history: PaymentHistory) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case", history.case.number, "from", history.start.isoformat(), "to", history.end.isoformat()])
    writer.writerow(["opening balance", dollars(history.opening_balance)])
    writer.writerow(COLUMNS)
    for line in history.lines:
        writer.writerow(_row(line))
    for account, balance in history.closing_by_account.items():
        writer.writerow(["closing balance", Account(account).label, dollars(balance)])
    return out.getvalue()


def _parties(case: Case) -> str:
    names: dict[str, list[str]] = {MemberRole.NONCUSTODIAL_PARENT: [], MemberRole.CUSTODIAL_PARTY: []}
    for member in case.members.select_related("person").filter(role__in=list(names)):
        names[member.role].append(member.person.full_name)
    obligors = ", ".join(names[MemberRole.NONCUSTODIAL_PARENT]) or "not recorded"
    obligees = ", ".join(names[MemberRole.CUSTODIAL_PARTY]) or "not recorded"
    return f"Obligor: {obligors}. Obligee: {obligees}."


def _table(history: PaymentHistory) -> Table:
    small = getSampleStyleSheet()["BodyText"].clone("small", fontSize=7, leading=8)
    rows: list[list[object]] = [["Date", "Entry", "Account", "Due", "Paid", "Moved / adjusted", "Total owed"]]
    for row in (_row(line) for line in history.lines):
        rows.append([row[0], text(row[1], small), text(row[2], small), *row[3:7]])
    table = Table(rows, repeatRows=1, colWidths=[0.75 * inch, 1.35 * inch, 1.75 * inch] + [0.85 * inch] * 4)
    table.setStyle(TableStyle([
        ("FONTSIZE", (0, 0), (-1, -1), 7), ("ALIGN", (3, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
    ]))  # fmt: skip
    return table


def history_pdf(history: PaymentHistory, *, certified_by: str) -> bytes:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(buffer, pagesize=LETTER, leftMargin=0.6 * inch, rightMargin=0.6 * inch,
                                 title=f"Certified payment history {history.case.number}")  # fmt: skip
    dockets = ", ".join(history.case.orders.values_list("docket_number", flat=True)) or "none recorded"
    period = f"Period {history.start.isoformat()} to {history.end.isoformat()}."
    closing = [[Account(account).label, f"${dollars(balance)}"]
               for account, balance in history.closing_by_account.items() if balance]  # fmt: skip
    normal = styles["Normal"]
    story = [
        paragraph("Certified Payment History — Case {number}", styles["Title"], number=history.case.number),
        text(f"{_parties(history.case)} Orders: {dockets}.", normal),
        text(f"{period} Total owed at the start: ${dollars(history.opening_balance)}.", normal),
        Spacer(1, 0.15 * inch),
        _table(history),
        Spacer(1, 0.2 * inch),
        paragraph("Owed on {end}:", styles["Heading3"], end=history.end.isoformat()),
        Table(closing or [["Nothing owed", "$0.00"]]),
        Spacer(1, 0.3 * inch),
        paragraph("I certify that this is a true and correct record of the charges and payments on this case as "
                  "kept by the child support agency. Certified by {certified_by}.", normal,
                  certified_by=certified_by),
        Spacer(1, 0.4 * inch),
        paragraph("Signature ______________________________  Date ____________", normal),
    ]  # fmt: skip
    document.build(story)
    return buffer.getvalue()
