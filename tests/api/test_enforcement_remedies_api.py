"""The remedies' records over the API (docs/enforcement.md, "The API"): licenses, benefit claims, liens, matched
accounts and levies, through the same services as the pages, with their permissions, every field's error at once,
404s for what is not on the case, 409s for what is already done, and the account number masked."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from opencse.enforcement.actions import release_action, take_action
from opencse.enforcement.facts import obligor_on_case
from opencse.enforcement.fidm_models import LevyOrder
from opencse.enforcement.intercept_models import BenefitClaim
from opencse.enforcement.license_models import License
from opencse.enforcement.licenses import write_license_files
from opencse.enforcement.lien_models import Lien
from opencse.enforcement.models import ActionStatus, EnforcementAction
from opencse.enforcement.sweep import sweep
from opencse.locate.models import LocateImport, LocateRecord
from opencse.people.services import set_family_violence
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests import factories
from tests.enforcement.test_benefit_intercept import _owing
from tests.enforcement.test_fidm_levy import _levy_ready
from tests.enforcement.test_license_suspension import FILE_ON, _arrears, _behind, _take
from tests.enforcement.test_liens import TAKEN, _lien_ready

pytestmark = pytest.mark.django_db
DRIVERS = {"kind": "drivers", "agency": "ms_dps", "number": "8012 34567", "source": "dmv", "reported_on": "2026-06-01"}
PARCEL = {"taken_on": TAKEN.isoformat(), "property_kind": "real_property", "county": "Hinds",
          "property_description": "Parcel 123-45-678, Lot 4, Block B",
          "recording_office": "Circuit Clerk of Hinds County (judgment roll)"}  # fmt: skip
CLAIM = {"kind": "unemployment", "weekly_benefit_amount": "235.00", "starts_on": "2026-04-20",
         "claim_number": "UI-2026-0417"}  # fmt: skip


def _post(client: Any, path: str, payload: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", payload, content_type="application/json")


def _fields(response: Any) -> set[str]:
    assert response.status_code == 400, response.content
    return {error["field"] for error in response.json()["errors"]}


def _auditor() -> Any:
    return factories.user(Role.AUDITOR, username="api-auditor")


# --- Licenses ---------------------------------------------------------------------------------------------------


def test_a_license_recorded_over_the_api_is_listed_with_the_suspension_sent_to_its_agency(
    officer: Any, client_for: Any, tmp_path: Path
) -> None:
    obligor, case = _behind(officer)
    _arrears()
    sweep(as_of=date(2026, 7, 1))
    _take(officer, case)
    client = client_for(officer)

    created = _post(client, f"/cases/{case.number}/enforcement/licenses", DRIVERS)
    write_license_files(actor=system_actor(), on=FILE_ON, out_dir=tmp_path)
    body = client_for(_auditor()).get(f"/api/v1/cases/{case.number}/enforcement/licenses").json()

    assert created.status_code == 201, created.content
    assert (created.json()["number"], created.json()["certifications"]) == ("801234567", [])
    assert License.objects.get(holder=obligor).number == "801234567"
    assert body["obligor_id"] == obligor.pk
    [license] = body["licenses"]
    assert license["agency_name"].startswith("Mississippi Department of Public Safety")
    assert license["ended_on"] is None
    [sent] = license["certifications"]
    assert (sent["request"], sent["sent_on"], sent["result"]) == ("S", FILE_ON.isoformat(), "")
    assert "ms_dps" in {agency["key"] for agency in body["agencies"]}
    assert {"officer", "dmv"} <= {source["key"] for source in body["sources"]}


def test_a_license_with_bad_fields_is_refused_with_every_field_at_once(officer: Any, client_for: Any) -> None:
    _, case = _behind(officer)

    refused = _post(client_for(officer), f"/cases/{case.number}/enforcement/licenses",
                    DRIVERS | {"kind": "recreational", "agency": "ms_nursing", "number": "R/1",
                               "expires_on": "2026-05-01"})  # fmt: skip

    assert _fields(refused) == {"agency", "number", "expires_on"}
    assert not License.objects.exists()


def test_a_license_is_ended_once_with_its_reason(officer: Any, client_for: Any) -> None:
    _, case = _behind(officer)
    client = client_for(officer)
    license_id = _post(client, f"/cases/{case.number}/enforcement/licenses", DRIVERS).json()["id"]
    path = f"/cases/{case.number}/enforcement/licenses/{license_id}/end"

    unsaid = _post(client, path, {"ended_on": "2026-06-15", "reason": "  "})
    ended = _post(client, path, {"ended_on": "2026-06-15", "reason": "Recorded in error: another person's license"})
    again = _post(client, path, {"ended_on": "2026-06-16", "reason": "Surrendered"})

    assert _fields(unsaid) == {"reason"}
    assert ended.status_code == 200
    assert (ended.json()["ended_on"], ended.json()["end_reason"]) == ("2026-06-15", "Recorded in error: another "
                                                                      "person's license")  # fmt: skip
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="license.ended").count() == 1


def test_an_auditor_or_a_technician_may_not_record_a_license_and_an_unknown_one_is_not_found(
    officer: Any, technician: Any, client_for: Any
) -> None:
    _, case = _behind(officer)

    auditor = _post(client_for(_auditor()), f"/cases/{case.number}/enforcement/licenses", DRIVERS)
    clerk = _post(client_for(technician), f"/cases/{case.number}/enforcement/licenses", DRIVERS)
    unknown = _post(client_for(officer), f"/cases/{case.number}/enforcement/licenses/999999/end",
                    {"ended_on": "2026-06-15", "reason": "Expired"})  # fmt: skip

    assert (auditor.status_code, clerk.status_code, unknown.status_code) == (403, 403, 404)
    assert not License.objects.exists()


# --- Benefit claims ---------------------------------------------------------------------------------------------


def test_a_technician_records_a_claim_lists_it_and_ends_it_once(technician: Any, client_for: Any) -> None:
    case, obligor = _owing(technician)
    client = client_for(technician)

    created = _post(client, f"/cases/{case.number}/enforcement/benefit-claims", CLAIM)
    listed = client_for(_auditor()).get(f"/api/v1/cases/{case.number}/enforcement/benefit-claims").json()
    path = f"/cases/{case.number}/enforcement/benefit-claims/{created.json()['id']}/end"
    ended = _post(client, path, {"ended_on": "2026-05-30", "note": "Returned to work"})
    again = _post(client, path, {"ended_on": "2026-05-31"})

    assert created.status_code == 201, created.content
    claim = created.json()
    assert (claim["person_id"], claim["weekly_benefit_amount"]) == (obligor.pk, "235.00")
    assert claim["payer_name"] == "Mississippi Department of Employment Security" and claim["payer_lines"]
    assert [row["id"] for row in listed["claims"]] == [claim["id"]] and listed["intercepts"] == []
    assert (ended.status_code, ended.json()["ends_on"], ended.json()["end_note"]) == (200, "2026-05-30",
                                                                                      "Returned to work")  # fmt: skip
    assert again.status_code == 409


def test_a_claim_is_recorded_from_an_unemployment_lead_listed_with_the_claims(officer: Any, client_for: Any) -> None:
    case, obligor = _owing(officer)
    received = LocateImport.objects.create(kind="unemployment", file_name="ui.txt", file_sha256="0" * 64,
                                           received_on=date(2026, 4, 25), imported_by=officer)  # fmt: skip
    lead = LocateRecord.objects.create(locate_import=received, line_number=1, key="ui-1", kind="unemployment",
                                       source="state_unemployment", ssn_index="x", ssn_last4="1234", last_name="Boone",
                                       received_on=date(2026, 4, 25), status="matched", person=obligor)  # fmt: skip
    client = client_for(officer)

    leads = client.get(f"/api/v1/cases/{case.number}/enforcement/benefit-claims").json()["unemployment_leads"]
    created = _post(client, f"/cases/{case.number}/enforcement/benefit-claims", CLAIM | {"locate_record": lead.pk})

    assert [row["id"] for row in leads] == [lead.pk]
    assert created.status_code == 201, created.content
    assert created.json()["locate_record_id"] == lead.pk


def test_a_claim_with_bad_fields_is_refused_with_every_field_at_once(officer: Any, client_for: Any) -> None:
    case, _ = _owing(officer)

    refused = _post(client_for(officer), f"/cases/{case.number}/enforcement/benefit-claims",
                    {"kind": "workers_compensation", "weekly_benefit_amount": "0.00", "starts_on": "2026-04-20",
                     "ends_on": "2026-04-01", "locate_record": 999999})  # fmt: skip

    assert _fields(refused) == {"weekly_benefit_amount", "ends_on", "payer_name", "locate_record", "kind"}
    assert not BenefitClaim.objects.exists()


def test_an_auditor_reads_the_claims_but_may_not_record_one_and_an_unknown_claim_is_not_found(
    officer: Any, client_for: Any
) -> None:
    case, _ = _owing(officer)
    auditor = client_for(_auditor())

    read = auditor.get(f"/api/v1/cases/{case.number}/enforcement/benefit-claims")
    refused = _post(auditor, f"/cases/{case.number}/enforcement/benefit-claims", CLAIM)
    unknown = _post(client_for(officer), f"/cases/{case.number}/enforcement/benefit-claims/999999/end",
                    {"ended_on": "2026-05-30"})  # fmt: skip

    assert (read.status_code, refused.status_code, unknown.status_code) == (200, 403, 404)


# --- Liens ------------------------------------------------------------------------------------------------------


def test_a_lien_recorded_over_the_api_takes_the_action_and_its_recording_and_release_follow(
    officer: Any, client_for: Any
) -> None:
    case, action = _lien_ready(officer)
    client = client_for(officer)
    base = f"/cases/{case.number}/enforcement/liens/{action.pk}"

    created = _post(client, base, PARCEL)
    lien_id = created.json()["id"]
    recorded = _post(client, f"{base}/{lien_id}/recording", {"recorded_on": "2026-08-10", "book_page": "412/88"})
    twice = _post(client, f"{base}/{lien_id}/recording", {"recorded_on": "2026-08-11", "instrument_number": "2026-1"})
    early = _post(client, f"{base}/{lien_id}/release-filed", {"filed_on": "2026-09-02"})
    release_action(actor=officer, action=action, released_on=date(2026, 9, 1), reason="Paid in full")
    filed = _post(client, f"{base}/{lien_id}/release-filed", {"filed_on": "2026-09-02"})
    listed = client_for(_auditor()).get(f"/api/v1/cases/{case.number}/enforcement/liens").json()

    assert created.status_code == 201, created.content
    assert (created.json()["amount"], created.json()["dated_on"]) == ("3000.00", TAKEN.isoformat())
    assert EnforcementAction.objects.get(pk=action.pk).status == ActionStatus.RELEASED
    assert (recorded.status_code, recorded.json()["book_page"]) == (200, "412/88")
    assert (twice.status_code, early.status_code) == (409, 409)
    assert (filed.status_code, filed.json()["release_filed_on"]) == (200, "2026-09-02")
    [shown] = listed["actions"]
    assert (shown["id"], shown["status"], shown["may_record"]) == (action.pk, "released", False)
    [lien] = shown["liens"]
    assert (lien["county"], lien["recorded_on"], lien["released_on"]) == ("Hinds", "2026-08-10", "2026-09-01")
    assert lien["statement_document_id"] == Lien.objects.get().statement_document_id is not None


def test_one_more_lien_is_added_to_a_taken_action(officer: Any, client_for: Any) -> None:
    case, action = _lien_ready(officer)
    client = client_for(officer)
    _post(client, f"/cases/{case.number}/enforcement/liens/{action.pk}", PARCEL)

    vehicle = _post(client, f"/cases/{case.number}/enforcement/liens/{action.pk}",
                    {"taken_on": "2026-08-05", "property_kind": "motor_vehicle",
                     "property_description": "2019 Ford F-150, VIN 1FTEW1E50KFA00001",
                     "recording_office": "Department of Revenue, Title Bureau"})  # fmt: skip

    assert vehicle.status_code == 201, vehicle.content
    assert Lien.objects.filter(action=action).count() == 2


def test_a_lien_with_bad_fields_is_refused_with_every_field_at_once(officer: Any, client_for: Any) -> None:
    case, action = _lien_ready(officer)

    refused = _post(client_for(officer), f"/cases/{case.number}/enforcement/liens/{action.pk}",
                    {"taken_on": "2026-07-20", "property_kind": "real_property"})  # fmt: skip

    assert _fields(refused) == {"property_description", "county", "recording_office", "taken_on"}
    assert EnforcementAction.objects.get(pk=action.pk).status == ActionStatus.NOTICED
    assert not Lien.objects.exists()


def test_an_auditor_may_not_record_a_lien_and_another_remedy_s_action_is_not_a_lien(
    officer: Any, client_for: Any
) -> None:
    case, action = _lien_ready(officer)
    other = EnforcementAction.objects.filter(case=case).exclude(remedy="lien").first()
    assert other is not None

    auditor = _post(client_for(_auditor()), f"/cases/{case.number}/enforcement/liens/{action.pk}", PARCEL)
    not_a_lien = _post(client_for(officer), f"/cases/{case.number}/enforcement/liens/{other.pk}", PARCEL)
    no_lien = _post(client_for(officer), f"/cases/{case.number}/enforcement/liens/{action.pk}/999999/recording",
                    {"recorded_on": "2026-08-10", "book_page": "412/88"})  # fmt: skip

    assert (auditor.status_code, not_a_lien.status_code, no_lien.status_code) == (403, 404, 404)
    assert not Lien.objects.exists()


# --- Matched accounts and levies ----------------------------------------------------------------------------------


def test_the_accounts_show_the_last_four_digits_only_never_the_address_and_the_read_is_audited(
    officer: Any, client_for: Any
) -> None:
    case, _, account = _levy_ready(officer)
    set_family_violence(actor=factories.user(Role.SUPERVISOR, username="api-fv"), person=obligor_on_case(case),
                        protected=True, since=date(2026, 7, 1))  # fmt: skip
    auditor = _auditor()

    response = client_for(auditor).get(f"/api/v1/cases/{case.number}/enforcement/accounts")

    assert response.status_code == 200
    [shown] = response.json()["accounts"]
    assert (shown["id"], shown["account_masked"], shown["institution"]) == (account.pk, "****6789",
                                                                            "MAGNOLIA STATE BANK")  # fmt: skip
    assert (shown["last_balance"], shown["last_balance_on"]) == ("5000.00", "2026-07-01")
    text = response.content.decode()
    assert "123456789" not in text and "512349876" not in text and "512-34-9876" not in text
    assert "OAK ST" not in text and "39201" not in text  # the holder's address the match reported
    assert AuditEvent.objects.filter(action="fidm.accounts_read", actor_id=auditor.pk, case_number=case.number).exists()


def test_the_levy_s_orders_are_listed_and_the_institution_s_answer_recorded_once(officer: Any, client_for: Any) -> None:
    case, levy, account = _levy_ready(officer)
    take_action(actor=officer, action=levy, taken_on=date(2026, 7, 24), accounts=[account.pk])
    order = LevyOrder.objects.get(action=levy)
    client = client_for(officer)
    path = f"/cases/{case.number}/enforcement/levies/{levy.pk}/orders/{order.pk}/answer"

    listed = client_for(_auditor()).get(f"/api/v1/cases/{case.number}/enforcement/levies").json()
    answered = _post(client, path, {"answered_on": "2026-08-03", "answer": "held", "amount": "3000.00"})
    again = _post(client, path, {"answered_on": "2026-08-04", "answer": "surrendered", "amount": "3000.00"})

    [shown] = listed["actions"]
    assert (shown["id"], shown["status"], shown["may_take"]) == (levy.pk, "taken", False)
    [listed_order] = shown["orders"]
    assert (listed_order["account_masked"], listed_order["amount"]) == ("****6789", "3000.00")
    assert listed_order["answer"] == ""
    assert answered.status_code == 200, answered.content
    assert (answered.json()["answer"], answered.json()["answer_amount"]) == ("held", "3000.00")
    assert again.status_code == 409
    assert "123456789" not in str(listed)


def test_an_answer_with_bad_fields_is_refused_with_every_field_at_once(officer: Any, client_for: Any) -> None:
    case, levy, account = _levy_ready(officer)
    take_action(actor=officer, action=levy, taken_on=date(2026, 7, 24), accounts=[account.pk])
    order = LevyOrder.objects.get(action=levy)

    refused = _post(client_for(officer), f"/cases/{case.number}/enforcement/levies/{levy.pk}/orders/{order.pk}/answer",
                    {"answered_on": "2026-07-20", "answer": "surrendered", "amount": "3000.01",
                     "note": "x" * 501})  # fmt: skip

    assert _fields(refused) == {"answered_on", "amount", "note"}
    order.refresh_from_db()
    assert order.answer == ""


def test_an_auditor_may_not_answer_and_another_office_s_case_is_not_found(officer: Any, client_for: Any) -> None:
    case, levy, account = _levy_ready(officer)
    take_action(actor=officer, action=levy, taken_on=date(2026, 7, 24), accounts=[account.pk])
    order = LevyOrder.objects.get(action=levy)
    path = f"/cases/{case.number}/enforcement/levies/{levy.pk}/orders/{order.pk}/answer"
    elsewhere = factories.user(Role.OFFICER_1, username="elsewhere", office_code="OTH")
    lien = EnforcementAction.objects.get(case=case, remedy="lien")

    auditor = _post(client_for(_auditor()), path, {"answered_on": "2026-08-03", "answer": "no_funds"})
    other_office = client_for(elsewhere).get(f"/api/v1/cases/{case.number}/enforcement/accounts")
    not_a_levy = _post(client_for(officer), f"/cases/{case.number}/enforcement/levies/{lien.pk}/orders/{order.pk}/"
                       "answer", {"answered_on": "2026-08-03", "answer": "no_funds"})  # fmt: skip

    assert (auditor.status_code, other_office.status_code, not_a_levy.status_code) == (403, 404, 404)
    assert not AuditEvent.objects.filter(action="fidm.accounts_read", actor_id=elsewhere.pk).exists()
