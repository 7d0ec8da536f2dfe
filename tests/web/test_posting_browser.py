"""In a real Chromium: post a payment and read its distribution; identify a suspense payment in place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from opencse.ledger.models import Collection, CollectionStatus
from opencse.ledger.services import hold_in_suspense
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests import factories
from tests.web.test_browser import CHROMIUM, SCREENSHOT_DIR, _sign_in, browser_db, page  # noqa: F401  # fixtures
from tests.web.test_posting import owing_400_current_and_300_arrears

pytestmark = [pytest.mark.browser]


def test_an_officer_posts_a_payment_sees_its_distribution_and_identifies_a_suspense_payment_inline(
    browser_db: None,  # noqa: F811  # the fixture imported above
    live_server: Any,
    page: Any,  # noqa: F811
) -> None:
    officer = factories.user(Role.OFFICER_1, username="browser-officer")
    case = owing_400_current_and_300_arrears(officer)
    waiting = hold_in_suspense(
        actor=system_actor(),
        amount=Decimal("80.00"),
        source="direct_payment",
        collected_on=date(2026, 2, 9),
        received_on=date(2026, 2, 9),
        reason="No case number on the money order",
        reference="MO-5531",
    )
    _sign_in(page, live_server, "browser-officer")

    page.goto(f"{live_server.url}/cases/{case.number}/finance/")
    page.get_by_role("link", name="Post a collection").click()
    page.get_by_label("Amount").fill("500.00")
    page.get_by_label("Source").select_option("direct_payment")
    page.get_by_label("Date of collection").fill("2026-02-06")
    page.get_by_label("Date received").fill("2026-02-09")
    page.get_by_label("Reference").fill("CHK 1042")
    page.get_by_role("button", name="Post and distribute").click()

    page.get_by_role("heading", name=f"Collection of 500.00 on case {case.number}").wait_for()
    allocations = page.locator("[data-testid^=allocations-]")
    current = allocations.get_by_role("row", name="Current support (this month)")
    arrears = allocations.get_by_role("row", name="Never-assigned arrears")
    assert current.inner_text().split()[-1] == "400.00"
    assert arrears.inner_text().split()[-1] == "100.00"
    family = page.locator("[data-testid^=disbursements-]").get_by_role("row", name="Family")
    assert family.inner_text().split()[1:] == ["500.00", "02/11/2026"]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "collection-distribution.png"), full_page=True)

    page.get_by_role("link", name="Suspense", exact=True).click()
    row = page.get_by_test_id(f"suspense-{waiting.pk}")
    row.get_by_label(f"Case number for payment {waiting.pk}").fill("NO-SUCH-1")
    row.get_by_role("button", name="Identify and distribute").click()
    row.get_by_text("No case NO-SUCH-1 that you may see.").wait_for()
    row.get_by_label(f"Case number for payment {waiting.pk}").fill(case.number)
    row.get_by_role("button", name="Identify and distribute").click()

    row.get_by_text(f"identified with case {case.number} and distributed").wait_for()
    assert page.url == f"{live_server.url}/suspense/"  # swapped in place, no reload
    assert Collection.objects.get(pk=waiting.pk).status == CollectionStatus.POSTED
    page.screenshot(path=str(SCREENSHOT_DIR / "suspense-identified.png"), full_page=True)
