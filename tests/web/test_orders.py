"""The order screens: enter an order in one screen (preview, then save), its htmx rows, the order page
with what a modification changed, and who may use them.

Expected figures come from docs/rules/schedules.md: a monthly charge is due on the start's day of
the month; a weekly amount's monthly equivalent is amount x 52 / 12, rounded half up to the cent.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from opencse.cases.services import close_case
from opencse.orders.models import Order, OrderStatus, TermStep
from opencse.orders.services import TermInput, enter_order
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.factories import CLOSURE_NOTE
from tests.web.conftest import HTMX, Family, signed_in

pytestmark = pytest.mark.django_db


def order_post(family: Family, *terms: dict[str, Any], **header: Any) -> dict[str, Any]:
    """The POST the entry screen sends: header fields, then each term row and its step rows."""
    data: dict[str, Any] = {
        "tribunal_kind": "court",
        "tribunal_name": "Hinds County Chancery Court",
        "issuing_jurisdiction": "MS",
        "docket_number": "2026-CS-118",
        "signed_on": "2026-01-10",
        "effective_on": "2026-01-15",
        "filed_on": "2026-01-12",
        "modifies": "",
        "term": [],
    }
    data.update(header)
    for index, term in enumerate(terms):
        data["term"].append(str(index))
        steps = term.get("steps", [("", "400.00")])
        data[f"term-{index}-step"] = [str(j) for j in range(len(steps))]
        for j, (on, amount) in enumerate(steps):
            data[f"term-{index}-step-{j}-starts_on"] = on
            data[f"term-{index}-step-{j}-amount"] = amount
        data[f"term-{index}-kind"] = term.get("kind", "current_support")
        data[f"term-{index}-obligor"] = term.get("obligor", str(family.obligor.person_id))
        data[f"term-{index}-child"] = term.get("child", "")
        data[f"term-{index}-frequency"] = term.get("frequency", "monthly")
        data[f"term-{index}-starts_on"] = term.get("starts_on", "")
        data[f"term-{index}-ends_on"] = term.get("ends_on", "")
    return data


def preview_then_save(client: Client, url: str, data: dict[str, Any]) -> Any:
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    digest = re.search(r'name="previewed" value="([0-9a-f]{64})"', preview.content.decode())
    assert digest is not None
    return client.post(url, {**data, "action": "save", "previewed": digest.group(1)})


def cells(page: str, testid: str) -> list[str]:
    """The text of each row marked `data-testid`, tags stripped, spaces collapsed."""
    rows = re.findall(rf'<tr data-testid="{testid}">(.*?)</tr>', page, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def enter_url(family: Family) -> str:
    return f"/cases/{family.case.number}/orders/new/"


def existing_order(family: Family, *, monthly: str = "400.00", effective_on: date = date(2026, 1, 15)) -> Order:
    return enter_order(
        actor=family.officer,
        case=family.case,
        tribunal_kind="court",
        tribunal_name="Hinds County Chancery Court",
        issuing_jurisdiction="MS",
        docket_number="2026-CS-118",
        signed_on=effective_on,
        effective_on=effective_on,
        terms=[
            TermInput(
                kind="current_support",
                frequency="monthly",
                starts_on=effective_on,
                obligor=family.obligor.person,
                child=family.child.person,
                steps=[(effective_on, Decimal(monthly))],
            )
        ],
    )


# --- The entry screen ---------------------------------------------------------------------------


def test_the_entry_screen_preselects_the_one_noncustodial_parent_as_obligor(family: Family) -> None:
    response = signed_in(Role.OFFICER_1).get(enter_url(family))

    page = response.content.decode()
    assert response.status_code == 200
    selected = re.search(r'<select name="term-0-obligor".*?</select>', page, flags=re.S)
    assert selected is not None
    assert f'<option value="{family.obligor.person_id}" selected>Curtis Boone (noncustodial parent)' in selected.group(
        0
    )
    assert "Mateo Moreno (born 02/03/2018)" in page


def test_the_modifies_select_lists_only_the_cases_active_orders(family: Family) -> None:
    active = existing_order(family)

    page = signed_in(Role.OFFICER_1).get(enter_url(family)).content.decode()

    assert f'<option value="{active.pk}">2026-CS-118, effective 01/15/2026</option>' in page


def test_enter_a_modification_opens_the_screen_with_the_order_chosen(family: Family) -> None:
    active = existing_order(family)
    client = signed_in(Role.OFFICER_1)

    order_page = client.get(f"/cases/{family.case.number}/orders/{active.pk}/").content.decode()
    link = re.search(r'href="([^"]+)">Enter a modification</a>', order_page)
    assert link is not None
    page = client.get(link.group(1).replace("&amp;", "&")).content.decode()

    assert f'<option value="{active.pk}" selected>2026-CS-118, effective 01/15/2026</option>' in page


def test_a_monthly_term_previews_twelve_charges_on_the_start_day_and_saves_nothing(family: Family) -> None:
    data = order_post(family, {"steps": [("", "400.00")]})

    response = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"})

    page = response.content.decode()
    assert response.status_code == 200
    charges = cells(page, "preview-charge")
    assert charges[0] == "01/15/2026 01/15/2026 to 02/14/2026 400.00"
    assert charges[1] == "02/15/2026 02/15/2026 to 03/14/2026 400.00"
    assert charges[-1] == "12/15/2026 12/15/2026 to 01/14/2027 400.00"
    assert len(charges) == 12
    assert "12 charges due 01/15/2026 to 01/14/2027, total 4,800.00" in page
    assert re.search(r'data-testid="monthly-total">400.00<', page)
    assert not Order.objects.exists()


def test_a_weekly_term_of_100_has_a_monthly_equivalent_of_433_33(family: Family) -> None:
    data = order_post(family, {"frequency": "weekly", "steps": [("", "100.00")]})

    page = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"}).content.decode()

    # 100.00 x 52 / 12 = 433.333..., half up to the cent (docs/rules/schedules.md, Conversions).
    assert re.search(r'data-testid="monthly-total">433.33<', page)
    charges = cells(page, "preview-charge")
    assert charges[:2] == ["01/15/2026 01/15/2026 to 01/21/2026 100.00", "01/22/2026 01/22/2026 to 01/28/2026 100.00"]
    assert len(charges) == 53  # 01/15/2026 + 52 weeks = 01/14/2027, still inside the 12 months


def test_a_step_on_a_twelfth_birthday_applies_from_the_next_due_date(family: Family) -> None:
    data = order_post(
        family,
        {
            "child": str(family.child.person_id),
            "starts_on": "2029-06-01",
            "steps": [("", "400.00"), ("2030-02-03", "450.00")],
        },
        effective_on="2029-06-01",
    )

    page = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"}).content.decode()

    charges = cells(page, "preview-charge")
    assert "02/01/2030 02/01/2030 to 02/28/2030 400.00" in charges
    assert "03/01/2030 03/01/2030 to 03/31/2030 450.00" in charges
    assert cells(page, "preview-step") == ["06/01/2029 400.00 400.00", "02/03/2030 450.00 450.00"]


def test_a_periodic_payment_on_arrears_is_shown_as_payments_expected_not_charges(family: Family) -> None:
    data = order_post(family, {"kind": "arrears_payment", "steps": [("", "50.00")]})

    page = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"}).content.decode()

    assert "No charge is posted for this kind" in page
    assert re.search(r'data-testid="monthly-total">50.00<', page)


def test_save_after_preview_enters_the_order_through_the_service_and_shows_it(family: Family) -> None:
    client = signed_in(Role.OFFICER_1)
    data = order_post(
        family,
        {
            "child": str(family.child.person_id),
            "ends_on": "2036-02-02",
            "steps": [("", "400.00"), ("2030-02-03", "450.00")],
        },
        {"kind": "cash_medical", "steps": [("", "35.00")]},
    )

    response = preview_then_save(client, enter_url(family), data)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{family.case.number}/orders/{order.pk}/"
    assert order.entered_by is not None
    assert order.entered_by.username == f"web-{Role.OFFICER_1}-HIN"
    assert [(t.kind, t.ends_on) for t in order.terms.order_by("pk")] == [
        ("current_support", date(2036, 2, 2)),
        ("cash_medical", None),
    ]
    steps = list(TermStep.objects.filter(term__order=order).order_by("term_id", "starts_on"))
    assert [(s.starts_on, s.amount) for s in steps] == [
        (date(2026, 1, 15), Decimal("400.00")),
        (date(2030, 2, 3), Decimal("450.00")),
        (date(2026, 1, 15), Decimal("35.00")),
    ]
    assert AuditEvent.objects.filter(action="order.entered", case_number=family.case.number).count() == 1


def test_save_of_an_order_changed_since_its_preview_shows_the_new_preview_and_saves_nothing(family: Family) -> None:
    client = signed_in(Role.OFFICER_1)
    data = order_post(family, {"steps": [("", "400.00")]})
    preview = client.post(enter_url(family), {**data, "action": "preview"}).content.decode()
    digest = re.search(r'name="previewed" value="([0-9a-f]{64})"', preview)
    assert digest is not None
    data["term-0-step-0-amount"] = "500.00"

    response = client.post(enter_url(family), {**data, "action": "save", "previewed": digest.group(1)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "The order changed after its preview" in page
    assert "01/15/2026 01/15/2026 to 02/14/2026 500.00" in cells(page, "preview-charge")
    assert not Order.objects.exists()


# --- Refused input ------------------------------------------------------------------------------


def error_of(page: str, field_id: str) -> str:
    found = re.search(rf'<span class="usa-error-message" id="{field_id}-error">(.*?)</span>', page)
    return found.group(1) if found else ""


def test_missing_header_fields_and_a_bad_amount_get_messages_beside_their_fields(family: Family) -> None:
    data = order_post(family, {"steps": [("", "400.005")]}, docket_number="", effective_on="")

    response = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"})

    page = response.content.decode()
    assert response.status_code == 400
    assert error_of(page, "id_docket_number") == "This field is required."
    assert error_of(page, "id_effective_on") == "This field is required."
    assert error_of(page, "id_term-0-step-0-amount") == "Ensure that there are no more than 2 decimal places."
    assert 'data-testid="preview"' not in page


def test_an_amount_change_before_the_start_is_refused_on_that_step_of_the_second_term(family: Family) -> None:
    data = order_post(
        family,
        {"steps": [("", "400.00")]},
        {"kind": "child_care", "steps": [("", "100.00"), ("2025-12-01", "120.00")]},
    )

    response = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"})

    page = response.content.decode()
    assert response.status_code == 400
    assert error_of(page, "id_term-1-step-1-starts_on") == "steps must be in strictly increasing date order"
    assert error_of(page, "id_term-0-step-0-amount") == ""


def test_an_amount_change_after_the_term_ends_is_refused_at_preview_not_only_at_save(family: Family) -> None:
    data = order_post(family, {"ends_on": "2026-06-30", "steps": [("", "400.00"), ("2026-08-01", "450.00")]})

    response = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "an amount change falls after the term ends" in cells_or_text(page, "step-error")


def cells_or_text(page: str, testid: str) -> str:
    return " ".join(re.findall(rf'data-testid="{testid}">(.*?)<', page))


def test_a_term_starting_in_year_9999_gets_a_message_not_a_500(family: Family) -> None:
    data = order_post(family, {"starts_on": "9999-06-01"}, effective_on="9999-06-01")

    response = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"})

    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_term-0-starts_on") == "must be before 2200"


def test_an_end_before_the_start_is_refused_on_the_end_date(family: Family) -> None:
    data = order_post(family, {"starts_on": "2026-03-01", "ends_on": "2026-02-01"})

    response = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"})

    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_term-0-ends_on") == "must not be before the term starts"


def test_an_order_without_terms_is_refused_with_a_message(family: Family) -> None:
    data = order_post(family, {"kind": "", "steps": [("", "")]})

    response = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"})

    assert response.status_code == 400
    assert "Enter at least one term" in response.content.decode()


def test_a_modification_dated_before_the_order_it_modifies_is_refused_on_the_effective_date(family: Family) -> None:
    old = existing_order(family, effective_on=date(2026, 1, 15))
    data = order_post(family, {"steps": [("", "450.00")]}, modifies=str(old.pk), effective_on="2026-01-01")

    response = preview_then_save(signed_in(Role.OFFICER_1), enter_url(family), data)

    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_effective_on") == (
        "a modification must take effect after the order it modifies"
    )
    assert Order.objects.count() == 1


def test_entering_an_order_on_a_closed_case_is_refused_with_a_message(family: Family) -> None:
    client = signed_in(Role.OFFICER_1)
    data = order_post(family, {"steps": [("", "400.00")]})
    preview = client.post(enter_url(family), {**data, "action": "preview"}).content.decode()
    digest = re.search(r'name="previewed" value="([0-9a-f]{64})"', preview)
    assert digest is not None
    close_case(actor=family.officer, case=family.case, reason="b2", closed_on=date(2026, 11, 1), note=CLOSURE_NOTE)

    response = client.post(enter_url(family), {**data, "action": "save", "previewed": digest.group(1)})

    assert response.status_code == 400
    assert "is closed; reopen it before entering an order" in response.content.decode()
    assert not Order.objects.exists()


def test_a_forged_row_list_gets_a_message_not_a_500(family: Family) -> None:
    data = order_post(family, {"steps": [("", "400.00")]})
    data["term"] = ["0", "0"]

    response = signed_in(Role.OFFICER_1).post(enter_url(family), {**data, "action": "preview"})

    assert response.status_code == 400
    assert "The form&#x27;s rows are out of order" in response.content.decode()


# --- htmx rows ----------------------------------------------------------------------------------


def test_adding_a_term_row_returns_the_row_and_moves_the_add_button_on(family: Family) -> None:
    response = signed_in(Role.OFFICER_1).get(f"/cases/{family.case.number}/orders/new/term-row/?index=3", **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<input type="hidden" name="term" value="3">' in page
    assert 'name="term-3-kind"' in page
    assert f'<option value="{family.obligor.person_id}" selected>' in page
    assert 'id="add-term" class="margin-top-2" hx-swap-oob="true"' in page
    assert "term-row/?index=4" in page


def test_a_step_from_age_12_is_dated_on_the_childs_twelfth_birthday(family: Family) -> None:
    url = (
        f"/cases/{family.case.number}/orders/new/step-row/?term=0&index=1&age=12&term-0-child={family.child.person_id}"
    )

    response = signed_in(Role.OFFICER_1).get(url, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="term-0-step-1-starts_on" value="2030-02-03"' in page
    assert "Mateo Moreno turns 12 on 02/03/2030." in page
    assert "index=2" in page  # the buttons now add row 2


def test_a_step_from_age_12_without_a_child_asks_for_the_child(family: Family) -> None:
    url = f"/cases/{family.case.number}/orders/new/step-row/?term=0&index=1&age=12"

    page = signed_in(Role.OFFICER_1).get(url, **HTMX).content.decode()

    assert "Choose the term&#x27;s child to date this step at age 12" in page
    assert 'name="term-0-step-1-starts_on" class' in page.replace(' value=""', "")


def test_choosing_a_child_suggests_the_18th_birthday_as_the_end_and_says_it_is_a_suggestion(family: Family) -> None:
    url = (
        f"/cases/{family.case.number}/orders/new/term-end/?term=0&term-0-child={family.child.person_id}&term-0-ends_on="
    )

    page = signed_in(Role.OFFICER_1).get(url, **HTMX).content.decode()

    assert 'name="term-0-ends_on" value="2036-02-03"' in page
    assert "Suggested and filled in: 02/03/2036, the child's 18th birthday. Only a suggestion" in " ".join(page.split())


def test_a_typed_end_date_is_kept_when_a_child_is_chosen(family: Family) -> None:
    url = (
        f"/cases/{family.case.number}/orders/new/term-end/"
        f"?term=0&term-0-child={family.child.person_id}&term-0-ends_on=2039-02-03"
    )

    page = signed_in(Role.OFFICER_1).get(url, **HTMX).content.decode()

    assert 'name="term-0-ends_on" value="2039-02-03"' in page
    assert "Suggested: 02/03/2036" in " ".join(page.split())


def test_a_bad_row_number_gets_a_400_not_a_500(family: Family) -> None:
    response = signed_in(Role.OFFICER_1).get(f"/cases/{family.case.number}/orders/new/term-row/?index=x", **HTMX)

    assert response.status_code == 400
    assert "That row cannot be added" in response.content.decode()


# --- The order page and what changed ---------------------------------------------------------------


def test_the_order_page_shows_the_header_terms_steps_and_status(family: Family) -> None:
    order = existing_order(family)

    response = signed_in(Role.AUDITOR).get(f"/cases/{family.case.number}/orders/{order.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="order-status">Active<' in page
    assert cells(page, "order-term") == [
        "Current child support Curtis Boone Mateo Moreno Monthly 01/15/2026 open 400.00 from 01/15/2026 not yet"
    ]
    assert 'data-testid="what-changed"' not in page


def test_a_modification_entered_on_the_screen_shows_what_changed_on_both_orders(family: Family) -> None:
    old = existing_order(family, monthly="400.00", effective_on=date(2026, 1, 15))
    data = order_post(
        family,
        {"child": str(family.child.person_id), "starts_on": "2026-07-01", "steps": [("", "450.00")]},
        {"kind": "child_care", "starts_on": "2026-07-01", "steps": [("", "100.00")]},
        modifies=str(old.pk),
        docket_number="2026-CS-118-M1",
        effective_on="2026-07-01",
        signed_on="2026-06-20",
    )
    client = signed_in(Role.OFFICER_1)

    saved = preview_then_save(client, enter_url(family), data)
    new = Order.objects.get(docket_number="2026-CS-118-M1")
    new_page = client.get(saved["Location"]).content.decode()
    old_page = client.get(f"/cases/{family.case.number}/orders/{old.pk}/").content.decode()

    old.refresh_from_db()
    assert old.status == OrderStatus.MODIFIED
    assert cells(new_page, "term-change") == [
        "Current child support Curtis Boone, for Mateo Moreno Changed: amount "
        "400.00 monthly 01/15/2026 to 06/30/2026; monthly 400.00 "
        "450.00 monthly 07/01/2026 to open; monthly 450.00 +50.00",
        "Child care Curtis Boone Added — 100.00 monthly 07/01/2026 to open; monthly 100.00 +100.00",
    ]
    assert re.search(r'data-testid="monthly-difference">\+150.00 a month<', new_page)
    assert 'data-testid="order-status">Modified<' in old_page
    assert f'href="/cases/{family.case.number}/orders/{new.pk}/">2026-CS-118-M1</a>' in old_page
    assert re.search(r'data-testid="monthly-difference">\+150.00 a month<', old_page)


# --- Who may use the screens ------------------------------------------------------------------------


def test_an_auditor_may_read_an_order_but_not_enter_one(family: Family) -> None:
    client = signed_in(Role.AUDITOR)

    assert client.get(enter_url(family)).status_code == 403
    assert client.post(enter_url(family), order_post(family, {})).status_code == 403
    assert client.get(f"/cases/{family.case.number}/orders/new/term-row/?index=1").status_code == 403
    assert not Order.objects.exists()


def test_an_administrator_may_not_see_an_order(family: Family) -> None:
    order = existing_order(family)

    response = signed_in(Role.ADMINISTRATOR).get(f"/cases/{family.case.number}/orders/{order.pk}/")

    assert response.status_code == 403


def test_an_officer_of_another_office_finds_neither_the_case_nor_its_order(family: Family) -> None:
    order = existing_order(family)
    client = signed_in(Role.OFFICER_1, office_code="HAR")

    assert client.get(enter_url(family)).status_code == 404
    assert client.get(f"/cases/{family.case.number}/orders/{order.pk}/").status_code == 404


def test_an_order_is_not_found_under_another_cases_number(family: Family) -> None:
    order = existing_order(family)
    other = factories.case(family.officer)

    response = signed_in(Role.OFFICER_1).get(f"/cases/{other.number}/orders/{order.pk}/")

    assert response.status_code == 404


def test_the_finance_tab_links_to_the_entry_screen_and_to_each_order(family: Family) -> None:
    order = existing_order(family)

    officer_page = signed_in(Role.OFFICER_1).get(f"/cases/{family.case.number}/finance/").content.decode()
    auditor_page = signed_in(Role.AUDITOR).get(f"/cases/{family.case.number}/finance/").content.decode()

    assert f'href="/cases/{family.case.number}/orders/new/">Enter an order</a>' in officer_page
    assert f'href="/cases/{family.case.number}/orders/{order.pk}/">2026-CS-118' in officer_page
    assert "Enter an order" not in auditor_page
    assert f'href="/cases/{family.case.number}/orders/{order.pk}/">2026-CS-118' in auditor_page
