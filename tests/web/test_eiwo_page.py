"""The e-IWO page: the employers taking orders electronically, the files, the employers' rejections on the
viewer's cases and the lines that could not be read; a caseworker marks an employer by its FEIN."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from opencse.enforcement.eiwo import mark_eiwo_employer, tracking_number, write_eiwo_file
from opencse.enforcement.models import EiwoEmployer
from opencse.people.models import Employer
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests.enforcement.eiwo_helpers import SENT_ON, withholding_sent
from tests.enforcement.test_eiwo import ack
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db
URL = "/withholding/e-iwo/"


def test_marking_by_fein_marks_every_record_of_that_employer_and_errors_come_back_beside_the_fields() -> None:
    Employer.objects.create(name="Gulf Coast Shipbuilding", fein="640123456")
    Employer.objects.create(name="Gulf Coast Shipbuilding Inc.", fein="64-0123456")  # the same FEIN, entered twice
    client = signed_in(Role.OFFICER_1, username="eiwo-page-1")

    refused = client.post(URL, {"fein": "12345", "since": "2026-01-05"})
    unknown = client.post(URL, {"fein": "99-9999999", "since": "2026-01-05"})
    marked = client.post(URL, {"fein": "64-0123456", "since": "2026-01-05"})

    assert refused.status_code == 400 and "a FEIN is 9 digits" in refused.content.decode()
    assert unknown.status_code == 400 and "no employer on file has the FEIN 99-9999999" in unknown.content.decode()
    assert marked.status_code == 302
    assert sorted(EiwoEmployer.objects.values_list("employer__fein", "since")) == [
        ("64-0123456", date(2026, 1, 5)), ("640123456", date(2026, 1, 5))]  # fmt: skip
    page = client.get(URL).content.decode()
    assert "Gulf Coast Shipbuilding Inc." in page and "01/05/2026" in page


def test_an_auditor_sees_the_page_and_may_not_mark_an_employer() -> None:
    Employer.objects.create(name="Delta Freight", fein="640999999")
    client = signed_in(Role.AUDITOR, username="eiwo-page-auditor")

    page = client.get(URL)
    refused = client.post(URL, {"fein": "640999999", "since": "2026-01-05"})

    assert page.status_code == 200 and "Mark an employer" not in page.content.decode()
    assert refused.status_code == 403 and not EiwoEmployer.objects.exists()


def test_the_files_with_their_acknowledgments_and_a_rejection_show_without_the_lines_text(
    officer: Any, tmp_path: Path
) -> None:
    rejected = withholding_sent(officer, employer="Delta Freight")
    mark_eiwo_employer(actor=officer, employer=rejected.employer, since=date(2026, 1, 1))
    write_eiwo_file(actor=system_actor(), on=SENT_ON, out_dir=tmp_path)
    ack_file = tmp_path / "ack.txt"
    ack_file.write_text("\n".join(["FHA", ack(tracking_number(rejected.pk), "R", "N"), "garbage 401550123"]) + "\n")
    call_command("enforcement", "eiwo-ack", str(ack_file), "--received-on", "2026-06-05")
    client = signed_in(Role.OFFICER_1, username="eiwo-page-2")  # the HIN office, the officer fixture's too

    page = client.get(URL).content.decode()

    assert "Rejected: the employee no longer works for the employer" in page and rejected.case.number in page
    assert "06/05/2026" in page and "ack.txt" in page
    assert "401550123" not in page  # an acknowledgment line carries the SSN: its text is never shown
