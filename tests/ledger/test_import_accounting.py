"""Importing a payment file accounts for every line: each ends posted, suspended or rejected with its line
number (issue #16, finding 11), and an "employment ended" record adds one case note however often the
file is imported (issue #16, low finding)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from opencse.cases.models import CaseNote
from opencse.ledger.imports import import_payment_file
from opencse.ledger.models import Collection, CollectionStatus
from tests.interfaces.test_payments_csv_lines import HEADER, stray_quote_file
from tests.ledger.helpers import case_with_order

TERMINATION = "T-END,2026-02-06,0.00,{case},,Boone,Curtis,Magnolia Foods Inc,641234567,28049,N,Y"

RECEIVED_ON = date(2026, 2, 9)  # the day the disbursement unit received the file (its settlement date)


@pytest.mark.django_db
def test_a_stray_quote_loses_no_payment_every_line_is_posted_suspended_or_rejected(
    officer: object, tmp_path: Path
) -> None:
    case, _ = case_with_order(officer)
    text = stray_quote_file(case.number).replace("T7,2026-02-06,20.00," + case.number, "T7,2026-02-06,20.00,NO-CASE")
    path = tmp_path / "payments.csv"
    path.write_text(text, encoding="utf-8")

    result = import_payment_file(actor=officer, path=path, received_on=RECEIVED_ON)

    assert (result.records, result.posted, result.suspended, result.rejected) == (6, 5, 1, 1)
    assert result.posted + result.suspended + result.rejected == 7
    assert list(result.rejections.values_list("line_number", flat=True)) == [4]
    posted = Collection.objects.filter(status=CollectionStatus.POSTED)
    assert sorted(posted.values_list("reference", flat=True)) == ["T1", "T2", "T4", "T5", "T6"]
    assert sum(posted.values_list("amount", flat=True)) == Decimal("70.00")
    (suspended,) = Collection.objects.filter(status=CollectionStatus.SUSPENSE)
    assert suspended.reference == "T7" and suspended.suspense_reason.startswith("line 8: ")


@pytest.mark.django_db
def test_an_employment_ended_record_imported_again_adds_no_second_note(officer: object, tmp_path: Path) -> None:
    case, _ = case_with_order(officer)
    text = "\n".join([HEADER, TERMINATION.format(case=case.number)]) + "\n"
    first, renamed = tmp_path / "ended.csv", tmp_path / "ended-resent.csv"
    first.write_text(text, encoding="utf-8")
    renamed.write_text(text, encoding="utf-8")

    imports = [
        import_payment_file(actor=officer, path=path, received_on=RECEIVED_ON) for path in (first, first, renamed)
    ]

    notes = CaseNote.objects.filter(case=case, kind="system", text__contains="employment ended")
    assert notes.count() == 1
    assert [(one.notices, one.duplicates) for one in imports] == [(1, 0), (0, 1), (0, 1)]


@pytest.mark.django_db
def test_employment_ended_records_of_different_payments_each_add_a_note(officer: object, tmp_path: Path) -> None:
    case, _ = case_with_order(officer)
    ended = TERMINATION.format(case=case.number)
    path = tmp_path / "ended.csv"
    path.write_text("\n".join([HEADER, ended, ended.replace("T-END", "T-END-2")]) + "\n", encoding="utf-8")

    result = import_payment_file(actor=officer, path=path, received_on=RECEIVED_ON)

    assert result.notices == 2
    assert CaseNote.objects.filter(case=case, text__contains="employment ended").count() == 2
