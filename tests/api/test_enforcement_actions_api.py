"""The API of an enforcement action's steps, payment agreements and income withholding (docs/enforcement.md, "The
API"): the same services as the web pages, the same checks and refusals, through a client that enforces CSRF."""

from __future__ import annotations

from typing import Any

import pytest

from opencse.enforcement.fidm_models import LevyOrder
from opencse.enforcement.lien_models import Lien
from opencse.enforcement.models import ActionStatus, EnforcementAction, IncomeWithholding, WithholdingService
from opencse.enforcement.sweep import sweep
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.enforcement.fidm_helpers import matched_account
from tests.enforcement.test_agreements_and_release import JULY_1, _behind
from tests.enforcement.test_income_withholding import _with_arrears

pytestmark = pytest.mark.django_db
HINDS_PARCEL = {"property_kind": "real_property", "county": "Hinds", "property_description": "Lot 4, Block B",
                "recording_office": "Circuit Clerk of Hinds County"}  # fmt: skip


def _post(client: Any, path: str, payload: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", payload, content_type="application/json")


def _fields(response: Any) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def _approved(case: Any, remedy: str, client: Any, service_method: str = "mail") -> str:
    """The remedy's proposal approved over the API on 07/02/2026; its path."""
    action = EnforcementAction.objects.get(case=case, remedy=remedy)
    path = f"/cases/{case.number}/enforcement/actions/{action.pk}"
    approved = _post(client, f"{path}/decision", {"approve": True, "decided_on": "2026-07-02",
                                                   "service_method": service_method})  # fmt: skip
    assert approved.status_code == 200, approved.content
    return path


def test_a_levy_goes_from_the_sweep_to_its_release_over_the_api(officer: Any, client_for: Any) -> None:
    case = _behind(officer)
    account = matched_account(officer, case)
    sweep(as_of=JULY_1)
    seo2 = client_for(factories.user(Role.OFFICER_2, username="seo2-api"))
    technician = client_for(factories.user(Role.TECHNICIAN, username="tech-api"))
    auditor = client_for(factories.user(Role.AUDITOR, username="auditor-api"))
    levy = EnforcementAction.objects.get(case=case, remedy="financial_institution_levy")
    path = f"/cases/{case.number}/enforcement/actions/{levy.pk}"

    by_technician = _post(technician, f"{path}/decision", {"approve": True, "decided_on": "2026-07-02",
                                                           "service_method": "certified_mail"})  # fmt: skip
    _approved(case, "financial_institution_levy", seo2, service_method="certified_mail")
    by_auditor = _post(auditor, f"{path}/service", {"served_on": "2026-07-06"})
    served = _post(client_for(officer), f"{path}/service",
                   {"served_on": "2026-07-06", "out_of_state": True, "note": "Green card 1234"})  # fmt: skip
    early = _post(client_for(officer), f"{path}/take", {"taken_on": "2026-07-26", "accounts": []})
    taken = _post(client_for(officer), f"{path}/take", {"taken_on": "2026-07-27", "accounts": [account.pk]})
    released = _post(client_for(officer), f"{path}/release", {"released_on": "2026-08-03", "reason": "Paid in full"})
    again = _post(client_for(officer), f"{path}/release", {"released_on": "2026-08-04", "reason": "Again"})
    read = auditor.get(f"/api/v1{path}")

    assert (by_technician.status_code, by_auditor.status_code) == (403, 403)
    assert served.status_code == 200, served.content
    # 20 days: Mississippi's levy has no longer window out of State (the place is still recorded).
    assert (served.json()["served_on"], served.json()["contest_ends_on"]) == ("2026-07-06", "2026-07-26")
    assert served.json()["served_out_of_state"] is True
    assert early.status_code == 400
    assert _fields(early) == {"taken_on", "accounts"}  # in the window, and no account: both at once
    assert taken.status_code == 200, taken.content
    assert (taken.json()["status"], taken.json()["taken_on"]) == (ActionStatus.TAKEN, "2026-07-27")
    assert LevyOrder.objects.filter(action=levy, account=account).count() == 1
    assert released.status_code == 200 and released.json()["status"] == ActionStatus.RELEASED
    assert again.status_code == 409
    assert read.status_code == 200
    assert [step["step"] for step in read.json()["steps"]] == ["proposed", "approved", "served", "taken", "released"]
    assert read.json()["steps"][2]["note"] == "Served outside Mississippi. Green card 1234"
    assert AuditEvent.objects.filter(action="enforcement.released", target_id=str(levy.pk)).count() == 1


def test_a_contest_holds_the_action_until_a_signer_decides_it(officer: Any, client_for: Any) -> None:
    case = _behind(officer)
    sweep(as_of=JULY_1)
    seo2 = client_for(factories.user(Role.OFFICER_2, username="seo2-contest"))
    path = _approved(case, "passport_denial", seo2)  # by mail: served that day, the window ends 08/01/2026
    officer_client = client_for(officer)

    unsaid = _post(officer_client, f"{path}/contest", {"received_on": "2099-01-01", "note": " "})
    contested = _post(officer_client, f"{path}/contest", {"received_on": "2026-07-20", "note": "Says it is paid"})
    held = _post(officer_client, f"{path}/take", {"taken_on": "2026-08-05"})
    by_officer_1 = _post(officer_client, f"{path}/contest/decision",
                         {"for_obligor": False, "decided_on": "2026-08-10", "note": "The ledger is right"})  # fmt: skip
    no_reason = _post(seo2, f"{path}/contest/decision", {"for_obligor": False, "decided_on": "2099-01-01"})
    denied = _post(seo2, f"{path}/contest/decision",
                   {"for_obligor": False, "decided_on": "2026-08-10", "note": "The ledger is right"})  # fmt: skip
    with_accounts = _post(officer_client, f"{path}/take", {"taken_on": "2026-08-11", "accounts": [1], **HINDS_PARCEL})
    taken = _post(officer_client, f"{path}/take", {"taken_on": "2026-08-11", "note": "Certified to the State Dept."})

    assert unsaid.status_code == 400 and _fields(unsaid) == {"received_on", "note"}
    assert contested.status_code == 200 and contested.json()["status"] == ActionStatus.CONTESTED
    assert held.status_code == 409
    assert by_officer_1.status_code == 403
    assert no_reason.status_code == 400 and _fields(no_reason) == {"decided_on", "note"}
    assert denied.status_code == 200 and denied.json()["status"] == ActionStatus.NOTICED
    assert with_accounts.status_code == 400
    assert _fields(with_accounts) == {"accounts", "property_kind"}  # a passport denial takes neither
    assert taken.status_code == 200, taken.content
    assert [step["step"] for step in taken.json()["steps"]] == [
        "proposed", "approved", "contested", "contest_denied", "taken"]  # fmt: skip


def test_a_lien_is_taken_with_where_it_is_recorded(officer: Any, client_for: Any) -> None:
    case = _behind(officer)
    sweep(as_of=JULY_1)
    path = _approved(case, "lien", client_for(factories.user(Role.OFFICER_2, username="seo2-lien")))

    nowhere = _post(client_for(officer), f"{path}/take", {"taken_on": "2026-08-02"})
    recorded = _post(client_for(officer), f"{path}/take", {"taken_on": "2026-08-02", **HINDS_PARCEL})

    assert nowhere.status_code == 400
    assert _fields(nowhere) == {"property_kind", "property_description", "recording_office"}
    assert recorded.status_code == 200, recorded.content
    lien = Lien.objects.get(action__case=case)
    assert (lien.county, lien.recording_office) == ("Hinds", "Circuit Clerk of Hinds County")


def test_a_payment_agreement_is_negotiated_and_signed_by_another_officer(officer: Any, client_for: Any) -> None:
    case = _behind(officer)
    negotiator = factories.user(Role.OFFICER_2, username="seo2-negotiates")
    signer = client_for(factories.user(Role.OFFICER_2, username="seo2-signs"))
    path = f"/cases/{case.number}/enforcement/agreements"
    terms = {"monthly_amount": "150.00", "starts_on": "2026-07-15", "terms": "By income withholding"}

    refused = _post(client_for(negotiator), path, {"monthly_amount": "0.00", "starts_on": "2099-01-01"})
    created = _post(client_for(negotiator), path, terms)
    second = _post(client_for(officer), path, terms)
    decision = f"{path}/{created.json()['id']}/decision"
    own = _post(client_for(negotiator), decision, {"approve": True})
    by_officer_1 = _post(client_for(officer), decision, {"approve": True})
    signed = _post(signer, decision, {"approve": True})
    listed = client_for(officer).get(f"/api/v1{path}?as_of=2026-07-20")

    assert refused.status_code == 400 and _fields(refused) == {"monthly_amount", "starts_on"}
    assert created.status_code == 201, created.content
    assert (created.json()["status"], created.json()["monthly_amount"]) == ("proposed", "150.00")
    assert second.status_code == 409
    assert (own.status_code, by_officer_1.status_code) == (403, 403)
    assert signed.status_code == 200 and signed.json()["status"] == "active"
    assert listed.status_code == 200
    assert listed.json()[0]["kept"] is True and listed.json()[0]["agreement"]["id"] == created.json()["id"]
    assert AuditEvent.objects.filter(action="agreement.signed", case_number=case.number).count() == 1


def test_income_withholding_is_prepared_sent_amended_served_and_ended(officer: Any, client_for: Any) -> None:
    case, employment = _with_arrears(officer)
    client = client_for(factories.user(Role.TECHNICIAN, username="tech-withholds"))
    base = f"/cases/{case.number}/withholding"
    employer = f"{base}/employers/{employment.pk}"

    listed = client.get(f"/api/v1{base}?on=2026-05-04")
    prepared = client.get(f"/api/v1{employer}?on=2026-05-04")
    sent = _post(client, employer, {"dated_on": "2026-05-04"})
    twice = _post(client, employer, {"dated_on": "2026-05-04"})
    first = sent.json()["id"]
    unsaid = _post(client, f"{base}/{first}/amend", {"dated_on": "2026-05-01", "reason": ""})
    amended = _post(client, f"{base}/{first}/amend", {"dated_on": "2026-06-01", "reason": "The arrears grew"})
    served = _post(client, f"{base}/{amended.json()['id']}/service",
                   {"method": "certified_mail", "sent_on": "2026-06-01", "received_on": "2026-06-04",
                    "evidence": "9407 1118 9956"})  # fmt: skip
    ended = _post(client, f"{base}/{amended.json()['id']}/end", {"dated_on": "2026-06-15", "reason": "Job ended"})
    after = client.get(f"/api/v1{base}?on=2026-06-15")

    assert listed.status_code == 200
    assert listed.json()["employers"] == [
        {"employment_id": employment.pk, "employer": "Gulf Coast Shipbuilding", "in_force_id": None}]  # fmt: skip
    assert prepared.status_code == 200, prepared.content
    assert (prepared.json()["amounts"]["total_monthly"], prepared.json()["arrears_owed"]) == ("600.00", "2000.00")
    assert prepared.json()["amounts"]["explanation"] and all(
        line["reference"] for line in prepared.json()["amounts"]["explanation"])  # fmt: skip
    assert sent.status_code == 201, sent.content
    assert (sent.json()["action"], sent.json()["total_monthly"], sent.json()["in_force"]) == ("ORG", "600.00", True)
    assert twice.status_code == 409
    assert unsaid.status_code == 400 and _fields(unsaid) == {"dated_on"}  # the first problem found: before the order
    assert amended.status_code == 201 and amended.json()["replaces_id"] == first
    assert served.status_code == 201 and served.json()["evidence"] == "9407 1118 9956"
    assert WithholdingService.objects.get().withholding_id == amended.json()["id"]
    assert ended.status_code == 201 and ended.json()["action"] == "TRM"
    assert after.json()["employers"][0]["in_force_id"] is None
    assert [order["action"] for order in after.json()["withholdings"]] == ["TRM", "AMD", "ORG"]
    assert after.json()["withholdings"][1]["services"][0]["method"] == "certified_mail"


def test_the_employer_service_and_the_lump_sum_report_every_error_at_once(officer: Any, client_for: Any) -> None:
    case, employment = _with_arrears(officer)
    client = client_for(officer)
    base = f"/cases/{case.number}/withholding"
    sent = _post(client, f"{base}/employers/{employment.pk}", {"dated_on": "2026-05-04"}).json()

    service = _post(client, f"{base}/{sent['id']}/service",
                    {"method": "personal", "sent_on": "2026-05-01", "received_on": "2026-04-30"})  # fmt: skip
    unknown = _post(client, f"{base}/{sent['id']}/service", {"method": "pigeon"})
    too_much = _post(client, f"{base}/employers/{employment.pk}/lump-sum",
                     {"dated_on": "2026-05-04", "payment": "", "amount": "5000.00"})  # fmt: skip
    lump = _post(client, f"{base}/employers/{employment.pk}/lump-sum",
                 {"dated_on": "2026-05-04", "payment": "Annual bonus paid June 15", "amount": "500.00"})  # fmt: skip

    assert service.status_code == 400 and _fields(service) == {"sent_on", "received_on", "evidence"}
    assert unknown.status_code == 422
    assert {error["loc"][-1] for error in unknown.json()["detail"]} == {"method", "sent_on"}
    assert too_much.status_code == 400 and _fields(too_much) == {"payment", "amount"}
    assert lump.status_code == 201, lump.content
    assert (lump.json()["action"], lump.json()["lump_sum"], lump.json()["in_force"]) == ("LUM", "500.00", False)


def test_an_exception_is_recorded_by_a_signer_and_ended_by_a_caseworker(officer: Any, client_for: Any) -> None:
    case, _ = _with_arrears(officer)
    seo2 = client_for(factories.user(Role.OFFICER_2, username="seo2-exception"))
    base = f"/cases/{case.number}/withholding"
    finding = {"kind": "good_cause", "since": "2026-01-02", "reference": "Order of 01/02/2026, Hinds County"}

    by_officer_1 = _post(client_for(officer), f"{base}/exceptions", finding)
    refused = _post(seo2, f"{base}/exceptions", {"kind": "good_cause", "since": "2099-01-01", "reference": " "})
    recorded = _post(seo2, f"{base}/exceptions", finding)
    ended = _post(client_for(officer), f"{base}/exceptions/{recorded.json()['id']}/end",
                  {"ended_on": "2026-05-01", "reason": "The obligor asked for withholding"})  # fmt: skip

    assert by_officer_1.status_code == 403
    assert refused.status_code == 400 and _fields(refused) == {"since", "reference"}
    assert recorded.status_code == 201, recorded.content
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2026-05-01"


def test_wrong_numbers_are_not_found_and_an_auditor_only_reads(officer: Any, client_for: Any) -> None:
    case, employment = _with_arrears(officer)
    client = client_for(officer)
    auditor = client_for(factories.user(Role.AUDITOR, username="auditor-reads"))
    elsewhere = client_for(factories.user(Role.OFFICER_1, username="elsewhere", office_code="OTH"))
    other_case, other_job = _with_arrears(factories.user(Role.OFFICER_1, username="other-officer"))
    base = f"/cases/{case.number}"

    assert client.get(f"/api/v1{base}/enforcement/actions/999999").status_code == 404
    assert _post(client, f"{base}/enforcement/actions/999999/take", {"taken_on": "2026-07-01"}).status_code == 404
    assert _post(client, f"{base}/withholding/999999/end", {"dated_on": "2026-07-01", "reason": "x"}).status_code == 404
    assert _post(client, f"{base}/withholding/employers/{other_job.pk}", {"dated_on": "2026-05-04"}).status_code == 404
    seo2 = client_for(factories.user(Role.OFFICER_2, username="seo2-wrong-number"))
    assert _post(seo2, f"{base}/enforcement/agreements/999999/decision", {"approve": True}).status_code == 404
    assert elsewhere.get(f"/api/v1{base}/withholding?on=2026-05-04").status_code == 404
    assert _post(client, "/cases/NOPE-1/withholding/exceptions/1/end", {"ended_on": "2026-05-01", "reason": "x"}
                 ).status_code == 404  # fmt: skip
    assert auditor.get(f"/api/v1{base}/withholding?on=2026-05-04").status_code == 200
    send = f"{base}/withholding/employers/{employment.pk}"
    assert _post(auditor, send, {"dated_on": "2026-05-04"}).status_code == 403
    assert IncomeWithholding.objects.filter(case__in=[case, other_case]).count() == 0
