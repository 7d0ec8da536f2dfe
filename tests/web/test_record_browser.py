"""In a real Chromium: close a case for a 303.11(b) reason and read the closure in the timeline; correct a
note inline, the original staying in the record marked as corrected."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from opencse.cases.models import Case, CaseNote, NoteKind
from opencse.cases.services import add_note
from opencse.security.roles import Role
from tests import factories
from tests.web.test_browser import CHROMIUM, SCREENSHOT_DIR, _sign_in, browser_db, page  # noqa: F401  # fixtures

pytestmark = [pytest.mark.browser]


def test_an_officer_corrects_a_note_inline_then_closes_the_case_and_reads_the_closure_in_the_timeline(
    browser_db: None,  # noqa: F811  # the fixture imported above
    live_server: Any,
    page: Any,  # noqa: F811
) -> None:
    officer = factories.user(Role.OFFICER_1, username="browser-officer")
    case, _, _, _ = factories.family(officer)
    note = add_note(actor=officer, case=case, kind="phone", text="Obligor works at the shipyard.")
    _sign_in(page, live_server, "browser-officer")

    page.goto(f"{live_server.url}/cases/{case.number}/")
    original = page.get_by_test_id(f"note-{note.pk}")
    original.get_by_role("link", name="Correct").click()
    form = page.get_by_test_id(f"correct-form-{note.pk}")
    form.get_by_role("button", name="Add correction").click()
    form.locator(f"#id_correct-{note.pk}-text-error").get_by_text("This field is required.").wait_for()
    form.get_by_label("Correction").fill("He works at the paper mill, not the shipyard.")
    form.get_by_role("button", name="Add correction").click()

    page.get_by_test_id("notes").get_by_text("He works at the paper mill, not the shipyard.").wait_for()
    assert page.url == f"{live_server.url}/cases/{case.number}/"  # swapped in place, no reload
    original = page.get_by_test_id(f"note-{note.pk}")
    original.get_by_text("Corrected", exact=True).wait_for()
    assert original.get_by_text("Obligor works at the shipyard.").is_visible()
    correction = CaseNote.objects.get(kind=NoteKind.CORRECTION)
    assert correction.corrects_id == note.pk
    assert original.get_by_role("link", name="see the correction").get_attribute("href") == f"#note-{correction.pk}"

    page.get_by_role("link", name="Close case").click()
    page.get_by_label("Closure reason (45 CFR 303.11(b))").select_option("b5")
    page.get_by_label("Closed on").fill(str(timezone.localdate()))
    page.get_by_label("Note").fill("All locate sources checked for two years without a lead.")
    page.get_by_role("button", name="Close the case").click()

    page.get_by_role("heading", name=f"Case {case.number}").wait_for()
    closure = page.get_by_test_id("notes").locator("li").first
    closure.get_by_text("All locate sources checked for two years without a lead.").wait_for()
    assert "303.11(b)(5)-(6): noncustodial parent's location unknown" in closure.inner_text()
    page.get_by_role("heading", name=f"Case {case.number} Closed").wait_for()
    assert Case.objects.get(pk=case.pk).closure_reason == "b5"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "case-closed.png"), full_page=True)
