"""Order selectors: the preview of a draft order's obligations and what a modification changed.

Expected charges and conversions are the worked examples of docs/rules/schedules.md: a monthly
charge falls due on the start's day of the month (the month's last day when shorter); a step applies
from the first due date on or after it; monthly equivalent = amount x periods a year / 12, half up.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from opencse.cases.models import Case, CaseMember
from opencse.cases.services import add_member
from opencse.errors import InvalidInputs, NotFound
from opencse.ledger.modifications import enter_modification
from opencse.orders.models import Order, OrderStatus
from opencse.orders.selectors import (
    birthday_on,
    compare_orders,
    obligations_preview,
    order_comparisons,
    order_for_viewer,
    order_parties,
)
from opencse.orders.services import TermInput, check_order_terms, enter_order
from opencse.people.models import Person
from opencse.security.models import User
from opencse.security.roles import Role
from tests import factories

TODAY = date(2026, 11, 23)
ENTERED_ON = TODAY  # the business day a modification is recorded


@pytest.fixture
def family(db: None) -> tuple[User, Case, CaseMember, CaseMember]:
    officer = factories.user(Role.OFFICER_1, username="orders-officer")
    case, _, child, obligor = factories.family(officer)
    return officer, case, child, obligor


def term(obligor: Person, *steps: tuple[date, str], **fields: object) -> TermInput:
    values: dict[str, object] = {"kind": "current_support", "frequency": "monthly", "starts_on": steps[0][0]}
    values.update(fields)
    return TermInput(obligor=obligor, steps=[(on, Decimal(amount)) for on, amount in steps], **values)  # type: ignore[arg-type]  # test shorthand


def order(officer: User, case: Case, terms: list[TermInput], effective_on: date, **fields: object) -> Order:
    values: dict[str, object] = {
        "tribunal_kind": "court",
        "tribunal_name": "Hinds County Chancery Court",
        "issuing_jurisdiction": "MS",
        "docket_number": f"CS-{effective_on:%Y%m%d}",
        "signed_on": effective_on,
    }
    values.update(fields)
    if "modifies" in fields:  # the ledger's use case (nothing accrued here: no adjustment)
        return enter_modification(
            actor=officer, case=case, effective_on=effective_on, terms=terms, entered_on=ENTERED_ON, **values
        )  # type: ignore[arg-type]  # test shorthand
    return enter_order(actor=officer, case=case, effective_on=effective_on, terms=terms, **values)  # type: ignore[arg-type]  # test shorthand


# --- Preview -------------------------------------------------------------------------------------


def test_a_400_monthly_term_from_january_15_is_charged_400_on_the_15th_for_twelve_months(family: tuple) -> None:
    _, _, _, obligor = family

    preview = obligations_preview(
        terms=[term(obligor.person, (date(2026, 1, 15), "400.00"))], effective_on=date(2026, 1, 15), today=TODAY
    )

    charges = preview.terms[0].charges
    assert [c.due_on for c in charges] == [date(2026, month, 15) for month in range(1, 13)]
    assert {c.amount for c in charges} == {Decimal("400.00")}
    assert preview.terms[0].window_total == Decimal("4800.00")
    assert preview.monthly_total == Decimal("400.00")
    assert preview.terms[0].due_by_today == (11, Decimal("4400.00"))  # Jan 15 .. Nov 15 are due on Nov 23


def test_a_term_starting_january_31_falls_due_on_each_months_last_day_when_shorter(family: tuple) -> None:
    _, _, _, obligor = family

    preview = obligations_preview(
        terms=[term(obligor.person, (date(2026, 1, 31), "400.00"))], effective_on=date(2026, 1, 31), today=TODAY
    )

    assert [c.due_on for c in preview.terms[0].charges[:4]] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


@pytest.mark.parametrize(
    ("frequency", "amount", "monthly"),
    [
        ("weekly", "100.00", "433.33"),  # 100 x 52 / 12 = 433.333...
        ("biweekly", "243.69", "528.00"),  # 243.69 x 26 / 12 = 527.995 -> 528.00 (docs example, back again)
        ("semimonthly", "264.00", "528.00"),
        ("annual", "6336.00", "528.00"),
    ],
)
def test_the_monthly_equivalent_annualises_and_divides_rounding_half_up(
    family: tuple, frequency: str, amount: str, monthly: str
) -> None:
    _, _, _, obligor = family

    preview = obligations_preview(
        terms=[term(obligor.person, (date(2026, 1, 1), amount), frequency=frequency)],
        effective_on=date(2026, 1, 1),
        today=TODAY,
    )

    assert preview.monthly_total == Decimal(monthly)
    assert preview.terms[0].monthly_by_step == ((date(2026, 1, 1), Decimal(amount), Decimal(monthly)),)


def test_a_step_on_july_18_applies_from_the_august_charge(family: tuple) -> None:
    _, _, _, obligor = family

    preview = obligations_preview(
        terms=[term(obligor.person, (date(2026, 1, 1), "400.00"), (date(2026, 7, 18), "450.00"))],
        effective_on=date(2026, 1, 1),
        today=TODAY,
    )

    amounts = {c.due_on: c.amount for c in preview.terms[0].charges}
    assert amounts[date(2026, 7, 1)] == Decimal("400.00")
    assert amounts[date(2026, 8, 1)] == Decimal("450.00")
    assert preview.terms[0].window_total == Decimal("400.00") * 7 + Decimal("450.00") * 5


def test_the_monthly_total_counts_payments_on_arrears_but_not_medical_insurance_or_one_time_amounts(
    family: tuple,
) -> None:
    _, _, _, obligor = family
    on = date(2026, 2, 1)

    preview = obligations_preview(
        terms=[
            term(obligor.person, (on, "300.00")),
            term(obligor.person, (on, "50.00"), kind="arrears_payment"),
            term(obligor.person, (on, "120.00"), kind="medical_insurance"),
            term(obligor.person, (on, "450.00"), kind="genetic_test_fee", frequency="one_time"),
        ],
        effective_on=on,
        today=TODAY,
    )

    assert preview.monthly_total == Decimal("350.00")
    assert [p.accrues for p in preview.terms] == [True, False, False, True]
    assert [len(p.charges) for p in preview.terms] == [12, 12, 12, 1]
    assert preview.terms[3].monthly_by_step == ((on, Decimal("450.00"), None),)


def test_a_term_starting_after_the_effective_date_is_not_in_the_total_on_that_date(family: tuple) -> None:
    _, _, _, obligor = family

    preview = obligations_preview(
        terms=[term(obligor.person, (date(2026, 1, 1), "300.00")), term(obligor.person, (date(2026, 9, 1), "80.00"))],
        effective_on=date(2026, 1, 1),
        today=TODAY,
    )

    assert preview.monthly_total == Decimal("300.00")


def test_every_refused_term_is_named_with_its_position_and_field(family: tuple) -> None:
    _, _, _, obligor = family

    with pytest.raises(InvalidInputs) as refused:
        obligations_preview(
            terms=[
                term(obligor.person, (date(2026, 3, 1), "300.00"), ends_on=date(2026, 2, 1)),
                term(obligor.person, (date(2026, 3, 1), "100.00"), (date(2026, 2, 1), "120.00")),
                term(obligor.person, (date(2026, 3, 1), "-5.00")),
            ],
            effective_on=date(2026, 3, 1),
            today=TODAY,
        )

    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("terms[0].ends_on", "must not be before starts_on"),
        ("terms[1].steps[1].starts_on", "steps must be in strictly increasing date order"),
        ("terms[2].steps[0].amount", "must not be negative"),
    ]


def test_a_start_or_step_in_year_9999_is_refused_by_name_not_overflowed(family: tuple) -> None:
    _, _, _, obligor = family

    with pytest.raises(InvalidInputs) as refused:
        obligations_preview(
            terms=[
                term(obligor.person, (date(9999, 6, 1), "300.00")),
                term(obligor.person, (date(2026, 1, 1), "300.00"), (date(9999, 12, 1), "350.00")),
            ],
            effective_on=date(2026, 1, 1),
            today=TODAY,
        )

    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("terms[0].starts_on", "must be before 2200"),
        ("terms[1].steps[1].starts_on", "must be before 2200"),
    ]


def test_check_order_terms_reports_every_term_the_service_would_refuse_and_writes_nothing(family: tuple) -> None:
    officer, case, _, obligor = family
    stranger = factories.person(officer, first_name="Lee", last_name="Stranger")

    with pytest.raises(InvalidInputs) as refused:
        check_order_terms(
            actor=officer,
            case=case,
            terms=[
                term(
                    obligor.person,
                    (date(2026, 3, 1), "300.00"),
                    (date(2026, 9, 1), "320.00"),
                    ends_on=date(2026, 6, 30),
                ),
                term(stranger, (date(2026, 3, 1), "100.00")),
                term(obligor.person, (date(2026, 3, 1), "100.00"), child=obligor.person),
            ],
        )

    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("terms[0].steps", "an amount change falls after the term ends"),
        ("terms[1].obligor", "the obligor must be a parent on this case"),
        ("terms[2].child", "the child must be a dependent child on this case"),
    ]
    assert not Order.objects.exists()


def test_check_order_terms_refuses_a_role_that_may_not_enter_orders(family: tuple) -> None:
    _, case, _, obligor = family
    from opencse.errors import NotAuthorized

    with pytest.raises(NotAuthorized):
        check_order_terms(
            actor=factories.user(Role.AUDITOR), case=case, terms=[term(obligor.person, (date(2026, 3, 1), "1.00"))]
        )


# --- Parties and dates -----------------------------------------------------------------------------


def test_the_one_noncustodial_parent_is_the_default_obligor(family: tuple) -> None:
    _, case, child, obligor = family

    parties = order_parties(case=case)

    assert parties.default_obligor == obligor.person
    assert [m.person for m in parties.children] == [child.person]
    assert {m.role for m in parties.obligors} == {"custodial_party", "noncustodial_parent"}


def test_with_two_noncustodial_parents_no_obligor_is_preselected(family: tuple) -> None:
    officer, case, _, _ = family
    add_member(actor=officer, case=case, person=factories.person(officer, first_name="Ray"), role="noncustodial_parent")

    assert order_parties(case=case).default_obligor is None


def test_a_february_29_birthday_falls_on_february_28_in_a_common_year() -> None:
    leapling = Person(first_name="Ada", last_name="Leap", date_of_birth=date(2012, 2, 29))

    assert birthday_on(leapling, 18) == date(2030, 2, 28)
    assert birthday_on(leapling, 12) == date(2024, 2, 29)
    assert birthday_on(Person(first_name="No", last_name="Birth"), 18) is None


def test_an_order_is_found_only_by_viewers_of_its_case_and_under_its_own_case_number(family: tuple) -> None:
    officer, case, _, obligor = family
    entered = order(officer, case, [term(obligor.person, (date(2026, 1, 1), "300.00"))], date(2026, 1, 1))

    assert order_for_viewer(viewer=officer, order_id=entered.pk, case_number=case.number) == entered
    with pytest.raises(NotFound):
        order_for_viewer(viewer=factories.user(Role.OFFICER_1, office_code="HAR"), order_id=entered.pk)
    with pytest.raises(NotFound):
        order_for_viewer(viewer=officer, order_id=entered.pk, case_number="MS000000000")
    with pytest.raises(NotFound):
        order_for_viewer(viewer=factories.user(Role.ADMINISTRATOR), order_id=entered.pk)


# --- What changed --------------------------------------------------------------------------------


def test_a_modification_is_compared_term_by_term_with_added_and_ended_terms(family: tuple) -> None:
    officer, case, child, obligor = family
    old = order(
        officer,
        case,
        [
            term(obligor.person, (date(2026, 1, 1), "400.00"), child=child.person),
            term(obligor.person, (date(2026, 1, 1), "50.00"), kind="arrears_payment"),
        ],
        date(2026, 1, 1),
    )
    new = order(
        officer,
        case,
        [
            term(obligor.person, (date(2026, 7, 1), "450.00"), child=child.person),
            term(obligor.person, (date(2026, 7, 1), "100.00"), kind="child_care"),
        ],
        date(2026, 7, 1),
        modifies=old,
    )

    comparison = compare_orders(old=old, new=new)

    summary = [
        (c.status, c.kind_label, c.old.amount if c.old else None, c.new.amount if c.new else None, c.monthly_difference)
        for c in comparison.terms
    ]
    assert summary == [
        ("changed", "Current child support", Decimal("400.00"), Decimal("450.00"), Decimal("50.00")),
        ("added", "Child care", None, Decimal("100.00"), Decimal("100.00")),
        ("ended", "Periodic payment on arrears", Decimal("50.00"), None, Decimal("-50.00")),
    ]
    assert comparison.terms[0].changed == ("amount",)
    assert comparison.old_on == date(2026, 6, 30)
    assert comparison.terms[0].old is not None
    assert comparison.terms[0].old.term.ends_on == date(2026, 6, 30)
    assert (comparison.old_monthly_total, comparison.new_monthly_total) == (Decimal("450.00"), Decimal("550.00"))
    assert comparison.monthly_difference == Decimal("100.00")


def test_the_old_amount_is_the_one_in_force_on_the_old_orders_last_day(family: tuple) -> None:
    officer, case, child, obligor = family
    old = order(
        officer,
        case,
        [term(obligor.person, (date(2026, 1, 1), "400.00"), (date(2026, 4, 1), "420.00"), child=child.person)],
        date(2026, 1, 1),
    )
    new = order(
        officer,
        case,
        [term(obligor.person, (date(2026, 7, 1), "420.00"), child=child.person)],
        date(2026, 7, 1),
        modifies=old,
    )

    change = compare_orders(old=old, new=new).terms[0]

    assert change.status == "unchanged"
    assert change.old is not None
    assert (change.old.reference_on, change.old.amount) == (date(2026, 6, 30), Decimal("420.00"))
    assert change.monthly_difference == Decimal("0.00")


def test_a_weekly_term_replaced_by_a_monthly_one_changes_frequency_and_compares_monthly_equivalents(
    family: tuple,
) -> None:
    officer, case, _, obligor = family
    old = order(
        officer, case, [term(obligor.person, (date(2026, 1, 2), "100.00"), frequency="weekly")], date(2026, 1, 2)
    )
    new = order(officer, case, [term(obligor.person, (date(2026, 7, 1), "450.00"))], date(2026, 7, 1), modifies=old)

    change = compare_orders(old=old, new=new).terms[0]

    assert change.changed == ("frequency", "amount")
    assert change.old is not None
    assert change.old.monthly == Decimal("433.33")
    assert change.monthly_difference == Decimal("16.67")


def test_a_restated_age_12_step_with_a_new_amount_is_a_change_in_later_steps(family: tuple) -> None:
    officer, case, child, obligor = family
    old = order(
        officer,
        case,
        [term(obligor.person, (date(2026, 1, 1), "400.00"), (date(2030, 2, 3), "450.00"), child=child.person)],
        date(2026, 1, 1),
    )
    new = order(
        officer,
        case,
        [term(obligor.person, (date(2026, 7, 1), "400.00"), (date(2030, 2, 3), "500.00"), child=child.person)],
        date(2026, 7, 1),
        modifies=old,
    )

    change = compare_orders(old=old, new=new).terms[0]

    assert change.changed == ("later steps",)
    assert change.old is not None and change.new is not None
    assert change.old.later_steps == ((date(2030, 2, 3), Decimal("450.00")),)
    assert change.new.later_steps == ((date(2030, 2, 3), Decimal("500.00")),)


def test_both_orders_show_the_same_comparison_and_an_unmodified_order_none(family: tuple) -> None:
    officer, case, _, obligor = family
    old = order(officer, case, [term(obligor.person, (date(2026, 1, 1), "300.00"))], date(2026, 1, 1))
    assert order_comparisons(order=old) == []
    new = order(officer, case, [term(obligor.person, (date(2026, 7, 1), "350.00"))], date(2026, 7, 1), modifies=old)
    old.refresh_from_db()

    from_old = order_comparisons(order=old)
    from_new = order_comparisons(order=new)

    assert old.status == OrderStatus.MODIFIED
    assert [(c.old.pk, c.new.pk, c.monthly_difference) for c in from_old] == [(old.pk, new.pk, Decimal("50.00"))]
    assert [(c.old.pk, c.new.pk, c.monthly_difference) for c in from_new] == [(old.pk, new.pk, Decimal("50.00"))]
