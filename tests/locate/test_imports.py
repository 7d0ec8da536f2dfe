"""Importing locate files: matched records post as unverified leads, the rest wait for review, bad lines are
kept, and a re-sent file posts nothing twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from opencse.errors import NotAuthorized
from opencse.locate.imports import import_locate_file
from opencse.locate.matching import EXACT_SSN, NO_MATCH, SSN_SHARED, match_to_people
from opencse.locate.models import LocateRecord, LocateResponse, RecordStatus
from opencse.people.models import Address, Employer, Employment, InformationSource, Person
from opencse.security.models import AuditEvent
from opencse.security.services import system_actor
from tests import factories
from tests.locate import records
from tests.locate.conftest import Family

RECEIVED = date(2026, 11, 5)
STRANGER_SSN = "234567891"  # a valid SSN on file for nobody


def _import(path: Path, kind: str = "new-hire") -> object:
    return import_locate_file(actor=system_actor(), path=path, kind=kind, received_on=RECEIVED)


def test_a_new_hire_for_the_noncustodial_parent_posts_an_unverified_employer_and_address(
    family: Family, tmp_path: Path
) -> None:
    path = records.write(tmp_path, "w4.txt", [records.header(), records.new_hire(), records.trailer(1)])

    result = _import(path)

    obligor = family.obligor.person
    assert (result.records, result.matched, result.to_review, result.skipped) == (1, 1, 0, 2)  # type: ignore[attr-defined]
    job = Employment.objects.get(person=obligor, employer__fein="640123456")
    assert (job.verified, job.source, job.started_on) == (False, InformationSource.NEW_HIRE, date(2026, 11, 2))
    address = Address.objects.get(person=obligor, line1="22 PINE ST")
    assert (address.verification, address.source, address.effective_on) == ("unverified", "new_hire", RECEIVED)
    record = LocateRecord.objects.get()
    assert (record.status, record.match_basis, record.person_id) == (RecordStatus.MATCHED, EXACT_SSN, obligor.pk)
    response = LocateResponse.objects.get(case=family.case)
    assert response.found and "exact SSN" in response.summary and "GULF COAST SHIPYARDS" in response.summary
    assert AuditEvent.objects.filter(action="employment.added", target_id=str(job.pk)).exists()
    assert AuditEvent.objects.filter(action="locate.imported").count() == 1


def test_a_re_sent_file_posts_nothing_twice(family: Family, tmp_path: Path) -> None:
    path = records.write(tmp_path, "w4.txt", [records.header(), records.new_hire(), records.new_hire(ssn=STRANGER_SSN)])
    _import(path)
    counts = (LocateRecord.objects.count(), Employment.objects.count(), Address.objects.count(),
              Employer.objects.count(), LocateResponse.objects.count())  # fmt: skip

    again = _import(path)

    assert (again.records, again.new_records, again.duplicates, again.matched) == (2, 0, 2, 0)  # type: ignore[attr-defined]
    assert counts == (LocateRecord.objects.count(), Employment.objects.count(), Address.objects.count(),
                      Employer.objects.count(), LocateResponse.objects.count())  # fmt: skip


def test_a_known_employer_is_reused_and_a_known_job_or_address_is_not_posted_again(
    family: Family, tmp_path: Path
) -> None:
    _import(records.write(tmp_path, "a.txt", [records.new_hire()]))
    jobs, addresses, employers = Employment.objects.count(), Address.objects.count(), Employer.objects.count()

    # The same hire reported again by the employer with another date: a new record, but no new lead.
    _import(records.write(tmp_path, "b.txt", [records.new_hire(hired="20261103")]))

    assert (Employment.objects.count(), Address.objects.count(), Employer.objects.count()) == (
        jobs,
        addresses,
        employers,
    )
    assert LocateRecord.objects.filter(status=RecordStatus.MATCHED).count() == 2


def test_unmatched_records_wait_in_the_review_queue_with_the_reason(family: Family, tmp_path: Path) -> None:
    # A stranger: an SSN, a name, a date of birth and an address that nobody on file has.
    stranger = records.new_hire(ssn=STRANGER_SSN, first="OTIS", last="KRAMPLER", born="19700214", line1="5 ASH CT",
                                city="TUPELO", zip_code="38801")  # fmt: skip
    result = _import(records.write(tmp_path, "w4.txt", [stranger]))

    record = LocateRecord.objects.get()
    assert (result.to_review, record.status, record.review_reason, record.person_id) == (  # type: ignore[attr-defined]
        1, RecordStatus.REVIEW, NO_MATCH, None)  # fmt: skip
    assert not record.awaiting_match and not record.candidates.exists()
    assert record.ssn_last4 == "7891" and not Employment.objects.filter(employer__fein="640123456").exists()


def test_an_ssn_on_file_for_two_people_is_not_guessed(family: Family) -> None:
    twin = factories.person(family.officer, first_name="Curt", last_name="Boone")
    Person.objects.filter(pk=twin.pk).update(ssn_index=family.obligor.person.ssn_index)
    record = LocateRecord(ssn_index=family.obligor.person.ssn_index)

    (match,) = match_to_people([record]).values()

    assert (match.person_id, match.reason) == (None, SSN_SHARED)


def test_the_exceptions_report_keeps_each_bad_line(family: Family, tmp_path: Path) -> None:
    path = records.write(tmp_path, "w4.txt", [records.new_hire(), records.new_hire(hired="2026XX02")])

    result = _import(path)

    (rejection,) = result.rejections.all()  # type: ignore[attr-defined]
    assert (rejection.line_number, rejection.reason) == (2, "the date of hire '2026XX02' is not a date CCYYMMDD")
    assert "512349876" not in rejection.raw and "XXXXX9876" in rejection.raw


def test_quarterly_wage_unemployment_and_fcr_files_post_their_leads(family: Family, tmp_path: Path) -> None:
    _import(records.write(tmp_path, "qw.txt", [records.quarterly_wage()]), "quarterly-wage")
    _import(records.write(tmp_path, "ui.txt", [records.unemployment()]), "unemployment")
    _import(records.write(tmp_path, "fn.txt", [records.fcr_response()]), "fcr")

    obligor = family.obligor.person
    sources = dict(LocateRecord.objects.values_list("kind", "source"))
    # An FCR response (here a W-4 one, agency code H99) answers a request to the FCR.
    assert sources == {"quarterly-wage": "fpls_quarterly_wage", "unemployment": "fpls_unemployment",
                       "new-hire": "fcr"}  # fmt: skip
    assert Employment.objects.filter(person=obligor).count() == 1  # QW and FCR name the same employer (FEIN)
    # Both from the FPLS: the NDNH UI claim and the FCR's response.
    addresses = dict(Address.objects.filter(person=obligor, line1__in=["9 ELM AVE", "22 PINE ST"])
                     .values_list("line1", "source"))  # fmt: skip
    assert addresses == {"9 ELM AVE": "fpls", "22 PINE ST": "fpls"}
    summaries = list(LocateResponse.objects.filter(case=family.case).values_list("summary", flat=True))
    assert any("wages $8,450.00 in 2026 Q3" in summary for summary in summaries)


def test_only_the_system_imports(family: Family, tmp_path: Path) -> None:
    with pytest.raises(NotAuthorized):
        import_locate_file(actor=family.officer, path=records.write(tmp_path, "w4.txt", [records.new_hire()]),
                           kind="new-hire", received_on=RECEIVED)  # fmt: skip


def test_the_command_imports_and_reports(family: Family, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = records.write(tmp_path, "w4.txt", [records.new_hire(), "W4 bad line"])

    call_command("locate", "import", str(path), "--kind", "new-hire", "--received-on", "2026-11-05")

    out = capsys.readouterr().out
    assert "1 matched and posted as leads" in out and "rejected line 2: the SSN is missing" in out


def test_a_state_csv_file_posts_its_leads_from_the_state_sources(family: Family, tmp_path: Path) -> None:
    """docs/interfaces/locate-csv.md: the CSV is the State's own data (sources.yaml: state_new_hire, state_wage)."""
    header = "record_type,ssn,first_name,middle_name,last_name,date_of_birth,address_line1,address_line2,city,state," \
             "postal_code,employer_name,employer_fein,employer_line1,employer_city,employer_state," \
             "employer_postal_code,hired_on,amount,period,reference"  # fmt: skip
    lines = [
        header,
        "new-hire,512-34-9876,Curtis,,Boone,,22 Pine St,,Gulfport,MS,39501,Gulf Coast Shipyards,64-0123456,,,,,"
        "2026-11-02,,,SDNH-1",
        "quarterly-wage,512-34-9876,Curtis,,Boone,,,,,,,Gulf Coast Shipyards,64-0123456,,,,,,8450.00,2026Q3,QW-1",
        "quarterly-wage,512-34-9876,Curtis,,Boone,,,,,,,Gulf Coast Shipyards,64-0123456,,,,,,84.5,2026Q3,QW-2",
    ]
    result = _import(records.write(tmp_path, "state.csv", lines), "csv")

    assert (result.matched, result.rejected) == (2, 1)  # type: ignore[attr-defined]
    assert dict(LocateRecord.objects.values_list("kind", "source")) == {"new-hire": "state_new_hire",
                                                                        "quarterly-wage": "state_wage"}  # fmt: skip
    assert Employment.objects.get(person=family.obligor.person, employer__fein="640123456").source == "new_hire"
    (rejection,) = result.rejections.all()  # type: ignore[attr-defined]
    assert (rejection.line_number, rejection.reason) == (4, "the amount '84.5' is not dollars and cents (1234.56)")
