"""Paying another state's IV-D agency on a responding interstate case (45 CFR 303.7(d)(6)(v)): by EFT, a
NACHA CCD+ credit with the child support DED addenda, when the case is linked to an agency of the directory
with a remittance account; by check otherwise. The CCD+ file is read back with `read_nacha`."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from opencse.cases.agencies import AgencyInput, link_case_to_agency, register_agency
from opencse.cases.models import Case, MemberRole, OtherAgency
from opencse.cases.services import add_member, update_case
from opencse.errors import Conflict
from opencse.interfaces.nacha import read_nacha
from opencse.ledger.disbursement import _pay_chunk, run_disbursements
from opencse.ledger.models import DisbursementRun, Payee, PaymentMethod, Payout
from opencse.ledger.services import post_collection
from opencse.ledger.verify import verify_ledger
from opencse.people.services import update_person
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order

RUN_ON = date(2026, 2, 17)
TEXAS_ACCOUNT = "7712345678"
TEXAS_CASE = "TX0012345678"


@pytest.fixture
def supervisor(db: None) -> User:
    return factories.user(Role.SUPERVISOR, username="supervisor")


@pytest.fixture
def signer(db: None) -> User:
    return factories.user(Role.OFFICER_2, username="signer")


def _texas(supervisor: User, *, account: bool = True) -> OtherAgency:
    return register_agency(
        actor=supervisor,
        data=AgencyInput(
            name="Texas OAG Child Support",
            kind="state",
            fips_code="48000",
            routing_number="061000104" if account else "",
            account_number=TEXAS_ACCOUNT if account else None,
            address_line1="PO Box 12017",
            address_line3="Austin, TX 78711",
        ),
    )


def _responding_case(officer: User, *, agency: OtherAgency | None, ssn: str = "512-34-9876") -> Case:
    case, _ = case_with_order(officer, monthly="300.00")
    case = update_case(actor=officer, case=case, category="interstate_responding", other_jurisdiction="Texas")
    obligor = case.members.get(role=MemberRole.NONCUSTODIAL_PARENT).person
    if ssn:
        update_person(actor=officer, person=obligor, ssn=ssn)
    if agency is not None:
        case = link_case_to_agency(actor=officer, case=case, agency=agency, other_case_identifier=TEXAS_CASE)
    return case


def _pay(officer: User, case: Case, amount: str, *, on: date = date(2026, 2, 13)) -> None:
    post_collection(actor=officer, case=case, amount=Decimal(amount), source="income_withholding",
                    collected_on=on, received_on=on)  # fmt: skip


@pytest.mark.django_db
def test_a_linked_responding_case_is_paid_by_ccd_and_the_ded_carries_the_other_states_case_number(
    officer: User, supervisor: User, signer: User
) -> None:
    texas = _texas(supervisor)
    case = _responding_case(officer, agency=texas)
    _pay(officer, case, "412.34")

    summary = run_disbursements(actor=signer, run_on=RUN_ON)

    payout = Payout.objects.get(case=case)
    assert (payout.payee, payout.method, payout.agency_id) == (Payee.FAMILY, PaymentMethod.EFT, texas.pk)
    assert (summary.eft, summary.interstate, summary.run.nacha_file) == (1, 1, "")
    read = read_nacha(summary.run.interstate_file)
    assert read.rejected == ()
    [record] = read.records
    assert record.case_identifier == TEXAS_CASE  # DED02: the receiving agency's case number
    assert record.amount == Decimal("412.34")
    assert record.fips_code == "48000"
    assert record.obligor_ssn == "512349876"
    assert record.payment_date == date(2026, 2, 13)  # DED03: the collection date
    assert (record.medical_support, record.employment_terminated) == (False, False)
    assert record.trace_number == payout.reference
    assert record.obligor_last_name == "BOONE" and record.obligor_first_name == "CUR"
    entry = summary.run.interstate_file.splitlines()[2]
    assert entry[3:12] == "061000104" and entry[12:29] == TEXAS_ACCOUNT.ljust(17)
    assert entry[39:54] == case.number.ljust(15) and entry[54:76] == "TEXAS OAG CHILD SUPPOR"  # 22 characters
    assert verify_ledger() == []


@pytest.mark.django_db
def test_trace_numbers_are_unique_across_the_ppd_and_ccd_files_of_a_run(
    officer: User, supervisor: User, signer: User
) -> None:
    family, _ = case_with_order(officer, monthly="300.00")
    custodial = factories.person(officer, first_name="Alicia", last_name="Moreno")
    add_member(actor=officer, case=family, person=custodial, role="custodial_party")
    factories.direct_deposit(officer, person=custodial, routing_number="061000104",
                             account_number="000123456789", account_type="checking",
                             starts_on=date(2026, 1, 1))  # fmt: skip
    interstate = _responding_case(officer, agency=_texas(supervisor))
    _pay(officer, family, "300.00")
    _pay(officer, interstate, "250.00")

    run = run_disbursements(actor=signer, run_on=RUN_ON).run

    ppd, ccd = read_nacha_traces(run.nacha_file), read_nacha(run.interstate_file)
    ccd_traces = [record.trace_number for record in ccd.records]
    assert len(ppd) == 1 and len(ccd_traces) == 1
    assert set(ppd).isdisjoint(ccd_traces)
    assert run.nacha_file.splitlines()[0][33] != run.interstate_file.splitlines()[0][33]  # distinct file IDs
    assert verify_ledger() == []


def read_nacha_traces(ppd_file: str) -> list[str]:
    return [line[79:94] for line in ppd_file.splitlines() if line.startswith("6")]


@pytest.mark.django_db
def test_the_agencys_account_number_never_appears_outside_the_file(
    officer: User, supervisor: User, signer: User, client_for: object
) -> None:
    texas = _texas(supervisor)
    case = _responding_case(officer, agency=texas)
    _pay(officer, case, "100.00")

    run = run_disbursements(actor=signer, run_on=RUN_ON).run

    assert TEXAS_ACCOUNT in run.interstate_file
    stored = [
        OtherAgency.objects.values_list(),
        Payout.objects.values_list(),
        AuditEvent.objects.values_list(),
        Case.objects.values_list(),
    ]
    assert all(TEXAS_ACCOUNT not in str(list(rows)) for rows in stored)
    assert TEXAS_ACCOUNT not in run.nacha_file + run.check_register
    response = client_for(officer).get(f"/api/v1/agencies/{texas.pk}")  # type: ignore[operator]
    assert response.status_code == 200 and TEXAS_ACCOUNT not in response.content.decode()
    assert response.json()["account_last4"] == "5678"


@pytest.mark.django_db
def test_a_responding_case_without_a_link_is_paid_by_check_as_before(officer: User, signer: User) -> None:
    case = _responding_case(officer, agency=None)
    _pay(officer, case, "300.00")

    run = run_disbursements(actor=signer, run_on=RUN_ON).run

    payout = Payout.objects.get(case=case)
    assert (payout.method, payout.recipient_name, payout.agency_id) == (
        PaymentMethod.CHECK, "Child support agency, Texas", None)  # fmt: skip
    assert run.interstate_file == ""
    assert verify_ledger() == []


@pytest.mark.django_db
def test_a_linked_agency_without_a_bank_account_gets_a_check_at_its_directory_address(
    officer: User, supervisor: User, signer: User
) -> None:
    texas = _texas(supervisor, account=False)
    case = _responding_case(officer, agency=texas)
    _pay(officer, case, "300.00")

    run = run_disbursements(actor=signer, run_on=RUN_ON).run

    payout = Payout.objects.get(case=case)
    assert (payout.method, payout.recipient_name, payout.agency_id) == (
        PaymentMethod.CHECK, "Texas OAG Child Support", texas.pk)  # fmt: skip
    line = run.check_register.splitlines()[1]
    assert line.endswith(',Texas OAG Child Support,PO Box 12017,"Austin, TX 78711",')
    assert run.interstate_file == ""


@pytest.mark.django_db
def test_without_the_obligors_ssn_the_agency_is_paid_by_check_because_ded05_is_mandatory(
    officer: User, supervisor: User, signer: User
) -> None:
    case = _responding_case(officer, agency=_texas(supervisor), ssn="")
    _pay(officer, case, "300.00")

    run = run_disbursements(actor=signer, run_on=RUN_ON).run

    assert Payout.objects.get(case=case).method == PaymentMethod.CHECK
    assert run.interstate_file == ""


@pytest.mark.django_db
def test_an_inactive_agency_is_not_paid_by_eft(officer: User, supervisor: User, signer: User) -> None:
    texas = _texas(supervisor)
    case = _responding_case(officer, agency=texas)
    OtherAgency.objects.filter(pk=texas.pk).update(active=False)
    _pay(officer, case, "300.00")

    run = run_disbursements(actor=signer, run_on=RUN_ON).run

    payout = Payout.objects.get(case=case)
    assert (payout.method, payout.recipient_name) == (PaymentMethod.CHECK, "Child support agency, Texas")
    assert run.interstate_file == ""


@pytest.mark.django_db
def test_a_payout_of_several_collections_is_one_entry_dated_by_the_latest_collection(
    officer: User, supervisor: User, signer: User
) -> None:
    case = _responding_case(officer, agency=_texas(supervisor))
    _pay(officer, case, "100.00", on=date(2026, 2, 11))
    _pay(officer, case, "150.00", on=date(2026, 2, 13))

    run = run_disbursements(actor=signer, run_on=RUN_ON).run

    [record] = read_nacha(run.interstate_file).records
    assert (record.amount, record.payment_date) == (Decimal("250.00"), date(2026, 2, 13))


@pytest.mark.django_db
def test_the_command_writes_the_ccd_file_beside_the_ppd_file(officer: User, supervisor: User, tmp_path: Path) -> None:
    case = _responding_case(officer, agency=_texas(supervisor))
    _pay(officer, case, "300.00")

    call_command("disburse", "--on", RUN_ON.isoformat(), "--out", str(tmp_path))

    written = (tmp_path / f"ccd-{RUN_ON.isoformat()}.ach").read_text(encoding="ascii")
    assert [record.case_identifier for record in read_nacha(written).records] == [TEXAS_CASE]
    assert not (tmp_path / f"ppd-{RUN_ON.isoformat()}.ach").exists()
    out = io.StringIO()
    call_command("ledger", "verify", stdout=out)  # `opencse ledger verify`: exits 1 on a problem
    assert "ledger verify: 0 problem(s)" in out.getvalue()


@pytest.mark.django_db
def test_downloading_the_ccd_file_is_audited(officer: User, supervisor: User, signer: User, client_for: object) -> None:
    case = _responding_case(officer, agency=_texas(supervisor))
    _pay(officer, case, "300.00")
    run = run_disbursements(actor=signer, run_on=RUN_ON).run

    response = client_for(signer).get(f"/api/v1/disbursement-runs/{run.pk}/interstate-file")  # type: ignore[operator]

    assert response.status_code == 200 and response.content.decode() == run.interstate_file
    assert AuditEvent.objects.filter(action="export.interstate_file", actor=signer).count() == 1


@pytest.mark.django_db
def test_a_run_resumed_after_the_link_was_removed_stays_unfinished_until_it_is_restored(
    officer: User, supervisor: User, signer: User
) -> None:
    texas = _texas(supervisor)
    case = _responding_case(officer, agency=texas)
    _pay(officer, case, "300.00")
    crashed = DisbursementRun.objects.create(run_on=RUN_ON, actor=signer)
    _pay_chunk(crashed, [case.pk])  # the run paid the case, then stopped before writing its files
    link_case_to_agency(actor=officer, case=case, agency=None, other_case_identifier="")

    with pytest.raises(Conflict):
        run_disbursements(actor=signer, run_on=RUN_ON)
    link_case_to_agency(actor=officer, case=case, agency=texas, other_case_identifier=TEXAS_CASE)
    resumed = run_disbursements(actor=signer, run_on=RUN_ON).run

    assert resumed.pk == crashed.pk and resumed.finished_at is not None
    assert [record.case_identifier for record in read_nacha(resumed.interstate_file).records] == [TEXAS_CASE]
    assert Payout.objects.filter(case=case).count() == 1
