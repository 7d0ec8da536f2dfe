"""The directory of other IV-D agencies and the link of an interstate case to one of them."""

from __future__ import annotations

import pytest

from opencse.cases.agencies import AgencyInput, link_case_to_agency, register_agency, update_agency
from opencse.cases.models import OtherAgency
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotAuthorized
from opencse.security import crypto
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from tests import factories

TEXAS = AgencyInput(
    name="Texas OAG Child Support",
    kind="state",
    fips_code="48000",
    routing_number="061000104",
    account_number="7712345678",
    address_line1="PO Box 12017",
    address_line3="Austin, TX 78711",
)


@pytest.fixture
def supervisor(db: None) -> User:
    return factories.user(Role.SUPERVISOR, username="supervisor")


@pytest.mark.django_db
def test_a_supervisor_registers_an_agency_with_its_account_encrypted_and_audited_by_last_four(
    supervisor: User,
) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)

    assert crypto.decrypt(agency.account_number_encrypted) == "7712345678"
    assert agency.account_last4 == "5678" and agency.has_bank_account
    event = AuditEvent.objects.get(action="agency.registered")
    assert event.after["account_last4"] == "5678" and "7712345678" not in str(event.after)


@pytest.mark.django_db
def test_an_officer_may_not_manage_the_directory(officer: User) -> None:
    with pytest.raises(NotAuthorized):
        register_agency(actor=officer, data=TEXAS)

    assert not OtherAgency.objects.exists()


@pytest.mark.django_db
def test_a_bad_entry_names_every_field(supervisor: User) -> None:
    bad = AgencyInput(name=" ", kind="county", fips_code="48-00", routing_number="061000105", account_number="12")

    with pytest.raises(InvalidInputs) as refused:
        register_agency(actor=supervisor, data=bad)

    assert {error.field for error in refused.value.errors} == {
        "name", "kind", "fips_code", "routing_number", "account_number"}  # fmt: skip


@pytest.mark.django_db
def test_a_routing_number_without_an_account_is_refused(supervisor: User) -> None:
    with pytest.raises(InvalidInputs) as refused:
        register_agency(actor=supervisor, data=AgencyInput(name="Texas", kind="state", fips_code="48000",
                                                           routing_number="061000104"))  # fmt: skip

    assert [error.field for error in refused.value.errors] == ["account_number"]


@pytest.mark.django_db
def test_two_agencies_cannot_share_a_fips_code(supervisor: User) -> None:
    register_agency(actor=supervisor, data=TEXAS)

    with pytest.raises(Conflict):
        register_agency(actor=supervisor, data=AgencyInput(name="Other", kind="state", fips_code="48000"))


@pytest.mark.django_db
def test_an_update_keeps_the_account_unless_it_is_replaced_or_removed(supervisor: User) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    kept = update_agency(actor=supervisor, agency=agency, data=AgencyInput(
        name="Texas Child Support Division", kind="state", fips_code="48000", routing_number="061000104"))  # fmt: skip

    removed = update_agency(actor=supervisor, agency=agency, data=AgencyInput(
        name="Texas Child Support Division", kind="state", fips_code="48000", account_number=""))  # fmt: skip

    assert kept.account_last4 == "5678"
    assert (removed.routing_number, removed.account_number_encrypted, removed.account_last4) == ("", "", "")
    assert not removed.has_bank_account


@pytest.mark.django_db
def test_an_officer_links_a_case_to_the_agency_and_its_case_number(officer: User, supervisor: User) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    case = factories.case(officer, category="interstate_responding", other_jurisdiction="Texas")

    linked = link_case_to_agency(actor=officer, case=case, agency=agency, other_case_identifier=" TX0012345678 ")

    assert (linked.other_agency_id, linked.other_case_identifier) == (agency.pk, "TX0012345678")
    event = AuditEvent.objects.get(action="case.agency_linked")
    assert event.case_number == case.number and event.after["other_case_identifier"] == "TX0012345678"


@pytest.mark.django_db
@pytest.mark.parametrize("identifier", ["", "X" * 21, "TX*123", "TX,123", "TX\\123"])
def test_a_case_identifier_the_ded_cannot_carry_is_refused(officer: User, supervisor: User, identifier: str) -> None:
    agency = register_agency(actor=supervisor, data=TEXAS)
    case = factories.case(officer, category="interstate_responding")

    with pytest.raises(InvalidInput) as refused:
        link_case_to_agency(actor=officer, case=case, agency=agency, other_case_identifier=identifier)

    assert refused.value.field == "other_case_identifier"


@pytest.mark.django_db
def test_a_technician_may_not_link_a_case_and_an_inactive_agency_cannot_be_linked(
    officer: User, supervisor: User
) -> None:
    technician = factories.user(Role.TECHNICIAN, username="tech")
    agency = register_agency(actor=supervisor, data=TEXAS)
    case = factories.case(officer, category="interstate_responding")
    with pytest.raises(NotAuthorized):
        link_case_to_agency(actor=technician, case=case, agency=agency, other_case_identifier="TX1")
    inactive = update_agency(actor=supervisor, agency=agency, data=AgencyInput(
        name=TEXAS.name, kind="state", fips_code="48000", routing_number="061000104", active=False))  # fmt: skip

    with pytest.raises(Conflict):
        link_case_to_agency(actor=officer, case=case, agency=inactive, other_case_identifier="TX1")


@pytest.mark.django_db
def test_the_api_registers_an_agency_and_links_a_case_without_echoing_the_account(
    officer: User, supervisor: User, client_for: object
) -> None:
    payload = {"name": "Texas OAG Child Support", "kind": "state", "fips_code": "48000",
               "routing_number": "061000104", "account_number": "7712345678"}  # fmt: skip
    created = client_for(supervisor).post("/api/v1/agencies", payload, content_type="application/json")  # type: ignore[operator]
    case = factories.case(officer, category="interstate_responding")

    linked = client_for(officer).put(  # type: ignore[operator]
        f"/api/v1/cases/{case.number}/other-agency",
        {"agency_id": created.json()["id"], "other_case_identifier": "TX0012345678"},
        content_type="application/json",
    )

    assert created.status_code == 201 and "7712345678" not in created.content.decode()
    assert created.json()["account_last4"] == "5678"
    assert linked.status_code == 200
    assert linked.json() == {
        "number": case.number,
        "agency_id": created.json()["id"],
        "agency_name": "Texas OAG Child Support",
        "other_case_identifier": "TX0012345678",
    }
    refused = client_for(officer).post("/api/v1/agencies", payload, content_type="application/json")  # type: ignore[operator]
    assert refused.status_code == 403
