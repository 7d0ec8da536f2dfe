"""The locate pages: every refusal beside its field, the review queue's decisions, and the case's locate page
showing what was asked and what came back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.test import Client

from opencse.locate.imports import import_locate_file
from opencse.locate.models import LocateRecord, RecordStatus, VerificationRequest
from opencse.people.models import Employment
from opencse.security.models import AuditEvent
from opencse.security.services import system_actor
from opencse.work.models import Task, TaskKind
from tests.locate import records
from tests.locate.conftest import Family

RECEIVED = date(2026, 11, 5)


def _client(family: Family) -> Client:
    client = Client()
    client.force_login(family.officer)
    return client


def _import(tmp_path: Path, line: str) -> None:
    path = records.write(tmp_path, "w4.txt", [line])
    import_locate_file(actor=system_actor(), path=path, kind="new-hire", received_on=RECEIVED)


def test_refer_to_locate_shows_every_error_beside_its_field_then_opens_the_task(family: Family) -> None:
    client = _client(family)
    url = f"/cases/{family.case.number}/locate/request/"

    refused = client.post(url, {"requested_on": "2026-01-02", "note": ""})

    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="id_sources-error"' in page and "This field is required." in page
    accepted = client.post(url, {"sources": ["fpls_new_hire", "dmv"], "requested_on": "2026-11-05"})
    assert accepted.status_code == 302
    assert Task.objects.filter(case=family.case, kind=TaskKind.LOCATE, due_on=date(2027, 1, 19)).exists()
    shown = client.get(f"/cases/{family.case.number}/locate/").content.decode()
    assert "Motor vehicles" in shown and "Waiting for the source" in shown and "11/05/2026" in shown


def test_a_service_refusal_comes_back_beside_its_field(family: Family) -> None:
    response = _client(family).post(f"/cases/{family.case.number}/locate/request/",
                                    {"sources": ["dmv"], "requested_on": "2026-01-02"})  # fmt: skip

    assert response.status_code == 400
    assert 'id="id_requested_on-error"' in response.content.decode()
    assert "cannot be before the case was opened (03/04/2026)" in response.content.decode()


def test_the_review_queue_links_a_record_and_the_lead_appears_on_the_case(family: Family, tmp_path: Path) -> None:
    _import(tmp_path, records.new_hire(ssn="512349877"))
    record = LocateRecord.objects.get()
    client = _client(family)

    queue = client.get("/locate/review/").content.decode()
    assert "***-**-9877" in queue and "a probable match" in queue and "512349877" not in queue
    refused = client.post(f"/locate/review/{record.pk}/", {"action": "link", "link-decided_on": "2026-11-06"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="id_link-person_id-error"' in page and 'id="id_link-note-error"' in page
    linked = client.post(f"/locate/review/{record.pk}/", {
        "action": "link", "link-person_id": str(family.obligor.person.pk), "link-decided_on": "2026-11-06",
        "link-note": "Same name and date of birth; SSN mistyped by the employer"})  # fmt: skip

    assert linked.status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.LINKED
    assert AuditEvent.objects.filter(action="locate.record_linked", actor=family.officer).exists()
    case_page = client.get(f"/cases/{family.case.number}/locate/").content.decode()
    assert "GULF COAST SHIPYARDS" in case_page and "linked by" in case_page


def test_verify_an_employer_on_the_web_opens_the_withholding_task(family: Family, tmp_path: Path) -> None:
    _import(tmp_path, records.new_hire())
    job = Employment.objects.get(person=family.obligor.person, employer__fein="640123456")
    client = _client(family)

    refused = client.post(f"/cases/{family.case.number}/locate/verify/", {"requested_on": "2026-11-05"})
    assert refused.status_code == 400 and 'id="id_target-error"' in refused.content.decode()
    client.post(f"/cases/{family.case.number}/locate/verify/",
                {"target": f"employment:{job.pk}", "requested_on": "2026-11-05"})  # fmt: skip
    verification = VerificationRequest.objects.get(employment=job)
    url = f"/cases/{family.case.number}/locate/verifications/{verification.pk}/"
    missing_note = client.post(url, {"result": "failed", "decided_on": "2026-11-06"})
    assert missing_note.status_code == 400 and 'id="id_note-error"' in missing_note.content.decode()
    done = client.post(url, {"result": "verified", "decided_on": "2026-11-06"})

    assert done.status_code == 302
    assert Task.objects.get(case=family.case, kind=TaskKind.INCOME_WITHHOLDING).due_on == date(2026, 11, 10)


def test_the_exceptions_report_lists_each_rejected_line(family: Family, tmp_path: Path) -> None:
    path = records.write(tmp_path, "w4.txt", [records.new_hire(), records.new_hire(hired="20261399")])
    received = import_locate_file(actor=system_actor(), path=path, kind="new-hire", received_on=RECEIVED)

    page = _client(family).get(f"/locate/imports/{received.pk}/").content.decode()

    assert "the date of hire &#x27;20261399&#x27; is not a date CCYYMMDD" in page
    assert "512349876" not in page


def test_a_protected_persons_new_address_is_withheld_on_the_locate_page(family: Family, tmp_path: Path) -> None:
    """42 U.S.C. 654(26): a person with the family violence indicator: the street is shown to cleared roles only."""
    obligor = family.obligor.person
    obligor.family_violence = True
    obligor.save(update_fields=["family_violence"])
    _import(tmp_path, records.new_hire())

    page = _client(family).get(f"/cases/{family.case.number}/locate/").content.decode()
    form = _client(family).get(f"/cases/{family.case.number}/locate/verify/").content.decode()

    assert "22 PINE ST" not in page and "22 PINE ST" not in form
    assert "address withheld (family violence indicator)" in page


def test_the_api_refers_to_locate_and_shows_the_case(family: Family) -> None:
    client = _client(family)

    url = f"/api/v1/cases/{family.case.number}/locate/requests"
    made = client.post(url, {"sources": ["dmv"], "requested_on": "2026-11-05"}, content_type="application/json")
    refused = client.post(url, {"sources": ["ouija"], "requested_on": "2026-11-05"}, content_type="application/json")
    shown = client.get(f"/api/v1/cases/{family.case.number}/locate").json()

    assert made.status_code == 201 and made.json()[0]["source"] == "dmv"
    assert refused.status_code == 400
    assert [item["source"] for item in shown["requests"]] == ["dmv"]
