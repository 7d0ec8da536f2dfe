"""The enforcement files page (docs/enforcement.md, "Enforcement files"): after the real commands write and read
each interface's files, the page lists them with their counts, who ran them and the lines that could not be read
(in words, never the line's text, never an SSN or account number); a role without enforcement.view is refused;
the page costs the same queries with one file of each kind or ten."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencse.enforcement.actions import approve_action, take_action
from opencse.enforcement.files import enforcement_files, masked
from opencse.enforcement.license_models import LicenseCertification, LicenseTransmission
from opencse.enforcement.licenses import licensing_agencies, record_license
from opencse.enforcement.models import CreditReportRun, EiwoFile, EnforcementAction, OffsetSubmission
from opencse.enforcement.state_offset_models import StateOffsetSubmission
from opencse.enforcement.sweep import sweep
from opencse.errors import NotAuthorized
from opencse.interfaces import fop
from opencse.interfaces import state_offset_file as state_layout
from opencse.interfaces.license_file import RESPONSE_COLUMNS
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests import factories
from tests.enforcement.fidm_helpers import a_record, b_record, match_file
from tests.enforcement.test_fop import _behind, _collection
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db
URL = "/enforcement/files/"
SSN = "512349876"  # the obligor's (tests.enforcement.test_fop._behind)
OTHER_SSN = "401550123"
ACCOUNT = "000123456789"
TAKEN_ON = date(2026, 8, 3)  # after the 30-day contest window of a notice mailed 07/02/2026 (remedies.yaml)
LICENSE_TAKEN_ON = date(2026, 10, 1)  # after Mississippi's 90 days for the license suspension notice


def _take(officer: Any, case: Any, remedy: str, taken_on: date) -> EnforcementAction:
    action = EnforcementAction.objects.get(case=case, remedy=remedy)
    approve_action(actor=factories.user(Role.SUPERVISOR, username=f"files-sup-{remedy}"), action=action,
                   decided_on=date(2026, 7, 2), service_method="mail")  # fmt: skip
    return take_action(actor=officer, action=action, taken_on=taken_on)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("enforcement", *args, stdout=out)
    return out.getvalue()


def _every_file(officer: Any, tmp_path: Path) -> None:
    """One obligor behind on one case; each remedy taken; each file written and read by its command."""
    _, (case,) = _behind(officer, "500.00")
    sweep(as_of=date(2026, 7, 1))
    for remedy in ("federal_tax_offset", "state_tax_offset", "credit_bureau_reporting"):
        _take(officer, case, remedy, TAKEN_ON)
    _take(officer, case, "license_suspension", LICENSE_TAKEN_ON)
    record_license(actor=officer, case=case, kind="drivers", agency="ms_dps", number="801234567", source="dmv",
                   reported_on=date(2026, 6, 1))  # fmt: skip
    out = tmp_path / "out"

    match = tmp_path / "fidm-2026q3.txt"
    match.write_text(match_file(b_record(ssn=SSN, account=ACCOUNT), b_record(ssn=OTHER_SSN, account="000987654321"),
                                b_record(ssn="12345", balance="12A")))  # fmt: skip
    _run("fidm-import", str(match), "--received-on", "2026-07-10")
    _run("fop", "--as-of", "2026-08-03", "--out", str(out))
    _run("state-offset-file", "--on", "2026-08-03", "--out", str(out))
    _run("credit-report", "--as-of", "2026-08-03", "--out", str(out))
    collections = tmp_path / "fop-collections.txt"
    collections.write_text(fop.collection_line(_collection(collection_amount=Decimal("812.34"))) + "\n"
                           + f"bad line {SSN}\n")  # fmt: skip
    _run("fop-collections", str(collections), "--received-on", "2026-08-21")
    offsets = tmp_path / "state-offsets.csv"
    offsets.write_text(",".join(state_layout.OFFSET_COLUMNS) + "\n" + f"{SSN},250.00,2026-08-20,2025,N\n"
                       + f"{OTHER_SSN},{SSN},2026-08-20,2025,N\n")  # fmt: skip
    _run("state-offset-collections", str(offsets), "--received-on", "2026-08-21")
    _run("license-file", "--on", "2026-10-02", "--out", str(out))
    certification = LicenseCertification.objects.get()
    answers = tmp_path / "dps-answers.csv"
    answers.write_text("\r\n".join([",".join(RESPONSE_COLUMNS), f"{certification.pk},S,2026-10-05,801234567,",
                                    f"{SSN},S,2026-10-05,,", "only,three,fields"]) + "\r\n")  # fmt: skip
    _run("license-response", str(answers), "--received-on", "2026-10-08")
    ack = tmp_path / "ack.txt"
    ack.write_text(f"FHA\ngarbage {OTHER_SSN}\n")
    _run("eiwo-ack", str(ack), "--received-on", "2026-06-05")


def test_the_page_lists_each_interfaces_files_and_problem_lines_without_an_ssn_or_account_number(
    officer: Any, tmp_path: Path
) -> None:
    _every_file(officer, tmp_path)
    client = signed_in(Role.AUDITOR, username="files-auditor")

    page = client.get(URL).content.decode()

    assert '<h1 class="margin-0">Enforcement files</h1>' in page
    for heading in ("Federal tax refund offset and passport denial: cases certified",
                    "Federal tax refund offset: collections read back", "State tax refund offset: obligors certified",
                    "State tax refund offset: offsets read back",
                    "License suspension: requests sent to the licensing agencies",
                    "License suspension: the agencies&#x27; answers read back",
                    "Financial institution data match: match files read",
                    "Credit bureau reporting: monthly files sent",
                    "Income withholding orders sent electronically (e-IWO)"):  # fmt: skip
        assert heading in page, heading
    kinds = {kind.key: kind for kind in enforcement_files(viewer=officer)}
    (sent,) = kinds["federal-offset-submissions"].files
    assert (sent.on, sent.counts, sent.by) == (TAKEN_ON, (1, 0, 0, 0), "OpenCSE (batch and command line)")
    assert sent.name in page
    (fidm_file,) = kinds["fidm"].files
    assert (fidm_file.name, fidm_file.detail, fidm_file.counts) == ("fidm-2026q3.txt", "quarter 3 of 2026",
                                                                    (5, 1, 1, 1, 2))  # fmt: skip
    assert [p.line_number for p in kinds["fidm"].problems or []] == [3, 4]
    assert "no obligor of an open case has the matched SSN" in page
    (licenses_sent,) = kinds["license-certifications"].files
    assert (licenses_sent.counts, licenses_sent.detail) == ((1, 0), licensing_agencies()["ms_dps"].name)
    (answers,) = kinds["license-responses"].files
    assert answers.counts == (3, 1, 0, 2) and kinds["license-responses"].problems_total == 2
    assert "no certification XXXXX9876 was sent" in page and "has 3 fields, not 5" in page
    (federal,) = kinds["federal-offset-collections"].files
    assert federal.counts == (1, 1, 0, 0, 0, 1) and federal.amount == Decimal("812.34")
    assert "$812.34" in page
    (state,) = kinds["state-offset-collections"].files
    assert state.counts == (1, 1, 0, 0, 1)  # the record read, posted; the line not readable
    assert "amount &#x27;XXXXX9876&#x27; is not a positive amount" in page
    assert kinds["state-offset-certifications"].totals == (1, 0, 0)
    (credit,) = kinds["credit-reports"].files
    assert (credit.detail, credit.counts) == ("August 2026", (1, 0, 0))
    assert [p.file_name for p in kinds["eiwo"].problems or []] == ["ack.txt"]
    for secret in (SSN, "512-34-9876", OTHER_SSN, ACCOUNT, "000987654321", "123456789"):
        assert secret not in page, secret


def test_the_page_of_one_kind_shows_its_files_and_an_unknown_kind_is_not_found(officer: Any, tmp_path: Path) -> None:
    path = tmp_path / "match.txt"
    path.write_text(match_file(b_record(ssn=OTHER_SSN)))
    call_command("enforcement", "fidm-import", str(path), "--received-on", "2026-07-10", stdout=StringIO())
    client = signed_in(Role.OFFICER_1, username="files-officer")

    page = client.get(URL + "fidm/")
    unknown = client.get(URL + "nothing-like-it/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Financial institution data match: match files read" in text and "match.txt" in text
    assert "no obligor of an open case has the matched SSN" in text and OTHER_SSN not in text
    assert "Credit bureau reporting" not in text
    assert unknown.status_code == 404


def test_a_role_without_enforcement_view_is_refused(officer: Any) -> None:
    administrator = factories.user(Role.ADMINISTRATOR, username="files-admin")
    client = signed_in(Role.ADMINISTRATOR, username="files-admin-web")

    assert client.get(URL).status_code == 403
    assert client.get(URL + "fidm/").status_code == 403
    with pytest.raises(NotAuthorized):
        enforcement_files(viewer=administrator)


def test_a_problems_words_keep_only_the_last_four_digits_of_an_ssn_or_an_account_number() -> None:
    assert masked("no certification 512349876 was sent") == "no certification XXXXX9876 was sent"
    assert masked("ssn 512-34-9876 and account 000123456789") == "ssn XXXXX9876 and account *****6789"
    assert masked("result_date '2026-13-01' and 20261301 stay") == "result_date '2026-13-01' and 20261301 stay"


def _files_of_each_kind(officer: Any, tmp_path: Path, count: int, start: int) -> None:
    """`count` more files of each kind: the files read back through their commands (each with a problem
    line), the files sent as rows (what their runs would record)."""
    actor = system_actor()
    for index in range(start, start + count):
        match = tmp_path / f"match-{index}.txt"
        match.write_text(match_file(b_record(ssn="12345"), a_line=a_record(name=f"BANK {index}")))
        _run("fidm-import", str(match), "--received-on", "2026-07-10")
        answers = tmp_path / f"answers-{index}.csv"
        answers.write_text(",".join(RESPONSE_COLUMNS) + f"\nonly,{index},fields\n")
        _run("license-response", str(answers), "--received-on", "2026-10-08")
        collections = tmp_path / f"fop-{index}.txt"
        collections.write_text(f"bad line {index}\n")
        _run("fop-collections", str(collections), "--received-on", "2026-08-21")
        offsets = tmp_path / f"sto-{index}.csv"
        offsets.write_text(",".join(state_layout.OFFSET_COLUMNS) + f"\nbad,{index}\n")
        _run("state-offset-collections", str(offsets), "--received-on", "2026-08-21")
        ack = tmp_path / f"ack-{index}.txt"
        ack.write_text(f"FHA\ngarbage {index}\n")
        _run("eiwo-ack", str(ack), "--received-on", "2026-06-05")
        on = date(2026, 1, 1).replace(month=1 + index % 12, day=1 + index // 12)
        LicenseTransmission.objects.create(agency="ms_dps", on=on, file_name=f"L{index}.csv", suspensions=1,
                                           releases=0, created_by=actor)  # fmt: skip
        OffsetSubmission.objects.create(as_of=on, file_name=f"F{index}.txt", adds=1, created_by=actor)
        StateOffsetSubmission.objects.create(on=on, file_name=f"S{index}.csv", adds=1, created_by=actor)
        CreditReportRun.objects.create(as_of=on, period=date(2020 + index // 12, 1 + index % 12, 1),
                                       file_name=f"M{index}.txt", accounts=1, created_by=actor)  # fmt: skip
        EiwoFile.objects.create(control_number=f"28000{index:011d}", on=on, filename=f"EIWO_{index}.txt",
                                sha256="0" * 64, orders=1, written_by=actor)  # fmt: skip


FILES_PAGE_QUERIES = 33  # 28 for the nine kinds (enforcement.files); the session, the user; the session saved (3)


def test_the_page_costs_the_same_queries_with_one_file_of_each_kind_or_ten(officer: Any, tmp_path: Path) -> None:
    client = signed_in(Role.OFFICER_1, username="files-queries")
    _files_of_each_kind(officer, tmp_path, 1, 0)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    _files_of_each_kind(officer, tmp_path, 9, 1)
    with CaptureQueriesContext(connection) as ten:
        page = client.get(URL)

    assert page.status_code == 200 and "All 10 files" in page.content.decode()
    assert len(one.captured_queries) == len(ten.captured_queries) <= FILES_PAGE_QUERIES, [
        query["sql"][:100] for query in ten.captured_queries
    ]
