"""The intake pages: the queue, the file's rejected lines, matching and opening, the application form (every
error at once, beside its field; the searched name carried over), a new person on one screen, the interview."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from opencse.cases.models import Case
from opencse.intake.models import Interview, Referral, ReferralImport
from opencse.intake.services import import_referral_file
from opencse.people.models import Person
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.intake.referral_files import GOOD
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db
RECEIVED = date(2026, 3, 2)


def _import(system: Any, tmp_path: Path, text: str = GOOD) -> ReferralImport:
    path = tmp_path / "referrals.txt"
    path.write_text(text)
    return import_referral_file(actor=system, path=path, received_on=RECEIVED)


def test_the_queue_shows_each_referral_with_its_deadline_and_the_header_links_to_it(
    system: Any, tmp_path: Path
) -> None:
    _import(system, tmp_path)
    client = signed_in(Role.OFFICER_1)

    page = client.get("/intake/").content.decode()

    assert 'href="/intake/"' in page and ">Intake<" in page  # the header's link
    assert "TANF referral R1001" in page and "MEDICAID referral M2002" in page
    assert "Marisol Delgado" in page and "(custodial party)" in page
    assert "03/22/2026" in page  # 45 CFR 303.2(b): 20 calendar days from 03/02/2026
    assert "03/02/2026" in page


def test_an_officer_sees_the_rejected_lines_of_a_file(system: Any, tmp_path: Path) -> None:
    bad = GOOD.replace("CH|M2002|Okafor|Chidi||20150101||M|||||", "CH|M2002|Okafor|Chidi||20150101||Q|||||")
    referral_import = _import(system, tmp_path, bad)
    page = signed_in(Role.OFFICER_1).get(f"/intake/files/{referral_import.pk}/").content.decode()
    assert "the sex &#x27;Q&#x27; is not F, M or U" in page
    assert "<td>9</td>" in page and "<td>7</td>" in page  # the bad line and its referral's REF line
    assert AuditEvent.objects.filter(action="intake.file_viewed", target_id=str(referral_import.pk)).exists()


def test_an_officer_matches_and_opens_the_case_in_one_step(system: Any, tmp_path: Path) -> None:
    _import(system, tmp_path)
    officer = factories.user(Role.OFFICER_1, username="intake-officer")
    client = Client()
    client.force_login(officer)
    known = factories.person(officer, first_name="Grace", last_name="Okafor", date_of_birth=date(1985, 7, 15))
    referral = Referral.objects.get(referral_id="M2002")
    parties = {party.role: party for party in referral.parties.all()}

    page = client.get(f"/intake/{referral.pk}/").content.decode()
    assert "Use Grace Okafor (same name and date of birth)" in page
    assert "New person" in page

    response = client.post(f"/intake/{referral.pk}/", {
        "action": "open", "opened_on": "2026-03-05",
        f"party-{parties['custodial_party'].pk}": str(known.pk), f"party-{parties['dependent_child'].pk}": "new",
    })  # fmt: skip

    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert case.members.get(role="custodial_party").person == known
    assert case.referral_received_on == RECEIVED


def test_a_party_left_undecided_is_shown_beside_it(system: Any, tmp_path: Path) -> None:
    _import(system, tmp_path)
    referral = Referral.objects.get(referral_id="M2002")
    response = signed_in(Role.OFFICER_1).post(f"/intake/{referral.pk}/", {"action": "open", "opened_on": "2026-03-05"})
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") >= 2  # both people, at once
    assert Case.objects.count() == 0


def test_an_officer_rejects_a_referral_with_a_reason_and_a_technician_may_not(system: Any, tmp_path: Path) -> None:
    _import(system, tmp_path)
    referral = Referral.objects.get(referral_id="R1001")
    assert signed_in(Role.TECHNICIAN).post(f"/intake/{referral.pk}/close/", {}).status_code == 403
    client = signed_in(Role.OFFICER_1)
    refused = client.post(f"/intake/{referral.pk}/close/", {"status": "rejected", "reason": ""})
    assert refused.status_code == 400 and 'id="id_reason-error"' in refused.content.decode()
    done = client.post(f"/intake/{referral.pk}/close/", {"status": "rejected", "reason": "Family moved out of state"})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.reason) == ("rejected", "Family moved out of state")


def _application(**overrides: str) -> dict[str, str]:
    data = {
        "received_on": "2026-03-02", "program": "never_assistance", "other_parent_role": "noncustodial_parent",
        "cp-first_name": "Tamara", "cp-last_name": "Greenfield", "cp-date_of_birth": "1992-08-14",
        "cp-ssn": "223-45-6781", "cp-sex": "F", "cp-line1": "12 Oak Street", "cp-city": "Jackson", "cp-state": "MS",
        "cp-postal_code": "39202",
        "ncp-first_name": "Derek", "ncp-last_name": "Holloway", "ncp-sex": "M",
        "child-0-first_name": "Zoe", "child-0-last_name": "Holloway", "child-0-date_of_birth": "2021-01-20",
        "child-0-sex": "F", "child-1-sex": "U", "child-2-sex": "U",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_an_application_goes_to_matching_and_then_opens_a_never_assistance_case(db: None) -> None:
    client = signed_in(Role.OFFICER_1)
    response = client.post("/intake/applications/new/", _application())
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/intake/{referral.pk}/"
    assert (referral.source, referral.program, referral.received_on) == ("application", "never_assistance", RECEIVED)
    assert [party.role for party in referral.parties.all()] == ["custodial_party", "noncustodial_parent",
                                                                 "dependent_child"]  # fmt: skip
    choices = {f"party-{party.pk}": "new" for party in referral.parties.all()}
    opened = client.post(f"/intake/{referral.pk}/", {"action": "open", "opened_on": "2026-03-03", **choices})
    case = Case.objects.get()
    assert opened.status_code == 302 and case.program == "never_assistance"
    address = case.members.get(role="custodial_party").person.addresses.get()
    assert (address.line1, address.source) == ("12 Oak Street", "party")


def test_the_application_shows_every_error_at_once_beside_its_field(db: None) -> None:
    response = signed_in(Role.OFFICER_1).post("/intake/applications/new/", _application(**{
        "cp-last_name": "", "cp-ssn": "666-12-3456", "cp-city": "", "child-0-date_of_birth": "2099-01-01",
        "received_on": "",
    }))  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_cp-last_name-error">This field is required.' in page  # the form's own checks
    assert 'id="id_received_on-error">This field is required.' in page
    assert 'id="id_cp-ssn-error">is not a valid Social Security number' in page  # and the service's, at once
    assert 'id="id_cp-city-error">is needed for the address' in page
    assert 'id="id_child-0-date_of_birth-error">cannot be in the future' in page
    assert "these 5 fields" in page
    assert Referral.objects.count() == 0


def test_the_services_refusals_come_back_all_at_once_beside_each_party(db: None) -> None:
    """The form is valid; the people service refuses the SSN, the date of birth and the address together."""
    response = signed_in(Role.OFFICER_1).post("/intake/applications/new/", _application(**{
        "cp-ssn": "666-12-3456", "cp-city": "", "child-0-date_of_birth": "2099-01-01",
    }))  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_cp-ssn-error">is not a valid Social Security number' in page
    assert 'id="id_cp-city-error">is needed for the address' in page
    assert 'id="id_child-0-date_of_birth-error">cannot be in the future' in page
    assert "these 3 fields" in page


def test_a_search_that_found_nobody_offers_an_application_with_the_name_carried_over(db: None) -> None:
    client = signed_in(Role.OFFICER_1)
    page = client.post("/search/", {"q": "Quenneville, Arlette"}).content.decode()
    assert 'href="/intake/applications/new/?name=Quenneville%2C%20Arlette"' in page

    form = client.get("/intake/applications/new/?name=Quenneville%2C%20Arlette").content.decode()
    assert 'name="cp-first_name" value="Arlette"' in form
    assert 'name="cp-last_name" value="Quenneville"' in form


def test_a_new_person_with_address_and_employer_on_one_screen(db: None) -> None:
    client = signed_in(Role.OFFICER_1)
    response = client.post("/intake/people/new/", {
        "first_name": "Owen", "last_name": "Pratt", "sex": "M", "date_of_birth": "1980-02-03", "ssn": "",
        "line1": "77 River Rd", "city": "Vicksburg", "state": "MS", "postal_code": "39180",
        "employer_name": "Delta Freight", "fein": "",
    })  # fmt: skip
    person = Person.objects.get(last_name="Pratt")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.addresses.get().city == "Vicksburg"
    assert person.employments.get().employer.name == "Delta Freight"

    refused = client.post("/intake/people/new/", {"first_name": "", "last_name": "X", "sex": "M", "ssn": "1",
                                                  "line1": "1 Main", "state": "", "fein": "12"})  # fmt: skip
    page = refused.content.decode()
    assert refused.status_code == 400 and 'id="id_first_name-error"' in page
    assert Person.objects.count() == 1


def test_the_interview_is_recorded_on_the_case_and_a_family_violence_claim_sets_the_flag(db: None) -> None:
    officer = factories.user(Role.OFFICER_1, username="interviewer")
    case, custodial, _, obligor = factories.family(officer)
    obligor.person.ssn_last4 = obligor.person.ssn_index = obligor.person.ssn_encrypted = ""  # not known yet
    obligor.person.save()
    client = Client()
    client.force_login(officer)
    response = client.post(f"/cases/{case.number}/interview/", {
        "interviewed_on": "2026-03-04", "other_parent_names": "Curtis Boone", "other_parent_ssn": "512-34-9876",
        "other_parent_aliases": "Curt",
        "vehicles": "Blue Ford F-150, MS plate ABC123", "military_service": "Army 2004-2008",
        "existing_order_court": "Hinds County Chancery Court", "existing_order_amount": "$250 a month",
        "family_violence_claimed": "on", "lead_line1": "400 Canal St", "lead_city": "Gulfport", "lead_state": "MS",
        "lead_postal_code": "39501", "lead_employer_name": "Gulf Coast Shipyards",
    })  # fmt: skip

    assert response.status_code == 302
    interview = Interview.objects.get()
    assert (interview.case, interview.custodial_party) == (case, custodial.person)
    custodial.person.refresh_from_db()
    assert custodial.person.family_violence  # 42 U.S.C. 654(26): the family-violence indicator, set at once
    obligor.person.refresh_from_db()
    assert (interview.other_parent_ssn_last4, obligor.person.ssn_masked) == ("9876", "***-**-9876")
    lead = obligor.person.addresses.get(line1="400 Canal St")
    assert (lead.source, lead.verification) == ("party", "unverified")
    assert obligor.person.employments.filter(employer__name="Gulf Coast Shipyards").count() == 1
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "Intake interviews" in page and "Blue Ford F-150" in page and "family violence reported" in page


def test_an_interview_refuses_every_problem_at_once_and_records_nothing(db: None) -> None:
    officer = factories.user(Role.OFFICER_1, username="interviewer")
    case, custodial, _, _ = factories.family(officer)
    client = Client()
    client.force_login(officer)
    response = client.post(f"/cases/{case.number}/interview/", {
        "interviewed_on": "2099-01-01", "other_parent_ssn": "12", "lead_line1": "400 Canal St",
        "family_violence_claimed": "on",
    })  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_interviewed_on-error">cannot be in the future' in page
    assert 'id="id_other_parent_ssn-error">give the nine digits or the last four' in page
    assert 'id="id_lead_city-error">is needed for the address' in page
    assert Interview.objects.count() == 0
    custodial.person.refresh_from_db()
    assert not custodial.person.family_violence
    assert signed_in(Role.TECHNICIAN).get(f"/cases/{case.number}/interview/").status_code == 403
