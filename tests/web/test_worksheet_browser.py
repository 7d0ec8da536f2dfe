"""A real Chromium: an officer computes a Mississippi worksheet live, saves it, prints it and proposes the
order; an officer with signature authority, signed in separately, approves it and finds the order.

The figures are the cited worked example "MS one child, wages less income taxes and FICA" of
tests/rules/cases/guideline.yaml (Miss. Code Ann. § 43-19-101(1), (3); domain/guideline-ms.md § 9
Example 1): gross 4,000.00, taxes 450.00, FICA 306.00 -> support 454.16. With 500.00 more gross
income the 14 % gives 70.00 more: 524.16.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from opencse.establishment.models import EstablishmentProposal, ProposalStatus
from opencse.security.roles import Role
from tests import factories

# The committed-data fixture of the other browser tests, with its SQLite clean-up of the append-only triggers.
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOT_DIR, browser_db  # noqa: F401

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _signed_in_page(browser: Any, live_server: Any, username: str) -> Any:
    """A page in its own browser context (its own cookies), signed in as `username`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/signin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()  # signed in: the home page of the role
    return page


def _fill_example(page: Any) -> None:
    page.get_by_label("Law in force on").fill("2026-01-01")
    page.get_by_label("Gross income from all sources").fill("4000.00")
    page.get_by_label("Federal, state and local income taxes").fill("450.00")
    page.get_by_label("Social Security and Medicare contributions").fill("306.00")
    page.get_by_label("Mandatory retirement and disability contributions").fill("0.00")
    page.get_by_label("Court-ordered support paid for other children").fill("0.00")
    page.keyboard.press("Tab")  # leaving the field fires `change`, which posts the form to the preview


@pytest.mark.usefixtures("browser_db")
def test_an_officer_computes_saves_prints_and_proposes_and_an_approver_enters_the_order(
    live_server: Any, browser: Any
) -> None:
    officer = factories.user(Role.OFFICER_1, username="browser-preparer")
    factories.user(Role.OFFICER_2, username="browser-approver")
    case, _, _, _ = factories.family(officer)
    page = _signed_in_page(browser, live_server, "browser-preparer")

    page.goto(f"{live_server.url}/cases/{case.number}/")
    page.get_by_role("link", name="Guideline worksheets").click()
    page.get_by_role("link", name="New guideline worksheet").click()
    page.get_by_role("link", name="Mississippi guideline").click()
    preview = page.get_by_test_id("worksheet-preview")
    _fill_example(page)
    preview.get_by_text("Guideline support: $454.16 a month").wait_for()
    page.get_by_label("Gross income from all sources").fill("4500.00")
    page.keyboard.press("Tab")
    preview.get_by_text("Guideline support: $524.16 a month").wait_for()
    page.get_by_label("Gross income from all sources").fill("45OO.00")
    page.keyboard.press("Tab")
    page.locator("#id_obligor__gross_income-error").get_by_text("is not a decimal number").wait_for()
    page.get_by_label("Gross income from all sources").fill("4000.00")
    page.keyboard.press("Tab")
    preview.get_by_text("Guideline support: $454.16 a month").wait_for()
    assert page.locator("#id_obligor__gross_income-error").count() == 0  # the message cleared
    assert page.url.endswith("/worksheets/new/?jurisdiction=MS")  # all of it swapped in place
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "worksheet-live.png"), full_page=True)

    page.get_by_role("button", name="Save the worksheet").click()
    page.get_by_role("heading", name="Guideline worksheet", exact=False).wait_for()
    page.get_by_test_id("guideline-support").get_by_text("454.16").wait_for()
    pdf_href = page.get_by_role("link", name="Print PDF").get_attribute("href")
    pdf = page.context.request.get(f"{live_server.url}{pdf_href}")  # with the officer's session cookie
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.get_by_label("The order takes effect on").fill("2026-02-01")
    page.get_by_role("button", name="Propose obligations").click()
    page.get_by_test_id("proposal-status").get_by_text("Waiting for approval").wait_for()
    page.get_by_test_id("waiting").get_by_text("You prepared this proposal").wait_for()
    proposal_url = page.url

    approver = _signed_in_page(browser, live_server, "browser-approver")
    approver.goto(proposal_url)
    approver.get_by_test_id("proposed-terms").get_by_text("454.16").wait_for()
    approver.get_by_label("Docket number of the order").fill("AO-2026-0042")
    approver.get_by_role("button", name="Approve").click()
    approver.get_by_test_id("proposal-status").get_by_text("Approved: order entered").wait_for()
    approver.get_by_role("link", name="See it on the case's finance tab").click()
    approver.get_by_role("heading", name="Orders and terms").wait_for()
    approver.get_by_text("AO-2026-0042", exact=False).first.wait_for()
    approver.get_by_text("454.16 from 02/01/2026").wait_for()
    approver.screenshot(path=str(SCREENSHOT_DIR / "worksheet-approved-finance.png"), full_page=True)

    proposal = EstablishmentProposal.objects.get(case=case)
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.order is not None
    assert proposal.decided_by is not None
    assert proposal.decided_by.username == "browser-approver"
