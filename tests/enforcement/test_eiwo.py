"""The e-IWO file (OMB 0970-0154, Appendix D "e-IWO Record Layouts" v4.0) and the employer acknowledgments.

Positions cited: Chart D-1 Universal Header 1-3 document code, 4-25 control number; Chart D-3 e-IWO Detail
(2020-05-13 revision) 1-3 'DTL', 7-9 document action code, 10-17 document date CCYYMMDD, 18-52 issuing State
name, 88-102 case ID, 103-159 employer name; the later positions are the inferred ones of
/work/shared/domain/federal-interfaces.md 3.4 (employee SSN 306-314, total amount 568-578, 12-week indicator
580, amounts per pay period 581-624, payee name 674-730, tracking number 1547-1576, child 1 at 1815).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from opencse.enforcement.eiwo import mark_eiwo_employer, tracking_number, write_eiwo_file
from opencse.enforcement.models import (
    EiwoAcknowledgment,
    EiwoAckProblem,
    EiwoEmployerNotice,
    EiwoFile,
    EiwoTransmission,
)
from opencse.enforcement.services import amend_income_withholding
from opencse.errors import Conflict
from opencse.interfaces import eiwo as layout
from opencse.people.models import Person
from opencse.security.models import AuditEvent
from opencse.security.services import system_actor
from opencse.work.models import Task, TaskKind
from tests.enforcement.eiwo_helpers import SENT_ON, withholding_sent


def cut(record: str, first: int, last: int) -> str:
    return record[first - 1 : last]


def sample_order(**changes: Any) -> layout.EiwoOrder:
    values: dict[str, Any] = dict(
        action="ORG", document_date=date(2026, 6, 1), issuing_state_name="Mississippi",
        issuing_jurisdiction_name="MDHS Division of Child Support", case_id="MS-2026-000123",
        employer_name="Gulf Coast Shipbuilding", employer_address=layout.Address("100 Yard Road", "", "Pascagoula",
                                                                               "MS", "39567-1234"),
        employer_ein="64-0123456", employee_last="Boone", employee_first="Curtis", employee_middle="",
        employee_suffix="", employee_ssn="401-55-0123", employee_birth_date=date(1985, 4, 9),
        obligee_last="Moreno", obligee_first="Alicia", issuing_tribunal_name="MDHS Division of Child Support",
        current_child_support=Decimal("400.00"), past_due_child_support=Decimal("80.00"),
        current_medical_support=Decimal("0"), current_spousal_support=Decimal("0"), other_amount=Decimal("0"),
        other_description="", total_amount=Decimal("480.00"), arrears_over_12_weeks=True,
        per_weekly=Decimal("110.77"), per_biweekly=Decimal("221.54"), per_semimonthly=Decimal("240.00"),
        per_monthly=Decimal("480.00"), employer_state_name="Mississippi", begin_within_days=14,
        remit_within_days=7, limit_percent=Decimal("50"), payee_name="STATE DISBURSEMENT UNIT",
        payee_address=layout.Address("P.O. Box 1001", "", "Capital City", "MS", "39299"),
        official_name="OpenCSE", official_title="", send_employee_copy=False,
        document_tracking_number="MSIWO000000000007", order_identifier="AO-1", remittance_identifier="MS-1",
        children=[layout.EiwoChild("Moreno", "Mateo", birth_date=date(2018, 2, 3))],
    )  # fmt: skip
    values.update(changes)
    return layout.EiwoOrder(**values)


def test_every_record_is_the_detail_length_and_the_detail_fields_sit_at_their_positions() -> None:
    text = layout.write_file(
        layout.EiwoFile(
            control_number="280002026060100 1".replace(" ", ""),
            state_fips="28000",
            state_ein="640000000",
            created_at=datetime(2026, 6, 1, 18, 30, 5),
            batches=[layout.EiwoBatch("2800020260601001 0001".replace(" ", ""), "640123456", [sample_order()])],
        )
    )
    lines = text.splitlines()
    assert [line[:3] for line in lines] == ["FHI", "BHI", "DTL", "BTI", "FTI"]
    assert {len(line) for line in lines} == {layout.RECORD_LENGTH} == {2242}  # D-3's last inferred position
    dtl = lines[2]
    assert cut(dtl, 7, 9) == "ORG" and cut(dtl, 10, 17) == "20260601"  # D-3: action 7-9, date 10-17
    assert cut(dtl, 18, 52).rstrip() == "MISSISSIPPI"
    assert cut(dtl, 88, 102) == "MS-2026-000123 "  # D-3: case ID 88-102
    assert cut(dtl, 103, 159).rstrip() == "GULF COAST SHIPBUILDING"
    assert cut(dtl, 160, 184).rstrip() == "100 YARD ROAD"
    assert cut(dtl, 234, 238) == "39567" and cut(dtl, 239, 242) == "1234"
    assert cut(dtl, 243, 251) == "640123456"
    assert cut(dtl, 306, 314) == "401550123"  # the full SSN, digits only
    assert cut(dtl, 315, 322) == "19850409"
    assert cut(dtl, 449, 460) == "00000040000M"  # current child support $400.00 monthly, 2 implied decimals
    assert cut(dtl, 461, 472) == "00000008000M"  # past-due child support $80.00
    assert cut(dtl, 473, 484) == "00000000000 "  # nothing: no frequency
    assert cut(dtl, 568, 579) == "00000048000M"  # total
    assert cut(dtl, 580, 580) == "Y"  # arrears 12 weeks or more overdue
    assert cut(dtl, 581, 591) == "00000011077" and cut(dtl, 614, 624) == "00000048000"
    assert cut(dtl, 660, 661) == "14" and cut(dtl, 670, 671) == "07" and cut(dtl, 672, 673) == "50"
    assert cut(dtl, 674, 730).rstrip() == "STATE DISBURSEMENT UNIT"
    assert cut(dtl, 1547, 1576).rstrip() == "MSIWO000000000007"
    assert cut(dtl, 1815, 1834).rstrip() == "MORENO" and cut(dtl, 1869, 1876) == "20180203"
    header, trailer = lines[0], lines[-1]
    assert cut(header, 4, 25).rstrip() == "2800020260601001"  # D-1: control number 4-25
    assert cut(header, 26, 30) == "28000" and cut(header, 49, 62) == "20260601183005"
    assert cut(lines[1], 31, 39) == "640123456"  # the batch's employer EIN
    assert cut(trailer, 26, 30) == "00001" and cut(trailer, 31, 35) == "00001"  # batches, records


@pytest.mark.parametrize(
    ("amount", "text"),
    [(Decimal("0"), "00000000000"), (Decimal("1234.56"), "00000123456"), (Decimal("0.07"), "00000000007"),
     (Decimal("999999999.99"), "99999999999")],
)  # fmt: skip
def test_amounts_have_two_implied_decimals(amount: Decimal, text: str) -> None:
    assert layout.amount_text(amount) == text


@given(st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2))
def test_an_amount_written_reads_back_the_same(amount: Decimal) -> None:
    assert Decimal(layout.amount_text(amount)) / 100 == amount


def test_a_negative_or_too_large_amount_and_a_bad_ssn_are_refused() -> None:
    with pytest.raises(ValueError):
        layout.amount_text(Decimal("-1"))
    with pytest.raises(ValueError):
        layout.amount_text(Decimal("1000000000.00"))
    with pytest.raises(ValueError, match="nine digits"):
        layout.detail_record(sample_order(employee_ssn="12345"))


def ack(tracking: str, status: str = "A", reason: str = "", **more: str) -> str:
    return layout.ack_record({"document_action_code": "ORG", "document_tracking_number": tracking,
                              "disposition_status": status, "disposition_reason": reason, **more})  # fmt: skip


def test_the_ack_parser_reads_good_records_and_reports_bad_lines_by_number() -> None:
    text = [
        "FHA header",
        ack("MSIWO1", "A"),
        ack("MSIWO2", "R", "N", termination_date="20260515"),
        "XYZ what is this",
        ack("MSIWO3", "Q"),
        ack("MSIWO4", "R", "N", termination_date="2026-05-15"),
        "",
        "ACKORG",
    ]
    good, bad = layout.parse_acknowledgments(text)
    assert [(a.line_number, a.status, a.reason) for a in good] == [(2, "A", ""), (3, "R", "N")]
    assert good[1].termination_date == date(2026, 5, 15)
    assert good[1].in_words == "Rejected: the employee no longer works for the employer"
    assert [line.line_number for line in bad] == [4, 5, 6, 8]
    assert "unknown record type" in bad[0].problem and "disposition status" in bad[1].problem
    assert "CCYYMMDD" in bad[2].problem and "characters" in bad[3].problem


# --- Django side ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_file_carries_each_e_iwo_employers_order_once_with_the_full_ssn(officer: Any, tmp_path: Path) -> None:
    sent = withholding_sent(officer)
    paper = withholding_sent(
        officer, fein="640999999", employer="Paper Only Inc", ssn="401-55-0124"
    )  # not an e-IWO employer
    mark_eiwo_employer(actor=officer, employer=sent.employer, since=date(2026, 1, 1))

    first = write_eiwo_file(actor=system_actor(), on=SENT_ON, out_dir=tmp_path)

    assert first.file is not None and first.path is not None and first.file.orders == 1
    lines = first.path.read_text().splitlines()
    assert [line[:3] for line in lines] == ["FHI", "BHI", "DTL", "BTI", "FTI"]
    dtl = lines[2]
    assert cut(dtl, 306, 314) == "401550123" and cut(dtl, 88, 102).rstrip() == sent.case.number
    assert cut(dtl, 449, 459) == "00000040000"  # the order's $400.00 current support
    assert cut(dtl, 1547, 1576).rstrip() == tracking_number(sent.pk)
    assert cut(dtl, 674, 730).rstrip() == "STATE DISBURSEMENT UNIT"  # settings.OPENCSE_SDU_NAME
    assert cut(lines[0], 4, 25).rstrip() == first.file.control_number == "2800020260601001"
    assert EiwoTransmission.objects.get().withholding_id == sent.pk
    assert not EiwoTransmission.objects.filter(withholding=paper).exists()
    assert AuditEvent.objects.filter(action="eiwo.sent_with_ssn", target_id=str(sent.pk)).count() == 1

    again = write_eiwo_file(actor=system_actor(), on=SENT_ON, out_dir=tmp_path)  # idempotent

    assert again.file is None and EiwoFile.objects.count() == 1 and len(list(tmp_path.iterdir())) == 1


@pytest.mark.django_db
def test_an_amendment_goes_in_the_next_file_with_its_own_control_number(officer: Any, tmp_path: Path) -> None:
    sent = withholding_sent(officer)
    mark_eiwo_employer(actor=officer, employer=sent.employer, since=date(2026, 1, 1))
    write_eiwo_file(actor=system_actor(), on=SENT_ON, out_dir=tmp_path)
    amended = amend_income_withholding(actor=officer, withholding=sent, dated_on=date(2026, 6, 2), reason="Review")

    second = write_eiwo_file(actor=system_actor(), on=date(2026, 6, 2), out_dir=tmp_path)

    assert second.file is not None and second.path is not None
    assert second.file.control_number == "2800020260602001"
    assert cut(second.path.read_text().splitlines()[2], 7, 9) == "AMD"
    assert EiwoTransmission.objects.get(withholding=amended).file == second.file


@pytest.mark.django_db
def test_marking_an_employer_is_idempotent_and_refuses_another_date(officer: Any) -> None:
    sent = withholding_sent(officer)
    first = mark_eiwo_employer(actor=officer, employer=sent.employer, since=date(2026, 1, 1))
    assert mark_eiwo_employer(actor=officer, employer=sent.employer, since=date(2026, 1, 1)) == first
    with pytest.raises(Conflict):
        mark_eiwo_employer(actor=officer, employer=sent.employer, since=date(2026, 2, 1))


@pytest.mark.django_db
def test_acknowledgments_are_recorded_once_and_a_rejection_opens_a_task(officer: Any, tmp_path: Path) -> None:
    accepted = withholding_sent(officer)
    rejected = withholding_sent(officer, fein="640999999", employer="Delta Freight", ssn="401-55-0124")
    for withholding in (accepted, rejected):
        mark_eiwo_employer(actor=officer, employer=withholding.employer, since=date(2026, 1, 1))
    write_eiwo_file(actor=system_actor(), on=SENT_ON, out_dir=tmp_path)
    ack_file = tmp_path / "ack.txt"
    ack_file.write_text("\n".join([
        "FHA",
        ack(tracking_number(accepted.pk), "A", case_id=accepted.case.number),
        ack(tracking_number(rejected.pk), "R", "N", termination_date="20260520"),
        ack("MSIWO999999999999", "A"),
        "garbage",
    ]) + "\n")  # fmt: skip

    call_command("enforcement", "eiwo-ack", str(ack_file), "--received-on", "2026-06-05")
    call_command("enforcement", "eiwo-ack", str(ack_file), "--received-on", "2026-06-05")  # idempotent

    rows = {row.transmission.withholding_id: row for row in EiwoAcknowledgment.objects.all()}
    assert set(rows) == {accepted.pk, rejected.pk}
    assert rows[accepted.pk].accepted and rows[accepted.pk].in_words == "Accepted"
    assert not rows[rejected.pk].accepted and rows[rejected.pk].termination_date == date(2026, 5, 20)
    assert rows[rejected.pk].in_words == "Rejected: the employee no longer works for the employer"
    task = Task.objects.get(kind=TaskKind.EIWO_REJECTED)
    assert task.case_id == rejected.case_id and "no longer works" in task.detail
    assert task.due_on == date(2026, 6, 10)  # received + 5 days (work.subscribers.ENFORCEMENT_FOLLOW_UP_DAYS)
    problems = list(EiwoAckProblem.objects.order_by("line_number").values_list("line_number", "problem"))
    assert [number for number, _ in problems] == [4, 5]
    assert "tracking number" in problems[0][1]


@pytest.mark.django_db
def test_the_eiwo_commands_mark_write_and_say_what_they_did(officer: Any, tmp_path: Path, capsys: Any) -> None:
    sent = withholding_sent(officer)
    call_command("enforcement", "eiwo-employer", "64-0123456", "--since", "2026-01-01")
    call_command("enforcement", "eiwo", "--on", "2026-06-01", "--out", str(tmp_path))
    call_command("enforcement", "eiwo", "--on", "2026-06-01", "--out", str(tmp_path))
    out = capsys.readouterr().out
    assert "takes e-IWO since 01/01/2026" in out and "1 orders in" in out and "no order to send" in out
    assert EiwoTransmission.objects.get().withholding_id == sent.pk


def test_one_batch_per_employer_fein_and_the_file_trailer_counts_them_all() -> None:
    """Chart D-1: each employer batch (BHI) has its own control number; D-2: the trailers count the records."""
    batches = [
        layout.EiwoBatch("28000202606010010001", "640123456", [sample_order()]),
        layout.EiwoBatch("28000202606010010002", "640999999", [sample_order(), sample_order(action="TRM")]),
    ]
    created = datetime(2026, 6, 1, 18, 30, 5)
    text = layout.write_file(layout.EiwoFile("2800020260601001", "28000", "640000000", created, batches))
    lines = text.splitlines()
    assert [line[:3] for line in lines] == ["FHI", "BHI", "DTL", "BTI", "BHI", "DTL", "DTL", "BTI", "FTI"]
    assert cut(lines[4], 4, 25).rstrip() == "28000202606010010002" and cut(lines[4], 31, 39) == "640999999"
    assert cut(lines[7], 31, 35) == "00002" and cut(lines[6], 7, 9) == "TRM"
    assert cut(lines[8], 26, 30) == "00002" and cut(lines[8], 31, 35) == "00003"


@pytest.mark.django_db
def test_an_obligor_without_an_ssn_is_reported_not_sent(officer: Any, tmp_path: Path) -> None:
    """Chart D-3: the employee's SSN is required in the record; the printed order went all the same."""
    sent = withholding_sent(officer)
    Person.objects.filter(pk=sent.obligor_id).update(ssn_encrypted="", ssn_index="", ssn_last4="")
    mark_eiwo_employer(actor=officer, employer=sent.employer, since=date(2026, 1, 1))

    result = write_eiwo_file(actor=system_actor(), on=SENT_ON, out_dir=tmp_path)

    assert result.file is None and result.skipped == [(sent.case.number, "the employee's SSN is not on file")]
    assert not EiwoTransmission.objects.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_a_lump_sum_order_goes_as_document_action_lum_with_its_amount(officer: Any, tmp_path: Path) -> None:
    from opencse.enforcement.services import issue_lump_sum_order
    from opencse.ledger.accrual import accrue, roll_over

    sent = withholding_sent(officer)  # $400.00 a month since January 2026
    mark_eiwo_employer(actor=officer, employer=sent.employer, since=date(2026, 1, 1))
    write_eiwo_file(actor=system_actor(), on=SENT_ON, out_dir=tmp_path / "first")
    accrue(through=date(2026, 6, 30))
    for month_end in (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)):
        roll_over(month_ending=month_end)  # $1,600.00 past due
    lump = issue_lump_sum_order(actor=officer, case=sent.case, employment=sent.employment, dated_on=date(2026, 6, 2),
                                amount=None, payment="Bonus")  # fmt: skip

    written = write_eiwo_file(actor=system_actor(), on=date(2026, 6, 2), out_dir=tmp_path / "second")

    assert written.path is not None and lump.lump_sum == Decimal("1600.00")
    dtl = written.path.read_text().splitlines()[2]
    assert cut(dtl, 7, 9) == "LUM" and cut(dtl, 10, 17) == "20260602"  # D-3: document action code, date
    assert cut(dtl, 449, 459) == "00000000000"  # no periodic amount on a lump sum order
    assert "00000160000" in dtl  # the lump sum, two implied decimals (D-3's lump sum payment amount)


# --- The acknowledgment's other fields and the employer's own notices (action EMP) ---------------------------


def test_the_ack_fields_sit_at_their_inferred_positions_in_kansas_order() -> None:
    """Positions 1-6 from the 2011 Chart D-4; the order after them read in Kansas's LeB589ReadFile, the lengths
    from Kansas's view or Chart D-3 (docs/interfaces/eiwo.md)."""
    line = list(" " * 548)

    def put(first: int, text: str) -> None:
        line[first - 1 : first - 1 + len(text)] = text

    put(1, "ACKORG")
    put(7, "MS-2026-000123")
    put(22, "640123456")
    put(31, "401550123")
    put(94, "MSIWO000000000007")
    put(154, "R ")
    put(156, "  N")  # Kansas: the first non-blank character of the 3-character reason
    put(159, "20260515")
    put(250, "20260529")
    put(258, "00000021250")
    put(269, "DELTA FREIGHT")
    put(326, "1 DOCK STREET")
    put(376, "JACKSON")
    put(398, "MS39201")
    put(409, "20260701")
    put(417, "00000150000")
    put(428, "BONUS")
    put(538, "640999999")
    put(547, "AL")
    good, bad = layout.parse_acknowledgments(["".join(line)])
    assert bad == [] and len(good) == 1
    ack = good[0]
    assert (ack.case_id, ack.employer_ein, ack.tracking_number) == ("MS-2026-000123", "640123456", "MSIWO000000000007")
    assert (ack.status, ack.reason, ack.termination_date) == ("R", "N", date(2026, 5, 15))
    assert ack.final_payment_date == date(2026, 5, 29) and ack.final_payment_amount == Decimal("212.50")
    assert ack.new_employer_name == "DELTA FREIGHT"
    assert ack.new_employer_address == layout.Address("1 DOCK STREET", "", "JACKSON", "MS", "39201")
    assert (ack.lump_sum_date, ack.lump_sum_amount, ack.lump_sum_type) == (
        date(2026, 7, 1),
        Decimal("1500.00"),
        "BONUS",
    )
    assert (ack.corrected_ein, ack.multi_iwo_state) == ("640999999", "AL")
    assert "401550123" not in repr(ack)  # the SSN stays out of logs and tracebacks
    assert {f.evidence for f in layout.ACK.values()} == {"seen", "source", "inferred"}
    assert layout.ACK["document_action_code"].evidence == "seen" and layout.ACK["lump_sum_date"].evidence == "inferred"


def emp(kind: str, *, ssn: str = "401550123", fein: str = "640123456", tracking: str = "", **more: str) -> str:
    return layout.ack_record({"document_action_code": "EMP", "disposition_status": kind, "employee_ssn": ssn,
                              "employer_ein": fein, "document_tracking_number": tracking, **more})  # fmt: skip


def test_an_employer_notice_needs_its_kind_and_a_way_to_the_order_and_bad_fields_are_reported() -> None:
    good, bad = layout.parse_acknowledgments([
        emp("T", termination_date="20260520"),
        emp("Q"),
        emp("L", ssn="", tracking=""),
        emp("L", lump_sum_amount="12AB"),
        emp("T", final_payment_date="20261399"),
        ack("MSIWO1", "R", "W", corrected_ein="64-09"),
        layout.ack_record({"document_action_code": "EMP", "disposition_reason": "S", "employee_ssn": "401550123"}),
    ])  # fmt: skip
    assert [(a.line_number, a.status, a.in_words) for a in good] == [
        (1, "T", "Employer's notice: termination"), (7, "S", "Employer's notice: suspension")]  # fmt: skip
    assert [line.line_number for line in bad] == [2, 3, 4, 5, 6]
    problems = [line.problem for line in bad]
    assert "L lump sum, T termination, S suspension" in problems[0] and "SSN" in problems[1]
    assert "lump sum amount" in problems[2] and "final payment date" in problems[3] and "FEIN" in problems[4]
    assert all("401550123" not in problem for problem in problems)


def _notices_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "notices.txt"
    path.write_text("\n".join(["FHA", *lines, "FTA"]) + "\n")
    return path


@pytest.mark.django_db
def test_each_employer_notice_is_recorded_on_its_order_and_opens_its_task(officer: Any, tmp_path: Path) -> None:
    ended = withholding_sent(officer)  # Gulf Coast Shipbuilding, 64-0123456; sent on paper (no e-IWO file)
    bonus = withholding_sent(officer, fein="640999999", employer="Delta Freight", ssn="401-55-0124")
    leave = withholding_sent(officer, fein="640555555", employer="Pine Belt Mills", ssn="401-55-0125")
    mark_eiwo_employer(actor=officer, employer=leave.employer, since=date(2026, 1, 1))
    write_eiwo_file(actor=system_actor(), on=SENT_ON, out_dir=tmp_path / "out")
    path = _notices_file(
        tmp_path,
        emp("T", termination_date="20260520", final_payment_date="20260529", final_payment_amount="00000021250",
            new_employer_name="Magnolia Logistics", new_employer_line1="5 River Road", new_employer_city="Jackson",
            new_employer_state="MS", new_employer_zip="39201"),
        emp("L", ssn="401550124", fein="640999999", lump_sum_date="20260701", lump_sum_amount="00000150000",
            lump_sum_type="Annual bonus"),
        emp("S", ssn="", fein="640555555", tracking=tracking_number(leave.pk)),
        emp("T", ssn="401550199"),  # nobody with that SSN has an order at that FEIN
        emp("L", fein="640777777"),  # the right person, another employer
    )  # fmt: skip

    call_command("enforcement", "eiwo-ack", str(path), "--received-on", "2026-06-05")
    call_command("enforcement", "eiwo-ack", str(path), "--received-on", "2026-06-05")  # idempotent

    notices = {row.withholding_id: row for row in EiwoEmployerNotice.objects.all()}
    assert set(notices) == {ended.pk, bonus.pk, leave.pk}
    terminated = notices[ended.pk]
    assert (terminated.kind, terminated.termination_date) == ("T", date(2026, 5, 20))
    assert terminated.final_payment_date == date(2026, 5, 29) and terminated.final_payment_amount == Decimal("212.50")
    assert terminated.new_employer_name == "MAGNOLIA LOGISTICS"
    assert terminated.new_employer_address == "5 RIVER ROAD, JACKSON, MS 39201"
    lump = notices[bonus.pk]
    assert (lump.kind, lump.lump_sum_date, lump.lump_sum_amount) == ("L", date(2026, 7, 1), Decimal("1500.00"))
    assert lump.lump_sum_type == "ANNUAL BONUS" and notices[leave.pk].kind == "S"

    tasks = {task.kind: task for task in Task.objects.filter(kind__in=[TaskKind.EMPLOYEE_TERMINATED,
             TaskKind.EMPLOYER_LUMP_SUM, TaskKind.EMPLOYEE_SUSPENDED])}  # fmt: skip
    assert len(tasks) == 3 and Task.objects.filter(source_key__startswith="eiwo-notice:").count() == 3
    termination = tasks[TaskKind.EMPLOYEE_TERMINATED]
    assert termination.case_id == ended.case_id and termination.due_on == date(2026, 6, 10)
    assert "job ended 05/20/2026" in termination.detail and "$212.50" in termination.detail
    assert "new employer MAGNOLIA LOGISTICS, 5 RIVER ROAD, JACKSON" in termination.detail
    lump_task = tasks[TaskKind.EMPLOYER_LUMP_SUM]
    assert lump_task.case_id == bonus.case_id and "$1,500.00" in lump_task.detail and "07/01/2026" in lump_task.detail
    assert lump_task.due_on == date(2026, 6, 10)  # the payment is later than the follow-up days
    assert tasks[TaskKind.EMPLOYEE_SUSPENDED].case_id == leave.case_id

    problems = list(EiwoAckProblem.objects.order_by("line_number").values_list("line_number", "problem"))
    assert [number for number, _ in problems] == [5, 6]
    assert "no income withholding order in force" in problems[0][1] and "64-0777777" in problems[1][1]
    assert all("401550" not in problem for _, problem in problems)
    # The e-IWO page lists them with the case and the employer (officer: the cases are the officer's office's).
    client = Client()
    client.force_login(officer)
    page = client.get("/withholding/e-iwo/", secure=True).content.decode()
    assert "Notices from employers" in page and "Delta Freight" in page and ended.case.number in page
    assert "401550" not in page and "401-55" not in page


@pytest.mark.django_db
def test_a_lump_sum_paid_soon_is_due_the_day_before_and_a_case_id_narrows_the_match(
    officer: Any, tmp_path: Path
) -> None:
    sent = withholding_sent(officer)
    path = _notices_file(
        tmp_path,
        emp("L", lump_sum_date="20260608", lump_sum_amount="00000050000"),
        emp("S", case_id="MS-0000-999999"),  # not this employee's case
    )

    call_command("enforcement", "eiwo-ack", str(path), "--received-on", "2026-06-05")

    task = Task.objects.get(kind=TaskKind.EMPLOYER_LUMP_SUM)
    assert task.case_id == sent.case_id and task.due_on == date(2026, 6, 7)
    assert EiwoEmployerNotice.objects.get().kind == "L"
    problem = EiwoAckProblem.objects.get()
    assert problem.line_number == 3 and "on case MS-0000-999999" in problem.problem


@pytest.mark.django_db
def test_a_rejection_records_what_the_employer_added(officer: Any, tmp_path: Path) -> None:
    sent = withholding_sent(officer)
    mark_eiwo_employer(actor=officer, employer=sent.employer, since=date(2026, 1, 1))
    write_eiwo_file(actor=system_actor(), on=SENT_ON, out_dir=tmp_path)
    path = _notices_file(tmp_path, ack(tracking_number(sent.pk), "R", "W", corrected_ein="640123457"),
                         ack(tracking_number(sent.pk), "R", "M", multi_iwo_state="AL"))  # fmt: skip

    call_command("enforcement", "eiwo-ack", str(path), "--received-on", "2026-06-05")

    rows = list(EiwoAcknowledgment.objects.order_by("pk"))
    assert [(row.reason, row.corrected_ein, row.multi_iwo_state) for row in rows] == [
        ("W", "640123457", ""), ("M", "", "AL")]  # fmt: skip
    details = sorted(Task.objects.filter(kind=TaskKind.EIWO_REJECTED).values_list("detail", flat=True))
    assert any("corrected FEIN 64-0123457" in d for d in details) and any("from AL" in d for d in details)
