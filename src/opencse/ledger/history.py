"""The certified payment history: every charge, payment and adjustment of a case over a date range,
with running totals, as CSV and as a PDF an officer can sign and bring to court (printed and stored by
the document engine, opencse.documents, from the `payment_history` template).

The history carries names, the case number and the orders' docket numbers, never an address, so a
family-violence-protected address can never reach the exhibit.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from opencse.cases.models import Case, MemberRole
from opencse.documents.formatting import letter_date
from opencse.documents.models import Document
from opencse.documents.rendering import render_document
from opencse.documents.services import generate_document
from opencse.errors import InvalidInput
from opencse.ledger.models import CURRENT_SUPPORT, Account, EntryKind, LedgerEntry
from opencse.ledger.selectors import LedgerLine, balances, ledger_lines
from opencse.rules.money import ZERO
from opencse.security.models import User

KIND = "payment_history"
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


def _names(case: Case) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {MemberRole.NONCUSTODIAL_PARENT: [], MemberRole.CUSTODIAL_PARTY: []}
    for member in case.members.select_related("person").filter(role__in=list(names)):
        names[member.role].append(member.person.full_name)
    return names


def _entry_row(line: LedgerLine) -> dict[str, Any]:
    entry = line.entry
    column = _column(entry)
    shown = -entry.amount if column == PAID else entry.amount  # a payment lowers the total owed
    return {
        "date": entry.effective_on,
        "entry": entry_words(entry),
        "account": Account(entry.account).label,
        "due": shown if column == DUE else None,
        "paid": shown if column == PAID else None,
        "moved": shown if column == MOVED else None,
        "total": line.balance_after,
    }


def history_data(history: PaymentHistory, *, certified_by: str) -> dict[str, Any]:
    """The fields of the `payment_history` template."""
    names = _names(history.case)
    return {
        "case_number": history.case.number,
        "obligor_names": ", ".join(names[MemberRole.NONCUSTODIAL_PARENT]),
        "obligee_names": ", ".join(names[MemberRole.CUSTODIAL_PARTY]),
        "orders": list(history.case.orders.values_list("docket_number", flat=True)),
        "period_start": history.start,
        "period_end": history.end,
        "opening_balance": history.opening_balance,
        "entries": [_entry_row(line) for line in history.lines],
        "closing": [{"account": Account(account).label, "amount": balance}
                    for account, balance in history.closing_by_account.items() if balance],
        "certified_by": certified_by,
    }  # fmt: skip


def history_pdf(history: PaymentHistory, *, certified_by: str) -> bytes:
    """The history as a PDF, not stored (a preview); `certify_payment_history` stores what is given out."""
    return render_document(kind=KIND, data=history_data(history, certified_by=certified_by), dated_on=history.end,
                           case=history.case).pdf  # fmt: skip


def certify_payment_history(*, actor: User, case: Case, start: date, end: date, certified_on: date) -> Document:
    """Print the certified history of `start`..`end`, certified by the actor on `certified_on`, and store it
    (the next version of the case's history for that period), on the case timeline."""
    found = payment_history(case=case, start=start, end=end)
    certified_by = actor.get_full_name() or actor.username
    return generate_document(
        actor=actor, case=case, kind=KIND, data=history_data(found, certified_by=certified_by),
        dated_on=certified_on, subject=f"{start.isoformat()} to {end.isoformat()}",
        title=f"Certified Payment History, {letter_date(start)} to {letter_date(end)}",
    )  # fmt: skip
