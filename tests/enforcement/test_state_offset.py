"""State tax refund offset (42 U.S.C. 666(a)(3); 45 CFR 303.102; Miss. Code Ann. 27-7-501 et seq.): the
certification file to the revenue department (adds, updates, deletes; idempotent; the SSN audited; no address)
and its offsets read back (posted to the ledger once, a joint return held, bad lines kept with their numbers).
Layout: docs/interfaces/state-tax-offset.md."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opencse.enforcement.actions import approve_action, release_action, take_action
from opencse.enforcement.models import EnforcementAction, StateOffsetCertification, StateOffsetTransaction
from opencse.enforcement.state_offset import build_certification, import_offsets
from opencse.enforcement.sweep import sweep
from opencse.interfaces import state_offset_file as layout
from opencse.ledger.accrual import accrue
from opencse.ledger.models import Collection, CollectionStatus, ImportRejection
from opencse.ledger.selectors import balances
from opencse.ledger.services import post_collection
from opencse.people.services import add_address, set_family_violence, update_person
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests import factories
from tests.enforcement.test_fop import SSN, TAKEN_ON, _behind

HEADER = ",".join(layout.OFFSET_COLUMNS) + "\n"


def _take(officer: object, case: object) -> EnforcementAction:
    """The sweep's state_tax_offset proposal approved, the notice mailed 07/02/2026, and taken after the
    30-day contest window (rules/params/ms/remedies.yaml)."""
    sweep(as_of=date(2026, 7, 1))
    action = EnforcementAction.objects.get(case=case, remedy="state_tax_offset")
    approve_action(actor=factories.user(Role.SUPERVISOR, username=f"sup-{case.pk}"), action=action,
                   decided_on=date(2026, 7, 2), service_method="mail")  # fmt: skip
    return take_action(actor=officer, action=action, taken_on=TAKEN_ON)


def _rows(path: Path | None) -> list[dict[str, str]]:
    assert path is not None
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _owed(case: object, on: date) -> Decimal:
    return sum(balances(case=case, as_of=on).values(), Decimal("0.00"))  # type: ignore[arg-type]


# --- The layout (pure) ------------------------------------------------------------------------------------


def test_the_offset_reader_keeps_each_bad_line_with_its_number_and_never_the_ssn() -> None:
    text = HEADER + (
        f"{SSN},812.34,2026-03-02,2025,N\n"
        f"{SSN},-5,2026-03-02,2025,N\n"  # line 3: not a positive amount
        "000112222,10.00,2026-02-30,2025,X\n"  # line 4: an invalid SSN, no such date, the flag neither Y nor N
        f"{SSN},10.00\n"  # line 5: two fields
        "\n"
        f"{SSN},812.34,2026-03-02,2025,N\n"  # line 7: the same values again, a second occurrence
    )

    parsed = layout.read_offsets(text)

    assert [(r.line_number, r.amount, r.occurrence) for r in parsed.records] == [
        (2, Decimal("812.34"), 1), (7, Decimal("812.34"), 2)
    ]  # fmt: skip
    assert [bad.line_number for bad in parsed.bad] == [3, 4, 5]
    assert "amount '-5'" in parsed.bad[0].problem
    assert "ssn is not a valid SSN" in parsed.bad[1].problem and "offset_date '2026-02-30'" in parsed.bad[1].problem
    assert "joint_return 'X'" in parsed.bad[1].problem
    assert parsed.bad[2].problem == "has 2 fields, not 5"
    for bad in parsed.bad:
        assert SSN not in bad.text + bad.problem and "000112222" not in bad.text + bad.problem
    assert parsed.bad[0].text.startswith("*****9876,")


def test_a_file_without_the_header_row_is_one_bad_line() -> None:
    parsed = layout.read_offsets(f"{SSN},812.34,2026-03-02,2025,N\n")

    assert parsed.records == [] and [(b.line_number, b.text) for b in parsed.bad] == [(1, "")]


# --- The certification file -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_obligor_is_certified_once_with_the_arrears_of_the_cases_with_the_action_taken(
    officer: object, tmp_path: Path
) -> None:
    obligor, cases = _behind(officer, "500.00", "200.00", "100.00")
    for case in cases[:2]:
        _take(officer, case)
    add_address(actor=officer, person=obligor, kind="mailing", line1="4 Elm Street", city="Jackson", state="MS",
                postal_code="39201")  # fmt: skip
    set_family_violence(actor=officer, person=obligor, protected=True, since=date(2026, 7, 20))

    first = build_certification(actor=system_actor(), on=TAKEN_ON, out_dir=tmp_path)
    again = build_certification(actor=system_actor(), on=TAKEN_ON, out_dir=tmp_path)

    # Six months of $500.00 and of $200.00 unpaid (January to June): $4,200.00. The third case's $600.00 is
    # not counted: the action was not taken on it.
    (row,) = _rows(first.path)
    assert (row["record_type"], row["ssn"], row["amount_owed"]) == ("A", SSN, "4200.00")
    assert (row["last_name"], row["first_name"], row["case_number"]) == ("Boone", "Curtis", cases[0].number)
    assert (row["submitting_agency"], row["certified_date"]) == ("MS", "2026-08-03")
    assert "Elm" not in first.path.read_text()  # no address is ever written (a protected one least of all)
    assert (first.adds, first.updates, first.deletes) == (1, 0, 0)
    assert (again.adds, again.updates, again.deletes, again.path) == (0, 0, 0, None)  # idempotent
    assert len(list(tmp_path.iterdir())) == 1 and StateOffsetTransaction.objects.count() == 1
    assert StateOffsetCertification.objects.get(obligor=obligor).amount == Decimal("4200.00")
    assert AuditEvent.objects.filter(action="person.ssn_disclosed", target_id=str(obligor.pk)).count() == 1


@pytest.mark.django_db
def test_a_changed_amount_is_updated_and_a_released_action_deleted(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    action = _take(officer, case)
    build_certification(actor=system_actor(), on=TAKEN_ON, out_dir=tmp_path)
    # $1,000.50 on 08/10: August's $500.00 current support first (45 CFR 302.51(a)), then $500.50 of the
    # $3,500.00 of arrears (January to June, and July's unpaid support rolled over): $2,999.50 left.
    post_collection(actor=officer, case=case, amount=Decimal("1000.50"), source="direct_payment",
                    collected_on=date(2026, 8, 10), received_on=date(2026, 8, 10))  # fmt: skip

    updated = build_certification(actor=system_actor(), on=date(2026, 8, 11), out_dir=tmp_path)
    release_action(actor=officer, action=action, released_on=date(2026, 8, 12), reason="Paid by agreement")
    deleted = build_certification(actor=system_actor(), on=date(2026, 8, 12), out_dir=tmp_path)

    (update,) = _rows(updated.path)
    assert (update["record_type"], update["amount_owed"]) == ("U", "2999.50")
    (delete,) = _rows(deleted.path)
    assert (delete["record_type"], delete["ssn"], delete["amount_owed"]) == ("D", SSN, "0.00")
    assert not StateOffsetCertification.objects.get().active
    assert list(StateOffsetTransaction.objects.order_by("pk").values_list("transaction", flat=True)) == ["A", "U", "D"]
    assert build_certification(actor=system_actor(), on=date(2026, 8, 12), out_dir=tmp_path).path is None


@pytest.mark.django_db
def test_a_corrected_ssn_is_deleted_under_the_old_number_and_added_under_the_new(
    officer: object, tmp_path: Path
) -> None:
    obligor, (case,) = _behind(officer, "500.00")
    _take(officer, case)
    build_certification(actor=system_actor(), on=TAKEN_ON, out_dir=tmp_path)
    update_person(actor=officer, person=obligor, ssn="512-34-9877")

    result = build_certification(actor=system_actor(), on=date(2026, 8, 4), out_dir=tmp_path)

    delete, add = _rows(result.path)
    assert [(r["record_type"], r["ssn"]) for r in (delete, add)] == [("D", SSN), ("A", "512349877")]
    assert StateOffsetCertification.objects.get().active


@pytest.mark.django_db
def test_an_obligor_without_an_ssn_is_listed_not_certified(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00", ssn="")
    _take(officer, case)

    result = build_certification(actor=system_actor(), on=TAKEN_ON, out_dir=tmp_path)

    assert (result.path, result.not_certified) == (None, [(case.number, "the obligor has no SSN on file")])


# --- The offsets read back --------------------------------------------------------------------------------


def _offsets(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "offsets.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines))
    return path


@pytest.mark.django_db
def test_an_offset_is_posted_across_the_certified_obligors_cases_once(officer: object, tmp_path: Path) -> None:
    _, cases = _behind(officer, "500.00", "250.00")
    for case in cases:
        _take(officer, case)
    build_certification(actor=system_actor(), on=TAKEN_ON, out_dir=tmp_path / "out")
    received = date(2026, 8, 21)
    accrue(through=date(2026, 8, 31))  # August's support, which the posting would otherwise accrue first
    before = [_owed(case, received) for case in cases]
    path = _offsets(tmp_path, f"{SSN},900.00,2026-08-20,2025,N", "not,a,record")

    first = import_offsets(actor=system_actor(), path=path, received_on=received)
    again = import_offsets(actor=system_actor(), path=path, received_on=received)

    posted = Collection.objects.filter(source="state_tax_offset", status=CollectionStatus.POSTED)
    # In proportion to the two cases' arrears ($500.00 and $250.00 a month, nothing paid): 2 to 1.
    assert {c.case_id: c.amount for c in posted} == {cases[0].pk: Decimal("600.00"), cases[1].pk: Decimal("300.00")}
    assert [before[i] - _owed(case, received) for i, case in enumerate(cases)] == [Decimal("600.00"),
                                                                                   Decimal("300.00")]  # fmt: skip
    assert (first.posted, first.rejected, again.posted, again.duplicates) == (1, 1, 0, 1)
    assert posted.count() == 2
    rejection = ImportRejection.objects.get(payment_import=first)
    assert (rejection.line_number, rejection.reason) == (3, "has 3 fields, not 5")


@pytest.mark.django_db
def test_a_joint_return_is_held_and_an_uncertified_ssn_waits_in_suspense(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    _take(officer, case)
    build_certification(actor=system_actor(), on=TAKEN_ON, out_dir=tmp_path / "out")
    received = date(2026, 8, 21)
    accrue(through=date(2026, 8, 31))
    before = _owed(case, received)
    path = _offsets(tmp_path, f"{SSN},400.00,2026-08-20,2025,Y", "401234567,75.00,2026-08-20,2025,N",
                    f"{SSN},12.00,2026-08-20,2025,maybe")  # fmt: skip

    done = import_offsets(actor=system_actor(), path=path, received_on=received)

    held = Collection.objects.filter(status=CollectionStatus.SUSPENSE).order_by("amount")
    assert [(c.amount, c.source) for c in held] == [(Decimal("75.00"), "state_tax_offset"),
                                                    (Decimal("400.00"), "state_tax_offset")]  # fmt: skip
    assert held[0].suspense_reason == "line 3: no obligor certified for state tax offset under that SSN"
    assert held[1].suspense_reason.startswith("line 2: joint return: held, not distributed")
    assert _owed(case, received) == before  # nothing distributed
    assert (done.posted, done.suspended, done.rejected) == (0, 2, 1)
    rejection = ImportRejection.objects.get(payment_import=done)
    assert rejection.line_number == 4 and SSN not in rejection.reason + rejection.raw


@pytest.mark.django_db
def test_the_commands_write_the_file_and_post_the_offsets(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    _take(officer, case)
    out = StringIO()

    for _ in range(2):
        call_command("enforcement", "state-offset-file", "--on", "2026-08-03", "--out", str(tmp_path / "out"),
                     stdout=out)  # fmt: skip
    path = _offsets(tmp_path, f"{SSN},250.00,2026-08-20,2025,N", f"{SSN},oops,2026-08-20,2025,N")
    call_command("enforcement", "state-offset-collections", str(path), "--received-on", "2026-08-21", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("state tax offset certification on 2026-08-03: 1 adds, 0 updates, 0 deletes; written")
    assert lines[1].endswith("nothing changed, no file written")
    assert lines[2].startswith("  line 3: amount 'oops'")
    assert "1 records, 1 posted" in lines[3]
    assert SSN not in out.getvalue()
    assert Collection.objects.get(source="state_tax_offset").case_id == case.pk


@pytest.mark.django_db
def test_a_file_that_is_not_ascii_or_not_there_is_refused_by_the_command(tmp_path: Path) -> None:
    path = tmp_path / "offsets.csv"
    path.write_bytes(HEADER.encode("ascii") + "512349876,10.00,2026-08-20,2025,N \u00e9\n".encode())

    with pytest.raises(CommandError, match="is not plain text") as refused:
        call_command("enforcement", "state-offset-collections", str(path), "--received-on", "2026-08-21")
    with pytest.raises(CommandError, match="No file"):
        call_command("enforcement", "state-offset-collections", str(tmp_path / "none.csv"), "--received-on",
                     "2026-08-21")  # fmt: skip

    assert refused.value.returncode == 2 and not Collection.objects.exists()


@pytest.mark.django_db
def test_an_obligor_certified_again_after_a_release_is_added_on_the_same_certification(
    officer: object, tmp_path: Path
) -> None:
    _, (case,) = _behind(officer, "500.00")
    first = _take(officer, case)
    build_certification(actor=system_actor(), on=TAKEN_ON, out_dir=tmp_path)
    release_action(actor=officer, action=first, released_on=date(2026, 8, 12), reason="Agreement signed")
    build_certification(actor=system_actor(), on=date(2026, 8, 12), out_dir=tmp_path)
    sweep(as_of=date(2026, 9, 1))
    again = EnforcementAction.objects.get(case=case, remedy="state_tax_offset", status="proposed")
    approve_action(actor=factories.user(Role.SUPERVISOR, username="sup-again"), action=again,
                   decided_on=date(2026, 9, 2), service_method="mail")  # fmt: skip
    take_action(actor=officer, action=again, taken_on=date(2026, 10, 5))

    result = build_certification(actor=system_actor(), on=date(2026, 10, 5), out_dir=tmp_path)

    (row,) = _rows(result.path)
    assert row["record_type"] == "A"
    certification = StateOffsetCertification.objects.get()
    assert certification.active and certification.amount == Decimal(row["amount_owed"])
    assert list(certification.transactions.order_by("pk").values_list("transaction", flat=True)) == ["A", "D", "A"]
