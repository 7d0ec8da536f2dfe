"""Payment files: identified payments post, the rest wait in suspense, bad lines are reported,
and importing the same file again posts nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from opencse.interfaces.payments import PaymentRecord
from opencse.ledger.imports import import_payment_file
from opencse.ledger.models import Collection, CollectionStatus
from opencse.ledger.verify import verify_ledger
from opencse.people.services import update_person
from tests.ledger.helpers import case_with_order
from tests.nacha_employer import write_nacha_ccd

RECEIVED_ON = date(2026, 2, 9)  # the day the disbursement unit received the file (its settlement date)


def _payment(trace: str, amount: str, case_identifier: str, ssn: str) -> PaymentRecord:
    return PaymentRecord(
        line_number=0,
        trace_number=trace,
        amount=Decimal(amount),
        payment_date=date(2026, 2, 6),
        effective_entry_date=date(2026, 2, 9),
        case_identifier=case_identifier,
        obligor_ssn=ssn,
        obligor_last_name="Boone",
        obligor_first_name="Curtis",
        fips_code="28049",
        medical_support=False,
        employment_terminated=False,
        employer_name="Magnolia Foods Inc",
        employer_fein="641234567",
        source="nacha",
    )


def _write(path: Path, payments: list[PaymentRecord]) -> Path:
    path.write_text(
        write_nacha_ccd(
            payments,
            immediate_destination="065300279",
            immediate_destination_name="MS SDU",
            immediate_origin="091000019",
            immediate_origin_name="MAGNOLIA BANK",
            originating_dfi="09100001",
            receiving_routing_number="065300279",
            receiving_account_number="12345678",
            receiving_name="MS SDU",
            created_at=datetime(2026, 2, 9, 8, 30, tzinfo=UTC),
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
def test_a_nacha_file_posts_by_case_number_and_by_ssn_and_holds_the_unknown(officer: object, tmp_path: Path) -> None:
    case, order = case_with_order(officer, monthly="300.00")
    obligor = order.terms.get().obligor
    update_person(actor=officer, person=obligor, ssn="512-34-9876")
    path = _write(tmp_path / "feb09.ach", [
        _payment("091000010000001", "150.00", case.number, "512349876"),
        _payment("091000010000002", "100.00", "UNKNOWN-7", "512349876"),
        _payment("091000010000003", "75.00", "UNKNOWN-8", "401234567"),
    ])  # fmt: skip

    result = import_payment_file(actor=officer, path=path, received_on=RECEIVED_ON)

    assert (result.records, result.posted, result.suspended, result.rejected) == (3, 2, 1, 0)
    assert Collection.objects.filter(case=case, status=CollectionStatus.POSTED).count() == 2
    held = Collection.objects.get(status=CollectionStatus.SUSPENSE)
    assert "no person with that SSN" in held.suspense_reason
    assert verify_ledger() == []


@pytest.mark.django_db
def test_importing_the_same_file_twice_posts_nothing_twice(officer: object, tmp_path: Path) -> None:
    case, _ = case_with_order(officer)
    path = _write(tmp_path / "feb09.ach", [_payment("091000010000001", "150.00", case.number, "512349876")])
    import_payment_file(actor=officer, path=path, received_on=RECEIVED_ON)

    again = import_payment_file(actor=officer, path=path, received_on=RECEIVED_ON)

    assert (again.posted, again.duplicates) == (0, 1)
    assert Collection.objects.count() == 1


@pytest.mark.django_db
def test_bad_csv_lines_are_reported_with_their_line_numbers_while_good_lines_post(
    officer: object, tmp_path: Path
) -> None:
    case, _ = case_with_order(officer)
    header = (
        "trace_number,payment_date,amount,case_identifier,obligor_ssn,obligor_last_name,obligor_first_name,"
        "employer_name,employer_fein,fips_code,medical_support,employment_terminated"
    )
    path = tmp_path / "payments.csv"
    path.write_text("\n".join([
        header,
        f"T-1,2026-02-06,120.00,{case.number},,Boone,Curtis,Magnolia Foods Inc,641234567,28049,N,N",
        f"T-2,2026-02-06,12.345,{case.number},,Boone,Curtis,Magnolia Foods Inc,641234567,28049,N,N",
    ]) + "\n", encoding="utf-8")  # fmt: skip

    result = import_payment_file(actor=officer, path=path, received_on=RECEIVED_ON)

    assert (result.posted, result.rejected) == (1, 1)
    rejection = result.rejections.get()
    assert rejection.line_number == 3


@pytest.mark.django_db
def test_a_zero_payment_ending_employment_goes_on_the_case_timeline_not_the_ledger(
    officer: object, tmp_path: Path
) -> None:
    case, _ = case_with_order(officer)
    notice = _payment("091000010000009", "0.00", case.number, "512349876")
    notice = PaymentRecord(
        **{**{field: getattr(notice, field) for field in notice.__slots__}, "employment_terminated": True}
    )
    path = _write(tmp_path / "notice.ach", [notice])

    result = import_payment_file(actor=officer, path=path, received_on=RECEIVED_ON)

    assert (result.posted, result.notices, result.rejected) == (0, 1, 0)
    assert case.notes.filter(kind="system", text__contains="employment ended").exists()
    assert not Collection.objects.exists()
