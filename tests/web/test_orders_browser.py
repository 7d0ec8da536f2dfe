"""In a real Chromium: enter an order with two terms (one stepping up at the child's 12th birthday),
preview its charges, save it, find it on the finance tab, then enter a modification and read what
changed."""

from __future__ import annotations

from typing import Any

import pytest

from opencse.orders.models import Order, OrderStatus
from opencse.security.roles import Role
from tests import factories
from tests.web.test_browser import CHROMIUM, SCREENSHOT_DIR, _sign_in, browser_db, page  # noqa: F401  # fixtures

pytestmark = [pytest.mark.browser]


def _fill_header(browser_page: Any, *, docket: str, signed_on: str, effective_on: str) -> None:
    browser_page.locator("#id_tribunal_kind").select_option("court")
    browser_page.get_by_label("Tribunal name").fill("Hinds County Chancery Court")
    browser_page.get_by_label("Issuing jurisdiction").fill("MS")
    browser_page.get_by_label("Docket or cause number").fill(docket)
    browser_page.get_by_label("Signed on").fill(signed_on)
    browser_page.get_by_label("Effective on").fill(effective_on)


def test_an_officer_enters_an_order_with_an_age_12_step_previews_saves_and_modifies_it(
    browser_db: None,  # noqa: F811  # the fixture imported above
    live_server: Any,
    page: Any,  # noqa: F811
) -> None:
    officer = factories.user(Role.OFFICER_1, username="browser-officer")
    case, _, child, obligor = factories.family(officer)  # Mateo, born 02/03/2018, turns 12 on 02/03/2030
    _sign_in(page, live_server, "browser-officer")

    page.goto(f"{live_server.url}/cases/{case.number}/finance/")
    page.get_by_role("link", name="Enter an order").click()
    page.get_by_role("heading", name=f"Case {case.number}: enter an order").wait_for()
    _fill_header(page, docket="2029-CS-7", signed_on="2029-05-20", effective_on="2029-06-01")
    assert page.locator("[name='term-0-obligor']").input_value() == str(obligor.person_id)
    page.locator("[name='term-0-kind']").select_option("current_support")
    page.locator("[name='term-0-child']").select_option(str(child.person_id))
    page.get_by_test_id("end-suggestion").wait_for()
    assert page.locator("[name='term-0-ends_on']").input_value() == "2036-02-03"
    page.locator("[name='term-0-step-0-amount']").fill("400.00")
    page.get_by_role("button", name="Add a higher amount from age 12").click()
    assert page.locator("[name='term-0-step-1-starts_on']").input_value() == "2030-02-03"
    page.locator("[name='term-0-step-1-amount']").fill("450.00")
    page.get_by_role("button", name="Add a term").click()
    page.locator("[name='term-1-kind']").select_option("cash_medical")
    page.locator("[name='term-1-step-0-amount']").fill("35.00")
    page.get_by_role("button", name="Preview the obligations").click()

    preview = page.get_by_test_id("preview")
    preview.wait_for()
    assert preview.get_by_test_id("monthly-total").inner_text() == "435.00"
    steps = preview.get_by_test_id("preview-step")
    assert steps.nth(1).inner_text().split() == ["02/03/2030", "450.00", "450.00"]
    charges = preview.get_by_test_id("preview-charge")
    assert charges.filter(has_text="03/01/2030 to").first.inner_text().split()[-1] == "450.00"
    assert charges.filter(has_text="02/01/2030 to").first.inner_text().split()[-1] == "400.00"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "order-preview.png"), full_page=True)
    page.get_by_role("button", name="Save the order").click()

    page.get_by_role("heading", name="Order 2029-CS-7").wait_for()
    original = Order.objects.get(docket_number="2029-CS-7")
    assert original.terms.count() == 2
    page.get_by_role("link", name="Back to finance").click()
    page.get_by_role("link", name="2029-CS-7 · Hinds County Chancery Court").click()
    page.get_by_role("link", name="Enter a modification").click()

    _fill_header(page, docket="2029-CS-7-M1", signed_on="2029-08-15", effective_on="2029-09-01")
    page.get_by_label("Modifies").select_option(str(original.pk))
    page.locator("[name='term-0-kind']").select_option("current_support")
    page.locator("[name='term-0-child']").select_option(str(child.person_id))
    page.get_by_test_id("end-suggestion").wait_for()
    page.locator("[name='term-0-step-0-amount']").fill("425.00")
    page.get_by_role("button", name="Preview the obligations").click()
    page.get_by_test_id("preview").wait_for()
    page.get_by_role("button", name="Save the order").click()

    changed = page.get_by_test_id("what-changed")
    changed.wait_for()
    # +25.00 on current support, -35.00 for the cash medical term the modification leaves out
    assert changed.get_by_test_id("monthly-difference").inner_text() == "-10.00 a month"
    rows = changed.get_by_test_id("term-change")
    assert "Changed: amount, later steps" in rows.nth(0).inner_text()
    assert "Ended" in rows.nth(1).inner_text()
    original.refresh_from_db()
    assert original.status == OrderStatus.MODIFIED
    page.screenshot(path=str(SCREENSHOT_DIR / "order-what-changed.png"), full_page=True)
