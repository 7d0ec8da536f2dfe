"""The disbursement run: payouts by direct deposit, check and transfer; returns; undistributable money;
recoupment of an overpayment; the NACHA PPD file; the federal two-business-day timeframe."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from opencse.cases.services import add_member
from opencse.errors import Conflict, InvalidInputs, NotAuthorized
from opencse.ledger import disbursement, disbursement_selectors
from opencse.ledger.direct_deposit import request_direct_deposit
from opencse.ledger.disbursement import run_disbursements
from opencse.ledger.models import CollectionShare, Payee, PaymentMethod, Payout
from opencse.ledger.payouts import (
    release_undistributable,
    return_payout,
    transfer_unclaimed,
    undistributable_of_case,
)
from opencse.ledger.services import post_collection, record_assistance, reverse_collection
from opencse.ledger.verify import verify_ledger
from opencse.people.services import add_address
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order

RUN_DAY = date(2026, 2, 19)  # a Thursday


@pytest.fixture
def signer(db: None) -> object:
    return factories.user(Role.OFFICER_2, username="signer")


def _custodial(officer: object, case: object, *, address: bool = True, protected: bool = False) -> object:
    person = factories.person(officer, first_name="Alicia", last_name="Moreno")
    if address:
        add_address(actor=officer, person=person, line1="118 Magnolia Street", city="Jackson", state="MS",
                    postal_code="39201")  # fmt: skip
    if protected:
        person.family_violence = True
        person.save(update_fields=["family_violence"])
    add_member(actor=officer, case=case, person=person, role="custodial_party")
    return person


def _pay(officer: object, case: object, amount: str, *, on: date = date(2026, 2, 13)) -> object:
    return post_collection(actor=officer, case=case, amount=Decimal(amount), source="income_withholding",
                           collected_on=on, received_on=on)  # fmt: skip


def _balance(case: object, payee: str) -> Decimal:
    rows = CollectionShare.objects.filter(case=case, payee=payee)
    return sum((row.amount for row in rows), Decimal("0.00"))


@pytest.mark.django_db
def test_family_money_goes_out_by_check_to_the_custodial_party_within_the_timeframe(
    officer: object, signer: object
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, case)
    _pay(officer, case, "450.00")  # received Fri Feb 13; Mon Feb 16 is Washington's Birthday: due Wed Feb 18

    summary = run_disbursements(actor=signer, run_on=date(2026, 2, 17))

    payout = Payout.objects.get(case=case)
    assert (payout.payee, payout.method, payout.amount) == (Payee.FAMILY, PaymentMethod.CHECK, Decimal("450.00"))
    assert payout.recipient_name == "Alicia Moreno"
    assert payout.reference == "100001" and payout.due_on == date(2026, 2, 18)
    assert (summary.payouts, summary.checks, summary.eft, summary.total) == (1, 1, 0, Decimal("450.00"))
    register = summary.run.check_register.splitlines()
    assert register[1].startswith("100001,2026-02-17,450.00,") and "118 Magnolia Street" in register[1]
    report = disbursement_selectors.timeliness(start=date(2026, 2, 1), end=date(2026, 2, 28), as_of=date(2026, 2, 28))
    assert (report.issued, report.on_time, report.late, report.percent_on_time) == (1, 1, 0, Decimal("100.0"))
    assert verify_ledger() == []


@pytest.mark.django_db
def test_running_twice_pays_nothing_twice_and_a_late_payout_is_reported_late(officer: object, signer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, case)
    _pay(officer, case, "300.00")

    run_disbursements(actor=signer, run_on=RUN_DAY)  # Thu Feb 19: one day after the Feb 18 due date
    again = run_disbursements(actor=signer, run_on=RUN_DAY)

    assert again.payouts == 0 and Payout.objects.count() == 1
    report = disbursement_selectors.timeliness(start=date(2026, 2, 1), end=date(2026, 2, 28), as_of=RUN_DAY)
    assert (report.issued, report.late, report.overdue_unpaid) == (1, 1, 0)


@pytest.mark.django_db
def test_direct_deposit_payouts_are_written_as_a_nacha_ppd_credit_file(officer: object, signer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    person = _custodial(officer, case)
    factories.direct_deposit(officer, person=person, routing_number="061000104", account_number="000123456789",
                             account_type="savings", starts_on=date(2026, 1, 1))  # fmt: skip
    _pay(officer, case, "412.34")

    summary = run_disbursements(actor=signer, run_on=date(2026, 2, 17))

    payout = Payout.objects.get(case=case)
    assert payout.method == PaymentMethod.EFT and payout.reference == "011000010000001"
    lines = summary.run.nacha_file.splitlines()
    assert len(lines) == 10 and all(len(line) == 94 for line in lines)  # blocked in tens
    assert lines[1][50:53] == "PPD" and lines[1][1:4] == "220"
    entry = lines[2]
    assert entry[1:3] == "32"  # savings credit
    assert entry[3:12] == "061000104" and entry[12:29] == "000123456789     "
    assert entry[29:39] == "0000041234"  # cents
    assert entry[39:54] == case.number.ljust(15) and entry[54:76] == "ALICIA MORENO".ljust(22)
    assert entry[79:94] == "011000010000001"
    assert lines[3][0] == "8" and lines[3][4:10] == "000001" and lines[3][10:20] == "0006100010"
    assert lines[3][32:44] == "000000041234"
    assert lines[4][0] == "9" and lines[4][31:43] == "000000000000" and lines[4][43:55] == "000000041234"
    assert lines[5:] == ["9" * 94] * 5
    assert "000123456789" not in str(Payout.objects.values_list())  # the account number is encrypted at rest


@pytest.mark.django_db
def test_a_bad_direct_deposit_authorization_names_every_field(officer: object) -> None:
    person = factories.person(officer)
    with pytest.raises(InvalidInputs) as raised:
        request_direct_deposit(actor=officer, person=person, routing_number="061000105", account_number="12",
                               account_type="brokerage", starts_on=date(2026, 1, 1))  # fmt: skip
    assert {error.field for error in raised.value.errors} == {"routing_number", "account_number", "account_type"}


@pytest.mark.django_db
def test_the_states_share_is_a_transfer_to_the_iv_a_agency(officer: object, signer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00", program="current_assistance")
    _custodial(officer, case)
    record_assistance(actor=officer, case=case, starts_on=date(2026, 1, 1), grant_monthly=Decimal("250.00"))
    _pay(officer, case, "300.00")

    run_disbursements(actor=signer, run_on=date(2026, 2, 17))

    payouts = {payout.payee: payout for payout in Payout.objects.filter(case=case)}
    state = payouts[Payee.STATE]
    assert state.method == PaymentMethod.TRANSFER and state.amount == Decimal("300.00") - _balance(case, Payee.FAMILY)
    assert sum((payout.amount for payout in payouts.values()), Decimal(0)) == Decimal("300.00")


@pytest.mark.django_db
def test_a_protected_address_never_reaches_the_check_register_and_the_money_becomes_undistributable(
    officer: object, signer: object
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    person = _custodial(officer, case, protected=True)
    _pay(officer, case, "300.00")

    summary = run_disbursements(actor=signer, run_on=date(2026, 2, 17))

    assert summary.payouts == 0 and summary.undistributable == Decimal("300.00")
    assert "Magnolia" not in summary.run.check_register
    assert _balance(case, Payee.UNDISTRIBUTABLE) == Decimal("300.00") and _balance(case, Payee.FAMILY) == 0
    assert verify_ledger() == []

    # The officer records a bank account and releases the money: the next run pays it by direct deposit.
    factories.direct_deposit(officer, person=person, routing_number="061000104", account_number="987654321",
                             account_type="checking", starts_on=date(2026, 2, 18))  # fmt: skip
    assert release_undistributable(actor=signer, case=case, reason="Bank account received") == Decimal("300.00")
    later = run_disbursements(actor=signer, run_on=date(2026, 2, 19))
    paid = Payout.objects.get(case=case)
    assert later.eft == 1 and paid.amount == Decimal("300.00")
    released = CollectionShare.objects.filter(case=case, payee=Payee.FAMILY, amount__gt=0).order_by("-pk").first()
    assert released is not None and paid.due_on == released.due_on  # due from the release, not from February
    assert "Magnolia" not in later.run.nacha_file
    assert verify_ledger() == []


@pytest.mark.django_db
def test_a_returned_deposit_moves_the_money_to_undistributable_and_nothing_is_paid_twice(
    officer: object, signer: object
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    person = _custodial(officer, case, address=False)
    factories.direct_deposit(officer, person=person, routing_number="061000104", account_number="987654321",
                             account_type="checking", starts_on=date(2026, 1, 1))  # fmt: skip
    _pay(officer, case, "300.00")
    run_disbursements(actor=signer, run_on=date(2026, 2, 17))
    payout = Payout.objects.get(case=case)

    return_payout(actor=officer, payout=payout, kind="eft_returned", returned_on=date(2026, 2, 20),
                  reason="R03 no account")  # fmt: skip
    with pytest.raises(Conflict):
        return_payout(actor=officer, payout=payout, kind="eft_returned", returned_on=date(2026, 2, 20), reason="again")
    after = run_disbursements(actor=signer, run_on=date(2026, 2, 23))

    assert _balance(case, Payee.UNDISTRIBUTABLE) == Decimal("300.00")
    assert after.payouts == 0  # the returned money and its move cancel out: a netted 0.00 payout, no money
    assert Payout.objects.filter(case=case, method=PaymentMethod.NETTED, amount=0).count() == 1
    assert verify_ledger() == []


@pytest.mark.django_db
def test_an_overpayment_from_a_reversal_is_recouped_from_the_next_payment(officer: object, signer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, case)
    first = _pay(officer, case, "300.00")
    run_disbursements(actor=signer, run_on=date(2026, 2, 17))  # 300.00 paid to the family
    reverse_collection(actor=officer, collection=first, reason="NSF", reversed_on=date(2026, 2, 17))

    assert run_disbursements(actor=signer, run_on=date(2026, 2, 18)).payouts == 0
    assert disbursement_selectors.overpayments() == [(case.pk, Payee.FAMILY, Decimal("300.00"))]

    # The reversal is dated the day it is made (today), so the next payment is dated today too: it meets
    # the debt the reversal restored, and goes to the family in full.
    today = timezone.localdate()
    _pay(officer, case, "450.00", on=today)
    run_disbursements(actor=signer, run_on=today)

    latest = Payout.objects.filter(case=case).order_by("-pk").first()
    assert latest is not None and latest.amount == Decimal("150.00")  # 450.00 less the 300.00 overpaid
    assert disbursement_selectors.overpayments() == []
    assert verify_ledger() == []


@pytest.mark.django_db
def test_unclaimed_money_goes_to_the_state_after_the_dormancy_period(officer: object, signer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, case, address=False)
    _pay(officer, case, "300.00")
    run_disbursements(actor=signer, run_on=date(2026, 2, 17))  # undistributable: no address, no bank account

    # Miss. Code Ann. 89-12-14(1): five years from the run that found no way to pay (a business date, not the
    # day the row was written: this test passes whatever today is).
    with pytest.raises(Conflict, match="5 years"):
        transfer_unclaimed(actor=signer, case=case, as_of=date(2031, 2, 16), reason="Searched FPLS, no address")
    held = undistributable_of_case(case=case, as_of=date(2031, 2, 16))
    assert held is not None and held.since == date(2026, 2, 17) and held.unclaimed_from == date(2031, 2, 17)
    moved = transfer_unclaimed(actor=signer, case=case, as_of=date(2031, 2, 17), reason="Searched FPLS, no address")

    assert moved == Decimal("300.00") and _balance(case, Payee.ESCHEATED) == Decimal("300.00")
    assert verify_ledger() == []


@pytest.mark.django_db
def test_only_signature_authority_runs_disbursements(officer: object) -> None:
    with pytest.raises(NotAuthorized):
        run_disbursements(actor=officer, run_on=RUN_DAY)


@pytest.mark.django_db
def test_the_command_writes_the_bank_file_and_the_check_register(officer: object, tmp_path: object, capsys) -> None:  # type: ignore[no-untyped-def]
    case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, case)
    _pay(officer, case, "300.00")

    call_command("disburse", "--on", "2026-02-17", "--out", str(tmp_path))

    printed = capsys.readouterr().out
    assert "1 payouts" in printed and "300.00" in printed
    assert (tmp_path / "checks-2026-02-17.csv").read_text().count("\n") == 2  # type: ignore[operator]


@pytest.mark.django_db
def test_a_federal_tax_offset_is_due_thirty_days_after_receipt(officer: object) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    post_collection(actor=officer, case=case, amount=Decimal("200.00"), source="federal_tax_offset",
                    collected_on=date(2026, 4, 20), received_on=date(2026, 4, 20))  # fmt: skip

    # 45 CFR 302.32(b)(3)(ii)(A); domain note distribution.md Example 4: received Apr 20, due May 20, 2026.
    assert set(CollectionShare.objects.filter(case=case).values_list("due_on", flat=True)) == {date(2026, 5, 20)}


@pytest.mark.django_db
def test_a_suspense_payment_is_due_two_business_days_after_it_is_identified(officer: object) -> None:
    from opencse.ledger.services import hold_in_suspense, resolve_suspense
    from opencse.rules.calendar import add_business_days

    case, _ = case_with_order(officer, monthly="300.00")
    held = hold_in_suspense(actor=officer, amount=Decimal("300.00"), source="direct_payment",
                            collected_on=date(2026, 2, 13), received_on=date(2026, 2, 13),
                            reason="no case number")  # fmt: skip
    resolve_suspense(actor=officer, collection=held, case=case)

    # 42 U.S.C. 654b(c)(1): the clock starts when the payee is identified (today), not at receipt.
    expected = add_business_days(timezone.localdate(), 2, "MS")
    assert set(CollectionShare.objects.filter(collection=held).values_list("due_on", flat=True)) == {expected}


def _state_transfer(officer: object, signer: object, *, collected_on: date, run_on: date) -> Payout:
    case, _ = case_with_order(
        officer, monthly="300.00", program="current_assistance", starts_on=collected_on.replace(day=1)
    )
    _custodial(officer, case)
    record_assistance(actor=officer, case=case, starts_on=collected_on.replace(day=1), grant_monthly=Decimal("900.00"))
    _pay(officer, case, "300.00", on=collected_on)
    run_disbursements(actor=signer, run_on=run_on)
    return Payout.objects.get(case=case, payee=Payee.STATE)


@pytest.mark.django_db
def test_the_state_transfer_carries_the_federal_share_when_the_fmap_is_on_file(
    officer: object, signer: object, settings: object
) -> None:
    transfers = []
    for state in ("MS", "WA"):
        settings.OPENCSE_STATE = state  # type: ignore[attr-defined]
        # Collected Thu 2025-02-13 and transferred Wed 2025-02-19: federal fiscal year 2025. FMAP (HHS notice
        # 88 FR 81090, Table 1): Mississippi 76.90 %, Washington 50.00 %. 300.00 x 76.90 % = 230.70.
        transfers.append(_state_transfer(officer, signer, collected_on=date(2025, 2, 13), run_on=date(2025, 2, 19)))

    assert [(row.amount, row.federal_share) for row in transfers] == [
        (Decimal("300.00"), Decimal("230.70")),
        (Decimal("300.00"), Decimal("150.00")),
    ]


@pytest.mark.django_db
def test_the_federal_share_of_a_transfer_in_fy2027_is_not_determined(
    officer: object, signer: object, settings: object
) -> None:
    settings.OPENCSE_STATE = "MS"  # type: ignore[attr-defined]
    # No FMAP for FY2027 (from 2026-10-01) has been read: recorded as not determined, never carried forward.
    transfer = _state_transfer(officer, signer, collected_on=date(2026, 10, 1), run_on=date(2026, 10, 6))

    assert (transfer.amount, transfer.federal_share) == (Decimal("300.00"), None)


@pytest.mark.django_db
def test_a_run_killed_midway_is_resumed_and_pays_everything_once(
    officer: object, signer: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = []
    for _ in range(3):
        case, _ = case_with_order(officer, monthly="300.00")
        _custodial(officer, case)
        _pay(officer, case, "300.00")
        cases.append(case)
    real_pay_chunk = disbursement._pay_chunk
    calls: list[int] = []

    def dies_on_the_second_chunk(run: object, case_ids: list[int], **options: object) -> Decimal:
        calls.append(len(case_ids))
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real_pay_chunk(run, case_ids, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(disbursement, "_pay_chunk", dies_on_the_second_chunk)
    with pytest.raises(RuntimeError):
        run_disbursements(actor=signer, run_on=date(2026, 2, 17), chunk_size=1)
    assert Payout.objects.count() == 1  # the first chunk committed, the second rolled back
    monkeypatch.setattr(disbursement, "_pay_chunk", real_pay_chunk)

    summary = run_disbursements(actor=signer, run_on=date(2026, 2, 17), chunk_size=1)

    assert Payout.objects.count() == 3 and {payout.run_id for payout in Payout.objects.all()} == {summary.run.pk}
    assert summary.payouts == 3 and summary.total == Decimal("900.00")  # the resumed run's files hold all three
    assert len(summary.run.check_register.splitlines()) == 4
    assert verify_ledger() == []


@pytest.mark.django_db(transaction=True)
def test_a_second_run_is_refused_while_one_is_in_progress(signer: object) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the run's advisory lock is a PostgreSQL lock; SQLite serializes writers itself")
    import psycopg

    settings_dict = connection.settings_dict
    other = psycopg.connect(host=settings_dict["HOST"], port=settings_dict["PORT"] or 5432,
                            user=settings_dict["USER"], password=settings_dict["PASSWORD"] or None,
                            dbname=settings_dict["NAME"], autocommit=True)  # fmt: skip
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [disbursement.RUN_LOCK_KEY])  # a run in progress elsewhere
        with pytest.raises(Conflict, match="in progress"):
            run_disbursements(actor=signer, run_on=RUN_DAY)
        other.execute("SELECT pg_advisory_unlock(%s)", [disbursement.RUN_LOCK_KEY])

        assert run_disbursements(actor=signer, run_on=RUN_DAY).payouts == 0  # free again
    finally:
        other.close()


@pytest.mark.django_db
def test_a_current_assistance_familys_money_beyond_the_pass_through_is_due_after_the_month_end(
    officer: object,
) -> None:
    case, _ = case_with_order(officer, monthly="300.00", program="current_assistance")
    record_assistance(actor=officer, case=case, starts_on=date(2026, 1, 1), grant_monthly=Decimal("100.00"))
    # January (arrears) and February (current) owe 600.00, all assigned; URA is 200.00 (two months of a 100.00
    # grant), so the State keeps 200.00 and the family gets 400.00 (no pass-through in Mississippi's
    # parameters); received Tue Feb 10, 2026.
    collection = _pay(officer, case, "600.00", on=date(2026, 2, 10))

    rows = {row.source_key.rsplit(":", 1)[-1]: row for row in CollectionShare.objects.filter(collection=collection)}

    # 45 CFR 302.32(b)(2)(i): two business days after the end of February (Sat Feb 28): Tue Mar 3, 2026.
    assert (rows["month-end"].payee, rows["month-end"].amount) == (Payee.FAMILY, Decimal("400.00"))
    assert rows["month-end"].due_on == date(2026, 3, 3)
    assert (rows["state"].amount, rows["state"].due_on) == (Decimal("200.00"), date(2026, 2, 12))
    assert sum((row.amount for row in rows.values()), Decimal(0)) == Decimal("600.00")
    assert verify_ledger() == []
