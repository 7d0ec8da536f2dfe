"""A real Chromium: a non-TANF application in few screens. The officer searches a name in the header, finds
nobody, starts the application with the name carried over, fills it (one form), sees the matching page, opens
the case and lands on it with the case-opening task due 20 days after the application (45 CFR 303.2(b))."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from opencse.cases.models import Case
from opencse.intake.models import Referral
from opencse.security.roles import Role
from opencse.work.models import Task, TaskKind
from tests import factories

# The committed-data fixture and the browser page of the other browser tests, and their sign-in.
from tests.web.test_browser import SCREENSHOT_DIR, _sign_in, browser_db, page  # noqa: F401

pytestmark = [pytest.mark.browser]


@pytest.mark.usefixtures("browser_db")
def test_an_officer_takes_a_non_tanf_application_from_a_search_to_an_open_case(live_server: Any, page: Any) -> None:  # noqa: F811
    factories.user(Role.OFFICER_1, username="intake-browser")
    _sign_in(page, live_server, "intake-browser")

    # Screen 1: the header's search finds nobody and offers an application with the name
    page.get_by_role("searchbox", name="Case number, name or SSN").fill("Quenneville, Arlette")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Start an application for Quenneville, Arlette").click()

    # Screen 2: the application, one form; a first try shows every error at once
    page.get_by_role("heading", name="Application for child support services").wait_for()
    applicant = page.locator("fieldset", has_text="Custodial party (the applicant)")
    assert applicant.get_by_label("First name").input_value() == "Arlette"
    assert applicant.get_by_label("Last name").input_value() == "Quenneville"
    page.get_by_label("Application received on").fill("2026-03-02")
    applicant.get_by_label("SSN").fill("666-00-1234")
    applicant.get_by_label("Street address").fill("5 Cedar Row")
    child = page.locator("fieldset", has_text="Child 1")
    child.get_by_label("First name").fill("Remy")
    child.get_by_label("Last name").fill("Quenneville")
    child.get_by_label("Date of birth").fill("2019-06-01")
    page.get_by_role("button", name="Continue to matching").click()
    page.locator("#id_cp-ssn-error").get_by_text("is not a valid Social Security number").wait_for()
    page.locator("#id_cp-city-error").get_by_text("is needed for the address").wait_for()
    applicant = page.locator("fieldset", has_text="Custodial party (the applicant)")
    applicant.get_by_label("SSN").fill("245-67-8912")
    applicant.get_by_label("City").fill("Jackson")
    applicant.get_by_label("State").select_option("MS")
    applicant.get_by_label("ZIP code").fill("39203")
    other = page.locator("fieldset", has_text="The other parent")
    other.get_by_label("First name").fill("Paul")
    other.get_by_label("Last name").fill("Renard")
    page.get_by_role("button", name="Continue to matching").click()

    # Screen 3: nobody on file: every person new; open the case
    page.get_by_role("heading", name="Application").wait_for()
    referral = Referral.objects.get()
    assert [party.full_name for party in referral.parties.all()] == ["Arlette Quenneville", "Paul Renard",
                                                                     "Remy Quenneville"]  # fmt: skip
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "intake-matching.png"), full_page=True)
    page.get_by_role("button", name="Open the case").click()

    # Screen 4: the case
    case = Case.objects.get()
    page.get_by_role("heading", name=f"Case {case.number}").wait_for()
    assert (case.program, case.referral_received_on) == ("never_assistance", date(2026, 3, 2))
    assert sorted(case.members.values_list("role", flat=True)) == [
        "custodial_party", "dependent_child", "noncustodial_parent",
    ]  # fmt: skip
    task = Task.objects.get(case=case, kind=TaskKind.CASE_OPENING)
    assert task.due_on == date(2026, 3, 22)  # 45 CFR 303.2(b): 20 calendar days from the application
