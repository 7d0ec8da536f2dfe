"""The quarterly financial institution data match read back (42 U.S.C. 666(a)(17)(A)(i)): each match kept as an
account of the obligor it names, each bad line kept with its line number (never its SSN), re-import adds nothing,
a new balance is a new dated observation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from opencse.enforcement.facts import obligor_on_case
from opencse.enforcement.fidm import import_fidm_file, quarter_of
from opencse.enforcement.fidm_models import AccountBalance, FidmProblem, FinancialAccount, FinancialInstitution
from opencse.interfaces import fidm as layout
from opencse.people.services import update_person
from opencse.security.crypto import decrypt
from opencse.security.models import AuditEvent
from tests import factories
from tests.enforcement.fidm_helpers import a_record, b_record, match_file, t_record
from tests.ledger.helpers import case_with_order

pytestmark = pytest.mark.django_db
RECEIVED = date(2026, 7, 10)


def _obligor_with_ssn(officer: Any, ssn: str = "512-34-9876") -> Any:
    case, _ = case_with_order(officer, monthly="500.00")
    obligor = obligor_on_case(case)
    update_person(actor=officer, person=obligor, ssn=ssn)
    return case, obligor


def test_the_layout_reads_institutions_matches_and_names_every_bad_field_without_the_ssn() -> None:
    text = "\n".join([a_record(), b_record(), b_record(ssn="12345", account="", kind="99", balance="12A"),
                      "X nonsense", t_record(3)])  # fmt: skip

    read = layout.read(text)

    assert [i.tin for i in read.institutions] == ["640123456"]
    assert read.institutions[0].address_lines == ("200 E CAPITOL ST", "JACKSON, MS 39201-0000")
    [match] = read.matches
    assert (match.account_number, match.account_type, match.balance) == ("000123456789", "02", Decimal(5000))
    assert match.holder_address_lines == ("14 OAK ST", "JACKSON, MS 39201")
    problems = {p.line_number: p.problem for p in read.problems}
    assert set(problems) == {3, 4, 5}
    assert "SSN (15-23) is not a valid SSN" in problems[3] and "account number (24-43) is blank" in problems[3]
    assert "account type (44-45)" in problems[3] and "balance (351-357)" in problems[3]
    assert "not A, B or T" in problems[4]
    assert problems[5] == "the trailer counts 3 B records; the file has 2"
    assert all("12345" not in p.problem for p in read.problems)


def test_a_test_file_and_a_match_before_any_institution_are_kept_as_problems() -> None:
    read = layout.read("\n".join([b_record(), a_record(test="T"), b_record(), t_record(2)]))

    assert read.matches == []
    assert [p.line_number for p in read.problems] == [1, 2, 3]
    assert "test file" in read.problems[1].problem


def test_matches_are_kept_on_the_obligor_bad_lines_kept_and_a_reimport_adds_nothing(officer: Any) -> None:
    _, obligor = _obligor_with_ssn(officer)
    stranger = factories.person(officer, first_name="Nora", last_name="Quill", ssn="623-45-1111")  # no open case
    text = match_file(b_record(), b_record(account="55443322", kind="01", balance="120"),
                      b_record(ssn="623451111", account="999"), b_record(ssn="000000000"))  # fmt: skip

    result = import_fidm_file(actor=officer, text=text, filename="fidm_2026q3.txt", received_on=RECEIVED)

    assert (result.matches, result.accounts_new, result.balances_new) == (2, 2, 2)
    assert [(p.line_number, p.problem) for p in result.problems] == [
        (4, "no obligor of an open case has the matched SSN"),
        (5, "the matched SSN (15-23) is not a valid SSN"),
    ]
    accounts = list(FinancialAccount.objects.filter(obligor=obligor).order_by("account_last4"))
    assert [a.account_last4 for a in accounts] == ["3322", "6789"]
    assert decrypt(accounts[1].account_number_encrypted) == "000123456789"
    assert "000123456789" not in str(list(FinancialAccount.objects.values()))
    assert FinancialInstitution.objects.get().name == "MAGNOLIA STATE BANK"
    assert not FinancialAccount.objects.filter(obligor=stranger).exists()
    assert AuditEvent.objects.filter(action="fidm.imported").count() == 1

    again = import_fidm_file(actor=officer, text=text, filename="fidm_2026q3.txt", received_on=RECEIVED)

    assert again.already and again.matches == 0
    assert [p.line_number for p in again.problems] == [4, 5]
    assert FinancialAccount.objects.count() == 2 and AccountBalance.objects.count() == 2
    assert FidmProblem.objects.count() == 2


def test_the_same_balance_in_the_quarter_adds_nothing_and_a_new_one_is_a_new_dated_observation(officer: Any) -> None:
    _, obligor = _obligor_with_ssn(officer)
    import_fidm_file(actor=officer, text=match_file(b_record()), filename="a.txt", received_on=RECEIVED)
    # Sent again in the same quarter by another route (another file, the same account and balance): nothing added.
    resent = import_fidm_file(actor=officer, text=match_file(b_record()) + "\n", filename="b.txt",
                              received_on=date(2026, 8, 3))  # fmt: skip
    assert (resent.matches, resent.accounts_new, resent.balances_new) == (1, 0, 0)

    import_fidm_file(actor=officer, text=match_file(b_record(balance="750")), filename="c.txt",
                     received_on=date(2026, 10, 9))  # fmt: skip

    account = FinancialAccount.objects.get(obligor=obligor)
    assert list(account.balances.order_by("received_on").values_list("quarter", "received_on", "balance")) == [
        (date(2026, 7, 1), RECEIVED, Decimal("5000.00")),
        (date(2026, 10, 1), date(2026, 10, 9), Decimal("750.00")),
    ]


def test_quarters_are_calendar_quarters() -> None:
    assert [quarter_of(date(2026, m, 15)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        date(2026, 1, 1), date(2026, 1, 1), date(2026, 4, 1), date(2026, 4, 1),
        date(2026, 7, 1), date(2026, 7, 1), date(2026, 10, 1), date(2026, 10, 1),
    ]  # fmt: skip


def test_the_command_prints_problem_lines_without_ssn_digits(officer: Any, tmp_path: Path, capsys: Any) -> None:
    _obligor_with_ssn(officer)
    path = tmp_path / "fidm.txt"
    path.write_text(match_file(b_record(), b_record(ssn="623451111", account="999")))

    call_command("enforcement", "fidm-import", str(path), "--received-on", "2026-07-10")
    call_command("enforcement", "fidm-import", str(path), "--received-on", "2026-07-10")

    out = capsys.readouterr().out
    assert "line 3: no obligor of an open case has the matched SSN" in out
    assert "1 matches kept, 1 new accounts, 1 new balances, 1 lines not kept" in out
    assert "nothing added" in out
    assert "623451111" not in out and "512349876" not in out
