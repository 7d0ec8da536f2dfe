"""The locate workflow: referral to locate (the 75-day clock), the review queue's decisions (audited),
verification, and the end-to-end path from a new-hire file to an income withholding task."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from opencse.documents.models import Document
from opencse.errors import Conflict, InvalidInputs
from opencse.locate.imports import import_locate_file
from opencse.locate.models import (
    LocateRecord,
    LocateRequest,
    LocateResponse,
    RecordStatus,
    VerificationRequest,
    VerificationStatus,
)
from opencse.locate.services import (
    dismiss_record,
    link_record,
    record_response,
    record_verification,
    request_locate,
    request_verification,
)
from opencse.people.models import Address, Employment
from opencse.security.models import AuditEvent
from opencse.security.services import system_actor
from opencse.work.models import Completion, Task, TaskKind
from tests.locate import records
from tests.locate.conftest import Family

RECEIVED = date(2026, 11, 5)  # a Thursday


def _import(tmp_path: Path, lines: list[str]) -> None:
    path = records.write(tmp_path, "w4.txt", [records.header(), *lines])
    import_locate_file(actor=system_actor(), path=path, kind="new-hire", received_on=RECEIVED)


def test_a_new_hire_file_locates_a_noncustodial_parent_and_yields_a_verified_employer_and_a_withholding_task(
    family: Family, tmp_path: Path
) -> None:
    # 1. The NDNH new-hire record posts an unverified employer on the noncustodial parent: no withholding yet.
    _import(tmp_path, [records.new_hire()])
    job = Employment.objects.get(person=family.obligor.person, employer__fein="640123456")
    assert not job.verified
    assert not Task.objects.filter(kind=TaskKind.INCOME_WITHHOLDING).exists()

    # 2. The officer sends the employer verification letter (a stored document of the case).
    verification = request_verification(actor=family.officer, case=family.case, kind="employer", employment=job,
                                        requested_on=date(2026, 11, 5))  # fmt: skip
    letter = Document.objects.get(pk=verification.letter_id)
    assert (letter.kind, letter.case_id) == ("employer_verification", family.case.pk)

    # 3. The employer confirms on Friday, November 6, 2026.
    record_verification(actor=family.officer, verification=verification, verified=True, decided_on=date(2026, 11, 6))

    job.refresh_from_db()
    assert (job.verified, job.verified_on) == (True, date(2026, 11, 6))
    task = Task.objects.get(case=family.case, kind=TaskKind.INCOME_WITHHOLDING)
    # 45 CFR 303.100(e), 42 U.S.C. 654a(g)(1)(A)(i): 2 business days from Fri 11/06/2026 -> Tue 11/10/2026.
    assert (task.event_on, task.due_on, task.owner_id) == (date(2026, 11, 6), date(2026, 11, 10), family.officer.pk)
    assert task.clock_reference.startswith("45 CFR 303.100(e)")
    assert task.source_key == f"employment:{job.pk}"


def test_referral_to_locate_opens_the_75_day_task_and_a_verified_address_completes_it(
    family: Family, tmp_path: Path
) -> None:
    requests = request_locate(actor=family.officer, case=family.case, sources_asked=["fpls_new_hire", "dmv"],
                              requested_on=RECEIVED)  # fmt: skip

    task = Task.objects.get(case=family.case, kind=TaskKind.LOCATE)
    # 45 CFR 303.3(b)(3): 75 calendar days from Thu 11/05/2026 -> Tue 01/19/2027.
    assert (task.event_on, task.due_on) == (RECEIVED, date(2027, 1, 19))
    request_locate(actor=family.officer, case=family.case, sources_asked=["corrections"], requested_on=RECEIVED)
    assert Task.objects.filter(case=family.case, kind=TaskKind.LOCATE).count() == 1  # one open locate task

    # The new-hire file answers the request to the NDNH.
    _import(tmp_path, [records.new_hire()])
    new_hire_request = next(request for request in requests if request.source == "fpls_new_hire")
    new_hire_request.refresh_from_db()
    assert new_hire_request.status == "answered"
    assert LocateResponse.objects.get(request=new_hire_request).found

    address = Address.objects.get(person=family.obligor.person, line1="22 PINE ST")
    verification = request_verification(actor=family.officer, case=family.case, kind="postal", address=address,
                                        requested_on=date(2026, 11, 9))  # fmt: skip
    record_verification(actor=family.officer, verification=verification, verified=True, decided_on=date(2026, 11, 16))

    task.refresh_from_db()
    assert (task.completed_on, task.completion) == (date(2026, 11, 16), Completion.BY_EVENT)
    address.refresh_from_db()
    assert (address.verification, address.verified_on) == ("verified", date(2026, 11, 16))


def test_a_postal_verification_that_fails_marks_the_address_bad_and_the_task_stays_open(
    family: Family, tmp_path: Path
) -> None:
    request_locate(actor=family.officer, case=family.case, sources_asked=["fpls_new_hire"], requested_on=RECEIVED)
    _import(tmp_path, [records.new_hire()])
    address = Address.objects.get(person=family.obligor.person, line1="22 PINE ST")
    verification = request_verification(actor=family.officer, case=family.case, kind="postal", address=address,
                                        requested_on=date(2026, 11, 9))  # fmt: skip

    with pytest.raises(InvalidInputs) as refused:
        record_verification(actor=family.officer, verification=verification, verified=False,
                            decided_on=date(2026, 11, 6))  # fmt: skip
    assert {error.field for error in refused.value.errors} == {"decided_on", "note"}
    record_verification(actor=family.officer, verification=verification, verified=False,
                        decided_on=date(2026, 11, 16), note="Returned: no such address")  # fmt: skip

    address.refresh_from_db()
    assert address.verification == "bad"
    assert Task.objects.get(case=family.case, kind=TaskKind.LOCATE).completed_on is None
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.FAILED
    with pytest.raises(Conflict):
        record_verification(actor=family.officer, verification=verification, verified=True,
                            decided_on=date(2026, 11, 17))  # fmt: skip


def test_an_officer_links_a_queued_record_and_the_decision_is_audited(family: Family, tmp_path: Path) -> None:
    # The employer reported a mistyped SSN: no exact match, so the record waits for review.
    _import(tmp_path, [records.new_hire(ssn="512349877")])
    record = LocateRecord.objects.get(status=RecordStatus.REVIEW)

    with pytest.raises(InvalidInputs) as refused:
        link_record(actor=family.officer, record=record, person_id=None, note="", decided_on=date(2026, 11, 6))
    assert {error.field for error in refused.value.errors} == {"person_id", "note"}

    link_record(actor=family.officer, record=record, person_id=family.obligor.person.pk,
                note="Same name, date of birth and employer; SSN differs by one digit",
                decided_on=date(2026, 11, 6))  # fmt: skip

    record.refresh_from_db()
    assert record.status == RecordStatus.LINKED and record.match_basis.startswith("linked by")
    assert Employment.objects.filter(person=family.obligor.person, employer__fein="640123456", verified=False).exists()
    audit = AuditEvent.objects.get(action="locate.record_linked", target_id=str(record.pk))
    assert audit.actor_id == family.officer.pk
    with pytest.raises(Conflict):
        dismiss_record(actor=family.officer, record=record, note="again", decided_on=date(2026, 11, 6))


def test_an_officer_dismisses_a_queued_record_and_nothing_is_posted(family: Family, tmp_path: Path) -> None:
    _import(tmp_path, [records.new_hire(ssn="234567891", first="ROBERT", last="SMITH")])
    record = LocateRecord.objects.get(status=RecordStatus.REVIEW)
    jobs = Employment.objects.count()

    dismiss_record(actor=family.officer, record=record, note="Not a party to any case", decided_on=date(2026, 11, 6))

    record.refresh_from_db()
    assert (record.status, record.decision_note) == (RecordStatus.DISMISSED, "Not a party to any case")
    assert Employment.objects.count() == jobs
    assert AuditEvent.objects.filter(action="locate.record_dismissed", target_id=str(record.pk)).exists()


def test_a_source_answer_is_recorded_on_its_request(family: Family) -> None:
    (request,) = request_locate(actor=family.officer, case=family.case, sources_asked=["corrections"],
                                requested_on=RECEIVED)  # fmt: skip

    with pytest.raises(InvalidInputs) as refused:
        record_response(actor=family.officer, request=request, received_on=date(2026, 11, 1), found=False, summary="")
    assert {error.field for error in refused.value.errors} == {"received_on", "summary"}
    record_response(actor=family.officer, request=request, received_on=date(2026, 11, 9), found=False,
                    summary="Not in custody in any State facility")  # fmt: skip

    request = LocateRequest.objects.get(pk=request.pk)
    assert request.status == "answered" and not request.responses.get().found


def test_referral_needs_a_known_source_and_a_date_not_before_the_case(family: Family) -> None:
    with pytest.raises(InvalidInputs) as refused:
        request_locate(actor=family.officer, case=family.case, sources_asked=["ouija"], requested_on=date(2026, 1, 2))
    assert {error.field for error in refused.value.errors} == {"sources", "requested_on"}


def test_the_postal_verification_letter_goes_to_the_postmaster_but_never_with_a_protected_address(
    family: Family, tmp_path: Path
) -> None:
    """42 U.S.C. 654(26): a protected person's address never leaves the system, not even to the post office."""
    _import(tmp_path, [records.new_hire()])
    address = Address.objects.get(person=family.obligor.person, line1="22 PINE ST")

    verification = request_verification(actor=family.officer, case=family.case, kind="postal", address=address,
                                        requested_on=date(2026, 11, 9))  # fmt: skip

    letter = Document.objects.get(pk=verification.letter_id)
    assert (letter.kind, letter.subject) == ("postal_verification", f"address {address.pk}")
    assert letter.data["post_office"] == ["Postmaster", "GULFPORT, MS 39501"]

    family.obligor.person.family_violence = True
    family.obligor.person.save(update_fields=["family_violence"])
    other = Address.objects.create(person=family.obligor.person, line1="9 ELM AVE", city="HATTIESBURG", state="MS",
                                   postal_code="39401", source="fpls", effective_on=RECEIVED)  # fmt: skip
    with pytest.raises(Conflict):
        request_verification(actor=family.officer, case=family.case, kind="postal", address=other,
                             requested_on=date(2026, 11, 9))  # fmt: skip
    assert not VerificationRequest.objects.filter(address=other).exists()


def test_an_fcr_response_file_answers_the_request_to_the_fcr(family: Family, tmp_path: Path) -> None:
    (asked,) = request_locate(actor=family.officer, case=family.case, sources_asked=["fcr"], requested_on=RECEIVED)
    path = records.write(tmp_path, "fn.txt", [records.fcr_response()])

    import_locate_file(actor=system_actor(), path=path, kind="fcr", received_on=date(2026, 11, 12))

    asked.refresh_from_db()
    answer = asked.responses.get()
    assert asked.status == "answered" and answer.found and answer.received_on == date(2026, 11, 12)
