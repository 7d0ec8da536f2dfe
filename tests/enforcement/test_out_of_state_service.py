"""A notice served outside the State: where the State's law gives a longer window, it applies. Washington's
license suspension: 20 days to respond after service, 60 when served outside Washington (RCW 74.20A.320(2)(b);
`rules/params/wa/remedies.yaml`); a remedy without a longer window keeps its own wherever served."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from opencse.enforcement.actions import approve_action, record_service
from opencse.enforcement.models import ActionStep, EnforcementAction
from opencse.enforcement.sweep import sweep
from opencse.errors import InvalidInput
from opencse.ledger.accrual import accrue, roll_over
from opencse.rules.remedies import _out_of_state_days, remedies
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db
AUGUST_1 = date(2026, 8, 1)


@pytest.fixture
def washington(settings: Any) -> None:
    settings.OPENCSE_STATE = "WA"


def _noticed(officer: Any, remedy: str) -> EnforcementAction:
    """$500.00 a month from January 2026, nothing paid: $3,500.00 owed on 08/01/2026, seven months' support (more
    than the six Washington's license suspension needs); the notice sent by certified mail on 08/03/2026."""
    case, _ = case_with_order(officer, monthly="500.00")
    accrue(through=date(2026, 7, 31))
    for month in range(1, 8):
        roll_over(month_ending=date(2026, month + 1, 1).replace(day=1) - date.resolution)
    sweep(as_of=AUGUST_1)
    action = EnforcementAction.objects.get(case=case, remedy=remedy)
    return approve_action(actor=factories.user(Role.SUPERVISOR, username=f"sup-{remedy}"), action=action,
                          decided_on=date(2026, 8, 3), service_method="certified_mail")  # fmt: skip


def test_washingtons_license_notice_served_out_of_state_gives_60_days(officer: Any, washington: None) -> None:
    action = _noticed(officer, "license_suspension")
    assert action.contest_days_out_of_state == 60

    served = record_service(actor=officer, action=action, served_on=date(2026, 8, 10), out_of_state=True,
                            note="Return receipt 7019 0700 0000 1234 5678, Portland, Oregon")  # fmt: skip

    assert (served.served_out_of_state, served.contest_ends_on) == (True, date(2026, 10, 9))  # 08/10 + 60 days
    step = ActionStep.objects.get(action=action, step="served")
    assert step.note.startswith("Served outside Washington: 60 days to contest. Return receipt")
    # The notice tells the obligor both windows.
    text = " ".join(pdf_text(action.notice.pdf).split())
    assert "within 20 days of receiving this notice (60 days if it was served on you outside Washington)" in text


def test_served_in_washington_the_license_notice_gives_20_days(officer: Any, washington: None) -> None:
    action = _noticed(officer, "license_suspension")

    served = record_service(actor=officer, action=action, served_on=date(2026, 8, 10))

    assert (served.served_out_of_state, served.contest_ends_on) == (False, date(2026, 8, 30))


def test_a_remedy_without_a_longer_window_keeps_its_own_wherever_served(officer: Any) -> None:
    action = _noticed(officer, "financial_institution_levy")  # Mississippi: 20 days, no longer window
    assert action.contest_days_out_of_state is None

    served = record_service(actor=officer, action=action, served_on=date(2026, 8, 10), out_of_state=True)

    assert (served.served_out_of_state, served.contest_ends_on) == (True, date(2026, 8, 30))
    assert "60 days" not in " ".join(pdf_text(action.notice.pdf).split())


def test_the_longer_window_is_data_and_only_for_a_notice_with_a_place_of_service() -> None:
    (wa_license,) = [r for r in remedies(state="WA", as_of=AUGUST_1) if r.key == "license_suspension"]
    (ms_license,) = [r for r in remedies(state="MS", as_of=AUGUST_1) if r.key == "license_suspension"]
    assert (wa_license.contest_days, wa_license.contest_days_out_of_state) == (20, 60)
    assert ms_license.contest_days_out_of_state is None
    with pytest.raises(AssertionError, match="first-class mail"):
        _out_of_state_days("x", {"service": ["mail"], "contest_days": 20, "contest_days_out_of_state": 60})
    with pytest.raises(AssertionError):
        _out_of_state_days("x", {"service": ["certified_mail"], "contest_days": 20, "contest_days_out_of_state": 10})


def test_service_before_the_notice_is_still_refused(officer: Any, washington: None) -> None:
    action = _noticed(officer, "license_suspension")

    with pytest.raises(InvalidInput) as refused:
        record_service(actor=officer, action=action, served_on=date(2026, 8, 2), out_of_state=True)

    assert refused.value.field == "served_on"


def test_the_service_form_names_the_state_and_records_where_it_was_served(officer: Any, washington: None) -> None:
    action = _noticed(officer, "license_suspension")
    client = Client()
    client.force_login(officer)
    url = reverse("web:enforcement:step", args=[action.case.number, action.pk, "service"])

    assert "Served outside Washington" in client.get(url).content.decode()
    response = client.post(url, {"served_on": "2026-08-10", "out_of_state": "on", "note": "Personal service in Idaho"})

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.served_out_of_state, action.contest_ends_on) == (True, date(2026, 10, 9))
    page = client.get(reverse("web:enforcement:action", args=[action.case.number, action.pk])).content.decode()
    assert "served 08/10/2026 outside the State" in page
