"""The Content-Security-Policy breaks nothing: in a real Chromium, the sign-in page, the case page with an
htmx SSN reveal, and the API docs (Swagger UI) run with no blocked script or style and no request to
any other site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from opencse.security.roles import Role
from tests import factories
from tests.web.test_browser import _sign_in, browser_db, page  # noqa: F401  # fixtures

pytestmark = [pytest.mark.browser]


def test_the_pages_and_the_api_docs_run_under_the_policy(browser_db: None, live_server: Any, page: Any) -> None:  # noqa: F811
    officer = factories.user(Role.OFFICER_1, username="csp-officer")
    case, _, _, obligor = factories.family(officer)
    blocked: list[str] = []
    elsewhere: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.on(
        "request", lambda request: elsewhere.append(request.url) if _foreign(request.url, live_server.url) else None
    )

    page.goto(f"{live_server.url}/signin/")
    page.get_by_text("Authorized use only").wait_for()
    _sign_in(page, live_server, "csp-officer")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    page.get_by_role("button", name=f"Reveal SSN of {obligor.person.full_name}").click()
    page.get_by_text("512-34-9876").wait_for()  # htmx swapped the answer in: its script ran
    page.goto(f"{live_server.url}/api/docs")
    page.locator(".swagger-ui .info .title").get_by_text("OpenCSE API").wait_for()  # Swagger UI rendered

    assert blocked == []
    assert elsewhere == []


def _foreign(url: str, own: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != urlsplit(own).netloc
