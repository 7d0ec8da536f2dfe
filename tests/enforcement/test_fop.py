"""The Federal Offset Program files: the case submission writer against the federal layout, the add, modify and
delete selection per obligor and case type (idempotent), and the collection file posted back to the cases.

Layout references: shared/domain/federal-interfaces.md section 2 (Chart E-1, Case Submission and Update Record,
positions 1-73 seen in the official chart, 74-245 inferred; Chart F-4 Collection and Adjustment Record,
positions 1-97 and 225 seen) and docs/interfaces/fop.md (the OpenCSE positions 98-224)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from opencse.cases.models import CaseNote
from opencse.cases.services import add_member
from opencse.enforcement.actions import approve_action, release_action, take_action
from opencse.enforcement.models import EnforcementAction, OffsetCertification, OffsetTransaction
from opencse.enforcement.offset import build_submission, import_collections, proportional_split
from opencse.enforcement.sweep import sweep
from opencse.interfaces import fop
from opencse.ledger.accrual import accrue, roll_over
from opencse.ledger.models import Collection, CollectionStatus, ImportRejection
from opencse.ledger.services import post_collection, record_assistance
from opencse.orders.services import TermInput, enter_order
from opencse.people.services import add_address, set_family_violence, update_person
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests import factories

SSN = "512349876"
MONTH_ENDS = [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31),
              date(2026, 6, 30)]  # fmt: skip
TAKEN_ON = date(2026, 8, 3)  # after the 30-day contest window of a notice mailed 07/02/2026 (remedies.yaml)


# --- The writer and the reader (pure) -------------------------------------------------------------------


def _record(**changes: object) -> fop.SubmissionRecord:
    values: dict[str, object] = {
        "submitting_state": "MS", "local_code": "HIN", "ssn": SSN, "case_id": "HIN-2026-000123",
        "last_name": "O'Boone Jr.", "first_name": "Curtis", "arrearage_dollars": 3000,
        "transaction": fop.Transaction.ADD, "case_type": fop.CaseType.NON_ASSISTANCE, "process_year": 2026,
        "date_issued": date(2026, 7, 2),
    }  # fmt: skip
    values.update(changes)
    return fop.SubmissionRecord(**values)  # type: ignore[arg-type]


def test_the_submission_record_puts_each_field_at_its_chart_e1_position() -> None:
    line = fop.submission_record(_record())

    assert len(line) == 245  # Chart E-1 record length (F-2 "Filler 60-245")
    assert line[0:2] == "MS"  # 1-2 Submitting State Code
    assert line[2:5] == "HIN"  # 3-5 Local Code
    assert line[5:14] == SSN  # 6-14 SSN
    assert line[14:29] == "HIN-2026-000123"  # 15-29 Case ID (15)
    assert line[29:49] == "O BOONE JR".ljust(20)  # 30-49 NCP Last Name: upper case, no special characters
    assert line[49:64] == "CURTIS".ljust(15)  # 50-64 NCP First Name
    assert line[64:72] == "00003000"  # 65-72 Arrearage Amount: whole dollars, zero-filled
    assert line[72] == "A"  # 73 Transaction Type: add
    assert line[73] == "N"  # 74 Case Type Indicator: non-TANF [inferred]
    assert line[79:83] == "2026"  # 80-83 Process Year [inferred]
    assert line[179:187] == "20260702"  # 180-187 Date Issued, the pre-offset notice [inferred]
    assert line[227:245] == " " * 18  # 228-245 Filler
    assert [field.length for field in fop.SUBMISSION_FIELDS] == [2, 3, 9, 15, 20, 15, 8, 1, 1, 2, 3, 4, 30, 30, 25,
                                                                  2, 9, 8, 40, 18]  # fmt: skip


def test_the_file_ends_with_the_control_record_of_counts_and_dollars_by_case_type() -> None:
    records = [_record(), _record(case_type=fop.CaseType.ASSISTANCE, arrearage_dollars=150),
               _record(ssn="401234567", transaction=fop.Transaction.DELETE, arrearage_dollars=0)]  # fmt: skip

    lines = fop.write_submission(records, submitting_state="MS").splitlines()

    assert len(lines) == 4 and all(len(line) == 245 for line in lines)
    control = lines[-1]  # Chart E-2 [inferred]: State 1-2, CTL 3-5, counts 6-14/15-23, amounts 24-34/35-45
    assert control[0:5] == "MSCTL"
    assert (control[5:14], control[14:23]) == ("000000001", "000000002")
    assert (control[23:34], control[34:45]) == ("00000000150", "00000003000")
    assert lines[2][64:73] == "00000000D"


def _collection(**changes: object) -> fop.CollectionRecord:
    values: dict[str, object] = {
        "line_number": 1, "submitting_state": "MS", "local_code": "HIN", "ssn": SSN, "case_id": "X",
        "last_name": "BOONE", "first_name": "CURTIS", "certified_amount": Decimal("3000.00"),
        "collection_amount": Decimal("812.34"), "adjustment_amount": Decimal("0.00"),
        "case_type": fop.CaseType.NON_ASSISTANCE, "collection_date": date(2026, 8, 20), "tax_year": 2025,
        "joint_return": False, "joint_filer_name": "", "trace_number": "TOP000000000001", "injured_spouse": False,
    }  # fmt: skip
    values.update(changes)
    return fop.CollectionRecord(**values)  # type: ignore[arg-type]


def test_the_exclusion_indicators_fill_positions_188_to_227_and_an_r_adds_nothing_to_the_control_totals() -> None:
    records = [
        _record(exclusions=(fop.Exclusion.PASSPORT,)),
        _record(ssn="401234567", transaction=fop.Transaction.REPLACE_EXCLUSIONS, arrearage_dollars=2800,
                exclusions=(fop.Exclusion.ADMINISTRATIVE_OFFSET, fop.Exclusion.TAX_REFUND)),
    ]  # fmt: skip

    first, replace, control = fop.write_submission(records, submitting_state="MS").splitlines()

    # 188-227 Offset Exclusion Indicator(s), 40 A/N: comma-separated three-letter codes, "e.g. ADM,PAS"
    # (federal-interfaces.md 2.2); 73 Transaction Type R = replace exclusion indicators (2.3).
    assert first[187:227] == "PAS".ljust(40)
    assert (replace[72], replace[187:227]) == ("R", "ADM,TAX".ljust(40))
    assert replace[64:72] == "00002800"  # the amount held, as Kansas fills every record (LeB520WriteFdsoToTape)
    # E-2 [inferred]: two non-TANF records counted; the dollars of the A and M records only (Kansas).
    assert (control[14:23], control[34:45]) == ("000000002", "00000003000")


def test_the_collection_record_reads_the_chart_f4_positions() -> None:
    line = fop.collection_line(_collection(joint_return=True, injured_spouse=True))

    assert line[64:75] == "00000300000"  # 65-75 Certified Arrearage Amount, cents implied
    assert line[75:86] == "00000081234"  # 76-86 Collection Amount
    assert line[86:97] == "0" * 11  # 87-97 Adjustment Amount: zeros on a collection
    assert line[224] == "Y"  # 225 Injured Spouse Indicator (release 05-01)
    parsed = fop.read_collections(line + "\n")
    assert parsed.rejected == () and parsed.records[0] == _collection(joint_return=True, injured_spouse=True)


def test_bad_collection_lines_are_reported_with_their_line_numbers_and_the_ssn_masked() -> None:
    good = fop.collection_line(_collection())
    lines = [
        good,
        good[:100],  # too short
        good[:5] + "000000000" + good[14:],  # not an SSN
        good[:75] + "0" * 22 + good[97:],  # neither a collection nor an adjustment
        good[:98] + "20261399" + good[106:],  # no 13th month
        good[:97] + "Q" + good[98:],  # case type
    ]

    parsed = fop.read_collections("\n".join(lines))

    assert len(parsed.records) == 1
    assert [(line.line_number, line.reason.split(" (")[0][:30]) for line in parsed.rejected] == [
        (2, "the record is 100 characters l"),
        (3, "the SSN"),
        (4, "exactly one of the collection "),
        (5, "the collection date"),
        (6, "the case type"),
    ]
    assert all(SSN not in line.raw for line in parsed.rejected)


@given(
    amount=st.integers(min_value=1, max_value=10**9).map(lambda cents: Decimal(cents) / 100),
    weights=st.dictionaries(st.integers(1, 50), st.integers(1, 10**8).map(lambda c: Decimal(c) / 100), min_size=1),
)
def test_a_proportional_split_adds_up_to_the_offset_in_whole_cents(amount: Decimal, weights: dict) -> None:
    shares = proportional_split(amount, weights)

    assert sum(shares.values()) == amount
    assert all(share > 0 and share == share.quantize(Decimal("0.01")) for share in shares.values())
    assert set(shares) <= set(weights)


# --- The submission (Django) ----------------------------------------------------------------------------


def _case(officer: object, obligor: object, *, monthly: str) -> object:
    case = factories.case(officer, referral_received_on=date(2025, 12, 1), opened_on=date(2025, 12, 2))
    child = factories.person(officer, first_name="Mateo", last_name="Moreno", date_of_birth=date(2018, 2, 3))
    add_member(actor=officer, case=case, person=obligor, role="noncustodial_parent")
    add_member(actor=officer, case=case, person=child, role="dependent_child")
    enter_order(actor=officer, case=case, tribunal_kind="administrative",
                tribunal_name="MDHS Division of Child Support", issuing_jurisdiction="MS",
                docket_number=f"AO-{case.number}", signed_on=date(2026, 1, 1), effective_on=date(2026, 1, 1),
                terms=[TermInput(kind="current_support", frequency="monthly", starts_on=date(2026, 1, 1),
                                 obligor=obligor, steps=[(date(2026, 1, 1), Decimal(monthly))])])  # fmt: skip
    return case


def _behind(officer: object, *monthlies: str, ssn: str = "512-34-9876") -> tuple[object, list[object]]:
    """One obligor, a case per monthly amount from January 2026, nothing paid: six months of arrears on June 30."""
    obligor = factories.person(officer, first_name="Curtis", last_name="Boone", sex="M", ssn=ssn)
    cases = [_case(officer, obligor, monthly=monthly) for monthly in monthlies]
    accrue(through=date(2026, 7, 31))
    for month_end in MONTH_ENDS:
        roll_over(month_ending=month_end)
    return obligor, cases


def _certify(officer: object, case: object, remedy: str = "federal_tax_offset",
             taken_on: date = TAKEN_ON) -> EnforcementAction:  # fmt: skip
    """The remedy's proposal (federal_tax_offset, or passport_denial: more than $2,500 owed) approved, the
    notice mailed 07/02/2026, and taken after the 30-day window (remedies.yaml)."""
    sweep(as_of=date(2026, 7, 1))
    action = EnforcementAction.objects.get(case=case, remedy=remedy)
    approve_action(actor=factories.user(Role.SUPERVISOR, username=f"sup-{case.pk}-{remedy}"), action=action,
                   decided_on=date(2026, 7, 2), service_method="mail")  # fmt: skip
    return take_action(actor=officer, action=action, taken_on=taken_on)


def _lines(path: Path | None) -> list[str]:
    assert path is not None
    return path.read_text().splitlines()[:-1]  # without the control record


@pytest.mark.django_db
def test_a_taken_action_is_added_once_aggregated_over_the_obligors_cases(officer: object, tmp_path: Path) -> None:
    obligor, cases = _behind(officer, "500.00", "200.00")
    for case in cases:
        _certify(officer, case)
    add_address(actor=officer, person=obligor, kind="mailing", line1="4 Elm Street", line2="Apt. 2", city="Jackson",
                state="MS", postal_code="39201")  # fmt: skip

    first = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    again = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)

    # Six months of $500.00 and of $200.00, never assigned (never assistance): one non-TANF record of $4,200
    # for the obligor, not one per case (PIQ-01-06); the Case ID is the case owing the most.
    (line,) = _lines(first.path)
    assert (first.adds, first.modifies, first.deletes) == (1, 0, 0)
    assert (line[5:14], line[64:72], line[72], line[73]) == (SSN, "00004200", "A", "N")
    assert line[14:29].strip() == cases[0].number
    assert line[179:187] == "20260702"  # the notice date
    # The address for the notices, 84-179 [inferred]: lines 84-113 and 114-143, city, State, ZIP (9).
    assert (line[83:113].rstrip(), line[113:143].rstrip(), line[143:168].rstrip()) == ("4 ELM STREET", "APT. 2",
                                                                                         "JACKSON")  # fmt: skip
    assert (line[168:170], line[170:179]) == ("MS", "392010000")
    assert (again.adds, again.modifies, again.deletes, again.path) == (0, 0, 0, None)  # idempotent
    assert len(list(tmp_path.iterdir())) == 1
    assert OffsetCertification.objects.get(obligor=obligor).amount == 4200
    assert AuditEvent.objects.filter(action="person.ssn_disclosed", target_id=str(obligor.pk)).count() == 1


@pytest.mark.django_db
def test_assigned_arrears_are_certified_as_assistance_and_only_cases_with_a_taken_action_count(
    officer: object, tmp_path: Path
) -> None:
    obligor = factories.person(officer, first_name="Curtis", last_name="Boone", sex="M", ssn="512-34-9876")
    assisted, other = _case(officer, obligor, monthly="200.00"), _case(officer, obligor, monthly="50.00")
    record_assistance(actor=officer, case=assisted, starts_on=date(2026, 1, 1), grant_monthly=Decimal("300.00"))
    accrue(through=date(2026, 7, 31))
    for month_end in MONTH_ENDS:
        roll_over(month_ending=month_end)
    _certify(officer, assisted)
    assert not EnforcementAction.objects.filter(case=other, remedy="federal_tax_offset").exists()

    result = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)

    # Support unpaid during assistance is assigned (42 U.S.C. 608(a)(3)): $1,200.00, certified as TANF ("A")
    # at $150 or more (45 CFR 303.72(a)(2)). The other case's $300.00, never assigned, is under the $500
    # non-TANF trigger (303.72(a)(3)): no offset was taken on it, and it is not in the aggregate.
    (line,) = _lines(result.path)
    assert (line[64:72], line[72], line[73], line[14:29].strip()) == ("00001200", "A", "A", assisted.number)


@pytest.mark.django_db
def test_a_changed_amount_is_modified_and_a_released_action_deleted(officer: object, tmp_path: Path) -> None:
    obligor, (case,) = _behind(officer, "500.00")
    action = _certify(officer, case)
    add_address(actor=officer, person=obligor, line1="4 Elm Street", city="Jackson", state="MS", postal_code="39201")
    set_family_violence(actor=officer, person=obligor, protected=True, since=date(2026, 7, 20))
    added = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    assert _lines(added.path)[0][83:179] == " " * 87 + "0" * 9  # a protected person's address never leaves
    # $1,000.50 on 08/10: August's $500.00 current support first (45 CFR 302.51(a)), then $500.50 of the
    # $3,500.00 of arrears (January to June, and July's unpaid support rolled over): $2,999.50 left.
    post_collection(actor=officer, case=case, amount=Decimal("1000.50"), source="direct_payment",
                    collected_on=date(2026, 8, 10), received_on=date(2026, 8, 10))  # fmt: skip

    modified = build_submission(actor=system_actor(), as_of=date(2026, 8, 11), out_dir=tmp_path)
    release_action(actor=officer, action=action, released_on=date(2026, 8, 12), reason="Paid by agreement")
    deleted = build_submission(actor=system_actor(), as_of=date(2026, 8, 12), out_dir=tmp_path)

    (modify,) = _lines(modified.path)
    assert (modify[72], modify[64:72]) == ("M", "00002999")  # whole dollars, rounded down: $2,999.50
    (delete,) = _lines(deleted.path)
    assert (delete[72], delete[73], delete[5:14]) == ("D", "N", SSN)
    assert not OffsetCertification.objects.get().active
    assert list(OffsetTransaction.objects.order_by("pk").values_list("transaction", flat=True)) == ["A", "M", "D"]
    assert build_submission(actor=system_actor(), as_of=date(2026, 8, 12), out_dir=tmp_path).path is None


@pytest.mark.django_db
def test_non_assistance_arrears_below_500_dollars_are_not_certified(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    # $3,600.00 paid on 08/01: August's $500.00 current support first (45 CFR 302.51(a)), then $3,100.00 of
    # the $3,500.00 of arrears (January to July): $400.00 left, under the $500.00 non-assistance threshold of
    # 45 CFR 303.72(a)(3).
    post_collection(actor=officer, case=case, amount=Decimal("3600.00"), source="direct_payment",
                    collected_on=date(2026, 8, 1), received_on=date(2026, 8, 1))  # fmt: skip

    result = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)

    assert (result.adds, result.path) == (0, None)


# --- The collections read back --------------------------------------------------------------------------


def _file(tmp_path: Path, *records: fop.CollectionRecord, extra: str = "") -> Path:
    path = tmp_path / "fop-collections.txt"
    path.write_text("".join(fop.collection_line(record) + "\n" for record in records) + extra)
    return path


@pytest.mark.django_db
def test_an_offset_is_posted_across_the_obligors_cases_once(officer: object, tmp_path: Path) -> None:
    _, cases = _behind(officer, "500.00", "250.00")
    path = _file(tmp_path, _collection(collection_amount=Decimal("900.00")), extra="not a record\n")

    first = import_collections(actor=system_actor(), path=path, received_on=date(2026, 8, 21))
    again = import_collections(actor=system_actor(), path=path, received_on=date(2026, 8, 21))

    posted = Collection.objects.filter(source="federal_tax_offset", status=CollectionStatus.POSTED)
    # In proportion to the arrears of the two cases ($500.00 and $250.00 a month, nothing paid): 2 to 1.
    assert {c.case_id: c.amount for c in posted} == {cases[0].pk: Decimal("600.00"), cases[1].pk: Decimal("300.00")}
    assert (first.posted, first.rejected, again.posted, again.duplicates) == (1, 1, 0, 1)
    assert ImportRejection.objects.get(payment_import=first).line_number == 2


@pytest.mark.django_db
def test_an_unknown_ssn_waits_in_suspense_an_adjustment_is_reported_and_a_joint_return_noted(
    officer: object, tmp_path: Path
) -> None:
    _, (case,) = _behind(officer, "500.00")
    path = _file(
        tmp_path,
        _collection(joint_return=True, trace_number="TOP1"),
        _collection(ssn="401234567", trace_number="TOP2"),
        _collection(collection_amount=Decimal("0"), adjustment_amount=Decimal("50.00"), trace_number="TOP3"),
    )

    done = import_collections(actor=system_actor(), path=path, received_on=date(2026, 8, 21))

    assert (done.posted, done.suspended, done.notices) == (1, 1, 1)
    assert Collection.objects.get(status=CollectionStatus.SUSPENSE).suspense_reason == "line 2: no person with that SSN"
    assert "adjustment of $50.00" in ImportRejection.objects.get(payment_import=done, line_number=3).reason
    assert "joint return" in CaseNote.objects.get(case=case, source_key__startswith="fop-joint:").text


@pytest.mark.django_db
def test_the_commands_write_the_file_and_post_the_collections(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    out = StringIO()

    call_command("enforcement", "fop", "--as-of", "2026-08-03", "--out", str(tmp_path / "out"), stdout=out)
    call_command("enforcement", "fop", "--as-of", "2026-08-03", "--out", str(tmp_path / "out"), stdout=out)
    path = _file(tmp_path, _collection(), extra=" bad\n")
    call_command("enforcement", "fop-collections", str(path), "--received-on", "2026-08-21", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(
        "federal offset submission as of 2026-08-03: 1 adds, 0 modifies, 0 exclusion replaces, 0 deletes, 0 name "
        "changes, 0 local code changes, 0 address changes; written"
    )
    assert lines[1].endswith("nothing changed, no file written")
    assert lines[2].startswith("  line 2: the record is 4 characters long")
    assert "1 records, 1 posted" in lines[3]
    assert Collection.objects.get(source="federal_tax_offset").case_id == case.pk


@pytest.mark.django_db
def test_a_corrected_ssn_is_deleted_under_the_old_number_and_added_under_the_new(
    officer: object, tmp_path: Path
) -> None:
    obligor, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    update_person(actor=officer, person=obligor, ssn="512-34-9877")

    result = build_submission(actor=system_actor(), as_of=date(2026, 8, 4), out_dir=tmp_path)

    # FOP keys a case on the SSN (E-1 positions 6-14): the Kansas practice is a D on the old SSN, then an A.
    delete, add = _lines(result.path)
    assert (delete[72], delete[5:14], add[72], add[5:14]) == ("D", SSN, "A", "512349877")
    assert OffsetCertification.objects.get().active


@pytest.mark.django_db
def test_an_obligor_without_an_ssn_is_listed_not_certified(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00", ssn="")
    _certify(officer, case)

    result = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)

    # FOP keys every case on the SSN (E-1 6-14, "> 0; valid SSN or ITIN"): nothing can be sent without one.
    assert (result.adds, result.path, result.not_certified) == (
        0,
        None,
        [(case.number, "the obligor has no SSN on file")],
    )


# --- Passport denial through the same submission ---------------------------------------------------------
# 42 U.S.C. 652(k), 654(31); 22 CFR 51.60(a)(2): OCSE certifies to the State Department the obligors the
# State submitted with more than $2,500 owed and not excluded by "PAS". Expected codes and positions:
# federal-interfaces.md 2.2 (Chart E-1: 73 Transaction Type, 188-227 Offset Exclusion Indicators) and 2.3
# (A, D, M, R; ADM administrative offset, RET retirement, SAL salary, TAX tax refund, VEN vendor, PAS
# passport). Not taking the tax offset excludes all five offset codes (enforcement/offset.py FILE_REMEDIES).
NOT_OFFSET = "ADM,RET,SAL,TAX,VEN"


def _sent(path: Path | None) -> list[tuple[str, str, str]]:
    """(transaction 73, amount 65-72, exclusions 188-227) of each record of the file."""
    return [(line[72], line[64:72], line[187:227].rstrip()) for line in _lines(path)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        (("federal_tax_offset",), "PAS"),  # tax offset taken, passport not: excluded from passport denial
        (("passport_denial",), NOT_OFFSET),  # passport only: excluded from every offset
        (("federal_tax_offset", "passport_denial"), ""),  # both: excluded from nothing
    ],
)
def test_the_exclusions_are_the_files_remedies_not_taken(
    officer: object, tmp_path: Path, taken: tuple[str, ...], expected: str
) -> None:
    obligor, (case,) = _behind(officer, "500.00")  # $3,000.00 on July 1: over the $2,500 passport trigger
    for remedy in taken:
        _certify(officer, case, remedy)

    result = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)

    # $3,000.00 of never-assigned arrears on 08/03 (January to June): one non-TANF add, whatever was taken.
    assert _sent(result.path) == [("A", "00003000", expected)]
    assert _lines(result.path)[0][179:187] == "20260702"  # the notice date of the action(s) taken
    assert OffsetCertification.objects.get(obligor=obligor).exclusions == expected
    assert OffsetTransaction.objects.get().exclusions == expected


@pytest.mark.django_db
def test_the_passport_certified_then_released_is_a_replace_of_the_exclusions(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    offset_only = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    passport = _certify(officer, case, "passport_denial", taken_on=date(2026, 8, 4))

    certified = build_submission(actor=system_actor(), as_of=date(2026, 8, 4), out_dir=tmp_path)
    release_action(actor=officer, action=passport, released_on=date(2026, 8, 5), reason="Payment arrangement made")
    released = build_submission(actor=system_actor(), as_of=date(2026, 8, 5), out_dir=tmp_path)
    again = build_submission(actor=system_actor(), as_of=date(2026, 8, 5), out_dir=tmp_path)

    assert _sent(offset_only.path) == [("A", "00003000", "PAS")]
    # The passport action taken: R with no exclusions (OCSE may now certify to the State Department); the
    # amount held is repeated, not changed.
    assert _sent(certified.path) == [("R", "00003000", "")]
    # Released while the tax offset stays: R adding PAS, the passport release request.
    assert _sent(released.path) == [("R", "00003000", "PAS")]
    assert (released.adds, released.modifies, released.replaces, released.deletes) == (0, 0, 1, 0)
    assert (again.path, again.replaces) == (None, 0)  # a re-run on the same date writes nothing
    control = released.path.read_text().splitlines()[-1]  # type: ignore[union-attr]
    assert (control[14:23], control[34:45]) == ("000000001", "0" * 11)  # E-2: an R adds no dollars
    assert list(OffsetTransaction.objects.order_by("pk").values_list("transaction", "exclusions")) == [
        ("A", "PAS"), ("R", ""), ("R", "PAS")]  # fmt: skip
    assert OffsetCertification.objects.get().last_transaction == "R"


@pytest.mark.django_db
def test_a_new_amount_and_new_exclusions_are_a_modify_then_a_replace(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    passport = _certify(officer, case, "passport_denial")
    build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    # $1,000.50 on 08/10: August's $500.00 current support first (45 CFR 302.51(a)), then $500.50 of the
    # $3,500.00 of arrears (January to June, and July's unpaid support rolled over): $2,999.50 left.
    post_collection(actor=officer, case=case, amount=Decimal("1000.50"), source="direct_payment",
                    collected_on=date(2026, 8, 10), received_on=date(2026, 8, 10))  # fmt: skip
    release_action(actor=officer, action=passport, released_on=date(2026, 8, 10), reason="Payment arrangement made")

    result = build_submission(actor=system_actor(), as_of=date(2026, 8, 10), out_dir=tmp_path)

    # M changes only the amount, R only the indicators (2.3): both, the amount first; each carries both.
    assert _sent(result.path) == [("M", "00002999", "PAS"), ("R", "00002999", "PAS")]
    assert (result.modifies, result.replaces) == (1, 1)
    control = result.path.read_text().splitlines()[-1]  # type: ignore[union-attr]
    assert (control[14:23], control[34:45]) == ("000000002", "00000002999")  # the M's dollars only


@pytest.mark.django_db
def test_the_passport_only_certification_released_is_deleted(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    passport = _certify(officer, case, "passport_denial")
    build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    release_action(actor=officer, action=passport, released_on=date(2026, 8, 5), reason="Paid below $2,500")

    result = build_submission(actor=system_actor(), as_of=date(2026, 8, 5), out_dir=tmp_path)

    # No remedy of the file taken any more: the certification is withdrawn (D, amount 0, no indicators).
    assert _sent(result.path) == [("D", "00000000", "")]
    assert not OffsetCertification.objects.get().active


@pytest.mark.django_db
def test_a_corrected_ssn_is_still_a_delete_and_an_add_carrying_the_exclusions(officer: object, tmp_path: Path) -> None:
    obligor, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    update_person(actor=officer, person=obligor, ssn="512-34-9877")

    result = build_submission(actor=system_actor(), as_of=date(2026, 8, 4), out_dir=tmp_path)

    delete, add = _lines(result.path)
    assert (delete[72], delete[5:14], delete[187:227]) == ("D", SSN, " " * 40)
    assert (add[72], add[5:14], add[187:227].rstrip()) == ("A", "512349877", "PAS")
    assert OffsetCertification.objects.get().exclusions == "PAS"


@pytest.mark.django_db
def test_a_certification_sent_before_the_exclusions_were_kept_gets_pas_by_a_replace(
    officer: object, tmp_path: Path
) -> None:
    _, (case,) = _behind(officer, "500.00")
    _certify(officer, case)
    build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    OffsetCertification.objects.update(exclusions="")  # as migration 0006 leaves a row sent with a blank field

    result = build_submission(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)

    # Sent blank, OCSE holds it excluded from nothing, passport denial included, though no passport action was
    # taken: the next run asks for the release.
    assert _sent(result.path) == [("R", "00003000", "PAS")]
