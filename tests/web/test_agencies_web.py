"""The screens of the directory of other IV-D agencies, and the other agency on the case page.

The routing numbers are real ABA numbers whose check digit holds (061000104: Truist, Atlanta), and one
with its last digit changed (061000105), which the checksum refuses.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import pytest
from django.test import Client

from opencse.cases.agencies import AgencyInput, link_case_to_agency, register_agency
from opencse.cases.models import Case, OtherAgency
from opencse.cases.services import add_member
from opencse.people.services import add_address
from opencse.security.models import User
from tests import factories
from tests.web.conftest import HTMX

ACCOUNT_NUMBER = "4455667788"  # its last four: 7788
TEXAS = AgencyInput(
    name="Texas Office of the Attorney General",
    kind="state",
    fips_code="48000",
    routing_number="061000104",
    account_number=ACCOUNT_NUMBER,
    address_line1="PO Box 12017",
    address_line3="Austin, TX 78711",
)
CHEROKEE = AgencyInput(
    name="Cherokee Nation Child Support Services",
    kind="tribe",
    fips_code="40CN0",
    address_line1="PO Box 948",
    address_line3="Tahlequah, OK 74465",
)


def text_of(html: bytes) -> str:
    """The page as a reader sees it: tags out, whitespace collapsed."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode())).strip())


def section(html: bytes, testid: str) -> str:
    """The text of the element marked `data-testid=testid`, up to the end of its table or section."""
    markup = html.decode()
    start = markup.index(f'data-testid="{testid}"')
    end = min(index for index in (markup.find("</table>", start), markup.find("</section>", start)) if index != -1)
    return text_of(markup[start:end].encode())


def field_errors(html: bytes, field: str) -> list[str]:
    """The messages shown beside one field (the USWDS error pattern of `web/partials/field.html`)."""
    found = re.findall(rf'<span class="usa-error-message" id="id_{field}-error">([^<]*)</span>', html.decode())
    return [unescape(message) for message in found]


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_of(data: AgencyInput, **changes: str) -> dict[str, str]:
    values = {
        "name": data.name,
        "kind": data.kind,
        "fips_code": data.fips_code,
        "routing_number": data.routing_number,
        "account_number": data.account_number or "",
        "account_number_again": data.account_number or "",
        "address_line1": data.address_line1,
        "address_line2": data.address_line2,
        "address_line3": data.address_line3,
        "active": "on",
    }
    values.update(changes)
    return values


def responding_case(
    officer: User, *, obligor_ssn: str = "512-34-9876", category: str = "interstate_responding"
) -> Case:
    """A case Texas referred here: the custodial party lives in Texas, the obligor in Mississippi."""
    case = factories.case(officer, category=category, other_jurisdiction="Texas")
    custodial = factories.person(officer, first_name="Alicia", last_name="Moreno")
    add_address(
        actor=officer, person=custodial, line1="4 Live Oak Lane", city="Austin", state="TX", postal_code="78701"
    )
    obligor = factories.person(officer, first_name="Curtis", last_name="Boone", ssn=obligor_ssn)
    add_member(actor=officer, case=case, person=custodial, role="custodial_party")
    add_member(actor=officer, case=case, person=obligor, role="noncustodial_parent")
    return case


# ----------------------------------------------------------------------------------------------
# The list, registering, editing


@pytest.mark.django_db
def test_a_supervisor_registers_an_agency_and_the_list_shows_the_last_four_digits_only(supervisor: User) -> None:
    client = client_of(supervisor)

    response = client.post("/agencies/new/", form_of(TEXAS), follow=True)

    assert response.status_code == 200
    listed = section(response.content, "agencies")
    assert "Texas Office of the Attorney General State 48000 061000104 ****7788 Active" in listed
    assert ACCOUNT_NUMBER not in response.content.decode()
    assert OtherAgency.objects.get().account_last4 == "7788"


@pytest.mark.django_db
def test_a_bad_routing_number_is_refused_beside_its_field_and_nothing_is_registered(supervisor: User) -> None:
    response = client_of(supervisor).post("/agencies/new/", form_of(TEXAS, routing_number="061000105"))

    assert response.status_code == 400
    assert field_errors(response.content, "routing_number") == ["is not a valid 9-digit ABA routing number"]
    assert ACCOUNT_NUMBER not in response.content.decode()
    assert not OtherAgency.objects.exists()


@pytest.mark.django_db
def test_account_numbers_that_differ_are_refused_beside_the_second_one(supervisor: User) -> None:
    response = client_of(supervisor).post("/agencies/new/", form_of(TEXAS, account_number_again="4455667789"))

    assert response.status_code == 400
    assert field_errors(response.content, "account_number_again") == ["does not match the account number"]
    assert not OtherAgency.objects.exists()


@pytest.mark.django_db
def test_several_refusals_of_the_service_each_go_beside_their_field(supervisor: User) -> None:
    form = form_of(TEXAS, kind="state", fips_code="48-00", account_number="12", account_number_again="12")

    response = client_of(supervisor).post("/agencies/new/", form)

    assert response.status_code == 400
    assert field_errors(response.content, "fips_code") == [
        "must be 5 to 7 digits or capital letters (state, county, local)"
    ]
    assert field_errors(response.content, "account_number") == ["must be 4 to 17 letters or digits"]


@pytest.mark.django_db
def test_a_second_agency_with_the_same_fips_code_is_refused_with_409(supervisor: User) -> None:
    register_agency(actor=supervisor, data=TEXAS)

    response = client_of(supervisor).post("/agencies/new/", form_of(CHEROKEE, fips_code="48000"))

    assert response.status_code == 409
    assert "An agency with FIPS code 48000 is already in the directory." in text_of(response.content)
    assert OtherAgency.objects.count() == 1


@pytest.mark.django_db
def test_an_agency_without_an_account_is_listed_as_paid_by_check(supervisor: User) -> None:
    register_agency(actor=supervisor, data=CHEROKEE)

    response = client_of(supervisor).get("/agencies/")

    assert "Cherokee Nation Child Support Services Tribe 40CN0 — no account — paid by check Active" in section(
        response.content, "agencies"
    )


@pytest.mark.django_db
def test_the_list_is_filtered_by_name_and_by_kind(supervisor: User) -> None:
    register_agency(actor=supervisor, data=TEXAS)
    register_agency(actor=supervisor, data=CHEROKEE)
    client = client_of(supervisor)

    by_name = section(client.get("/agencies/", {"name": "attorney"}).content, "agencies")
    by_kind = section(client.get("/agencies/", {"kind": "tribe"}).content, "agencies")

    assert "Texas" in by_name
    assert "Cherokee" not in by_name
    assert "Cherokee" in by_kind
    assert "Texas" not in by_kind


@pytest.mark.django_db
def test_editing_with_an_empty_account_number_keeps_the_account_on_file(supervisor: User) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    form = form_of(TEXAS, name="Texas OAG Child Support Division", account_number="", account_number_again="")

    response = client_of(supervisor).post(f"/agencies/{agency.pk}/edit/", form)

    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.name, agency.account_last4, agency.has_bank_account) == (
        "Texas OAG Child Support Division", "7788", True
    )  # fmt: skip


@pytest.mark.django_db
def test_the_edit_form_never_sends_the_account_number_back(supervisor: User) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)

    response = client_of(supervisor).get(f"/agencies/{agency.pk}/edit/")

    assert response.status_code == 200
    assert ACCOUNT_NUMBER not in response.content.decode()
    assert "****7788" in text_of(response.content)


@pytest.mark.django_db
def test_removing_the_bank_account_makes_the_agency_paid_by_check(supervisor: User) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    form = form_of(TEXAS, routing_number="", account_number="", account_number_again="", remove_account="on")

    client_of(supervisor).post(f"/agencies/{agency.pk}/edit/", form)

    agency.refresh_from_db()
    assert (agency.routing_number, agency.account_last4, agency.account_number_encrypted) == ("", "", "")


@pytest.mark.django_db
def test_a_technician_sees_the_list_without_register_or_edit_and_is_refused_the_forms(
    technician: User, supervisor: User
) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    client = client_of(technician)

    listed = client.get("/agencies/")
    register = client.get("/agencies/new/")
    edit = client.get(f"/agencies/{agency.pk}/edit/")
    posted = client.post("/agencies/new/", form_of(CHEROKEE))

    assert listed.status_code == 200
    assert "Register an agency" not in text_of(listed.content)
    assert f"/agencies/{agency.pk}/edit/" not in listed.content.decode()
    assert (register.status_code, edit.status_code, posted.status_code) == (403, 403, 403)
    assert OtherAgency.objects.count() == 1


@pytest.mark.django_db
def test_the_agencies_link_is_in_the_navigation_of_roles_that_view_cases(technician: User) -> None:
    response = client_of(technician).get("/caseload/")

    assert 'href="/agencies/"' in response.content.decode()


# ----------------------------------------------------------------------------------------------
# The case page


@pytest.mark.django_db
def test_an_seo1_links_a_responding_case_and_the_case_page_says_payments_go_by_eft_to_the_agency(
    officer: User, supervisor: User
) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    case = responding_case(officer)
    client = client_of(officer)

    linked = client.post(
        f"/cases/{case.number}/other-agency/", {"agency": agency.pk, "other_case_identifier": "TX-0778812"}
    )
    page = client.get(f"/cases/{case.number}/")

    assert linked.status_code == 302
    other = section(page.content, "other-agency")
    assert "Texas Office of the Attorney General (State, FIPS 48000)" in other
    assert "Their case number TX-0778812" in other
    assert (
        "By EFT to Texas Office of the Attorney General: a CCD+ credit to its account ****7788 at routing number "
        "061000104, with its case number TX-0778812 (DED02)." in other
    )
    assert ACCOUNT_NUMBER not in page.content.decode()


@pytest.mark.django_db
def test_linking_with_htmx_answers_with_the_section_and_a_notice(officer: User, supervisor: User) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    case = responding_case(officer)

    response = client_of(officer).post(
        f"/cases/{case.number}/other-agency/", {"agency": agency.pk, "other_case_identifier": "TX-0778812"}, **HTMX
    )

    assert response.status_code == 200
    assert f"Case {case.number} linked to Texas Office of the Attorney General, case number TX-0778812." in text_of(
        response.content
    )
    assert "<html" not in response.content.decode()


@pytest.mark.django_db
def test_a_case_number_with_a_ded_separator_is_refused_beside_its_field(officer: User, supervisor: User) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    case = responding_case(officer)

    response = client_of(officer).post(
        f"/cases/{case.number}/other-agency/", {"agency": agency.pk, "other_case_identifier": "TX*0778812"}
    )

    assert response.status_code == 400
    assert field_errors(response.content, "other_case_identifier") == [
        "must be printable ASCII without '*', '\\' or ','"
    ]
    case.refresh_from_db()
    assert case.other_agency_id is None


@pytest.mark.django_db
def test_a_case_linked_to_an_agency_without_an_account_is_paid_by_check_to_its_address(
    officer: User, supervisor: User
) -> None:
    agency = register_agency(actor=supervisor, data=CHEROKEE)
    case = responding_case(officer)
    link_case_to_agency(actor=officer, case=case, agency=agency, other_case_identifier="CN-4410")

    page = client_of(officer).get(f"/cases/{case.number}/")

    assert (
        "By check to Cherokee Nation Child Support Services, mailed to PO Box 948, Tahlequah, OK 74465 "
        "(it has no bank account in the directory)." in section(page.content, "other-agency")
    )


@pytest.mark.django_db
def test_an_unlinked_responding_case_is_paid_by_check_named_after_the_other_jurisdiction(officer: User) -> None:
    case = responding_case(officer)

    page = client_of(officer).get(f"/cases/{case.number}/")

    other = section(page.content, "other-agency")
    assert "Not linked to an agency of the directory (other jurisdiction: Texas)" in other
    assert "By check payable to “Child support agency, Texas”, with no address from the directory" in other


@pytest.mark.django_db
def test_without_the_obligors_ssn_the_linked_agency_is_paid_by_check(officer: User, supervisor: User) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    case = responding_case(officer, obligor_ssn="")
    link_case_to_agency(actor=officer, case=case, agency=agency, other_case_identifier="TX-0778812")

    page = client_of(officer).get(f"/cases/{case.number}/")

    assert "the obligor's SSN, which an EFT to an agency must carry (DED05), is not on file" in section(
        page.content, "other-agency"
    )


@pytest.mark.django_db
def test_an_initiating_case_says_this_state_pays_the_family_directly(officer: User, supervisor: User) -> None:
    case = responding_case(officer, category="interstate_initiating")

    page = client_of(officer).get(f"/cases/{case.number}/")

    assert "To Alicia Moreno, by check. This state pays the family directly" in section(page.content, "other-agency")


@pytest.mark.django_db
def test_an_in_state_case_has_no_other_agency_section(officer: User) -> None:
    case = factories.case(officer)

    page = client_of(officer).get(f"/cases/{case.number}/")

    assert 'data-testid="other-agency"' not in page.content.decode()


@pytest.mark.django_db
def test_a_technician_sees_the_other_agency_but_no_link_form_and_is_refused_the_link(
    technician: User, officer: User, supervisor: User
) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    case = responding_case(officer)
    client = client_of(technician)

    page = client.get(f"/cases/{case.number}/")
    posted = client.post(f"/cases/{case.number}/other-agency/", {"agency": agency.pk, "other_case_identifier": "X1"})

    assert 'data-testid="other-agency"' in page.content.decode()
    assert "Link to an agency" not in text_of(page.content)
    assert posted.status_code == 403
    case.refresh_from_db()
    assert case.other_agency_id is None


@pytest.mark.django_db
def test_the_link_form_offers_only_active_agencies(officer: User, supervisor: User) -> None:
    register_agency(actor=supervisor, data=TEXAS)
    register_agency(actor=supervisor, data=replace(CHEROKEE, active=False))
    case = responding_case(officer)

    page = client_of(officer).get(f"/cases/{case.number}/")

    options = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", page.content.decode())
    assert options == ["Texas Office of the Attorney General"]


@pytest.mark.django_db
def test_an_in_state_case_cannot_be_linked_to_an_agency(officer: User, supervisor: User) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    case = factories.case(officer)

    response = client_of(officer).post(
        f"/cases/{case.number}/other-agency/", {"agency": agency.pk, "other_case_identifier": "TX-0778812"}
    )

    assert response.status_code == 409
    assert f"Case {case.number} is in-state: it has no other agency." in text_of(response.content)
    case.refresh_from_db()
    assert case.other_agency_id is None
