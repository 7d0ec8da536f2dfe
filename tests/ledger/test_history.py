"""The certified payment history shows every kind of ledger entry, each amount in its column, and the
amounts shown add up to the running total; an exhibit that cannot be produced leaves no audit row."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from opencse.ledger import history
from opencse.ledger.history import COLUMN_OF_KIND, PLAIN_WORDS, history_csv, history_pdf, payment_history
from opencse.ledger.models import Account, EntryKind, LedgerEntry
from opencse.security.models import AuditEvent
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text

# One entry of every kind, on the arrears account it would sit on, with an amount that names it.
AMOUNT_OF_KIND = {
    EntryKind.CHARGE: "300.00",
    EntryKind.ROLLOVER: "11.00",
    EntryKind.PAYMENT: "-22.00",
    EntryKind.ADJUSTMENT: "-33.00",
    EntryKind.REVERSAL: "44.00",
    EntryKind.INTEREST: "5.55",
    EntryKind.RECLASSIFICATION: "-66.00",
}


def _one_entry_of_every_kind(case: object) -> None:
    assert set(AMOUNT_OF_KIND) == set(EntryKind), "the test names every kind the model has"
    for day, kind in enumerate(EntryKind, start=1):
        LedgerEntry.objects.create(
            case=case,
            account=Account.NEVER_ASSIGNED,
            kind=kind,
            amount=Decimal(AMOUNT_OF_KIND[kind]),
            effective_on=date(2026, 3, day),
            source_key=f"test-history:{kind}",
            memo=f"test {kind}",
        )


def _table_rows(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    header_at = rows.index(history.COLUMNS)
    return [dict(zip(history.COLUMNS, row, strict=True)) for row in rows[header_at + 1 :] if len(row) == 8]


def _money(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal("0.00")


@pytest.mark.django_db
def test_every_kind_of_entry_is_shown_with_its_words_and_its_amount_in_one_column(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _one_entry_of_every_kind(case)

    found = payment_history(case=case, start=date(2026, 3, 1), end=date(2026, 3, 31))
    rows = [row for row in _table_rows(history_csv(found)) if row["reference"].startswith("test ")]

    assert {row["reference"] for row in rows} == {f"test {kind}" for kind in EntryKind}
    for row in rows:
        kind = EntryKind(row["reference"].removeprefix("test "))
        shown = [row[column] for column in ("due", "paid", "moved or adjusted") if row[column]]
        assert row["entry"] == PLAIN_WORDS[kind]
        assert len(shown) == 1, row
        assert row[COLUMN_OF_KIND[kind]] == shown[0]
        assert _money(shown[0]).copy_abs() == Decimal(AMOUNT_OF_KIND[kind]).copy_abs()
    assert "Interest on arrears" in pdf_text(history_pdf(found, certified_by="Officer Test"))


@pytest.mark.django_db
def test_the_amounts_shown_add_up_from_the_opening_to_each_running_total(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _one_entry_of_every_kind(case)

    found = payment_history(case=case, start=date(2026, 1, 1), end=date(2026, 3, 31))
    running = found.opening_balance

    for row in _table_rows(history_csv(found)):
        running += _money(row["due"]) - _money(row["paid"]) + _money(row["moved or adjusted"])
        assert running == _money(row["total owed"]), row


@pytest.mark.django_db
def test_a_reversed_charge_is_shown_as_due_not_as_a_payment(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    on_account = {"case": case, "account": Account.NEVER_ASSIGNED}
    charge = LedgerEntry.objects.create(
        **on_account, kind=EntryKind.INTEREST, amount=Decimal("7.00"), effective_on=date(2026, 3, 1), source_key="t:i"
    )
    LedgerEntry.objects.create(
        **on_account, kind=EntryKind.REVERSAL, reverses=charge, amount=Decimal("-7.00"), effective_on=date(2026, 3, 2),
        source_key="t:r",
    )  # fmt: skip

    found = payment_history(case=case, start=date(2026, 3, 2), end=date(2026, 3, 2))
    (row,) = _table_rows(history_csv(found))

    assert row["entry"] == "Reversal: Interest on arrears"
    assert (row["due"], row["paid"]) == ("-7.00", "")


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["pdf", "csv"])
def test_the_history_of_a_case_with_interest_and_reclassification_is_produced_and_audited(
    officer: object, client_for: object, file_format: str
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _one_entry_of_every_kind(case)

    response = client_for(officer).get(
        f"/api/v1/cases/{case.number}/payment-history?start=2026-01-01&end=2026-03-31&format={file_format}"
    )

    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="ledger.history_exported", case_number=case.number).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("builder", "url", "action"),
    [
        ("opencse.documents.services.render_document",
         "payment-history?start=2026-01-01&end=2026-03-31&format=pdf", "ledger.history_exported"),
        ("opencse.ledger.history.history_csv", "payment-history?start=2026-01-01&end=2026-03-31",
         "ledger.history_exported"),
        ("opencse.documents.services.render_document", "notice-of-debt?as_of=2026-03-31",
         "ledger.debt_notice_issued"),
    ],
)  # fmt: skip
def test_a_document_that_cannot_be_produced_writes_no_audit_row(
    officer: object, client_for: object, monkeypatch: pytest.MonkeyPatch, builder: str, url: str, action: str
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("the document could not be built")

    monkeypatch.setattr(builder, broken)

    with pytest.raises(RuntimeError):
        client_for(officer).get(f"/api/v1/cases/{case.number}/{url}")

    assert not AuditEvent.objects.filter(action=action).exists()
