"""The guideline worksheet screens: prefill, live preview, save, PDF, proposal, approval and rejection.

Expected figures come from the cited worked examples of tests/rules/cases/guideline.yaml:
- "MS one child, wages less income taxes and FICA" (Miss. Code Ann. § 43-19-101(1), (3);
  domain/guideline-ms.md § 9 Example 1): gross 4,000.00, taxes 450.00, FICA 306.00 -> AGI 3,244.00,
  14 %, support 454.16;
- "WA low income, one child, the 125 % self-support reserve limits the obligation (2019 rules)"
  (RCW 26.19.065(2)(b)): net incomes 1,900.00 and 1,100.00 -> standard calculation 269.79;
- "WA gross income with RCW 26.19.071(5) deductions; voluntary retirement capped at $5,000 a year":
  obligor net income 3,650.84, proportional share 64.61 %;
- "WA two children, premium paid by the obligor and day care by the obligee (2019 table)"
  (RCW 26.19.020, 26.19.080; domain/guideline-wa.md § 8 Example 1): standard calculation 1,410.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from opencse.cases.services import add_member, close_case
from opencse.establishment.models import EstablishmentProposal, GuidelineWorksheet, ProposalStatus
from opencse.establishment.selectors import age_on
from opencse.orders.models import Order
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.factories import CLOSURE_NOTE
from tests.web.conftest import HTMX, Family, signed_in

MS_EXAMPLE_1 = {
    "jurisdiction": "MS",
    "as_of": "2026-01-01",
    "number_of_children": "1",
    "obligor__gross_income": "4000.00",
    "obligor__taxes": "450.00",
    "obligor__social_security": "306.00",
    "obligor__mandatory_retirement": "0.00",
    "obligor__other_child_support_paid": "0.00",
}
WA_EXAMPLE_2 = {
    "jurisdiction": "WA",
    "as_of": "2025-06-01",
    "children__0__age": "3",
    "obligor__net_income": "1900.00",
    "obligee__net_income": "1100.00",
}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _saved_worksheet(family: Family) -> GuidelineWorksheet:
    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/new/", MS_EXAMPLE_1)
    assert response.status_code == 302, response.content.decode()[:2000]
    return GuidelineWorksheet.objects.get(case=family.case)


def _proposal(family: Family, preparer: Any | None = None) -> EstablishmentProposal:
    worksheet = _saved_worksheet(family)
    response = _client(preparer or family.officer).post(
        f"/worksheets/{worksheet.pk}/propose/", {"effective_on": "2026-02-01"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return EstablishmentProposal.objects.get(case=family.case)


def _approval(docket: str = "AO-2026-0042") -> dict[str, str]:
    return {"approve-docket_number": docket, "approve-signed_on": "2026-01-15", "approve-tribunal_name": ""}


@pytest.mark.django_db
def test_the_form_is_prefilled_with_the_parties_the_childs_age_and_says_no_income_is_recorded(
    family: Family,
) -> None:
    response = _client(family.officer).get(f"/cases/{family.case.number}/worksheets/new/?jurisdiction=WA")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Curtis Boone · employed by Gulf Coast Shipyards" in page
    assert "Alicia Moreno" in page
    assert "Mateo Moreno (born 02/03/2018" in page
    child_age = age_on(date(2018, 2, 3), timezone.localdate())
    assert f'name="children__0__age" value="{child_age}"' in page
    assert "no income is on record for either parent" in page
    assert 'name="obligor__net_income"' in page


@pytest.mark.django_db
def test_the_mississippi_form_counts_the_cases_children(family: Family) -> None:
    response = _client(family.officer).get(f"/cases/{family.case.number}/worksheets/new/?jurisdiction=MS")

    page = response.content.decode()
    assert 'name="number_of_children" value="1"' in page
    assert 'name="obligor__gross_income"' in page
    assert 'name="obligee__net_income"' not in page


@pytest.mark.django_db
def test_the_worksheet_page_never_shows_a_protected_address_or_an_ssn(protected_family: Family) -> None:
    client = signed_in(Role.SUPERVISOR)  # cleared for family violence: still no address on this screen

    page = client.get(f"/cases/{protected_family.case.number}/worksheets/new/").content.decode()

    assert "Alicia Moreno" in page
    assert "Magnolia" not in page
    assert "4567" not in page


@pytest.mark.django_db
def test_the_live_preview_shows_the_mississippi_percentage_result_with_its_citations(family: Family) -> None:
    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/preview/", MS_EXAMPLE_1, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Guideline support: <strong>$454.16</strong> a month" in page
    assert "$3,244.00" in page  # adjusted gross income, monthly
    assert "Miss. Code Ann. § 43-19-101(1)" in page
    assert not GuidelineWorksheet.objects.exists()  # a preview saves nothing


@pytest.mark.django_db
def test_the_live_figure_follows_the_income(family: Family) -> None:
    # 500.00 more gross income gives 500.00 more AGI and 14 % of it, 70.00, more support: 524.16.
    changed = {**MS_EXAMPLE_1, "obligor__gross_income": "4500.00"}

    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/preview/", changed, **HTMX)

    assert "Guideline support: <strong>$524.16</strong> a month" in response.content.decode()


@pytest.mark.django_db
def test_the_live_preview_shows_the_washington_standard_calculation(family: Family) -> None:
    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/preview/", WA_EXAMPLE_2, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Guideline support: <strong>$269.79</strong> a month" in page
    assert "RCW 26.19.065" in page


@pytest.mark.django_db
def test_washington_gross_income_and_its_deductions_reach_the_rule(family: Family) -> None:
    gross = {
        "jurisdiction": "WA",
        "as_of": "2025-06-01",
        "children__0__age": "12",
        "obligor__gross_income": "5000.00",
        "obligor__income_taxes": "500.00",
        "obligor__fica": "382.50",
        "obligor__union_dues": "50.00",
        "obligor__voluntary_pension": "500.00",
        "obligee__net_income": "2000.00",
    }

    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/preview/", gross, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert "$3,650.84" in page  # line 3, the obligor's net income
    assert "64.61%" in page  # line 6, the obligor's proportional share


@pytest.mark.django_db
def test_washington_expenses_and_two_childrens_ages_reach_the_rule(family: Family) -> None:
    sister = factories.person(family.officer, first_name="Lucia", last_name="Moreno", date_of_birth=date(2012, 4, 9))
    add_member(actor=family.officer, case=family.case, person=sister, role="dependent_child")
    example = {
        "jurisdiction": "WA",
        "as_of": "2025-06-01",
        "children__0__age": "5",
        "children__1__age": "13",
        "obligor__net_income": "4000.00",
        "obligee__net_income": "2000.00",
        "health_insurance_premiums__obligor": "150.00",
        "day_care__obligee": "600.00",
    }

    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/new/", example)

    assert response.status_code == 302, response.content.decode()[:2000]
    worksheet = GuidelineWorksheet.objects.get(case=family.case)
    assert worksheet.guideline_support == Decimal("1410.00")
    assert worksheet.inputs["children"] == [{"age": 5}, {"age": 13}]


@pytest.mark.django_db
def test_a_missing_childs_age_is_named_beside_that_childs_field(family: Family) -> None:
    no_age = {**WA_EXAMPLE_2, "children__0__age": ""}

    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/preview/", no_age, **HTMX)

    assert response.status_code == 400
    assert 'id="id_children__0__age-error" role="alert">is required</span>' in response.content.decode()


@pytest.mark.django_db
def test_a_closed_case_gets_no_new_worksheet_and_is_told_why(family: Family) -> None:
    close_case(actor=family.officer, case=family.case, reason="b2", closed_on=date(2026, 3, 10), note=CLOSURE_NOTE)

    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/new/", MS_EXAMPLE_1)

    assert response.status_code == 400
    assert "is closed; reopen it before computing a guideline" in response.content.decode()
    assert not GuidelineWorksheet.objects.exists()


@pytest.mark.django_db
def test_a_bad_income_gets_its_message_beside_the_field_and_no_500(family: Family) -> None:
    bad = {**MS_EXAMPLE_1, "obligor__gross_income": "4000.005"}

    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/preview/", bad, **HTMX)

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        '<div id="id_obligor__gross_income-slot" hx-swap-oob="true"><span class="usa-error-message" '
        'id="id_obligor__gross_income-error" role="alert">must be an amount in whole cents (at most two decimal '
        "places)</span></div>"
    ) in page
    assert "Guideline support" not in page


@pytest.mark.django_db
def test_a_missing_deduction_is_named_and_the_other_slots_are_cleared(family: Family) -> None:
    missing = {key: value for key, value in MS_EXAMPLE_1.items() if key != "obligor__taxes"}

    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/preview/", missing, **HTMX)

    page = response.content.decode()
    assert 'id="id_obligor__taxes-error" role="alert">is required</span>' in page
    assert '<div id="id_obligor__gross_income-slot" hx-swap-oob="true"></div>' in page


@pytest.mark.django_db
def test_saving_a_bad_worksheet_shows_the_field_message_and_saves_nothing(family: Family) -> None:
    bad = {**MS_EXAMPLE_1, "obligor__gross_income": "-4000.00"}

    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/new/", bad)

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_obligor__gross_income-error" role="alert">must not be negative</span>' in page
    assert not GuidelineWorksheet.objects.exists()


@pytest.mark.django_db
def test_saving_stores_the_worksheet_and_shows_it_read_only_with_its_pdf_link(family: Family) -> None:
    client = _client(family.officer)

    response = client.post(f"/cases/{family.case.number}/worksheets/new/", MS_EXAMPLE_1)

    worksheet = GuidelineWorksheet.objects.get(case=family.case)
    assert response["Location"] == f"/worksheets/{worksheet.pk}/"
    assert worksheet.guideline_support == Decimal("454.16")
    assert worksheet.as_of == date(2026, 1, 1)
    page = client.get(response["Location"]).content.decode()
    assert "Guideline support: <strong>$454.16</strong> a month" in page
    assert "Miss. Code Ann. § 43-19-101(3)(b)(ii)" in page
    assert f'href="/api/v1/worksheets/{worksheet.pk}/pdf"' in page
    read_only_part = page.split('id="main-content"')[1].split("Establishment proposal")[0]
    assert "<input" not in read_only_part


@pytest.mark.django_db
def test_the_print_pdf_link_answers_a_pdf_of_the_worksheet(family: Family) -> None:
    worksheet = _saved_worksheet(family)

    response = _client(family.officer).get(f"/api/v1/worksheets/{worksheet.pk}/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_a_deviation_with_its_finding_is_saved_and_shown(family: Family) -> None:
    deviated = {
        **MS_EXAMPLE_1,
        "deviations__0__reason": "g",
        "deviations__0__amount": "-54.16",
        "deviations__0__finding": "Equal parenting time under the agreed schedule.",
    }

    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/new/", deviated)

    assert response.status_code == 302
    worksheet = GuidelineWorksheet.objects.get(case=family.case)
    assert worksheet.ordered_support == Decimal("400.00")
    assert worksheet.deviation_reasons == ["g"]
    page = _client(family.officer).get(f"/worksheets/{worksheet.pk}/").content.decode()
    assert "-$54.16. Finding: Equal parenting time" in page
    listing = _client(family.officer).get(f"/cases/{family.case.number}/worksheets/").content.decode()
    assert "$454.16" in listing and "$400.00" in listing


@pytest.mark.django_db
def test_a_deviation_with_an_unknown_reason_is_refused_beside_the_reason(family: Family) -> None:
    deviated = {**MS_EXAMPLE_1, "deviations__0__reason": "z", "deviations__0__amount": "-10.00"}
    deviated["deviations__0__finding"] = "A finding."

    response = _client(family.officer).post(f"/cases/{family.case.number}/worksheets/new/", deviated)

    assert response.status_code == 400
    assert 'id="id_deviations__0__reason-error"' in response.content.decode()
    assert not GuidelineWorksheet.objects.exists()


@pytest.mark.django_db
def test_the_list_shows_the_cases_worksheets_and_proposals(family: Family) -> None:
    proposal = _proposal(family)

    page = _client(family.officer).get(f"/cases/{family.case.number}/worksheets/").content.decode()

    assert f"Worksheet {proposal.worksheet_id}" in page
    assert f"Proposal {proposal.pk}" in page
    assert "Waiting for approval" in page
    assert "New guideline worksheet" in page


@pytest.mark.django_db
def test_the_case_page_links_to_the_worksheets(family: Family) -> None:
    page = _client(family.officer).get(f"/cases/{family.case.number}/").content.decode()

    assert f'href="/cases/{family.case.number}/worksheets/"' in page


@pytest.mark.django_db
def test_proposing_creates_the_worksheets_ordered_support_as_monthly_current_support(family: Family) -> None:
    proposal = _proposal(family)

    term = proposal.terms.get()
    assert (term.kind, term.frequency, term.amount) == ("current_support", "monthly", Decimal("454.16"))
    assert term.obligor == family.obligor.person
    page = _client(family.officer).get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Curtis Boone" in page
    assert "454.16" in page
    assert "You prepared this proposal, so another officer must decide it." in page
    assert "Approve</button>" not in page


@pytest.mark.django_db
def test_a_second_proposal_while_one_waits_is_refused_with_a_message(family: Family) -> None:
    proposal = _proposal(family)

    response = _client(family.officer).post(
        f"/worksheets/{proposal.worksheet_id}/propose/", {"effective_on": "2026-02-01"}
    )

    assert response.status_code == 400
    assert "already has a proposal waiting for approval" in response.content.decode()
    assert EstablishmentProposal.objects.count() == 1


@pytest.mark.django_db
def test_an_officer_without_signature_authority_sees_no_buttons_and_cannot_approve(family: Family) -> None:
    proposal = _proposal(family, preparer=factories.user(Role.TECHNICIAN, username="preparer"))
    client = _client(family.officer)  # Officer 1: no orders.sign

    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    response = client.post(f"/proposals/{proposal.pk}/approve/", _approval())

    assert "Approve</button>" not in page
    assert "Waiting for an officer with signature authority." in page
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_the_preparer_cannot_approve_their_own_proposal(family: Family) -> None:
    preparer = factories.user(Role.OFFICER_2, username="preparer-seo2")  # has signature authority
    proposal = _proposal(family, preparer=preparer)
    client = _client(preparer)

    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    response = client.post(f"/proposals/{proposal.pk}/approve/", _approval())

    assert "Approve</button>" not in page
    assert response.status_code == 403
    assert "You may not approve or reject a proposal you prepared." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_approval_enters_the_order_which_the_finance_tab_shows(family: Family) -> None:
    proposal = _proposal(family)
    approver = factories.user(Role.OFFICER_2, username="approver")
    client = _client(approver)
    assert "Approve</button>" in client.get(f"/proposals/{proposal.pk}/").content.decode()

    response = client.post(f"/proposals/{proposal.pk}/approve/", _approval())

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.order is not None
    assert proposal.order.docket_number == "AO-2026-0042"
    page = client.get(response["Location"]).content.decode()
    assert f'href="/cases/{family.case.number}/finance/"' in page
    finance = client.get(f"/cases/{family.case.number}/finance/").content.decode()
    assert "AO-2026-0042" in finance
    assert "454.16 from 02/01/2026" in finance
    assert AuditEvent.objects.filter(action="establishment.approved").count() == 1


@pytest.mark.django_db
def test_approval_without_a_docket_number_is_refused_beside_the_field(family: Family) -> None:
    proposal = _proposal(family)

    response = _client(factories.user(Role.SUPERVISOR, username="approver")).post(
        f"/proposals/{proposal.pk}/approve/", _approval(docket="")
    )

    assert response.status_code == 400
    assert 'id="id_approve-docket_number-error">give the order&#x27;s docket number</span>' in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_enters_nothing(family: Family) -> None:
    proposal = _proposal(family)
    client = _client(factories.user(Role.SUPERVISOR, username="approver"))

    refused = client.post(f"/proposals/{proposal.pk}/reject/", {"reject-note": "  "})
    rejected = client.post(f"/proposals/{proposal.pk}/reject/", {"reject-note": "Income not verified"})

    assert refused.status_code == 400
    assert "give the reason for rejecting" in refused.content.decode()
    assert rejected.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_note) == (ProposalStatus.REJECTED, "Income not verified")
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_an_auditor_sees_the_worksheets_and_proposals_but_no_form(family: Family) -> None:
    proposal = _proposal(family)
    auditor = _client(factories.user(Role.AUDITOR))

    listing = auditor.get(f"/cases/{family.case.number}/worksheets/").content.decode()
    shown = auditor.get(f"/proposals/{proposal.pk}/")
    form = auditor.get(f"/cases/{family.case.number}/worksheets/new/")

    assert f"Proposal {proposal.pk}" in listing
    assert "New guideline worksheet" not in listing
    assert shown.status_code == 200
    assert "Approve</button>" not in shown.content.decode()
    assert form.status_code == 403


@pytest.mark.django_db
def test_an_officer_of_another_office_cannot_see_or_preview_the_case(family: Family) -> None:
    proposal = _proposal(family)
    stranger = signed_in(Role.OFFICER_2, office_code="DES")

    assert stranger.get(f"/worksheets/{proposal.worksheet_id}/").status_code == 404
    assert stranger.get(f"/proposals/{proposal.pk}/").status_code == 404
    assert stranger.post(f"/proposals/{proposal.pk}/approve/", _approval()).status_code == 404
    assert stranger.post(f"/cases/{family.case.number}/worksheets/preview/", MS_EXAMPLE_1).status_code == 404


# domain/guideline-wa.md § 8 Example 3 with the family's one child: RCW 26.19.020 as amended 2026, $20,000 row,
# one child $2,302 (shared/domain/wa-economic-table-2026.csv) x 70 % = $1,611.40; "MS one child, wages less income taxes
# and FICA": the rounding line is OpenCSE's choice (docs/rules/guideline-ms.md), for analysts only.
WA_2026_ABOVE_12000 = {
    "jurisdiction": "WA",
    "as_of": "2026-03-01",
    "children__0__age": "8",
    "obligor__net_income": "14000.00",
    "obligee__net_income": "6000.00",
}


@pytest.mark.django_db
def test_a_saved_worksheet_shows_amounts_in_dollars_and_keeps_opencse_working_under_how_it_was_computed(
    family: Family,
) -> None:
    worksheet = _saved_worksheet(family)

    page = _client(family.officer).get(f"/worksheets/{worksheet.pk}/").content.decode()

    court, analysts = page.split('data-testid="how-computed"')
    assert "$454.16" in court and "$3,244.00" in court and "14%" in court
    for working in ("ROUND_HALF_UP", "docs/", "OpenCSE choice"):
        assert working not in court, working
        assert working in analysts, working
    saved = timezone.localtime(worksheet.computed_at)
    assert f"Saved {saved:%m/%d/%Y} " in court and f" {saved:%Z} by" in court and "UTC" not in court


@pytest.mark.django_db
def test_a_washington_2026_preview_above_12000_is_computed_and_says_where_the_table_comes_from(
    family: Family,
) -> None:
    response = _client(family.officer).post(
        f"/cases/{family.case.number}/worksheets/preview/", WA_2026_ABOVE_12000, **HTMX
    )

    page = response.content.decode()
    assert response.status_code == 200, page[:2000]
    assert "Guideline support: <strong>$1,611.40</strong> a month" in page
    assert "$20,000" in page and "70%" in page
    assert "taken from a published copy of the statute as codified, not from the official session law" in page
    assert "PROVISIONAL" not in page and "nearest_row" not in page.split('data-testid="how-computed"')[0]
