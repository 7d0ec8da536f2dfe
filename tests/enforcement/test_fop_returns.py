"""The Federal Offset Program's change transactions (B name, L local code, Z address), the rejected case file
read back (Charts F-1 and F-2) and the case reconciliation file (F-6).

Layout references (docs/interfaces/fop.md; shared/domain/federal-interfaces.md section 2): E-1 73 Transaction
Type, 3-5 Local Code ("used with Transaction Types A and L"), 30-64 the name, 84-179 the address [inferred];
release 02-02 (B and Z change the obligor's other case type too); release 03-01 (a complete address: line 1 or
2, city and State); F-1 1-29 seen, the echo and the error codes 228-239 inferred (Kansas `FdsoReturnH`); F-2 seen;
F-6 in the order of Kansas `FdsoReconciliationFileRecord` ("REC" 1-3, SSN 9-17, Case ID 18-32, amount 68-75,
case type 76, exclusion slots 86-106), positions inferred."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from opencse.cases.models import CaseMember
from opencse.cases.services import add_member
from opencse.enforcement.actions import approve_action, take_action
from opencse.enforcement.models import (
    EnforcementAction,
    OffsetCertification,
    OffsetReconciliationDifference,
    OffsetReject,
    OffsetReturnProblem,
    OffsetTransaction,
)
from opencse.enforcement.offset import build_submission
from opencse.enforcement.offset_returns import read_reconciliation, read_rejects
from opencse.interfaces import fop
from opencse.ledger.accrual import accrue, roll_over
from opencse.ledger.services import post_collection, record_assistance
from opencse.orders.services import TermInput, enter_order
from opencse.people.models import Address
from opencse.people.services import add_address, end_address, set_family_violence, update_person
from opencse.security.roles import Role
from opencse.security.services import system_actor
from opencse.work.models import Task, TaskKind
from tests import factories
from tests.enforcement.test_fop import MONTH_ENDS, SSN, TAKEN_ON, _behind, _case, _certify, _lines, _record

# --- The writer and the readers (pure) ------------------------------------------------------------------


def test_a_z_record_carries_the_new_address_and_a_b_or_l_its_own_field() -> None:
    z = fop.submission_record(_record(transaction=fop.Transaction.ADDRESS, address_line_1="9 Oak Road", city="Clinton",
                                      state="MS", zip_code="39056-1234"))  # fmt: skip
    b = fop.submission_record(_record(transaction=fop.Transaction.NAME, last_name="Boone-Ray"))
    local = fop.submission_record(_record(transaction=fop.Transaction.LOCAL_CODE, local_code="RAN"))

    assert (z[72], z[83:113].rstrip(), z[143:168].rstrip(), z[168:170], z[170:179]) == (
        "Z", "9 OAK ROAD", "CLINTON", "MS", "390561234")  # fmt: skip
    assert (b[72], b[29:49]) == ("B", "BOONE-RAY".ljust(20))
    assert (local[72], local[2:5]) == ("L", "RAN")
    # Release 03-01: complete is line 1 or 2, city and State; a Z without one is rejected (error 40).
    assert fop.is_complete_address("", "PO Box 4", "Jackson", "MS")
    assert not fop.is_complete_address("9 Oak Road", "", "", "MS")
    with pytest.raises(AssertionError):
        fop.submission_record(_record(transaction=fop.Transaction.ADDRESS, address_line_1="9 Oak Road"))


def test_the_reject_record_is_read_with_its_error_codes_in_words_and_the_control_counts() -> None:
    sent = _record(last_name="Boone")
    text = "\n".join([
        fop.reject_line(sent, "17", "03", name_control="BOWN"),
        fop.reject_control_line(submitting_state="MS", counts=(4, 0, 7, 1, 0, 2)),
    ])  # fmt: skip

    parsed = fop.read_rejects(text)

    (record,) = parsed.records
    # 1-29 as sent (F-1, seen); the echo 30-227 and codes 228-239 [inferred from Kansas FdsoReturnH].
    assert (record.ssn, record.case_id, record.transaction, record.case_type) == (
        SSN, "HIN-2026-000123", fop.Transaction.ADD, fop.CaseType.NON_ASSISTANCE)  # fmt: skip
    assert (record.error_codes, record.name_control, record.warning_only) == (("17", "03"), "BOWN", False)
    assert fop.error_words("17") == "the last name does not match the SSN"
    assert fop.error_words("99") == "error code 99 (not in OpenCSE's list)"
    # F-2 (seen): TANF accepted 6-14, rejected 15-23, non-TANF accepted 24-32, rejected 33-41, warnings 42-59.
    assert parsed.control == fop.RejectControl(4, 0, 7, 1, 0, 2)


def test_bad_reject_lines_come_back_with_their_numbers_and_the_ssn_masked() -> None:
    good = fop.reject_line(_record(), "12")
    lines = [good, good[:60], good[:72] + "Q" + good[73:], good[:227] + " " * 12 + good[239:], "  CTL" + "x" * 240]

    parsed = fop.read_rejects("\n".join(lines))

    assert [(line.line_number, line.reason[:30]) for line in parsed.rejected] == [
        (2, "the record is 60 characters lo"),
        (3, "the transaction type (73) is '"),
        (4, "the record has no error code ("),
        (5, "a count of the control record "),
    ]
    assert all(SSN not in line.raw for line in parsed.rejected)


def _reconciled(**changes: object) -> fop.ReconciliationRecord:
    values: dict[str, object] = {
        "line_number": 1, "submitting_state": "MS", "local_code": "HIN", "ssn": SSN, "case_id": "HIN-2026-000123",
        "last_name": "BOONE", "first_name": "CURTIS", "arrearage_dollars": 3000,
        "case_type": fop.CaseType.NON_ASSISTANCE, "notice_date": date(2026, 7, 2), "on_hold": False,
        "exclusions": "PAS",
    }  # fmt: skip
    values.update(changes)
    return fop.ReconciliationRecord(**values)  # type: ignore[arg-type]


def test_the_reconciliation_record_is_read_in_the_kansas_field_order() -> None:
    line = fop.reconciliation_line(_reconciled(exclusions="ADM,PAS"))

    assert (line[0:3], line[8:17], line[67:75], line[75]) == ("REC", SSN, "00003000", "N")
    assert line[85:106] == "ADM" + " " * 12 + "PAS" + "   "  # slots ADM, RET, VEN, SAL, TAX, PAS, FIN
    parsed = fop.read_reconciliation("\n".join([line, "RCT" + " " * 242, line[:100]]))
    assert parsed.records == (_reconciled(exclusions="ADM,PAS"),)
    assert [(bad.line_number, bad.reason) for bad in parsed.rejected] == [
        (3, "the record is 100 characters long, not 245")]  # fmt: skip


# --- B, L and Z in the submission -----------------------------------------------------------------------


def _two_case_types(officer: object) -> tuple[object, object, object]:
    """An obligor certified as TANF ($1,200 assigned on the assisted case) and non-TANF ($3,000), with an address."""
    obligor = factories.person(officer, first_name="Curtis", last_name="Boone", sex="M", ssn="512-34-9876")
    assisted, other = _case(officer, obligor, monthly="200.00"), _case(officer, obligor, monthly="500.00")
    record_assistance(actor=officer, case=assisted, starts_on=date(2026, 1, 1), grant_monthly=Decimal("300.00"))
    accrue(through=date(2026, 7, 31))
    for month_end in MONTH_ENDS:
        roll_over(month_ending=month_end)
    _certify(officer, assisted)
    _certify(officer, other)
    add_address(actor=officer, person=obligor, kind="mailing", line1="4 Elm Street", city="Jackson", state="MS",
                postal_code="39201", effective_on=date(2026, 7, 1))  # fmt: skip
    return obligor, assisted, other


@pytest.mark.django_db
def test_a_name_or_address_change_is_sent_once_per_obligor_and_only_when_it_changed(
    officer: object, tmp_path: Path
) -> None:
    obligor, _, _ = _two_case_types(officer)
    added = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    unchanged = build_submission(actor=system_actor(), as_of=date(2026, 8, 4), out_dir=tmp_path)
    update_person(actor=officer, person=obligor, last_name="Boone-Ray")
    renamed = build_submission(actor=system_actor(), as_of=date(2026, 8, 5), out_dir=tmp_path)
    end_address(actor=officer, address=Address.objects.get(person=obligor), ended_on=date(2026, 8, 6))
    add_address(actor=officer, person=obligor, kind="mailing", line1="9 Oak Road", city="Clinton", state="MS",
                postal_code="39056", effective_on=date(2026, 8, 6))  # fmt: skip
    moved = build_submission(actor=system_actor(), as_of=date(2026, 8, 6), out_dir=tmp_path)
    again = build_submission(actor=system_actor(), as_of=date(2026, 8, 7), out_dir=tmp_path)

    assert [(line[72], line[73]) for line in _lines(added.path)] == [("A", "A"), ("A", "N")]
    assert unchanged.path is None  # nothing changed: no B, L or Z
    # Release 02-02: a name change on one case type changes the other too: one B for the obligor (TANF first).
    (b,) = _lines(renamed.path)
    assert (b[72], b[73], b[29:49].rstrip(), b[83:179].strip("0 ")) == ("B", "A", "BOONE-RAY", "")
    assert (renamed.names, renamed.addresses, renamed.local_codes) == (1, 0, 0)
    (z,) = _lines(moved.path)
    assert (z[72], z[83:113].rstrip(), z[143:168].rstrip(), z[170:179]) == ("Z", "9 OAK ROAD", "CLINTON", "390560000")
    assert again.path is None
    assert set(OffsetCertification.objects.values_list("last_name", "address")) == {
        ("BOONE-RAY", "9 OAK ROAD||CLINTON|MS|390560000")}  # fmt: skip


@pytest.mark.django_db
def test_a_protected_obligors_address_is_never_sent_but_the_name_change_is(officer: object, tmp_path: Path) -> None:
    obligor, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    add_address(actor=officer, person=obligor, kind="mailing", line1="4 Elm Street", city="Jackson", state="MS",
                postal_code="39201", effective_on=date(2026, 7, 1))  # fmt: skip
    build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    set_family_violence(actor=officer, person=obligor, protected=True, since=date(2026, 8, 4))
    end_address(actor=officer, address=Address.objects.get(person=obligor), ended_on=date(2026, 8, 4))
    add_address(actor=officer, person=obligor, kind="mailing", line1="12 Safe Street", city="Pearl", state="MS",
                postal_code="39208", effective_on=date(2026, 8, 4))  # fmt: skip

    moved = build_submission(actor=system_actor(), as_of=date(2026, 8, 4), out_dir=tmp_path)
    update_person(actor=officer, person=obligor, first_name="Curt")
    renamed = build_submission(actor=system_actor(), as_of=date(2026, 8, 5), out_dir=tmp_path)

    assert (moved.path, moved.addresses) == (None, 0)  # the new address of a protected person never leaves
    (b,) = _lines(renamed.path)
    assert (b[72], b[49:64].rstrip(), b[83:179]) == ("B", "CURT", " " * 87 + "0" * 9)
    assert "SAFE" not in renamed.path.read_text()  # type: ignore[union-attr]


def _rankin_case(rankin: object, obligor: object, *, monthly: str) -> object:
    """A case of another office (RAN) owed by the same obligor. No service lets an officer put a person of another
    office's case on a case (visibility is per office; the person is known to both through an SSN match or a
    transfer): the membership alone is written directly."""
    case = factories.case(rankin, referral_received_on=date(2025, 12, 1), opened_on=date(2025, 12, 2))
    child = factories.person(rankin, first_name="Ana", last_name="Boone", date_of_birth=date(2019, 4, 5))
    CaseMember.objects.create(case=case, person=obligor, role="noncustodial_parent", joined_on=date(2025, 12, 2))
    add_member(actor=rankin, case=case, person=child, role="dependent_child")
    enter_order(actor=rankin, case=case, tribunal_kind="administrative", tribunal_name="MDHS Division of Child Support",
                issuing_jurisdiction="MS", docket_number=f"AO-{case.number}", signed_on=date(2026, 1, 1),
                effective_on=date(2026, 1, 1),
                terms=[TermInput(kind="current_support", frequency="monthly", starts_on=date(2026, 1, 1),
                                 obligor=obligor, steps=[(date(2026, 1, 1), Decimal(monthly))])])  # fmt: skip
    return case


@pytest.mark.django_db
def test_the_local_code_is_changed_when_the_case_sent_moves_to_another_office(officer: object, tmp_path: Path) -> None:
    rankin = factories.user(Role.OFFICER_1, username="seo1-ran", office_code="RAN")
    obligor = factories.person(officer, first_name="Curtis", last_name="Boone", sex="M", ssn="512-34-9876")
    hinds = _case(officer, obligor, monthly="500.00")
    other = _rankin_case(rankin, obligor, monthly="300.00")
    accrue(through=date(2026, 7, 31))
    for month_end in MONTH_ENDS:
        roll_over(month_ending=month_end)
    _certify(officer, hinds)
    action = EnforcementAction.objects.get(case=other, remedy="federal_tax_offset")  # proposed by the same sweep
    approve_action(actor=factories.user(Role.SUPERVISOR, username="sup-ran", office_code="RAN"), action=action,
                   decided_on=date(2026, 7, 2), service_method="mail")  # fmt: skip
    take_action(actor=rankin, action=action, taken_on=TAKEN_ON)
    added = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    # $2,500.00 on the Hinds case on 08/10: August's $500.00 current support, then $2,000.00 of its $3,500.00 of
    # arrears (July's rolled over): $1,500.00 left, under the Rankin case's $1,800.00 (January to June), which now
    # owes the most: its Case ID and its office's local code are sent, with the new total ($3,300).
    post_collection(actor=officer, case=hinds, amount=Decimal("2500.00"), source="direct_payment",
                    collected_on=date(2026, 8, 10), received_on=date(2026, 8, 10))  # fmt: skip

    moved = build_submission(actor=system_actor(), as_of=date(2026, 8, 10), out_dir=tmp_path)

    (a,) = _lines(added.path)
    assert (a[2:5], a[72]) == ("HIN", "A")
    modify, local = _lines(moved.path)
    assert (modify[72], modify[64:72], local[72], local[2:5], local[14:29].strip()) == (
        "M", "00003300", "L", "RAN", other.number)  # fmt: skip
    assert (moved.modifies, moved.local_codes, moved.names, moved.addresses) == (1, 1, 0, 0)
    assert OffsetCertification.objects.get().local_code == "RAN"


@pytest.mark.django_db
def test_certifications_sent_before_the_fields_were_kept_take_what_is_on_file_without_sending(
    officer: object, tmp_path: Path
) -> None:
    _, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    OffsetCertification.objects.update(last_name=None, first_name=None, local_code=None, address=None)  # as 0021

    result = build_submission(actor=system_actor(), as_of=date(2026, 8, 4), out_dir=tmp_path)

    assert result.path is None
    assert OffsetCertification.objects.values_list("last_name", "local_code", "address").get() == ("BOONE", "HIN", "")


# --- Rejects ---------------------------------------------------------------------------------------------


def _sent_line(path: Path | None, index: int = 0) -> str:
    return _lines(path)[index]


def _rejects_file(tmp_path: Path, *lines: str, name: str = "fop-rejects.txt") -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines))
    return path


def _echo(line: str, *codes: str, name_control: str = "") -> str:
    """OCSE's F-1 for a line sent: the echo, the codes at 228-239 and the name control at 240-243 [inferred]."""
    return line[:227] + "".join(codes).ljust(12) + name_control.ljust(4) + "  "


@pytest.mark.django_db
def test_a_rejected_add_is_recorded_on_what_was_sent_tasked_and_added_again(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    sent = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    path = _rejects_file(tmp_path, _echo(_sent_line(sent.path), "17", name_control="BOWN"), "not a record",
                         fop.reject_control_line(submitting_state="MS", counts=(0, 0, 0, 1, 0, 0)))  # fmt: skip

    first = read_rejects(actor=system_actor(), path=path, received_on=date(2026, 8, 10))
    again = read_rejects(actor=system_actor(), path=path, received_on=date(2026, 8, 10))
    resent = build_submission(actor=system_actor(), as_of=date(2026, 8, 11), out_dir=tmp_path)

    reject = OffsetReject.objects.get()
    assert reject.transaction == OffsetTransaction.objects.filter(transaction="A").first()
    assert (reject.error_codes, reject.reasons, reject.name_control, reject.not_held) == (
        "17", "17 the last name does not match the SSN", "BOWN", True)  # fmt: skip
    task = Task.objects.get(kind=TaskKind.FOP_REJECTED)
    assert (task.case_id, task.owner_id, task.due_on) == (case.pk, officer.pk, date(2026, 8, 15))
    assert "add rejected (it will be added again): 17 the last name" in task.detail
    assert first.problems == [(2, "the record is 12 characters long, not 245")]
    assert OffsetReturnProblem.objects.get().line_number == 2
    assert first.file.control["non_assistance_rejected"] == 1
    # The same file again: nothing recorded, no second task.
    assert (
        again.already_read
        and OffsetReject.objects.count() == 1
        and Task.objects.filter(kind="fop_rejected").count() == 1
    )
    # OCSE does not hold a rejected add: the next submission adds it again.
    assert [line[72] for line in _lines(resent.path)] == ["A"]


@pytest.mark.django_db
def test_a_warning_is_recorded_without_a_task_and_an_unmatched_reject_is_a_problem(
    officer: object, tmp_path: Path
) -> None:
    _, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    sent = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    line = _sent_line(sent.path)
    unknown = line[:5] + "401234567" + line[14:]  # an SSN nothing was sent under
    path = _rejects_file(tmp_path, _echo(line, "47"), _echo(unknown, "12"))

    result = read_rejects(actor=system_actor(), path=path, received_on=date(2026, 8, 10))
    later = read_rejects(actor=system_actor(), path=_rejects_file(tmp_path, _echo(line, "47"), name="second.txt"),
                         received_on=date(2026, 8, 11))  # fmt: skip

    reject = OffsetReject.objects.get()
    assert (reject.warning_only, reject.not_held, reject.reasons[:20]) == (True, False, "47 address warning: ")
    assert not Task.objects.filter(kind=TaskKind.FOP_REJECTED).exists()  # accepted: nothing to correct
    assert OffsetCertification.objects.get().active
    assert result.problems == [(2, "no add (A) of case type N was sent under that SSN on or before 08/10/2026")]
    assert (later.file.recorded, later.file.already) == (0, 1)  # another file naming the same record


# --- Reconciliation --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_reconciliation_reports_and_keeps_each_difference_once(officer: object, tmp_path: Path) -> None:
    obligor, assisted, other = _two_case_types(officer)
    build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    held = {c.case_type: c for c in OffsetCertification.objects.all()}
    assert (held["A"].amount, held["N"].amount, held["N"].exclusions) == (1200, 3000, "PAS")
    lines = [
        fop.reconciliation_line(_reconciled(line_number=1, case_type=fop.CaseType.NON_ASSISTANCE, case_id=other.number,
                                            arrearage_dollars=2875, exclusions="")),  # an offset taken; PAS lost
        fop.reconciliation_line(_reconciled(ssn="401234567", case_id="HIN-OLD")),  # never sent
        "REC" + "x" * 50,
    ]  # fmt: skip
    path = tmp_path / "fop-reconciliation.txt"
    path.write_text("\n".join(lines) + "\n")

    result = read_reconciliation(actor=system_actor(), path=path, received_on=date(2026, 8, 20))
    again = read_reconciliation(actor=system_actor(), path=path, received_on=date(2026, 8, 20))

    found = [(d.line_number, d.case_type, d.kind, d.at_ocse, d.in_opencse) for d in result.differences]
    assert found == [
        (1, "N", "amount", "$2,875", "$3,000"),
        (1, "N", "exclusions", "(none)", "PAS"),
        (2, "N", "only_at_ocse", "$3,000 on HIN-OLD", "never sent under that SSN"),
        (None, "A", "only_in_opencse", "not listed", f"$1,200 on {assisted.number}"),
    ]
    assert result.problems == [(3, "the record is 53 characters long, not 245")]
    assert again.already_read and OffsetReconciliationDifference.objects.count() == 4
    assert OffsetReconciliationDifference.objects.filter(obligor=obligor).count() == 3


@pytest.mark.django_db
def test_the_commands_read_rejects_and_reconciliation(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    out = StringIO()
    call_command("enforcement", "fop", "--as-of", "2026-08-03", "--out", str(tmp_path / "out"), stdout=out)
    (sent,) = (tmp_path / "out").iterdir()
    rejects = _rejects_file(tmp_path, _echo(sent.read_text().splitlines()[0], "47"), "bad")
    reconciliation = tmp_path / "recon.txt"
    reconciliation.write_text(fop.reconciliation_line(_reconciled(case_id=case.number)) + "\n")

    call_command("enforcement", "fop-rejects", str(rejects), "--received-on", "2026-08-10", stdout=out)
    call_command("enforcement", "fop-rejects", str(rejects), "--received-on", "2026-08-10", stdout=out)
    call_command("enforcement", "fop-reconciliation", str(reconciliation), "--received-on", "2026-08-10", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(
        "federal offset submission as of 2026-08-03: 1 adds, 0 modifies, 0 exclusion replaces, 0 deletes, 0 name "
        "changes, 0 local code changes, 0 address changes"
    )
    assert lines[1:3] == ["  line 2: the record is 3 characters long, not 245",
                          "federal offset rejects fop-rejects.txt: 1 rejects recorded, 0 already recorded, 1 lines "
                          "not recorded"]  # fmt: skip
    assert lines[4].startswith("federal offset rejects fop-rejects.txt: already read on ")
    assert lines[4].endswith("nothing recorded")
    assert lines[-1] == "federal offset reconciliation recon.txt: 1 cases compared, 0 differences, 0 lines not read"
