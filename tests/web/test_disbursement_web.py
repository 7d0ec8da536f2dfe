"""The screens for paying money out: payouts and undistributable money on the finance tab, returned
payments, the disbursement page (run, audited downloads, timeliness, follow-up lists) and direct deposit
on the person page.

Due dates are 45 CFR 302.32(b) worked by hand: money received Friday 02/13/2026 is due two business days
later, Wednesday 02/18/2026, because Monday 02/16/2026 is Washington's Birthday (5 U.S.C. 6103(a)).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from opencse.ledger.disbursement import run_disbursements
from opencse.ledger.models import CollectionShare, DirectDeposit, DisbursementRun, Payee, Payout, PayoutReturn
from opencse.ledger.services import post_collection, record_assistance, reverse_collection
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.ledger.test_disbursement import _custodial, _pay
from tests.web.conftest import HTMX
from tests.web.test_browser import CHROMIUM, SCREENSHOT_DIR, _sign_in, browser_db, page  # noqa: F401  # fixtures

RUN_DAY = date(2026, 2, 17)  # Tuesday: the payment received Friday 02/13/2026 is due Wednesday 02/18/2026
PROTECTED_STREET = "Magnolia"  # the custodial party's street, in `_custodial`'s address


def text_of(html: bytes) -> str:
    """The page as a reader sees it: tags out, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode())).strip()


def section(html: bytes, testid: str) -> str:
    """The text of the element marked `data-testid=testid` (up to the end of its table or block)."""
    markup = html.decode()
    start = markup.index(f'data-testid="{testid}"')
    end = min(index for index in (markup.find("</table>", start), markup.find("</section>", start)) if index != -1)
    return text_of(markup[start:end].encode())


@pytest.fixture
def signer(db: None) -> User:
    """An SEO 2 of the Hinds County office: may run the disbursement (no family violence clearance)."""
    return factories.user(Role.OFFICER_2, username="web-signer")


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ----------------------------------------------------------------------------------------------
# The finance tab


@pytest.mark.django_db
def test_after_a_300_payment_and_a_run_the_finance_tab_shows_check_100001_due_date_and_on_time(
    officer: User, signer: User
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, case)
    _pay(officer, case, "300.00")  # received 02/13/2026, due 02/18/2026
    run_disbursements(actor=signer, run_on=RUN_DAY)

    response = client_of(officer).get(f"/cases/{case.number}/finance/")

    assert response.status_code == 200
    payouts = section(response.content, "payouts")
    assert (
        "02/17/2026 Family Alicia Moreno Check Check no. 100001 300.00 02/18/2026 on time No "
        "Record returned payment 100001" in payouts
    )
    assert "This case holds no undistributable money." in text_of(response.content)


@pytest.mark.django_db
def test_a_payout_issued_after_its_due_date_is_shown_late(officer: User, signer: User) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, case)
    _pay(officer, case, "300.00")
    run_disbursements(actor=signer, run_on=date(2026, 2, 19))  # Thursday: one business day late

    payouts = section(client_of(officer).get(f"/cases/{case.number}/finance/").content, "payouts")

    assert "02/19/2026 Family Alicia Moreno Check Check no. 100001 300.00 02/18/2026 late" in payouts
    assert "on time" not in payouts


@pytest.mark.django_db
def test_a_returned_check_is_recorded_from_the_finance_tab_and_its_money_becomes_undistributable(
    officer: User, signer: User
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, case)
    _pay(officer, case, "300.00")
    run_disbursements(actor=signer, run_on=RUN_DAY)
    payout = Payout.objects.get(case=case)
    client = client_of(officer)

    form = client.get(f"/payouts/{payout.pk}/return/")
    too_early = client.post(
        f"/payouts/{payout.pk}/return/", {"kind": "check_returned", "returned_on": "2026-02-16", "reason": "Moved"}
    )
    recorded = client.post(
        f"/payouts/{payout.pk}/return/",
        {"kind": "check_returned", "returned_on": "2026-02-24", "reason": "Moved, left no forwarding address"},
    )
    again = client.post(
        f"/payouts/{payout.pk}/return/", {"kind": "check_voided", "returned_on": "2026-02-25", "reason": "Twice"}
    )

    assert form.status_code == 200 and "Check returned by the post office" in form.content.decode()
    assert "Direct deposit returned by the bank" not in form.content.decode()  # a check cannot bounce as a deposit
    assert too_early.status_code == 400 and "cannot be before the payout was issued" in too_early.content.decode()
    assert recorded.status_code == 302 and recorded["Location"] == f"/cases/{case.number}/finance/"
    assert again.status_code == 409
    finance_page = client.get(recorded["Location"])
    payouts = section(finance_page.content, "payouts")
    assert "Check returned by the post office on 02/24/2026 (Moved, left no forwarding address)" in payouts
    assert "Record returned payment" not in payouts
    held = section(finance_page.content, "undistributable")
    assert "300.00 cannot be paid to the family yet" in held
    assert "Check 100001 of 300.00 came back on 02/24/2026: check returned by the post office" in held
    assert "Release to the family" not in held  # an SEO 1 may not release (ledger.disburse)


@pytest.mark.django_db
def test_a_transfer_to_the_state_cannot_be_recorded_as_returned_and_another_office_sees_no_payout(
    officer: User, signer: User
) -> None:
    case, _ = case_with_order(officer, monthly="300.00", program="current_assistance")
    _custodial(officer, case)
    record_assistance(actor=officer, case=case, starts_on=date(2026, 1, 1), grant_monthly=Decimal("250.00"))
    _pay(officer, case, "300.00")
    run_disbursements(actor=signer, run_on=RUN_DAY)
    transfer = Payout.objects.get(case=case, payee=Payee.STATE)
    elsewhere = factories.user(Role.OFFICER_1, username="web-officer-har", office_code="HAR")

    refused = client_of(officer).post(
        f"/payouts/{transfer.pk}/return/", {"kind": "check_voided", "returned_on": "2026-02-24", "reason": "Wrong"}
    )
    hidden = client_of(elsewhere).get(f"/payouts/{transfer.pk}/return/")
    payouts = section(client_of(officer).get(f"/cases/{case.number}/finance/").content, "payouts")

    assert refused.status_code == 409
    assert "Only a direct deposit or a check can come back" in refused.content.decode()
    assert not PayoutReturn.objects.exists()
    assert hidden.status_code == 404
    assert (
        "02/17/2026 State (assistance reimbursement) State TANF agency (assistance reimbursement) "
        "Transfer between state accounts None" in payouts
    )


@pytest.mark.django_db
def test_a_protected_custodial_partys_money_is_undistributable_and_released_once_a_bank_account_is_on_file(
    officer: User, signer: User
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    person = _custodial(officer, case, protected=True)
    _pay(officer, case, "300.00")
    run_disbursements(actor=signer, run_on=RUN_DAY)
    client = client_of(signer)

    before = section(client.get(f"/cases/{case.number}/finance/").content, "undistributable")
    blank = client.post(f"/cases/{case.number}/undistributable/release/", {"release-reason": "  "}, **HTMX)
    factories.direct_deposit(officer, person=person, routing_number="061000104", account_number="987654321",
                             account_type="checking", starts_on=date(2026, 2, 18))  # fmt: skip
    now_payable = section(client.get(f"/cases/{case.number}/finance/").content, "undistributable")
    released = client.post(
        f"/cases/{case.number}/undistributable/release/", {"release-reason": "Bank account received"}, **HTMX
    )

    assert "300.00 cannot be paid to the family yet" in before
    assert "The disbursement run of 02/17/2026 found no way to pay the family" in before
    assert "no direct deposit authorization and no mailing address that may leave the system" in before
    assert blank.status_code == 400 and "This field is required." in blank.content.decode()
    assert "Direct deposit (NACHA PPD credit) to Alicia Moreno" in now_payable
    assert released.status_code == 200
    assert "300.00 released to the family: the next disbursement run pays it." in text_of(released.content)
    assert "This case holds no undistributable money." in text_of(released.content)
    family = CollectionShare.objects.filter(case=case, payee=Payee.FAMILY).values_list("amount", flat=True)
    assert sum(family, Decimal(0)) == Decimal("300.00")
    assert (
        AuditEvent.objects.filter(action="undistributable.released", actor=signer, case_number=case.number).count() == 1
    )


@pytest.mark.django_db
def test_a_transfer_to_unclaimed_property_before_the_dormancy_period_shows_the_refusal(
    officer: User, signer: User
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, case, address=False)
    _pay(officer, case, "300.00")
    run_disbursements(actor=signer, run_on=RUN_DAY)  # undistributable today: no address, no bank account

    # The officer transfers on the day they act: fix that day a year after the run, whatever the clock says.
    with time_machine.travel(datetime(2027, 2, 17, 10, 0, tzinfo=ZoneInfo("America/Chicago")), tick=False):
        refused = client_of(signer).post(
            f"/cases/{case.number}/undistributable/unclaimed-property/", {"unclaimed-reason": "Searched FPLS"}
        )

    assert refused.status_code == 409
    assert "The money has not been undistributable for 5 years yet." in refused.content.decode()  # Miss. default
    assert not CollectionShare.objects.filter(case=case, payee=Payee.ESCHEATED).exists()


# ----------------------------------------------------------------------------------------------
# The disbursement page


@pytest.mark.django_db
def test_the_disbursement_page_runs_after_confirmation_and_reports_this_months_timeliness(
    officer: User, signer: User
) -> None:
    today = timezone.localdate()
    late_case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, late_case)
    _pay(officer, late_case, "300.00")  # due 02/18/2026: overdue until it is paid
    prompt_case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, prompt_case)
    _pay(officer, prompt_case, "125.00", on=today)  # due two business days from today
    client = client_of(signer)

    before = client.get("/disbursement/")
    asked = client.post("/disbursement/run/", {"run_on": today.isoformat()})
    nothing_run_yet = DisbursementRun.objects.count()
    done = client.post("/disbursement/run/", {"run_on": today.isoformat(), "confirm": "yes"})
    after = client.get(done["Location"])

    assert "Past due and not yet paid, today 300.00 (1 disbursement)" in section(before.content, "timeliness")
    assert f"Pay out everything owed as of {today:%m/%d/%Y} ?" in text_of(asked.content)
    assert nothing_run_yet == 0
    assert done.status_code == 302 and done["Location"] == "/disbursement/"
    assert "2 payouts, 425.00 in all (0 direct deposits, 2 checks, 0 transfers)." in text_of(after.content)
    assert "could not be paid" not in text_of(after.content)  # both families have a mailing address
    assert f"{today:%m/%d/%Y} 2 425.00 0 2 No bank file · Check register" in section(after.content, "runs")
    timeliness = section(after.content, "timeliness")
    assert "Payouts issued 2 On time 1 Late 1 Percent on time 50.0%" in timeliness
    assert "Past due and not yet paid, today 0.00 (0 disbursements)" in timeliness


@pytest.mark.django_db
def test_a_run_date_in_the_future_is_refused_beside_the_field(signer: User) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client_of(signer).post("/disbursement/run/", {"run_on": tomorrow.isoformat(), "confirm": "yes"})
    garbled = client_of(signer).post("/disbursement/run/", {"run_on": "2026-02-30", "confirm": "yes"})

    assert response.status_code == 400 and "cannot be in the future" in response.content.decode()
    assert garbled.status_code == 400 and "Enter a valid date." in garbled.content.decode()
    assert not DisbursementRun.objects.exists()


@pytest.mark.django_db
def test_overpayments_and_undeliverable_refunds_are_listed_with_links_to_the_finance_tab(
    officer: User, signer: User
) -> None:
    overpaid, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, overpaid)
    first = _pay(officer, overpaid, "300.00")
    run_disbursements(actor=signer, run_on=RUN_DAY)  # 300.00 paid to the family ...
    reverse_collection(actor=officer, collection=first, reason="NSF", reversed_on=RUN_DAY)  # ... then it bounced
    # January's 300.00 is the whole debt (the order ended 01/31/2026): a 500.00 federal tax offset leaves 200.00
    # to repay to the obligor (45 CFR 303.72(h)(4)), who has no address on file.
    refunded, _ = case_with_order(officer, monthly="300.00", ends_on=date(2026, 1, 31))
    _custodial(officer, refunded)
    post_collection(actor=officer, case=refunded, amount=Decimal("500.00"), source="federal_tax_offset",
                    collected_on=date(2026, 2, 13), received_on=date(2026, 2, 13))  # fmt: skip
    run_disbursements(actor=signer, run_on=RUN_DAY)

    disbursement_page = client_of(signer).get("/disbursement/")

    assert f"{overpaid.number} Family 300.00" in section(disbursement_page.content, "overpayments")
    assert f"{refunded.number} 200.00" in section(disbursement_page.content, "refunds")
    assert f'href="/cases/{overpaid.number}/finance/"' in disbursement_page.content.decode()
    assert f'href="/cases/{refunded.number}/finance/"' in disbursement_page.content.decode()


@pytest.mark.django_db
def test_downloading_the_bank_file_writes_an_audit_event(officer: User, signer: User) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    person = _custodial(officer, case)
    factories.direct_deposit(officer, person=person, routing_number="061000104", account_number="000123456789",
                             account_type="savings", starts_on=date(2026, 1, 1))  # fmt: skip
    _pay(officer, case, "412.34")
    run = run_disbursements(actor=signer, run_on=RUN_DAY).run
    client = client_of(signer)

    listed = section(client.get("/disbursement/").content, "runs")
    response = client.get(f"/disbursement/runs/{run.pk}/bank-file/")

    assert "02/17/2026 1 412.34 1 0 Bank file" in listed
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ppd-2026-02-17.ach"'
    entry = response.content.decode().splitlines()[2]
    assert entry[12:29] == "000123456789     " and entry[29:39] == "0000041234"  # the account, 412.34 in cents
    events = AuditEvent.objects.filter(action="export.bank_file")
    assert [(event.actor_id, event.target_id) for event in events] == [(signer.pk, str(run.pk))]


@pytest.mark.django_db
def test_a_technician_may_not_open_the_disbursement_page_release_money_or_download_a_file(
    officer: User, signer: User, technician: User
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    _custodial(officer, case, address=False)
    _pay(officer, case, "300.00")
    run = run_disbursements(actor=signer, run_on=RUN_DAY).run
    client = client_of(technician)

    disbursement_page = client.get("/disbursement/")
    release = client.post(f"/cases/{case.number}/undistributable/release/", {"release-reason": "Found her"})
    download = client.get(f"/disbursement/runs/{run.pk}/check-register/")
    finance = client.get(f"/cases/{case.number}/finance/")

    assert (disbursement_page.status_code, release.status_code, download.status_code) == (403, 403, 403)
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()
    assert not AuditEvent.objects.filter(action="undistributable.released").exists()
    assert 'href="/disbursement/"' not in finance.content.decode()  # no nav link for the technician
    assert "Release to the family" not in finance.content.decode()
    assert 'href="/disbursement/"' in client_of(signer).get(f"/cases/{case.number}/finance/").content.decode()


@pytest.mark.django_db
def test_a_protected_address_appears_on_no_disbursement_screen_nor_in_the_check_register(
    officer: User, signer: User
) -> None:
    protected_case, _ = case_with_order(officer, monthly="300.00")
    person = _custodial(officer, protected_case, protected=True)
    _pay(officer, protected_case, "300.00")
    other_case, _ = case_with_order(officer, monthly="300.00")
    other = factories.person(officer, first_name="Nia", last_name="Carter")
    from opencse.cases.services import add_member
    from opencse.people.services import add_address

    add_address(actor=officer, person=other, line1="77 Pine Avenue", city="Clinton", state="MS", postal_code="39056")
    add_member(actor=officer, case=other_case, person=other, role="custodial_party")
    _pay(officer, other_case, "150.00")
    run = run_disbursements(actor=signer, run_on=RUN_DAY).run
    client = client_of(signer)  # an SEO 2: no family violence clearance

    pages = {
        "finance": client.get(f"/cases/{protected_case.number}/finance/"),
        "disbursement": client.get("/disbursement/"),
        "person": client.get(f"/people/{person.pk}/"),
        "register": client.get(f"/disbursement/runs/{run.pk}/check-register/"),
    }

    assert {name: response.status_code for name, response in pages.items()} == dict.fromkeys(pages, 200)
    assert [name for name, response in pages.items() if PROTECTED_STREET in response.content.decode()] == []
    register = pages["register"].content.decode().splitlines()
    assert (
        len(register) == 2 and register[1].startswith("100001,2026-02-17,150.00,") and "77 Pine Avenue" in register[1]
    )


# ----------------------------------------------------------------------------------------------
# Direct deposit on the person page


@pytest.mark.django_db
def test_bad_direct_deposit_input_is_refused_beside_each_field_and_the_account_number_is_not_shown_back(
    officer: User,
) -> None:
    person = factories.person(officer, first_name="Alicia", last_name="Moreno")
    client = client_of(officer)

    refused = client.post(
        f"/people/{person.pk}/direct-deposit/",
        {
            "routing_number": "061000105",
            "account_number": "98-7!",
            "account_number_again": "98-7!",
            "account_type": "checking",
            "starts_on": "2026-02-18",
        },
        **HTMX,
    )
    mismatched = client.post(
        f"/people/{person.pk}/direct-deposit/",
        {
            "routing_number": "061000104",
            "account_number": "55501234",
            "account_number_again": "55501243",
            "account_type": "savings",
            "starts_on": "2026-13-45",
        },
    )

    refused_page = refused.content.decode()
    assert refused.status_code == 400
    assert "is not a valid 9-digit ABA routing number" in refused_page
    assert "must be 4 to 17 letters or digits" in refused_page
    assert "98-7!" not in refused_page
    assert mismatched.status_code == 400
    assert "does not match the account number" in mismatched.content.decode()
    assert "Enter a valid date." in mismatched.content.decode()
    assert "55501234" not in mismatched.content.decode()
    assert not DirectDeposit.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_a_direct_deposit_authorization_is_recorded_and_shown_by_its_last_four_digits(
    officer: User, technician: User
) -> None:
    person = factories.person(officer, first_name="Alicia", last_name="Moreno")
    client = client_of(technician)  # technicians record authorizations (people.update)

    recorded = client.post(
        f"/people/{person.pk}/direct-deposit/",
        {
            "routing_number": "061000104",
            "account_number": "000123456789",
            "account_number_again": "000123456789",
            "account_type": "savings",
            "starts_on": "2026-02-18",
        },
        **HTMX,
    )
    person_page = client.get(f"/people/{person.pk}/")
    auditor_page = client_of(factories.user(Role.AUDITOR)).get(f"/people/{person.pk}/")

    assert recorded.status_code == 200
    assert (
        "Direct deposit change requested: savings account ****6789 at routing number 061000104, from "
        "02/18/2026. It takes effect once an officer with signature authority approves it" in text_of(recorded.content)
    )
    shown = section(person_page.content, "direct-deposit")
    assert "No direct deposit authorization on file" in shown  # not in effect before a second officer approves
    assert "Waiting for approval: savings account ****6789 at routing number 061000104, from 02/18/2026" in shown
    for response in (recorded, person_page, auditor_page):
        assert "000123456789" not in response.content.decode()
    assert "****6789" in auditor_page.content.decode()
    assert "Record direct deposit" not in auditor_page.content.decode()  # auditors only read
    assert AuditEvent.objects.filter(action="direct_deposit.requested", actor=technician).count() == 1


# ----------------------------------------------------------------------------------------------
# In a real Chromium: the htmx forms swap their section in place


@pytest.mark.browser
def test_in_a_browser_an_seo2_records_a_bank_account_releases_the_money_and_runs_the_disbursement(
    browser_db: None,  # noqa: F811  # the fixture imported above
    live_server: Any,
    page: Any,  # noqa: F811
) -> None:
    officer = factories.user(Role.OFFICER_1, username="browser-officer")
    signer = factories.user(Role.OFFICER_2, username="browser-signer")
    case, _ = case_with_order(officer, monthly="300.00")
    person = _custodial(officer, case, protected=True)
    _pay(officer, case, "300.00")
    run_disbursements(actor=signer, run_on=RUN_DAY)  # no address that may leave the system: undistributable
    _sign_in(page, live_server, "browser-signer")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_text("Record a direct deposit authorization").click()
    page.locator("#id_routing_number").fill("061000104")
    page.locator("#id_account_number").fill("987654321")
    page.locator("#id_account_number_again").fill("987654321")
    page.locator("#id_account_type").select_option("checking")
    page.locator("#id_starts_on").fill("2026-02-18")
    page.get_by_role("button", name="Record direct deposit").click()
    deposit = page.get_by_test_id("direct-deposit")
    deposit.get_by_text("Direct deposit change requested: checking account ****4321").wait_for()
    assert "987654321" not in page.content()
    page.screenshot(path=str(SCREENSHOT_DIR / "direct-deposit.png"), full_page=True)
    from opencse.ledger.direct_deposit import approve_direct_deposit, pending_direct_deposit_of

    second = factories.user(Role.SUPERVISOR, username="browser-supervisor")  # the two-person rule
    approve_direct_deposit(actor=second, deposit_request=pending_direct_deposit_of(person=person))  # type: ignore[arg-type]

    page.goto(f"{live_server.url}/cases/{case.number}/finance/")
    held = page.get_by_test_id("undistributable")
    held.get_by_text("Direct deposit (NACHA PPD credit) to Alicia Moreno").wait_for()
    page.screenshot(path=str(SCREENSHOT_DIR / "undistributable.png"), full_page=True)
    held.get_by_label("Reason").first.fill("Bank account received")
    held.get_by_role("button", name="Release to the family").click()
    page.get_by_text("300.00 released to the family: the next disbursement run pays it.").wait_for()
    assert page.url.endswith(f"/cases/{case.number}/finance/")  # swapped in place, no reload

    page.get_by_role("link", name="Disbursement", exact=True).click()
    page.get_by_label("Disbursement date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Run the disbursement").click()
    page.get_by_role("button", name="Yes, run the disbursement").click()
    page.get_by_text("1 payout, 300.00 in all (1 direct deposit, 0 checks, 0 transfers).").wait_for()
    page.screenshot(path=str(SCREENSHOT_DIR / "disbursement.png"), full_page=True)
    assert PROTECTED_STREET not in page.content()
