"""A real Chromium (issue #20): an officer opens a probable match in the locate review queue, reads the candidate's
probability and field weights, and links the record to that person."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from opencse.locate.imports import import_locate_file
from opencse.locate.models import LocateRecord, RecordStatus
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests import factories
from tests.locate import records

# The committed-data fixture of the other browser tests, with its SQLite clean-up of the append-only triggers.
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, browser_db  # noqa: F401

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.usefixtures("browser_db")
def test_an_officer_reads_the_weights_of_a_probable_match_and_links_it(
    live_server: Any, browser: Any, tmp_path: Path
) -> None:
    officer = factories.user(Role.OFFICER_2, username="browser-locate")
    _case, _custodial, _child, obligor = factories.family(officer)
    # The obligor's name and date of birth, one digit of the SSN wrong (tests/locate/records.py).
    path = records.write(tmp_path, "w4.txt", [records.new_hire(ssn="512349877")])
    import_locate_file(actor=system_actor(), path=path, kind="new-hire", received_on=date(2026, 11, 5))
    record = LocateRecord.objects.get()

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/signin/")
    page.get_by_label("Username").fill("browser-locate")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin/" not in url)
    page.goto(f"{live_server.url}/locate/review/")
    page.get_by_role("link", name="Review").click()

    candidates = page.get_by_test_id("locate-candidates")
    row = candidates.locator("tbody tr").first
    assert "Curtis Boone" in row.inner_text() and "Date of birth +" in row.inner_text()
    if os.environ.get("OPENCSE_SCREENSHOTS"):
        page.screenshot(path=os.environ["OPENCSE_SCREENSHOTS"], full_page=True)
    assert page.get_by_label("Person's record number").input_value() == str(obligor.person.pk)
    page.get_by_label("Why this is the same person").fill("Same name and date of birth; SSN mistyped")
    page.get_by_role("button", name="Link and post as a lead").click()
    page.get_by_text(f"Record {record.pk}: linked").wait_for()

    record.refresh_from_db()
    assert (record.status, record.person_id) == (RecordStatus.LINKED, obligor.person.pk)
    assert AuditEvent.objects.filter(action="locate.record_linked", target_id=str(record.pk)).exists()
    context.close()
