"""Credit bureau reporting (42 U.S.C. 666(a)(7)): the monthly Metro 2 file of the obligors with the action taken,
one account per obligor, closed once on release, idempotent by month; SSNs audited, protected addresses kept.

Positions are 1-based as in cfpb/Metro2 `django/parse_m2/fields.py` (`base_fields`); see tests/interfaces/
test_metro2.py for the whole layout."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencse.cases.services import add_member
from opencse.enforcement.actions import approve_action, release_action, take_action
from opencse.enforcement.credit_reporting import report_to_credit_bureaus
from opencse.enforcement.models import CreditReportAccount, CreditReportLine, EnforcementAction
from opencse.enforcement.sweep import sweep
from opencse.errors import InvalidInput
from opencse.ledger.accrual import accrue, roll_over
from opencse.ledger.services import post_collection
from opencse.orders.services import TermInput, enter_order
from opencse.people.services import add_address, set_family_violence
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests import factories

SSN = "512349876"
MONTH_ENDS = [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31),
              date(2026, 6, 30)]  # fmt: skip
TAKEN_ON = date(2026, 8, 3)  # after the 30-day contest window of a notice mailed 07/02/2026 (remedies.yaml)
REMEDY = "credit_bureau_reporting"


def _case(officer: object, obligor: object, *, monthly: str) -> object:
    case = factories.case(officer, referral_received_on=date(2025, 12, 1), opened_on=date(2025, 12, 2))
    child = factories.person(officer, first_name="Mateo", last_name="Moreno", date_of_birth=date(2018, 2, 3))
    add_member(actor=officer, case=case, person=obligor, role="noncustodial_parent")
    add_member(actor=officer, case=case, person=child, role="dependent_child")
    enter_order(actor=officer, case=case, tribunal_kind="administrative",
                tribunal_name="MDHS Division of Child Support", issuing_jurisdiction="MS",
                docket_number=f"AO-{case.number}", signed_on=date(2026, 1, 1), effective_on=date(2026, 1, 1),
                terms=[TermInput(kind="current_support", frequency="monthly", starts_on=date(2026, 1, 1),
                                 obligor=obligor, steps=[(date(2026, 1, 1), Decimal(monthly))])])  # fmt: skip
    return case


def _behind(officer: object, *monthlies: str) -> tuple[object, list[object]]:
    """One obligor, a case per monthly amount from January 2026, nothing paid: six months of arrears on June 30."""
    obligor = factories.person(officer, first_name="Curtis", last_name="Boone", suffix="Jr.", sex="M",
                               ssn="512-34-9876", date_of_birth=date(1988, 4, 9))  # fmt: skip
    cases = [_case(officer, obligor, monthly=monthly) for monthly in monthlies]
    accrue(through=date(2026, 7, 31))
    for month_end in MONTH_ENDS:
        roll_over(month_ending=month_end)
    return obligor, cases


def _take(officer: object, case: object) -> EnforcementAction:
    """Credit bureau reporting proposed by the sweep ($1,000 or more owed: remedies.yaml), approved, the notice
    mailed 07/02/2026, taken after the 30-day window."""
    sweep(as_of=date(2026, 7, 1))
    action = EnforcementAction.objects.get(case=case, remedy=REMEDY)
    approve_action(actor=factories.user(Role.SUPERVISOR, username=f"sup-{case.pk}"), action=action,
                   decided_on=date(2026, 7, 2), service_method="mail")  # fmt: skip
    return take_action(actor=officer, action=action, taken_on=TAKEN_ON)


def _accounts(path: Path | None) -> list[str]:
    assert path is not None
    lines = path.read_text().splitlines()
    assert all(len(line) == 426 for line in lines)
    assert lines[0][4:10] == "HEADER" and lines[-1][4:11] == "TRAILER"
    return lines[1:-1]


def _at(line: str, start: int, end: int) -> str:
    return line[start - 1 : end]


@pytest.mark.django_db
def test_a_taken_action_is_reported_once_a_month_aggregated_over_the_obligors_cases(
    officer: object, tmp_path: Path
) -> None:
    obligor, cases = _behind(officer, "500.00", "200.00")
    for case in cases:
        _take(officer, case)
    add_address(actor=officer, person=obligor, kind="mailing", line1="4 Elm Street", line2="Apt. 2", city="Jackson",
                state="MS", postal_code="39201")  # fmt: skip

    first = report_to_credit_bureaus(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    again = report_to_credit_bureaus(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    later_in_month = report_to_credit_bureaus(actor=system_actor(), as_of=date(2026, 8, 20), out_dir=tmp_path)

    # Six months (January to June, rolled over) of $500.00 and of $200.00: $4,200 owed, one account for the
    # obligor (not one per case), in collections (93), all of it past due.
    (line,) = _accounts(first.path)
    account = CreditReportAccount.objects.get(obligor=obligor)
    assert _at(line, 43, 72).rstrip() == account.account_number == f"CS{obligor.pk:010d}"
    assert (_at(line, 73, 73), _at(line, 74, 75), _at(line, 325, 325)) == ("O", "50", "1")  # Family Support, ECOA 1
    assert (_at(line, 124, 125), _at(line, 155, 163), _at(line, 164, 172)) == ("93", "000004200", "000004200")
    assert (_at(line, 76, 83), _at(line, 182, 189)) == ("08032026", "08032026")  # opened: taken; DOAI: as of
    assert _at(line, 190, 197) == "01312026"  # first delinquency: the first arrears, January's rolled over 01/31
    assert _at(line, 127, 150) == "B" * 24  # first report: no history
    assert (_at(line, 232, 256).rstrip(), _at(line, 257, 276).rstrip(), _at(line, 297, 297)) == ("BOONE", "CURTIS",
                                                                                                  "J")  # fmt: skip
    assert (_at(line, 298, 306), _at(line, 307, 314)) == (SSN, "04091988")
    assert (_at(line, 330, 361).rstrip(), _at(line, 394, 413).rstrip(), _at(line, 414, 424)) == (
        "4 ELM STREET", "JACKSON", "MS39201    ")  # fmt: skip
    assert (first.accounts, again.already_reported, again.path, later_in_month.path) == (1, True, None, None)
    assert len(list(tmp_path.iterdir())) == 1 and CreditReportLine.objects.count() == 1  # nothing new written
    assert AuditEvent.objects.filter(action="person.ssn_disclosed", target_id=str(obligor.pk)).count() == 1
    assert AuditEvent.objects.filter(action="enforcement.credit_report_sent").count() == 1
    assert oct(first.path.stat().st_mode & 0o777) == "0o600"  # full SSNs


@pytest.mark.django_db
def test_a_released_action_is_reported_closed_once_then_no_longer(officer: object, tmp_path: Path) -> None:
    obligor, (case,) = _behind(officer, "500.00")
    action = _take(officer, case)
    report_to_credit_bureaus(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    # $4,000.00 on 08/10: August's $500.00 current support first (45 CFR 302.51(a)), then the $3,500.00 of
    # arrears (January to June, and July's unpaid support rolled over): nothing owed.
    post_collection(actor=officer, case=case, amount=Decimal("4000.00"), source="direct_payment",
                    collected_on=date(2026, 8, 10), received_on=date(2026, 8, 10))  # fmt: skip
    release_action(actor=officer, action=action, released_on=date(2026, 8, 12), reason="Paid in full")

    september = report_to_credit_bureaus(actor=system_actor(), as_of=date(2026, 9, 1), out_dir=tmp_path)
    october = report_to_credit_bureaus(actor=system_actor(), as_of=date(2026, 10, 1), out_dir=tmp_path)

    (line,) = _accounts(september.path)
    # 13 paid or closed, zero balance, Payment Rating G (in collections before it was paid); the Date Closed and
    # the Date of Account Information are the date paid (the release); the last month's status first in history.
    assert (_at(line, 124, 125), _at(line, 126, 126), _at(line, 155, 163), _at(line, 164, 172)) == (
        "13", "G", "0" * 9, "0" * 9)  # fmt: skip
    assert (_at(line, 198, 205), _at(line, 182, 189), _at(line, 206, 213)) == ("08122026", "08122026", "08102026")
    assert _at(line, 190, 197) == "01312026"  # 13 with rating G keeps its first delinquency (FCRA purge date)
    assert _at(line, 127, 150) == "G" + "B" * 23
    assert (september.closed, october.accounts, october.path) == (1, 0, None)
    assert not CreditReportAccount.objects.get(obligor=obligor).active
    assert list(CreditReportLine.objects.order_by("pk").values_list("status", flat=True)) == ["93", "13"]


@pytest.mark.django_db
def test_a_release_with_arrears_left_deletes_the_account_and_a_skipped_month_is_d(
    officer: object, tmp_path: Path
) -> None:
    obligor, cases = _behind(officer, "500.00", "200.00")
    actions = [_take(officer, case) for case in cases]
    report_to_credit_bureaus(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)
    release_action(actor=officer, action=actions[1], released_on=date(2026, 9, 5), reason="Payment agreement")

    october = report_to_credit_bureaus(actor=system_actor(), as_of=date(2026, 10, 1), out_dir=tmp_path)
    release_action(actor=officer, action=actions[0], released_on=date(2026, 10, 5), reason="Payment agreement")
    november = report_to_credit_bureaus(actor=system_actor(), as_of=date(2026, 11, 2), out_dir=tmp_path)

    # October: only the case still taken counts ($500.00 x 6 = $3,000); September was not reported (D), August's
    # 93 before it (G). November: the last action released with $3,000 still owed: DA (delete), not 13 (which
    # would say paid), and the account is no longer reported.
    (line,) = _accounts(october.path)
    assert (_at(line, 124, 125), _at(line, 155, 163), _at(line, 127, 150)) == ("93", "000003000", "DG" + "B" * 22)
    assert _at(line, 93, 101) == "000004200"  # Highest Credit: the highest balance reported
    (gone,) = _accounts(november.path)
    assert (_at(gone, 124, 125), _at(gone, 155, 163), november.deleted) == ("DA", "000003000", 1)
    assert _accounts(november.path) and november.path.read_text().splitlines()[-1][65:74] == "000000001"  # DA count
    assert not CreditReportAccount.objects.get(obligor=obligor).active


@pytest.mark.django_db
def test_a_protected_persons_address_and_telephone_never_leave(officer: object, tmp_path: Path) -> None:
    obligor, (case,) = _behind(officer, "500.00")
    _take(officer, case)
    add_address(actor=officer, person=obligor, line1="77 Hidden Lane", city="Jackson", state="MS", postal_code="39201")
    set_family_violence(actor=officer, person=obligor, protected=True, since=date(2026, 7, 20))

    result = report_to_credit_bureaus(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)

    (line,) = _accounts(result.path)
    assert _at(line, 328, 426) == " " * 99  # country, both lines, city, State, ZIP and indicators blank
    assert _at(line, 315, 324) == "0" * 10
    assert "HIDDEN" not in result.path.read_text()
    assert _at(line, 298, 306) == SSN  # still identified, by SSN and date of birth


@pytest.mark.django_db
def test_an_obligor_without_ssn_or_birth_date_is_not_reported_and_an_earlier_month_is_refused(
    officer: object, tmp_path: Path
) -> None:
    obligor = factories.person(officer, first_name="Curtis", last_name="Boone", sex="M", date_of_birth=None)
    case = _case(officer, obligor, monthly="500.00")
    accrue(through=date(2026, 7, 31))
    for month_end in MONTH_ENDS:
        roll_over(month_ending=month_end)
    _take(officer, case)

    result = report_to_credit_bureaus(actor=system_actor(), as_of=TAKEN_ON, out_dir=tmp_path)

    assert (result.path, result.not_reported) == (None, [(obligor.pk, "the obligor has neither an SSN nor a date "
                                                                      "of birth on file")])  # fmt: skip
    assert not AuditEvent.objects.filter(action="person.ssn_disclosed").exists()


@pytest.mark.django_db
def test_the_command_writes_the_file_and_refuses_a_month_before_the_last(officer: object, tmp_path: Path) -> None:
    _, (case,) = _behind(officer, "500.00")
    _take(officer, case)
    out = StringIO()

    call_command("enforcement", "credit-report", "--as-of", "2026-09-01", "--out", str(tmp_path), stdout=out)

    assert "credit bureau report as of 2026-09-01: 1 accounts (0 closed, 0 deleted); written to" in out.getvalue()
    with pytest.raises(InvalidInput):
        report_to_credit_bureaus(actor=system_actor(), as_of=date(2026, 8, 31), out_dir=tmp_path)


@pytest.mark.django_db
def test_the_run_reads_in_the_same_number_of_queries_whatever_the_number_of_obligors(
    officer: object, tmp_path: Path
) -> None:
    _, (first,) = _behind(officer, "500.00")
    _take(officer, first)
    actor = system_actor()
    with CaptureQueriesContext(connection) as one:
        report_to_credit_bureaus(actor=actor, as_of=TAKEN_ON, out_dir=tmp_path)
    for ssn in ("401-23-4567", "402-34-5678"):
        obligor = factories.person(officer, first_name="Lee", last_name="Grant", sex="M", ssn=ssn)
        case = _case(officer, obligor, monthly="300.00")
        accrue(through=date(2026, 7, 31))
        for month_end in MONTH_ENDS:
            roll_over(month_ending=month_end)
        _take(officer, case)
    with CaptureQueriesContext(connection) as three:
        result = report_to_credit_bureaus(actor=actor, as_of=date(2026, 9, 1), out_dir=tmp_path)

    # Three accounts instead of one, and one more query: the first account is updated (bulk_update) besides the
    # two created; nothing is read per obligor.
    assert result.accounts == 3
    assert len(three.captured_queries) == len(one.captured_queries) + 1
