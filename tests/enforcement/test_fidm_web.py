"""The data match and the levy on the web: the accounts page (masked, audited), the levy taken by choosing accounts
(the generic "take" step goes there), the institution's answer recorded; refusals beside their fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from opencse.enforcement.fidm_models import LevyOrder
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.enforcement.test_fidm_levy import _levy_ready

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_accounts_page_shows_the_last_four_digits_only_and_audits_the_read(officer: Any) -> None:
    case, levy, _ = _levy_ready(officer)
    auditor = factories.user(Role.AUDITOR, username="fidm-auditor")

    page = _client(auditor).get(f"/cases/{case.number}/enforcement/accounts/")
    action_page = _client(officer).get(f"/cases/{case.number}/enforcement/{levy.pk}/").content.decode()

    text = page.content.decode()
    assert page.status_code == 200
    assert "****6789" in text and "MAGNOLIA STATE BANK" in text and "$5000.00" in text
    assert "000123456789" not in text and "123456789" not in text
    assert AuditEvent.objects.filter(action="fidm.accounts_read", actor_id=auditor.pk, case_number=case.number).exists()
    assert f"/cases/{case.number}/levies/{levy.pk}/" in action_page


def test_the_levy_is_taken_on_the_accounts_chosen_and_the_answer_recorded(officer: Any) -> None:
    case, levy, account = _levy_ready(officer)
    client = _client(officer)

    generic = client.get(f"/cases/{case.number}/enforcement/{levy.pk}/take/")
    form = client.get(f"/cases/{case.number}/levies/{levy.pk}/take/")
    none_chosen = client.post(f"/cases/{case.number}/levies/{levy.pk}/take/", {"taken_on": "2026-07-24"})
    taken = client.post(f"/cases/{case.number}/levies/{levy.pk}/take/",
                        {"taken_on": "2026-07-24", "accounts": [str(account.pk)], "note": "Savings"})  # fmt: skip

    assert generic.status_code == 302 and generic["Location"].endswith(f"/levies/{levy.pk}/take/")
    assert form.status_code == 200 and "****6789" in form.content.decode()
    assert none_chosen.status_code == 400 and "choose at least one" in none_chosen.content.decode()
    assert taken.status_code == 302
    order = LevyOrder.objects.get(action=levy)
    assert order.amount == Decimal("3000.00")

    wrong = client.post(f"/cases/{case.number}/levies/{levy.pk}/orders/{order.pk}/answer/",
                        {"answered_on": "2026-08-10", "answer": "held", "amount": "9000.00"})  # fmt: skip
    answered = client.post(f"/cases/{case.number}/levies/{levy.pk}/orders/{order.pk}/answer/",
                           {"answered_on": "2026-08-10", "answer": "held", "amount": "1200.00"})  # fmt: skip
    shown = client.get(f"/cases/{case.number}/levies/{levy.pk}/").content.decode()

    assert wrong.status_code == 400 and "more than the order claimed" in wrong.content.decode()
    assert answered.status_code == 302
    order.refresh_from_db()
    assert (order.answer, order.answer_amount, order.answered_on) == ("held", Decimal("1200.00"), date(2026, 8, 10))
    assert "Held: the funds are encumbered: $1200.00" in shown


def test_an_auditor_sees_the_levy_but_may_not_take_it(officer: Any) -> None:
    case, levy, _ = _levy_ready(officer)
    auditor = _client(factories.user(Role.AUDITOR, username="fidm-auditor-2"))

    assert auditor.get(f"/cases/{case.number}/levies/{levy.pk}/").status_code == 200
    assert auditor.get(f"/cases/{case.number}/levies/{levy.pk}/take/").status_code == 403
