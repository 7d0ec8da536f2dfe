"""A disbursement run that a crash left unfinished: the next run finishes it whatever its date, so that no
payout stays marked paid in no file; `ledger verify` reports money marked paid that is in no file; the
45 CFR 302.32(b) report counts a payout issued on the day it really went out."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from opencse.cases.services import add_member
from opencse.errors import Conflict
from opencse.ledger import disbursement, disbursement_selectors
from opencse.ledger.disbursement import run_disbursements
from opencse.ledger.models import DirectDeposit, DisbursementRun, PaymentMethod, Payout
from opencse.ledger.payouts import return_payout
from opencse.ledger.services import post_collection
from opencse.ledger.verify import verify_ledger
from opencse.people.services import add_address
from opencse.security import crypto
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order

CRASH_DAY = date(2026, 2, 18)  # a Wednesday: the day the money received Fri Feb 13 is due
NEXT_DAY = date(2026, 2, 19)


@pytest.fixture
def signer(db: None) -> object:
    return factories.user(Role.OFFICER_2, username="signer")


def _paid_family(officer: object, *, deposit: bool = False) -> object:
    """A case whose family is owed 300.00 received Fri Feb 13 (due Wed Feb 18), paid by check or deposit."""
    case, _ = case_with_order(officer, monthly="300.00")
    person = factories.person(officer, first_name="Alicia", last_name="Moreno")
    add_address(actor=officer, person=person, line1="118 Magnolia Street", city="Jackson", state="MS",
                postal_code="39201")  # fmt: skip
    add_member(actor=officer, case=case, person=person, role="custodial_party")
    if deposit:
        DirectDeposit.objects.create(person=person, routing_number="061000104", account_last4="6789",
                                     account_number_encrypted=crypto.encrypt("000123456789"),
                                     account_type="checking", starts_on=date(2026, 1, 1))  # fmt: skip
    post_collection(actor=officer, case=case, amount=Decimal("300.00"), source="income_withholding",
                    collected_on=date(2026, 2, 13), received_on=date(2026, 2, 13))  # fmt: skip
    return case


def _crash_after_the_first_chunk(signer: object, monkeypatch: pytest.MonkeyPatch, *, run_on: date) -> None:
    real_pay_chunk = disbursement._pay_chunk
    calls: list[int] = []

    def dies_on_the_second_chunk(run: object, case_ids: list[int], **options: object) -> Decimal:
        calls.append(len(case_ids))
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real_pay_chunk(run, case_ids, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(disbursement, "_pay_chunk", dies_on_the_second_chunk)
    with pytest.raises(RuntimeError):
        run_disbursements(actor=signer, run_on=run_on, chunk_size=1)
    monkeypatch.setattr(disbursement, "_pay_chunk", real_pay_chunk)


def _references_in_files() -> Counter[str]:
    """Every trace number of the PPD and CCD+ files and every check number of the registers, of every run."""
    found: Counter[str] = Counter()
    for run in DisbursementRun.objects.all():
        for text in (run.nacha_file, run.interstate_file):
            found.update(line[79:94] for line in text.splitlines() if line.startswith("6"))
        found.update(row[0] for row in list(csv.reader(io.StringIO(run.check_register)))[1:] if row)
    return found


@pytest.mark.django_db
def test_a_run_killed_midway_is_finished_by_the_next_days_run_and_every_payout_is_in_exactly_one_file(
    officer: object, signer: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [_paid_family(officer, deposit=True), _paid_family(officer), _paid_family(officer)]
    _crash_after_the_first_chunk(signer, monkeypatch, run_on=CRASH_DAY)
    crashed = DisbursementRun.objects.get()
    assert [payout.case_id for payout in crashed.payout_rows.all()] == [cases[0].pk]  # marked paid, in no file
    assert any(f"disbursement run {crashed.pk} of 2026-02-18 did not finish" in problem for problem in verify_ledger())

    summary = run_disbursements(actor=signer, run_on=NEXT_DAY, chunk_size=1)

    [finished] = summary.finished_first
    crashed.refresh_from_db()
    assert finished.run.pk == crashed.pk and crashed.finished_at is not None and crashed.sent_on == NEXT_DAY
    assert finished.payouts == 3 and finished.total == Decimal("900.00")  # its remaining cases paid too
    assert crashed.nacha_file.splitlines()[1][69:75] == "260219"  # the bank file is effective the day it is sent
    assert all(line.split(",")[1] == "2026-02-19" for line in crashed.check_register.splitlines()[1:])
    assert summary.run.pk != crashed.pk and summary.payouts == 0  # the next day's own run: nothing left
    references = [payout.reference for payout in Payout.objects.exclude(method=PaymentMethod.NETTED)]
    assert len(references) == 3 and _references_in_files() == Counter(references)  # each in one file, once
    # Sent on Feb 19, due Feb 18: all three are late, the one of the crashed first chunk too.
    report = disbursement_selectors.timeliness(start=date(2026, 2, 1), end=date(2026, 2, 28), as_of=NEXT_DAY)
    assert (report.issued, report.on_time, report.late, report.overdue_unpaid) == (3, 0, 3, 0)
    [row] = disbursement_selectors.payouts_of_case(case=cases[0])
    assert row.sent_on == NEXT_DAY and not row.on_time
    assert verify_ledger() == []


@pytest.mark.django_db
def test_money_marked_paid_by_an_unfinished_run_is_unpaid_in_the_timeliness_report(
    officer: object, signer: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _paid_family(officer)
    _paid_family(officer)
    _crash_after_the_first_chunk(signer, monkeypatch, run_on=CRASH_DAY)

    report = disbursement_selectors.timeliness(start=date(2026, 2, 1), end=date(2026, 2, 28), as_of=NEXT_DAY)

    assert (report.issued, report.overdue_unpaid, report.overdue_unpaid_amount) == (0, 2, Decimal("600.00"))
    [row] = disbursement_selectors.payouts_of_case(case=first)  # the finance tab: not sent, cannot be returned
    assert (row.sent_on, row.on_time, row.returnable) == (None, False, False)
    with pytest.raises(Conflict, match="has not gone out"):
        return_payout(actor=officer, payout=row.payout, kind="check_voided", returned_on=NEXT_DAY, reason="lost")


@pytest.mark.django_db
def test_an_unfinished_run_dated_after_the_new_one_is_refused_with_how_to_finish_it(
    officer: object, signer: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _paid_family(officer)
    _paid_family(officer)
    _crash_after_the_first_chunk(signer, monkeypatch, run_on=NEXT_DAY)
    crashed = DisbursementRun.objects.get()

    refusal = rf"run {crashed.pk} of 2026-02-19 did not finish.*disburse --on 2026-02-19"
    with pytest.raises(Conflict, match=refusal):
        run_disbursements(actor=signer, run_on=CRASH_DAY)
    with pytest.raises(CommandError, match=refusal):
        call_command("disburse", "--on", CRASH_DAY.isoformat(), "--out", str(tmp_path))
    assert DisbursementRun.objects.count() == 1 and Payout.objects.count() == 1  # no new work

    resumed = run_disbursements(actor=signer, run_on=NEXT_DAY)
    assert resumed.run.pk == crashed.pk and resumed.payouts == 2 and resumed.finished_first == ()
    assert verify_ledger() == []


@pytest.mark.django_db
def test_verify_reports_payouts_missing_from_their_runs_files(officer: object, signer: object) -> None:
    _paid_family(officer, deposit=True)
    _paid_family(officer)
    _paid_family(officer)
    run = run_disbursements(actor=signer, run_on=CRASH_DAY).run
    assert verify_ledger() == []
    register = run.check_register.splitlines()

    DisbursementRun.objects.filter(pk=run.pk).update(check_register="\n".join(register[:2]) + "\n", nacha_file="")

    problems = verify_ledger()
    assert len(problems) == 2
    trace = run.nacha_file.splitlines()[2][79:94]
    assert problems[0] == (f"disbursement run {run.pk} of 2026-02-18: its PPD bank file is missing: 1 payouts "
                           f"(300.00) marked paid are in no file: {trace} (300.00)")  # fmt: skip
    assert "1 payouts (300.00) marked paid are not in its check register: " + register[2].split(",")[0] in problems[1]

    DisbursementRun.objects.filter(pk=run.pk).update(nacha_file=run.nacha_file, check_register="\n".join(
        [*register, register[2]]) + "\n")  # fmt: skip
    assert verify_ledger() == [
        f"disbursement run {run.pk} of 2026-02-18: its check register pays 1 entries that are no payout of the "
        f"run or repeat one: {register[2].split(',')[0]} (300.00)"
    ]


@pytest.mark.django_db
def test_the_command_writes_the_files_of_the_run_it_finished_first(
    officer: object, signer: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    _paid_family(officer)
    _paid_family(officer)
    _crash_after_the_first_chunk(signer, monkeypatch, run_on=CRASH_DAY)
    crashed = DisbursementRun.objects.get()

    call_command("disburse", "--on", NEXT_DAY.isoformat(), "--out", str(tmp_path))

    printed = capsys.readouterr().out
    assert f"disbursement run {crashed.pk} of 2026-02-18 had not finished" in printed
    assert "0 of 2 issued on time" in printed
    checks = (tmp_path / "checks-2026-02-18.csv").read_text().splitlines()
    assert len(checks) == 3 and all(",2026-02-19," in line for line in checks[1:])
    assert (tmp_path / "checks-2026-02-19.csv").read_text().count("\n") == 1  # the day's own run: header only


@pytest.mark.django_db
def test_the_disbursement_page_says_which_unfinished_run_it_finished_and_the_finance_tab_when_it_went_out(
    officer: object, signer: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.test import Client

    first = _paid_family(officer)
    _paid_family(officer)
    _crash_after_the_first_chunk(signer, monkeypatch, run_on=CRASH_DAY)
    client = Client()
    client.force_login(signer)  # type: ignore[arg-type]

    finance = client.get(f"/cases/{first.number}/finance/").content.decode()  # type: ignore[attr-defined]
    done = client.post("/disbursement/run/", {"run_on": NEXT_DAY.isoformat(), "confirm": "yes"}, follow=True)

    assert "Not sent yet (its run did not finish)" in finance
    assert "The run of 02/18/2026 had not finished: it is finished now, its 2 payouts (600.00) sent on 02/19/2026" in (
        done.content.decode()
    )
    after = client.get(f"/cases/{first.number}/finance/").content.decode()  # type: ignore[attr-defined]
    assert "02/19/2026" in after and "Not sent yet" not in after
