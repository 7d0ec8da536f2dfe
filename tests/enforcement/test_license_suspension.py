"""License suspension and reinstatement (42 U.S.C. 666(a)(16); Miss. Code Ann. 93-11-153 et seq.): the obligor's
licenses, certified to their agencies in the day's file once the action is taken, released once it is released;
each request sent once; the agency's answers read back; a protected address never written."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from opencse.cases.models import CaseNote
from opencse.cases.services import add_member
from opencse.documents.models import Document
from opencse.enforcement.actions import approve_action, release_action, take_action
from opencse.enforcement.facts import record_bankruptcy_stay
from opencse.enforcement.license_models import License, LicenseCertification, LicenseResponseProblem
from opencse.enforcement.licenses import (
    end_license,
    licensing_agencies,
    read_license_response,
    record_license,
    write_license_files,
)
from opencse.enforcement.models import EnforcementAction
from opencse.enforcement.sweep import sweep
from opencse.errors import InvalidInput, InvalidInputs
from opencse.interfaces.license_file import CERTIFICATION_COLUMNS, RESPONSE_COLUMNS
from opencse.ledger.accrual import accrue, roll_over
from opencse.orders.services import TermInput, enter_order
from opencse.people.services import add_address, set_family_violence
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.security.services import system_actor
from opencse.work.models import Task, TaskKind
from tests import factories

NOTICE_ON = date(2026, 7, 2)
TAKEN_ON = date(2026, 10, 1)  # after Mississippi's 90-day window of a notice mailed 07/02/2026 (ms/remedies.yaml)
FILE_ON = date(2026, 10, 2)


def _behind(officer: object, *, first_name: str = "Curtis", ssn: str = "512-34-9876") -> tuple[object, object]:
    """An obligor six months behind on $500.00 a month on 07/01/2026 (two months trigger it in Mississippi)."""
    obligor = factories.person(officer, first_name=first_name, last_name="Boone", sex="M", ssn=ssn,
                               date_of_birth=date(1988, 4, 9))  # fmt: skip
    case = factories.case(officer, referral_received_on=date(2025, 12, 1), opened_on=date(2025, 12, 2))
    child = factories.person(officer, first_name="Mateo", last_name="Boone", date_of_birth=date(2018, 2, 3))
    add_member(actor=officer, case=case, person=obligor, role="noncustodial_parent")
    add_member(actor=officer, case=case, person=child, role="dependent_child")
    enter_order(actor=officer, case=case, tribunal_kind="administrative",
                tribunal_name="MDHS Division of Child Support", issuing_jurisdiction="MS",
                docket_number=f"AO-{case.number}", signed_on=date(2026, 1, 1), effective_on=date(2026, 1, 1),
                terms=[TermInput(kind="current_support", frequency="monthly", starts_on=date(2026, 1, 1),
                                 obligor=obligor, steps=[(date(2026, 1, 1), Decimal("500.00"))])])  # fmt: skip
    return obligor, case


def _arrears() -> None:
    accrue(through=date(2026, 7, 31))
    for month_end in (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31),
                      date(2026, 6, 30)):  # fmt: skip
        roll_over(month_ending=month_end)


def _take(officer: object, case: object) -> EnforcementAction:
    """License suspension proposed by the sweep, approved, the notice mailed 07/02/2026, taken after 90 days."""
    action = EnforcementAction.objects.get(case=case, remedy="license_suspension")
    approve_action(actor=factories.user(Role.SUPERVISOR, username=f"sup-{case.pk}"), action=action,
                   decided_on=NOTICE_ON, service_method="mail")  # fmt: skip
    return take_action(actor=officer, action=action, taken_on=TAKEN_ON)


def _license(officer: object, case: object, *, kind: str = "drivers", agency: str = "ms_dps", number: str = "801234567",
             source: str = "dmv") -> License:  # fmt: skip
    return record_license(actor=officer, case=case, kind=kind, agency=agency, number=number, source=source,
                          reported_on=date(2026, 6, 1))  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(CERTIFICATION_COLUMNS)
    return list(csv.DictReader(StringIO(text)))


def _files(result: object) -> dict[str, Path]:
    return {path.name.split("-")[1]: path for path in result.paths}  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_taken_action_certifies_the_obligors_licenses_once_each_in_their_agencys_file(
    officer: object, tmp_path: Path
) -> None:
    obligor, case = _behind(officer)
    other, other_case = _behind(officer, first_name="Dale", ssn="512-34-1111")  # no action taken: not certified
    _arrears()
    sweep(as_of=date(2026, 7, 1))
    add_address(actor=officer, person=obligor, kind="mailing", line1="4 Elm Street", line2="Apt. 2", city="Jackson",
                state="MS", postal_code="39201")  # fmt: skip
    driver = _license(officer, case)
    nurse = _license(officer, case, kind="professional", agency="ms_nursing", number="RN-88812", source="officer")
    gone = _license(officer, case, kind="recreational", agency="ms_wfp", number="H55")
    end_license(actor=officer, case=case, license=gone, ended_on=date(2026, 8, 1), reason="Expired 07/31/2026")
    _license(officer, other_case, number="809999999")

    before = write_license_files(actor=system_actor(), on=TAKEN_ON, out_dir=tmp_path)  # the action not yet taken
    action = _take(officer, case)
    first = write_license_files(actor=system_actor(), on=FILE_ON, out_dir=tmp_path)
    again = write_license_files(actor=system_actor(), on=FILE_ON, out_dir=tmp_path)

    assert (before.paths, before.suspensions) == ([], 0)
    assert (first.suspensions, first.releases, again.suspensions, again.releases, again.paths) == (2, 0, 0, 0, [])
    files = _files(first)
    assert sorted(files) == ["ms_dps", "ms_nursing"] and len(list(tmp_path.iterdir())) == 2
    (row,) = _rows(files["ms_dps"])
    certification = LicenseCertification.objects.get(license=driver)
    assert row == {
        "record_type": "S", "certification_id": str(certification.pk), "agency_code": "ms_dps", "license_kind": "DL",
        "license_number": "801234567", "license_state": "MS", "last_name": "Boone", "first_name": "Curtis",
        "middle_name": "", "suffix": "", "date_of_birth": "1988-04-09", "ssn_last4": "9876",
        "address_line_1": "4 Elm Street", "address_line_2": "Apt. 2", "city": "Jackson", "state": "MS",
        "zip_code": "39201", "case_number": case.number, "effective_date": "2026-10-01", "sent_date": "2026-10-02",
    }  # fmt: skip
    (nursing,) = _rows(files["ms_nursing"])
    assert (nursing["license_kind"], nursing["license_number"]) == ("PR", "RN-88812")
    assert "512349876" not in files["ms_dps"].read_text()  # the last four digits only
    assert certification.action == action and certification.transmission.file_name == files["ms_dps"].name
    assert LicenseCertification.objects.filter(license=nurse, request="S").count() == 1
    assert oct(files["ms_dps"].stat().st_mode & 0o777) == "0o600"
    assert AuditEvent.objects.filter(action="license.certified").count() == 2
    assert CaseNote.objects.filter(case=case, text__contains="License certification sent").count() == 1
    assert not LicenseCertification.objects.filter(license__holder=other).exists()


@pytest.mark.django_db
def test_a_release_sends_the_release_once_with_a_notice_to_the_obligor(officer: object, tmp_path: Path) -> None:
    obligor, case = _behind(officer)
    _arrears()
    sweep(as_of=date(2026, 7, 1))
    driver = _license(officer, case)
    action = _take(officer, case)
    write_license_files(actor=system_actor(), on=FILE_ON, out_dir=tmp_path / "1")
    release_action(actor=officer, action=action, released_on=date(2026, 10, 20), reason="Payment agreement signed")

    released = write_license_files(actor=system_actor(), on=date(2026, 10, 21), out_dir=tmp_path / "2")
    again = write_license_files(actor=system_actor(), on=date(2026, 10, 22), out_dir=tmp_path / "3")

    assert (released.suspensions, released.releases, again.paths) == (0, 1, [])
    (row,) = _rows(released.paths[0])
    release = LicenseCertification.objects.get(license=driver, request="R")
    assert (row["record_type"], row["certification_id"], row["effective_date"]) == ("R", str(release.pk),
                                                                                    "2026-10-20")  # fmt: skip
    assert release.release_of == LicenseCertification.objects.get(license=driver, request="S")
    notice = Document.objects.get(case=case, kind="license_release_notice")
    assert notice.person == obligor
    assert CaseNote.objects.filter(case=case, text__contains="release (reinstate)").count() == 1


@pytest.mark.django_db
def test_a_protected_address_is_never_written(officer: object, tmp_path: Path) -> None:
    obligor, case = _behind(officer)
    _arrears()
    sweep(as_of=date(2026, 7, 1))
    add_address(actor=officer, person=obligor, kind="mailing", line1="77 Hidden Lane", city="Tupelo", state="MS",
                postal_code="38801")  # fmt: skip
    set_family_violence(actor=factories.user(Role.SUPERVISOR, username="fv"), person=obligor, protected=True,
                        since=date(2026, 5, 1))  # fmt: skip
    _license(officer, case)
    _take(officer, case)

    result = write_license_files(actor=system_actor(), on=FILE_ON, out_dir=tmp_path)

    text = result.paths[0].read_text()
    assert "Hidden" not in text and "38801" not in text and "Tupelo" not in text
    (row,) = _rows(result.paths[0])
    assert [row[name] for name in ("address_line_1", "address_line_2", "city", "state", "zip_code")] == [""] * 5


def _response(tmp_path: Path, name: str, *lines: str) -> Path:
    path = tmp_path / name
    path.write_text("\r\n".join([",".join(RESPONSE_COLUMNS), *lines]) + "\r\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_the_agencys_response_is_recorded_bad_lines_kept_and_a_not_found_opens_a_task(
    officer: object, tmp_path: Path
) -> None:
    _, case = _behind(officer)
    _arrears()
    sweep(as_of=date(2026, 7, 1))
    driver = _license(officer, case)
    nurse = _license(officer, case, kind="professional", agency="ms_nursing", number="RN-88812", source="officer")
    _take(officer, case)
    write_license_files(actor=system_actor(), on=FILE_ON, out_dir=tmp_path / "out")
    dl, rn = (LicenseCertification.objects.get(license=license) for license in (driver, nurse))
    path = _response(
        tmp_path, "dps-answers.csv",
        f"{dl.pk},S,2026-10-05,801234567,suspended effective 10/05",
        f"{rn.pk},N,2026-10-06,,",
        f"{dl.pk},R,2026-10-06,801234567,",  # answered twice in the file
        "999999,S,2026-10-05,,",  # no such certification
        f"{rn.pk},X,2026-13-01,,",  # a bad result and a bad date: both named
        "only,three,fields",
    )  # fmt: skip

    result = read_license_response(actor=system_actor(), path=path, received_on=date(2026, 10, 8))
    reread = read_license_response(actor=system_actor(), path=path, received_on=date(2026, 10, 9))

    dl.refresh_from_db()
    rn.refresh_from_db()
    assert (dl.result, dl.result_on, dl.result_received_on, dl.result_note) == (
        "S", date(2026, 10, 5), date(2026, 10, 8), "suspended effective 10/05")  # fmt: skip
    assert (rn.result, rn.result_on) == ("N", date(2026, 10, 6))
    assert result.recorded == 2 and [number for number, _ in result.problems] == [4, 5, 6, 7]
    problems = dict(result.problems)
    assert problems[4] == f"certification {dl.pk} is answered twice in this file (line 2)"
    assert problems[5] == "no certification 999999 was sent"
    assert "result 'X' is not one of S, N, M, R" in problems[6] and "result_date '2026-13-01'" in problems[6]
    assert problems[7] == "has 3 fields, not 5"
    assert LicenseResponseProblem.objects.count() == 4
    assert (reread.already_read, reread.recorded, len(reread.problems)) == (True, 0, 4)
    assert LicenseResponseProblem.objects.count() == 4
    (task,) = Task.objects.filter(kind=TaskKind.LICENSE_RESPONSE)
    assert (task.case_id, task.source_key, task.due_on) == (case.pk, f"license-answer:{rn.pk}", date(2026, 10, 13))
    assert AuditEvent.objects.filter(action="license.answered").count() == 2


@pytest.mark.django_db
def test_an_answer_that_does_not_fit_the_request_is_kept_as_a_problem(officer: object, tmp_path: Path) -> None:
    _, case = _behind(officer)
    _arrears()
    sweep(as_of=date(2026, 7, 1))
    driver = _license(officer, case)
    _take(officer, case)
    write_license_files(actor=system_actor(), on=FILE_ON, out_dir=tmp_path / "out")
    dl = LicenseCertification.objects.get(license=driver)
    path = _response(
        tmp_path, "answers.csv",
        f"{dl.pk},R,2026-10-05,,",  # a suspension is not answered "reinstated"
        f"{dl.pk},S,2026-09-30,,",  # before it was sent
        f"{dl.pk},S,2026-10-05,999,",  # another license number
    )  # fmt: skip

    result = read_license_response(actor=system_actor(), path=path, received_on=date(2026, 10, 8))

    assert result.recorded == 0
    assert [why for _, why in result.problems] == [
        "result R does not answer a suspend request (expected M, N, S)",
        "result_date 09/30/2026 is before the request was sent (10/02/2026)",
        "license_number 999 is not the number certified (801234567)",
    ]
    dl.refresh_from_db()
    assert dl.result == ""


@pytest.mark.django_db
def test_a_license_is_refused_with_every_error_at_once(officer: object) -> None:
    _, case = _behind(officer)
    with pytest.raises(InvalidInputs) as refused:
        record_license(actor=officer, case=case, kind="recreational", agency="ms_nursing", number="  ",
                       source="psychic", reported_on=date(2026, 6, 1))  # fmt: skip
    assert {error.field for error in refused.value.errors} == {"agency", "number", "source"}
    _license(officer, case)
    with pytest.raises(InvalidInput, match="already recorded"):
        _license(officer, case, number="801 234 567")  # the same number, spaced: normalized
    assert AuditEvent.objects.filter(action="license.recorded").count() == 1


def test_each_states_directory_reads_and_names_the_kinds_each_agency_issues() -> None:
    ms, wa = licensing_agencies("MS"), licensing_agencies("WA")
    assert ms["ms_dps"].kinds == ("drivers",) and ms["ms_dps"].unconfirmed
    assert wa["wa_dol"].kinds == ("drivers", "professional") and not wa["wa_dol"].unconfirmed
    assert {"recreational"} <= {kind for agency in wa.values() for kind in agency.kinds}
    assert licensing_agencies("ZZ") == {}


@pytest.mark.django_db
def test_the_commands_write_the_files_and_read_the_response(officer: object, tmp_path: Path) -> None:
    _, case = _behind(officer)
    _arrears()
    sweep(as_of=date(2026, 7, 1))
    driver = _license(officer, case)
    _take(officer, case)
    out = StringIO()
    call_command("enforcement", "license-file", "--on", "2026-10-02", "--out", str(tmp_path / "out"), stdout=out)
    call_command("enforcement", "license-file", "--on", "2026-10-02", "--out", str(tmp_path / "out"), stdout=out)
    dl = LicenseCertification.objects.get(license=driver)
    path = _response(tmp_path, "answers.csv", f"{dl.pk},S,2026-10-05,801234567,", "bad")
    call_command("enforcement", "license-response", str(path), "--received-on", "2026-10-08", stdout=out)
    call_command("enforcement", "license-response", str(path), "--received-on", "2026-10-08", stdout=out)

    lines = out.getvalue().splitlines()
    assert "license certification on 2026-10-02: 1 suspensions, 0 releases; 1 files written" in lines
    assert "license certification on 2026-10-02: 0 suspensions, 0 releases; nothing to send, no file written" in lines
    assert "  line 3: has 1 fields, not 5" in lines
    assert "license response answers.csv: 1 answers recorded, 0 already recorded, 1 lines not recorded" in lines
    assert any(line.startswith("license response answers.csv: already read on") for line in lines)


@pytest.mark.django_db
def test_an_action_released_in_bulk_and_a_license_ended_send_their_releases(officer: object, tmp_path: Path) -> None:
    """Every path that ends the action sends the release, not only `release_action`: here a bankruptcy stay
    recorded (`facts.stop_actions`, the bulk path the sweep and the case closure share); and a license no longer
    held is released while the action stays taken."""
    _, case = _behind(officer)
    other, other_case = _behind(officer, first_name="Dale", ssn="512-34-1111")
    _arrears()
    sweep(as_of=date(2026, 7, 1))
    driver = _license(officer, case)
    boat = _license(officer, other_case, kind="recreational", agency="ms_wfp", number="F-2201")
    _take(officer, case)
    _take(officer, other_case)
    write_license_files(actor=system_actor(), on=FILE_ON, out_dir=tmp_path / "1")
    record_bankruptcy_stay(actor=officer, case=case, petition_filed_on=date(2026, 10, 5), chapter="13",
                           court="U.S. Bankruptcy Court, Southern District of Mississippi",
                           court_case_number="26-01234-JAW", recorded_on=date(2026, 10, 6))  # fmt: skip
    end_license(actor=officer, case=other_case, license=boat, ended_on=date(2026, 10, 6), reason="Recorded in error")

    result = write_license_files(actor=system_actor(), on=date(2026, 10, 7), out_dir=tmp_path / "2")

    assert (result.suspensions, result.releases) == (0, 2)
    released = {c.license_id: c.effective_on for c in LicenseCertification.objects.filter(request="R")}
    assert released == {driver.pk: date(2026, 10, 6), boat.pk: date(2026, 10, 7)}
    assert EnforcementAction.objects.get(case=other_case, remedy="license_suspension").status == "taken"
    assert not License.objects.filter(holder=other, ended_on__isnull=True).exists()
