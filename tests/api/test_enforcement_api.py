"""The enforcement API: the same services as the web pages (docs/enforcement.md), the same checks and refusals,
through a client that enforces CSRF."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from opencse.enforcement.models import ActionStatus, AgreementStatus, EnforcementAction
from opencse.enforcement.sweep import sweep
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from tests import factories
from tests.enforcement.test_agreements_and_release import JULY_1, _behind, _signed

pytestmark = pytest.mark.django_db
COURT = "U.S. Bankruptcy Court, Southern District of Mississippi"


def _post(client: Any, path: str, payload: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", payload, content_type="application/json")


def test_the_enforcement_of_a_case_lists_the_proposals_and_the_facts(officer: Any, client_for: Any) -> None:
    case = _behind(officer)
    sweep(as_of=JULY_1)

    body = client_for(officer).get(f"/api/v1/cases/{case.number}/enforcement").json()

    assert body["case_number"] == case.number
    assert {action["remedy"] for action in body["actions"]} >= {"lien", "license_suspension"}
    assert {action["status"] for action in body["actions"]} == {"proposed"}
    lien = next(action for action in body["actions"] if action["remedy"] == "lien")
    assert lien["arrears"] == "3000.00"  # $500.00 a month, January to June unpaid (tests.enforcement helpers)
    assert (body["agreements"], body["bankruptcy_stays"], body["ssi"]) == ([], [], [])


def test_a_bankruptcy_over_the_api_stops_the_proposals_and_its_end_is_recorded(officer: Any, client_for: Any) -> None:
    case = _behind(officer)
    sweep(as_of=JULY_1)
    client = client_for(officer)
    stay = {"petition_filed_on": "2026-06-25", "chapter": "13", "court": COURT, "court_case_number": "26-01234-JAW",
            "recorded_on": "2026-07-02"}  # fmt: skip

    created = _post(client, f"/cases/{case.number}/enforcement/bankruptcy-stays", stay)
    again = _post(client, f"/cases/{case.number}/enforcement/bankruptcy-stays", stay)
    ended = _post(client, f"/cases/{case.number}/enforcement/bankruptcy-stays/{created.json()['id']}/end",
                  {"ended_on": "2026-07-20", "ended_how": "dismissed"})  # fmt: skip

    assert created.status_code == 201, created.content
    assert EnforcementAction.objects.filter(case=case, remedy="lien").get().status == ActionStatus.WITHDRAWN
    assert again.status_code == 400
    assert again.json()["errors"][0]["field"] == "court_case_number"
    assert ended.status_code == 200
    assert (ended.json()["ended_on"], ended.json()["ended_how"]) == ("2026-07-20", "dismissed")
    assert AuditEvent.objects.filter(action="bankruptcy.stay_ended").count() == 1


def test_ssi_with_bad_fields_is_refused_with_every_field_and_a_good_one_recorded(officer: Any, client_for: Any) -> None:
    case = _behind(officer)
    client = client_for(officer)

    bad = _post(client, f"/cases/{case.number}/enforcement/ssi",
                {"receiving_from": "2026-05-01", "receiving_to": "2026-04-01", "verified_how": "other",
                 "recorded_on": "2026-07-01"})  # fmt: skip
    good = _post(
        client,
        f"/cases/{case.number}/enforcement/ssi",
        {"receiving_from": "2026-05-01", "verified_how": "ssa_letter", "recorded_on": "2026-07-01"},
    )
    ended = _post(client, f"/cases/{case.number}/enforcement/ssi/{good.json()['id']}/end",
                  {"receiving_to": "2026-06-30"})  # fmt: skip

    assert bad.status_code == 400
    assert {error["field"] for error in bad.json()["errors"]} == {"receiving_to", "note"}
    assert good.status_code == 201
    assert ended.json()["receiving_to"] == "2026-06-30"


def test_a_decision_needs_signature_authority_and_a_second_person(officer: Any, client_for: Any) -> None:
    case = _behind(officer)
    sweep(as_of=JULY_1)
    lien = EnforcementAction.objects.get(case=case, remedy="lien")
    path = f"/cases/{case.number}/enforcement/actions/{lien.pk}/decision"
    approval = {"approve": True, "decided_on": "2026-07-02", "service_method": "mail"}

    by_officer_1 = _post(client_for(officer), path, approval)
    seo2 = client_for(factories.user(Role.OFFICER_2, username="seo2-api"))
    no_reason = _post(seo2, path, {"approve": False, "decided_on": "2026-07-02"})
    approved = _post(seo2, path, approval)
    twice = _post(seo2, path, approval)

    assert by_officer_1.status_code == 403
    assert no_reason.status_code == 400
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == ActionStatus.NOTICED
    assert approved.json()["contest_ends_on"] is not None
    assert twice.status_code == 409


def test_an_agreement_ended_over_the_api_needs_a_reason_in_words(officer: Any, client_for: Any) -> None:
    case = _behind(officer)
    agreement = _signed(officer, case, starts_on=date(2026, 6, 20))
    path = f"/cases/{case.number}/enforcement/agreements/{agreement.pk}/end"

    unsaid = _post(client_for(officer), path, {"ended_on": "2026-07-10", "reason": "ended_by_officer"})
    ended = _post(client_for(officer), path, {"ended_on": "2026-07-10", "reason": "paid_off"})
    auditor = _post(client_for(factories.user(Role.AUDITOR, username="auditor-api")), path,
                    {"ended_on": "2026-07-10", "reason": "paid_off"})  # fmt: skip

    assert unsaid.status_code == 400
    assert unsaid.json()["errors"][0]["field"] == "note"
    assert ended.status_code == 200
    assert ended.json()["status"] == AgreementStatus.ENDED
    assert auditor.status_code == 403


def test_another_office_s_case_is_not_found(officer: Any, client_for: Any) -> None:
    case = _behind(officer)
    elsewhere = factories.user(Role.OFFICER_1, username="elsewhere", office_code="OTH")

    response = client_for(elsewhere).get(f"/api/v1/cases/{case.number}/enforcement")

    assert response.status_code == 404
