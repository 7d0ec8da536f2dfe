"""A real Chromium, driven by Playwright against the live server: sign in, search a case, add a note.

Debian's Chromium (/usr/bin/chromium) is used, never a browser downloaded by `playwright install`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from opencse.security.roles import Role
from tests import factories

# pytest-django's live_server runs beside Playwright's sync API, which holds an event loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(os.environ.get("OPENCSE_SCREENSHOT_DIR", "var/screenshots"))

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_db(transactional_db: None) -> Iterator[None]:
    """Committed data the live server can see. Afterwards pytest-django empties the tables: on
    PostgreSQL with TRUNCATE, on SQLite with DELETE, which the append-only triggers refuse. On SQLite
    the triggers are set aside while the tables are emptied here, then put back as they were."""
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_delete'")
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            for _, sql in triggers:
                cursor.execute(sql)


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()


def test_an_officer_signs_in_finds_a_case_and_adds_a_note(browser_db: None, live_server: Any, page: Any) -> None:
    officer = factories.user(Role.OFFICER_1, username="browser-officer")
    case, _, _, _ = factories.family(officer)

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("browser-officer")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()  # signed in: the home page of the role
    page.get_by_role("searchbox", name="Case number, name or SSN").fill("Boone, Curtis")  # the header's box
    page.keyboard.press("Enter")
    page.get_by_role("link", name=case.number).click()
    page.get_by_role("heading", name=f"Case {case.number}").wait_for()
    page.get_by_role("button", name="Add note").click()
    page.locator("#id_text-error").get_by_text("This field is required.").wait_for()
    assert page.url == f"{live_server.url}/cases/{case.number}/"  # the 400 answer was swapped in place
    page.get_by_label("Kind of note").select_option("phone")
    page.get_by_label("Note", exact=False).last.fill("Called the obligor about the intake interview.")
    page.get_by_role("button", name="Add note").click()

    notes = page.get_by_test_id("notes")
    notes.get_by_text("Called the obligor about the intake interview.").wait_for()
    assert page.url == f"{live_server.url}/cases/{case.number}/"  # swapped in place, no reload
    assert case.notes.get().text == "Called the obligor about the intake interview."
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "case-page.png"), full_page=True)


def _sign_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/signin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()  # signed in: the home page of the role


def test_an_officer_is_told_beside_the_field_about_a_bad_ssn_and_reveals_a_members_ssn(
    browser_db: None, live_server: Any, page: Any
) -> None:
    officer = factories.user(Role.OFFICER_1, username="browser-officer")
    case, _, _, obligor = factories.family(officer)
    _sign_in(page, live_server, "browser-officer")

    page.goto(f"{live_server.url}/cases/{case.number}/members/new/")
    page.get_by_label("Role on the case").last.select_option("dependent_child")
    page.get_by_label("First name").fill("Lucia")
    page.get_by_label("Last name").fill("Moreno")
    page.get_by_label("SSN").last.fill("000-12-3456")
    page.get_by_role("button", name="Add the new person to the case").click()
    page.locator("#id_new-ssn-error").get_by_text("is not a valid Social Security number").wait_for()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "member-add-refused.png"), full_page=True)

    page.goto(f"{live_server.url}/cases/{case.number}/")
    page.get_by_role("button", name=f"Reveal SSN of {obligor.person.full_name}").click()
    page.get_by_text("512-34-9876").wait_for()
    assert obligor.person.memberships.count() == 1
