"""A real Chromium (issue #19, "Evidence"): an officer opens a paternity packet from the case page, sees the
missing item, adds it and sends the packet to the staff attorney."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from opencse.court.models import Packet, PacketStatus
from opencse.court.services import record_petition_data
from opencse.people.services import add_address
from opencse.security.roles import Role
from tests import factories

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
def test_an_officer_sees_the_missing_paternity_evidence_adds_it_and_sends_the_packet(
    live_server: Any, browser: Any
) -> None:
    officer = factories.user(Role.OFFICER_1, username="browser-packets")
    attorney = factories.user(Role.STAFF_ATTORNEY, username="browser-attorney")
    case, _custodial, _child, obligor = factories.family(officer)
    add_address(
        actor=officer,
        person=obligor.person,
        line1="4410 Ridgewood Road",
        city="Jackson",
        state="MS",
        postal_code="39203",
        verification="verified",
        verified_on=date(2026, 3, 20),
        source="postal",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/signin/")
    page.get_by_label("Username").fill("browser-packets")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin/" not in url)

    page.goto(f"{live_server.url}/cases/{case.number}/")
    page.get_by_role("link", name="Attorney packets").click()
    page.get_by_label("Type of packet").select_option("paternity")
    page.get_by_role("button", name="Start a packet").click()
    packet = Packet.objects.get(case=case)
    # The petition data comes from the service here (its form is exercised in test_packets_web), so the one
    # missing item on the screen is the paternity evidence.
    record_petition_data(actor=officer, packet=packet, relief_requested="Establish paternity", facts="",
                         prepared_on=packet.opened_on)  # fmt: skip
    page.reload()

    evidence_row = page.locator("tr[data-item=paternity_evidence]")
    evidence_row.get_by_text("Missing").wait_for()
    assert page.get_by_test_id("incomplete").inner_text().endswith("Paternity evidence.")
    page.get_by_label("Staff attorney").select_option(str(attorney.pk))
    page.get_by_test_id("send").click()
    page.get_by_text("Paternity evidence is missing").first.wait_for()  # refused, named above the form
    assert Packet.objects.get(pk=packet.pk).status == PacketStatus.ASSEMBLING

    evidence_row.get_by_role("link", name="record it below").click()
    form = page.get_by_test_id("declaration-paternity_evidence")
    form.get_by_label("What the record is, its date, where it is kept").fill(
        "Genetic test report, probability of paternity 99.99%, in the case file"
    )
    form.get_by_role("button", name="Record the paternity evidence").click()
    page.locator("tr[data-item=paternity_evidence]").get_by_text("Present").wait_for()
    page.get_by_label("Staff attorney").select_option(str(attorney.pk))
    page.get_by_test_id("send").click()

    page.get_by_test_id("packet-pdf").wait_for()
    sent = Packet.objects.get(pk=packet.pk)
    assert (sent.status, sent.attorney_id) == (PacketStatus.SENT, attorney.pk)
    assert sent.document is not None and sent.document.page_count >= 4  # cover, petition, evidence, locate
    context.close()
