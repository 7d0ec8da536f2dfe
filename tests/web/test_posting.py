"""The money screens: post a collection and see its distribution, post across an obligor's cases, work
the suspense queue, reverse a collection, record assistance. Figures come from 45 CFR 302.51 worked by
hand in each test's comment, never from the code's own output."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opencse.cases.services import add_member
from opencse.ledger.models import AssistancePeriod, Collection, CollectionShare, CollectionStatus, LedgerEntry
from opencse.ledger.selectors import balances
from opencse.ledger.services import hold_in_suspense, post_collection, record_assistance
from opencse.ledger.verify import verify_ledger
from opencse.orders.services import TermInput, enter_order
from opencse.security.models import AuditEvent
from opencse.security.roles import Role
from opencse.security.services import system_actor
from tests import factories
from tests.ledger.helpers import case_with_order
from tests.web.conftest import HTMX

PAYMENT = {
    "amount": "500.00",
    "source": "direct_payment",
    "collected_on": "2026-02-06",
    "received_on": "2026-02-09",
    "payor_name": "Curtis Boone",
    "reference": "CHK 1042",
}


def text_of(html: bytes) -> str:
    """The page as a reader sees it: tags out, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode())).strip()


def owing_400_current_and_300_arrears(actor: object) -> object:
    """A never-assistance case with 400.00 a month from January: 100.00 paid in January leaves 300.00
    of never-assigned arrears on January 31, and February's 400.00 is current support."""
    case, _ = case_with_order(actor, monthly="400.00", starts_on=date(2026, 1, 1))
    post_collection(
        actor=actor,
        case=case,
        amount=Decimal("100.00"),
        source="direct_payment",
        collected_on=date(2026, 1, 15),
        received_on=date(2026, 1, 15),
    )
    return case


@pytest.mark.django_db
def test_a_500_payment_pays_400_current_and_100_arrears_and_the_family_gets_500(
    officer: object, client_for: object
) -> None:
    case = owing_400_current_and_300_arrears(officer)
    client = client_for(officer)

    response = client.post(f"/cases/{case.number}/collections/new/", PAYMENT, follow=True)

    page = text_of(response.content)
    collection = Collection.objects.get(case=case, amount=Decimal("500.00"))
    assert response.redirect_chain == [(f"/collections/{collection.pk}/", 302)]
    # 45 CFR 302.51(a)(1)/(c): this month's current support first (400.00), then arrears (100.00).
    assert "Current support (this month) Family 400.00" in page
    assert "Never-assigned arrears Family 100.00" in page
    # Received Monday 02/09/2026: two business days later is Wednesday 02/11 (45 CFR 302.32(b)).
    assert "Family 500.00 02/11/2026" in page
    assert "Posted and distributed" in page
    assert balances(case=case, as_of=date(2026, 2, 28))["never_assigned"] == Decimal("200.00")
    assert verify_ledger() == []


@pytest.mark.django_db
def test_the_finance_tab_links_each_collection_to_its_distribution_page(officer: object, client_for: object) -> None:
    case = owing_400_current_and_300_arrears(officer)
    collection = Collection.objects.get(case=case)

    page = client_for(officer).get(f"/cases/{case.number}/finance/").content.decode()

    assert f'href="/collections/{collection.pk}/"' in page
    assert f'href="/cases/{case.number}/collections/new/"' in page


@pytest.mark.django_db
def test_bad_amount_and_dates_get_messages_beside_the_fields_and_post_nothing(
    officer: object, client_for: object
) -> None:
    case, _ = case_with_order(officer)
    bad = {**PAYMENT, "amount": "12.345", "source": "", "collected_on": "2026-02-10"}

    response = client_for(officer).post(f"/cases/{case.number}/collections/new/", bad)

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_amount-error"' in page and "no more than 2 decimal places" in page
    assert 'id="id_source-error"' in page
    assert 'id="id_collected_on-error"' in page
    assert not Collection.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_a_received_date_in_the_future_is_refused_by_the_service_beside_its_field(
    officer: object, client_for: object
) -> None:
    case, _ = case_with_order(officer)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client_for(officer).post(
        f"/cases/{case.number}/collections/new/", {**PAYMENT, "received_on": tomorrow.isoformat()}
    )

    assert response.status_code == 400
    assert re.search(r'id="id_received_on-error">cannot be in the future', response.content.decode())
    assert not Collection.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_an_auditor_may_see_a_collection_but_not_post_one(officer: object, client_for: object) -> None:
    case = owing_400_current_and_300_arrears(officer)
    auditor = client_for(factories.user(Role.AUDITOR))

    refused = auditor.post(f"/cases/{case.number}/collections/new/", PAYMENT)
    shown = auditor.get(f"/collections/{Collection.objects.get(case=case).pk}/")

    assert refused.status_code == 403
    assert shown.status_code == 200
    assert "Reverse this collection" not in shown.content.decode()
    assert Collection.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_a_case_of_another_office_is_not_found(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer)
    elsewhere = client_for(factories.user(Role.OFFICER_1, username="gulfport", office_code="HAR"))

    response = elsewhere.post(f"/cases/{case.number}/collections/new/", PAYMENT)

    assert response.status_code == 404
    assert not Collection.objects.filter(case=case).exists()


def _obligor_with_two_cases(officer: object) -> tuple[object, object, object]:
    first, order = case_with_order(officer, monthly="300.00")
    obligor = order.terms.get().obligor
    second = factories.case(officer, referral_received_on=date(2025, 12, 1), opened_on=date(2025, 12, 2))
    add_member(actor=officer, case=second, person=obligor, role="noncustodial_parent")
    enter_order(
        actor=officer,
        case=second,
        tribunal_kind="court",
        tribunal_name="Harrison County Chancery Court",
        issuing_jurisdiction="MS",
        docket_number="H-2026-9",
        signed_on=date(2026, 1, 1),
        effective_on=date(2026, 1, 1),
        terms=[
            TermInput(
                kind="current_support",
                frequency="monthly",
                starts_on=date(2026, 1, 1),
                obligor=obligor,
                steps=[(date(2026, 1, 1), Decimal("200.00"))],
            )
        ],
    )
    return obligor, first, second


@pytest.mark.django_db
def test_a_payment_by_an_obligor_is_split_across_cases_and_each_share_is_shown(
    officer: object, client_for: object
) -> None:
    obligor, first, second = _obligor_with_two_cases(officer)
    client = client_for(officer)
    payment = {**PAYMENT, "amount": "250.00", "collected_on": "2026-01-09", "received_on": "2026-01-12"}

    person_page = client.get(f"/people/{obligor.pk}/").content.decode()
    response = client.post(f"/people/{obligor.pk}/collections/new/", payment, follow=True)

    page = text_of(response.content)
    assert f'href="/people/{obligor.pk}/collections/new/"' in person_page
    assert response.status_code == 200
    # 45 CFR 303.100(a)(5): 250.00 prorated by current support due, 300:200 -> 150.00 and 100.00.
    assert f"Case {first.number}: 150.00" in page
    assert f"Case {second.number}: 100.00" in page
    assert "Current support (this month) Family 150.00" in page
    assert "Current support (this month) Family 100.00" in page
    assert Collection.objects.filter(obligor=obligor).count() == 2


@pytest.mark.django_db
def test_posting_for_a_person_who_owes_on_no_case_says_so(officer: object, client_for: object) -> None:
    _, custodial, _, _ = factories.family(officer)[0:4]

    response = client_for(officer).post(f"/people/{custodial.person.pk}/collections/new/", PAYMENT)

    assert response.status_code == 400
    assert "this person owes support on no open case" in response.content.decode()
    assert not Collection.objects.exists()


def _suspended(amount: str, received_on: date, reason: str = "No case number or SSN on the payment") -> Collection:
    return hold_in_suspense(
        actor=system_actor(),
        amount=Decimal(amount),
        source="direct_payment",
        collected_on=received_on,
        received_on=received_on,
        reason=reason,
        payor_name="Unknown payor",
        reference=f"MO-{amount}",
    )


@pytest.mark.django_db
def test_the_suspense_queue_lists_the_oldest_first_with_its_age_and_the_clock_rule(client_for: object) -> None:
    today = timezone.localdate()
    newer = _suspended("75.00", today - timedelta(days=3))
    older = _suspended("120.00", today - timedelta(days=10), reason="SSN matches two open cases")
    technician = client_for(factories.user(Role.TECHNICIAN))

    response = technician.get("/suspense/")

    page = text_of(response.content)
    assert response.status_code == 200
    assert page.index("MO-120.00") < page.index("MO-75.00")
    assert f"{(today - timedelta(days=10)).strftime('%m/%d/%Y')}" in page
    assert "10 120.00" in page and "3 75.00" in page  # age in days, then the amount
    assert "SSN matches two open cases" in page
    assert "starts only when the payee is identified" in page
    assert older.pk != newer.pk


@pytest.mark.django_db
def test_a_wrong_case_number_is_refused_beside_the_field_and_the_payment_stays_in_suspense(
    officer: object, client_for: object
) -> None:
    waiting = _suspended("80.00", date(2026, 2, 9))

    response = client_for(officer).post(f"/suspense/{waiting.pk}/identify/", {"case_number": "NO-SUCH-1"}, **HTMX)

    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{waiting.pk}_case_number-error">No case NO-SUCH-1 that you may see.' in page
    assert page.lstrip().startswith("<tr")  # the row alone, for htmx to swap
    assert Collection.objects.get(pk=waiting.pk).status == CollectionStatus.SUSPENSE


@pytest.mark.django_db
def test_identifying_the_case_distributes_the_payment_and_swaps_in_its_disbursement(
    officer: object, client_for: object
) -> None:
    case, _ = case_with_order(officer, monthly="300.00")
    waiting = _suspended("80.00", date(2026, 2, 9))

    response = client_for(officer).post(f"/suspense/{waiting.pk}/identify/", {"case_number": case.number}, **HTMX)

    page = text_of(response.content)
    assert response.status_code == 200
    # Never assistance: all 80.00 to February's current support, paid to the family.
    assert f"identified with case {case.number} and distributed: Family 80.00" in page
    assert Collection.objects.get(pk=waiting.pk).status == CollectionStatus.POSTED
    assert balances(case=case, as_of=date(2026, 2, 28))["current_support"] == Decimal("220.00")
    assert AuditEvent.objects.filter(action="collection.identified", actor=officer).exists()


@pytest.mark.django_db
def test_identifying_without_htmx_redirects_to_the_collection_page(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer)
    waiting = _suspended("80.00", date(2026, 2, 9))

    response = client_for(officer).post(f"/suspense/{waiting.pk}/identify/", {"case_number": case.number})

    assert response.status_code == 302
    assert response["Location"] == f"/collections/{waiting.pk}/"


@pytest.mark.django_db
def test_an_empty_case_number_without_htmx_shows_the_queue_with_the_message(
    officer: object, client_for: object
) -> None:
    waiting = _suspended("80.00", date(2026, 2, 9))

    response = client_for(officer).post(f"/suspense/{waiting.pk}/identify/", {"case_number": " "})

    assert response.status_code == 400
    assert f'id="id_{waiting.pk}_case_number-error">This field is required.' in response.content.decode()


@pytest.mark.django_db
def test_an_auditor_may_not_open_the_suspense_queue(client_for: object) -> None:
    response = client_for(factories.user(Role.AUDITOR)).get("/suspense/")

    assert response.status_code == 403


@pytest.mark.django_db
def test_the_navigation_shows_suspense_and_approvals_only_to_roles_that_may_use_them(client_for: object) -> None:
    pages = {
        role: client_for(factories.user(role)).get("/search/").content.decode()
        for role in (Role.TECHNICIAN, Role.OFFICER_2, Role.AUDITOR)
    }

    assert 'href="/suspense/"' in pages[Role.TECHNICIAN] and 'href="/approvals/"' not in pages[Role.TECHNICIAN]
    assert 'href="/suspense/"' in pages[Role.OFFICER_2] and 'href="/approvals/"' in pages[Role.OFFICER_2]
    assert 'href="/suspense/"' not in pages[Role.AUDITOR] and 'href="/approvals/"' not in pages[Role.AUDITOR]


@pytest.mark.django_db
def test_a_technician_cannot_reverse_a_collection(officer: object, technician: object, client_for: object) -> None:
    case = owing_400_current_and_300_arrears(officer)
    collection = Collection.objects.get(case=case)
    client = client_for(technician)

    shown = client.get(f"/collections/{collection.pk}/")
    refused = client.post(
        f"/collections/{collection.pk}/reverse/",
        {"why": "Insufficient funds (NSF)", "reversed_on": "2026-01-20", "confirm": "yes"},
    )

    assert shown.status_code == 200
    assert "Reverse this collection" not in shown.content.decode()
    assert refused.status_code == 403
    assert Collection.objects.get(pk=collection.pk).status == CollectionStatus.POSTED


@pytest.mark.django_db
def test_a_reversal_needs_a_reason(officer: object, client_for: object) -> None:
    case = owing_400_current_and_300_arrears(officer)
    collection = Collection.objects.get(case=case)

    response = client_for(officer).post(f"/collections/{collection.pk}/reverse/", {"why": "", "confirm": "yes"})

    assert response.status_code == 400
    assert 'id="id_why-error"' in response.content.decode()
    assert Collection.objects.get(pk=collection.pk).status == CollectionStatus.POSTED


@pytest.mark.django_db
def test_a_reversal_is_confirmed_first_then_the_page_shows_the_reversal_entries(
    officer: object, client_for: object
) -> None:
    case = owing_400_current_and_300_arrears(officer)
    collection = Collection.objects.get(case=case)
    client = client_for(officer)
    reason = {"why": "Insufficient funds (NSF)", "details": "Bank return R01", "reversed_on": "2026-01-20"}

    confirm = client.post(f"/collections/{collection.pk}/reverse/", reason)
    untouched = Collection.objects.get(pk=collection.pk).status
    response = client.post(f"/collections/{collection.pk}/reverse/", {**reason, "confirm": "yes"}, follow=True)

    page = text_of(response.content)
    assert confirm.status_code == 200 and "Confirm the reversal" in confirm.content.decode()
    assert untouched == CollectionStatus.POSTED
    assert response.redirect_chain == [(f"/collections/{collection.pk}/", 302)]
    assert "Reversed" in page
    # The 100.00 paid January's current support; the reversal puts it back as a debt (+100.00).
    assert "Current support (this month) 100.00 Insufficient funds (NSF): Bank return R01" in page
    assert "Family -100.00" in page
    assert LedgerEntry.objects.filter(collection=collection, kind="reversal").count() == 1
    assert sum(row.amount for row in CollectionShare.objects.filter(collection=collection)) == Decimal("0.00")
    assert verify_ledger() == []


@pytest.mark.django_db
def test_a_reversal_is_dated_the_day_the_bank_returned_the_payment_and_never_before_it_was_received(
    officer: object, client_for: object
) -> None:
    case = owing_400_current_and_300_arrears(officer)
    collection = Collection.objects.get(case=case)
    client = client_for(officer)

    too_early = client.post(
        f"/collections/{collection.pk}/reverse/",
        {"why": "Posting error", "reversed_on": "2026-01-14", "confirm": "yes"},
    )
    client.post(
        f"/collections/{collection.pk}/reverse/",
        {"why": "Posting error", "reversed_on": "2026-01-20", "confirm": "yes"},
    )

    assert too_early.status_code == 400 and "cannot be before the payment was received" in too_early.content.decode()
    dates = set(
        LedgerEntry.objects.filter(collection=collection, kind="reversal").values_list("effective_on", flat=True)
    )
    assert dates == {date(2026, 1, 20)}  # the business date, whatever day the test runs


@pytest.mark.django_db
def test_a_reversed_collection_cannot_be_reversed_again(officer: object, client_for: object) -> None:
    case = owing_400_current_and_300_arrears(officer)
    collection = Collection.objects.get(case=case)
    client = client_for(officer)
    reason = {"why": "Posting error", "reversed_on": "2026-01-15", "confirm": "yes"}
    client.post(f"/collections/{collection.pk}/reverse/", reason)

    again = client.post(f"/collections/{collection.pk}/reverse/", reason)

    assert again.status_code == 409
    assert "Only a posted collection can be reversed" in again.content.decode()
    assert LedgerEntry.objects.filter(collection=collection, kind="reversal").count() == 1


@pytest.mark.django_db
def test_record_assistance_keeps_the_iv_a_assistance_group(officer: object) -> None:
    case, _ = case_with_order(officer, program="current_assistance")

    period = record_assistance(
        actor=officer,
        case=case,
        starts_on=date(2026, 1, 1),
        grant_monthly=Decimal("236.00"),
        assistance_group=" TANF-0042917 ",
    )

    assert AssistancePeriod.objects.get(pk=period.pk).assistance_group == "TANF-0042917"


@pytest.mark.django_db
def test_an_officer_records_a_period_of_assistance_and_the_finance_tab_shows_it(
    officer: object, client_for: object
) -> None:
    case, _ = case_with_order(officer, program="current_assistance")
    form = {"starts_on": "2026-01-01", "ends_on": "", "grant_monthly": "236.00", "assistance_group": "TANF-0042917"}

    response = client_for(officer).post(f"/cases/{case.number}/assistance/new/", form, follow=True)

    page = text_of(response.content)
    assert response.redirect_chain == [(f"/cases/{case.number}/finance/", 302)]
    assert "01/01/2026 open 236.00 TANF-0042917" in page
    assert AssistancePeriod.objects.get(case=case).grant_monthly == Decimal("236.00")


@pytest.mark.django_db
def test_an_assistance_period_that_ends_before_it_starts_is_refused_beside_the_field(
    officer: object, client_for: object
) -> None:
    case, _ = case_with_order(officer)
    form = {"starts_on": "2026-03-01", "ends_on": "2026-02-01", "grant_monthly": "-1", "assistance_group": ""}

    response = client_for(officer).post(f"/cases/{case.number}/assistance/new/", form)

    assert response.status_code == 400
    assert 'id="id_grant_monthly-error"' in response.content.decode()
    fixed = client_for(officer).post(f"/cases/{case.number}/assistance/new/", {**form, "grant_monthly": "100.00"})
    assert fixed.status_code == 400
    assert 'id="id_ends_on-error">cannot be before the start' in fixed.content.decode()
    assert not AssistancePeriod.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_a_technician_may_not_record_assistance(officer: object, technician: object, client_for: object) -> None:
    case, _ = case_with_order(officer)

    response = client_for(technician).get(f"/cases/{case.number}/assistance/new/")

    assert response.status_code == 403


@pytest.mark.django_db
def test_a_date_the_law_has_no_rule_for_is_refused_beside_the_date_of_collection(
    officer: object, client_for: object
) -> None:
    case, _ = case_with_order(officer)
    client = client_for(officer)

    before_rules = client.post(
        f"/cases/{case.number}/collections/new/", {**PAYMENT, "collected_on": "1990-01-01", "received_on": "1990-01-02"}
    )
    year_one = client.post(
        f"/cases/{case.number}/collections/new/", {**PAYMENT, "collected_on": "0001-01-01", "received_on": "0001-01-01"}
    )

    assert before_rules.status_code == 400
    assert re.search(r'id="id_collected_on-error">is before the earliest version of', before_rules.content.decode())
    assert year_one.status_code == 400
    assert 'id="id_collected_on-error">must be between 01/01/1975 and 12/31/2199' in year_one.content.decode()
    assert not Collection.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_identifying_a_payment_twice_says_it_is_no_longer_in_suspense(officer: object, client_for: object) -> None:
    case, _ = case_with_order(officer)
    waiting = _suspended("80.00", date(2026, 2, 9))
    client = client_for(officer)
    client.post(f"/suspense/{waiting.pk}/identify/", {"case_number": case.number}, **HTMX)

    again = client.post(f"/suspense/{waiting.pk}/identify/", {"case_number": case.number}, **HTMX)

    assert again.status_code == 409
    assert "already identified and is no longer in suspense" in again.content.decode()
    assert CollectionShare.objects.filter(collection=waiting).count() == 1
