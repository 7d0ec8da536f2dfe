"""Retroactive modifications: a modification effective on a day the ledger already accrued (docs/ledger.md,
"Retroactive modifications"). The expected figures are the orders' own arithmetic: a monthly term of
$400 from January 1 charges $400 on the 1st of each month (docs/rules/schedules.md); a modification to
$300 effective March 1 charges $300 from March on, so each of March to June owes $100 less.

The modification is entered today (the machine's date, after June 2026), so entering it also brings the
case current, as posting a collection does: the new order charges July to today's month as usual.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from opencse.cases.models import Case
from opencse.common.money import MoneySum
from opencse.errors import Conflict
from opencse.ledger.accrual import accrue, month_end, roll_over
from opencse.ledger.models import CURRENT_SUPPORT, EntryKind, LedgerEntry
from opencse.ledger.modifications import enter_modification
from opencse.ledger.retroactive import ACTION, modification_overpayments
from opencse.ledger.selectors import balances
from opencse.ledger.services import post_collection, record_assistance
from opencse.ledger.verify import verify_ledger
from opencse.orders.models import Order
from opencse.orders.services import TermInput, enter_order
from opencse.security.models import AuditEvent, User
from tests.ledger.helpers import case_with_order

JANUARY = date(2026, 1, 1)
MARCH = date(2026, 3, 1)
MARCH_TO_JUNE = [date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31), date(2026, 6, 30)]


ENTERED_ON = date(2026, 12, 4)  # the business day these cases enter the modification (after June 2026)


def today() -> date:
    """The day the modification is entered: a business date, so the cases read the same whatever the clock says."""
    return ENTERED_ON


def months_from(first: date, through: date) -> int:
    """Monthly charges due on the 1st from `first` through `through`."""
    return (through.year - first.year) * 12 + through.month - first.month + 1


def modify(officer: User, case: Case, old: Order, amount: str, effective_on: date = MARCH) -> Order:
    obligor = old.terms.get().obligor
    return enter_modification(
        actor=officer,
        case=case,
        tribunal_kind="court",
        tribunal_name="Hinds County Chancery Court",
        issuing_jurisdiction="MS",
        docket_number=f"MOD-{case.number}-{effective_on:%Y%m}",
        signed_on=today(),
        filed_on=effective_on,
        effective_on=effective_on,
        modifies=old,
        entered_on=ENTERED_ON,
        terms=[
            TermInput(
                kind="current_support",
                frequency="monthly",
                starts_on=effective_on,
                obligor=obligor,
                steps=[(effective_on, Decimal(amount))],
            )
        ],
    )


def pay(officer: User, case: Case, amount: str, on: date) -> None:
    post_collection(
        actor=officer, case=case, amount=Decimal(amount), source="direct_payment", collected_on=on, received_on=on
    )


def total(entries: object) -> Decimal:
    return entries.aggregate(total=MoneySum("amount"))["total"] or Decimal("0.00")  # type: ignore[attr-defined]  # a queryset


def owed_for_month(case: Case, order: Order, ending: date) -> Decimal:
    """The month's charges on the ledger (less reversals) plus the modification's adjustment for it."""
    charges = LedgerEntry.objects.filter(
        case=case,
        account=CURRENT_SUPPORT,
        kind__in=[EntryKind.CHARGE, EntryKind.REVERSAL],
        effective_on__range=(ending.replace(day=1), ending),
    )
    adjustment = LedgerEntry.objects.filter(case=case, source_key=f"retro:{order.pk}:{ending:%Y-%m}")
    return total(charges) + total(adjustment)


def retro_by_account(order: Order) -> dict[str, Decimal]:
    rows = LedgerEntry.objects.filter(source_key__startswith=f"retro:{order.pk}:").values("account")
    return {row["account"]: row["total"] for row in rows.annotate(total=MoneySum("amount"))}


def case_accrued_through_june_with_payments(officer: User) -> tuple[Case, Order]:
    case, old = case_with_order(officer, monthly="400.00", starts_on=JANUARY)
    pay(officer, case, "400.00", date(2026, 1, 15))  # January paid in full
    pay(officer, case, "200.00", date(2026, 4, 10))  # half of April's current support
    accrue(through=date(2026, 6, 30))
    return case, old


# --- Downward -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reduction_to_300_from_march_makes_march_to_june_owe_300_each(officer: User) -> None:
    case, old = case_accrued_through_june_with_payments(officer)

    new = modify(officer, case, old, "300.00")

    assert [owed_for_month(case, new, ending) for ending in MARCH_TO_JUNE] == [Decimal("300.00")] * 4
    assert owed_for_month(case, new, date(2026, 2, 28)) == Decimal("400.00")


@pytest.mark.django_db
def test_a_reduction_takes_4_times_100_off_the_never_assigned_arrears_the_months_went_to(officer: User) -> None:
    case, old = case_accrued_through_june_with_payments(officer)

    new = modify(officer, case, old, "300.00")

    assert retro_by_account(new) == {"never_assigned": Decimal("-400.00")}
    adjustments = LedgerEntry.objects.filter(source_key__startswith=f"retro:{new.pk}:").order_by("effective_on")
    assert [(e.effective_on, e.amount, e.kind) for e in adjustments] == [
        (ending, Decimal("-100.00"), EntryKind.ADJUSTMENT) for ending in MARCH_TO_JUNE
    ]
    assert all(new.docket_number in e.memo for e in adjustments)
    assert verify_ledger() == []


@pytest.mark.django_db
def test_after_a_reduction_the_balances_are_the_new_orders_charges_less_the_payments(officer: User) -> None:
    case, old = case_accrued_through_june_with_payments(officer)

    modify(officer, case, old, "300.00")

    owed = balances(case=case, as_of=today())
    charged = Decimal("800.00") + Decimal("300.00") * months_from(MARCH, today())
    assert sum(owed.values()) == charged - Decimal("600.00")
    assert owed[CURRENT_SUPPORT] == Decimal("300.00")  # this month's support, due on the 1st, unpaid
    assert owed["never_assigned"] == charged - Decimal("600.00") - Decimal("300.00")
    assert all(balance >= 0 for balance in owed.values())


@pytest.mark.django_db
def test_the_old_order_stops_the_day_before_and_the_new_one_charges_no_closed_month(officer: User) -> None:
    case, old = case_accrued_through_june_with_payments(officer)

    new = modify(officer, case, old, "300.00")

    old_term, new_term = old.terms.get(), new.terms.get()
    assert old_term.ends_on == date(2026, 2, 28)
    first_charge = LedgerEntry.objects.filter(term=new_term).order_by("effective_on").first()
    assert first_charge is not None and first_charge.effective_on == date(2026, 7, 1)
    assert (
        not LedgerEntry.objects.filter(kind=EntryKind.CHARGE, term=old_term, effective_on__gte=MARCH)
        .filter(reversal__isnull=True, effective_on__gte=today().replace(day=1))
        .exists()
    )


# --- Upward ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_increase_to_500_from_march_adds_400_to_the_arrears(officer: User) -> None:
    case, old = case_accrued_through_june_with_payments(officer)

    new = modify(officer, case, old, "500.00")

    assert retro_by_account(new) == {"never_assigned": Decimal("400.00")}
    assert [owed_for_month(case, new, ending) for ending in MARCH_TO_JUNE] == [Decimal("500.00")] * 4
    charged = Decimal("800.00") + Decimal("500.00") * months_from(MARCH, today())
    assert sum(balances(case=case, as_of=today()).values()) == charged - Decimal("600.00")
    assert verify_ledger() == []


# --- Already paid: credit and overpayment ---------------------------------------------------------


@pytest.mark.django_db
def test_a_reduction_after_the_months_were_paid_in_full_is_credited_to_the_later_arrears(officer: User) -> None:
    case, old = case_with_order(officer, monthly="400.00", starts_on=JANUARY)
    for month in range(1, 7):
        pay(officer, case, "400.00", date(2026, month, 15))

    new = modify(officer, case, old, "300.00")

    # March to June were paid at 400: nothing of them is owed, so the 4 x 100 credit goes to the
    # arrears the new order left from July on, dated today.
    credit = LedgerEntry.objects.get(source_key=f"retro:{new.pk}:credit:never_assigned")
    assert (credit.amount, credit.effective_on) == (Decimal("-400.00"), today())
    owed = balances(case=case, as_of=today())
    assert sum(owed.values()) == Decimal("300.00") * months_from(date(2026, 7, 1), today()) - Decimal("400.00")
    assert modification_overpayments(case=case) == []
    assert verify_ledger() == []


@pytest.mark.django_db
def test_a_reduction_larger_than_everything_owed_is_an_overpayment_owed_back_to_the_obligor(officer: User) -> None:
    case, old = case_with_order(officer, monthly="400.00", starts_on=JANUARY)
    for month in range(1, today().month + 1):
        pay(officer, case, "400.00", date(2026, month, 15) if month < today().month else today())

    new = modify(officer, case, old, "300.00")

    # March to this month were paid at 400; this month is open, so its 400 charge is reversed.
    months = months_from(MARCH, today())
    owed = balances(case=case, as_of=today())
    assert all(balance == Decimal("0.00") for balance in owed.values())
    overpayments = modification_overpayments(case=case)
    assert [(o.order_id, o.amount) for o in overpayments] == [(new.pk, Decimal("100.00") * months)]
    reversed_charge = LedgerEntry.objects.get(source_key__startswith=f"retro:{new.pk}:reverse:")
    assert reversed_charge.kind == EntryKind.REVERSAL
    assert reversed_charge.amount == -Decimal("400.00")
    assert reversed_charge.effective_on == today().replace(day=1)
    assert verify_ledger() == []


# --- Assistance months keep their bucket ----------------------------------------------------------


@pytest.mark.django_db
def test_a_reduction_over_assistance_months_reduces_the_permanently_assigned_arrears_of_those_months(
    officer: User,
) -> None:
    case, old = case_with_order(officer, monthly="400.00", starts_on=JANUARY, program="former_assistance")
    record_assistance(
        actor=officer, case=case, starts_on=MARCH, ends_on=date(2026, 4, 30), grant_monthly=Decimal("500.00")
    )
    accrue(through=date(2026, 6, 30))
    for month in range(1, 7):
        roll_over(month_ending=month_end(date(2026, month, 1)))

    new = modify(officer, case, old, "300.00")

    by_month = {
        e.effective_on: (e.account, e.amount)
        for e in LedgerEntry.objects.filter(source_key__startswith=f"retro:{new.pk}:")
    }
    assert by_month == {
        date(2026, 3, 31): ("permanently_assigned", Decimal("-100.00")),
        date(2026, 4, 30): ("permanently_assigned", Decimal("-100.00")),
        date(2026, 5, 31): ("never_assigned", Decimal("-100.00")),
        date(2026, 6, 30): ("never_assigned", Decimal("-100.00")),
    }
    assert balances(case=case, as_of=today())["permanently_assigned"] == Decimal("600.00")
    assert verify_ledger() == []


# --- A modification of a modification, and one within this month ---------------------------------


@pytest.mark.django_db
def test_a_second_retroactive_modification_starts_from_what_the_first_one_said(officer: User) -> None:
    case, old = case_accrued_through_june_with_payments(officer)
    first = modify(officer, case, old, "300.00")

    second = modify(officer, case, first, "350.00", effective_on=date(2026, 5, 1))

    def owed(ending: date) -> Decimal:
        return owed_for_month(case, first, ending) + total(
            LedgerEntry.objects.filter(source_key=f"retro:{second.pk}:{ending:%Y-%m}")
        )

    assert [owed(ending) for ending in MARCH_TO_JUNE] == [Decimal(a) for a in ("300.00", "300.00", "350.00", "350.00")]
    charged = Decimal("800.00") + Decimal("600.00") + Decimal("350.00") * months_from(date(2026, 5, 1), today())
    assert sum(balances(case=case, as_of=today()).values()) == charged - Decimal("600.00")
    assert verify_ledger() == []


@pytest.mark.django_db
def test_a_modification_effective_this_month_reverses_this_months_old_charge(officer: User) -> None:
    case, old = case_with_order(officer, monthly="400.00", starts_on=JANUARY)
    this_month = today().replace(day=1)
    accrue(through=month_end(this_month))

    new = modify(officer, case, old, "300.00", effective_on=this_month)

    reversal = LedgerEntry.objects.get(source_key__startswith=f"retro:{new.pk}:reverse:")
    assert (reversal.kind, reversal.amount, reversal.effective_on) == (
        EntryKind.REVERSAL,
        -Decimal("400.00"),
        this_month,
    )
    assert reversal.reverses is not None and reversal.reverses.term_id == old.terms.get().pk
    assert balances(case=case, as_of=today())[CURRENT_SUPPORT] == Decimal("300.00")
    assert verify_ledger() == []


# --- Idempotent, audited --------------------------------------------------------------------------


@pytest.mark.django_db
def test_entering_the_modification_again_is_refused_and_posts_nothing(officer: User) -> None:
    case, old = case_accrued_through_june_with_payments(officer)
    modify(officer, case, old, "300.00")
    count = LedgerEntry.objects.filter(case=case).count()

    with pytest.raises(Conflict):
        modify(officer, case, old, "300.00")

    assert LedgerEntry.objects.filter(case=case).count() == count


@pytest.mark.django_db
def test_a_retroactive_modification_is_audited_with_its_period_and_net_change(officer: User) -> None:
    case, old = case_accrued_through_june_with_payments(officer)

    new = modify(officer, case, old, "300.00")

    event = AuditEvent.objects.get(action=ACTION, target_id=str(new.pk))
    assert event.case_number == case.number
    assert event.after["period_from"] == "2026-03-01"
    assert event.after["period_through"] == "2026-06-30"
    assert event.after["net_change"] == "-400.00"
    assert event.after["overpayment"] == "0.00"


@pytest.mark.django_db
def test_a_modification_that_is_not_retroactive_posts_no_adjustment(officer: User) -> None:
    case, old = case_with_order(officer, monthly="400.00", starts_on=JANUARY)
    accrue(through=date(2026, 2, 28))

    new = modify(officer, case, old, "300.00")

    assert retro_by_account(new) == {}
    assert not AuditEvent.objects.filter(action=ACTION).exists()


# --- Property -------------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("900"), places=2)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(
    old_amount=amounts.filter(lambda amount: amount > 0),
    new_amount=amounts,
    effective_month=st.integers(min_value=2, max_value=10),
    accrued_month=st.integers(min_value=0, max_value=10),
    payments=st.lists(st.tuples(st.integers(min_value=1, max_value=10), amounts.filter(lambda a: a > 0)), max_size=6),
    paid_in_full_through=st.integers(min_value=0, max_value=10),
    grant=st.one_of(st.none(), amounts),
)
def test_after_any_modification_what_is_owed_is_the_new_orders_charges_less_payments_plus_the_credit(
    officer: User,
    old_amount: Decimal,
    new_amount: Decimal,
    effective_month: int,
    accrued_month: int,
    payments: list[tuple[int, Decimal]],
    paid_in_full_through: int,
    grant: Decimal | None,
) -> None:
    case, old = case_with_order(officer, monthly=str(old_amount), starts_on=JANUARY)
    if grant is not None:
        record_assistance(actor=officer, case=case, starts_on=MARCH, ends_on=date(2026, 5, 31), grant_monthly=grant)
    # Months paid in full at the old amount leave nothing for a reduction to take: a credit.
    payments = payments + [(month, old_amount) for month in range(1, paid_in_full_through + 1)]
    for month, amount in sorted(payments):
        pay(officer, case, str(amount), date(2026, month, 15))
    accrue(through=month_end(date(2026, min(effective_month + accrued_month, 11), 1)))
    effective_on = date(2026, effective_month, 1)

    modify(officer, case, old, str(new_amount), effective_on=effective_on)

    charged = old_amount * (effective_month - 1) + new_amount * months_from(effective_on, today())
    paid = -total(LedgerEntry.objects.filter(case=case, kind=EntryKind.PAYMENT))
    overpaid = sum((o.amount for o in modification_overpayments(case=case)), Decimal("0.00"))
    owed = balances(case=case, as_of=month_end(today()))
    assert sum(owed.values()) == charged - paid + overpaid
    assert all(balance >= 0 for balance in owed.values())
    assert verify_ledger() == []


@pytest.mark.django_db
def test_the_finance_tab_shows_the_new_total_and_each_months_adjustment(officer: User, client_for: object) -> None:
    case, old = case_accrued_through_june_with_payments(officer)
    modify(officer, case, old, "300.00")

    response = client_for(officer).get(f"/cases/{case.number}/finance/")  # type: ignore[operator]  # fixture

    page = response.content.decode()
    assert response.status_code == 200
    owed = Decimal("800.00") + Decimal("300.00") * months_from(MARCH, today()) - Decimal("600.00")
    assert f"{owed:,.2f}</td>" in page
    for ending in MARCH_TO_JUNE:
        assert f"<td>{ending:%m/%d/%Y}</td><td>Adjustment</td><td>Never-assigned arrears</td>" in page


@pytest.mark.django_db
def test_the_orders_app_alone_refuses_a_modification_of_months_already_accrued(officer: User) -> None:
    """Entering such a modification re-posts the ledger: that is the ledger's use case (`enter_modification`)."""
    case, old = case_accrued_through_june_with_payments(officer)
    obligor = old.terms.get().obligor
    term = TermInput(
        kind="current_support", frequency="monthly", starts_on=MARCH, obligor=obligor, steps=[(MARCH, Decimal("300"))]
    )

    with pytest.raises(Conflict, match="enter the modification through the ledger"):
        enter_order(actor=officer, case=case, tribunal_kind="court", tribunal_name="Hinds County Chancery Court",
                    issuing_jurisdiction="MS", docket_number="MOD-1", signed_on=ENTERED_ON, effective_on=MARCH,
                    modifies=old, terms=[term])  # fmt: skip

    old.refresh_from_db()
    assert old.status == "active" and not LedgerEntry.objects.filter(source_key__startswith="retro:").exists()
