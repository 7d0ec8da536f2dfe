"""Properties of `opencse.rules.uifsa` (UIFSA sections 205, 207; 28 U.S.C. 1738B(f)).

The worked examples with cited sources are in cases/controlling_order.yaml; these tests check what
must hold for every set of orders: the answer never depends on the order in which the orders are
listed, the controlling order always comes from the branch the result names, a consent never takes
CEJ away, a modified order never controls, and bad input always ends as exit 2, never a traceback.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opencse.errors import InvalidInput
from opencse.rules.commands import EXIT_BAD_INPUT, EXIT_OK, execute
from opencse.rules.params import ParameterSet, parameters
from opencse.rules.uifsa import (
    Basis,
    ControllingOrderDetermination,
    Jurisdiction,
    JurisdictionKind,
    OfficerQuestion,
    Residences,
    SupportOrder,
    determine_controlling_order,
)

AS_OF = date(2026, 11, 23)
PLACES = ("WA", "MS", "OR", "TX", "tribe:puyallup_tribe", "country:DE")
ISSUER_FIELD = {"tribe:": "issuing_tribe", "country:": "issuing_country"}
# Few distinct dates, so that same-day orders (the unsettled tie) are drawn often.
DATES = tuple(date(2012, 1, 1) + timedelta(days=400 * step) for step in range(6))


def _issuer_fields(place: str) -> dict[str, str]:
    for prefix, key in ISSUER_FIELD.items():
        if place.startswith(prefix):
            return {key: place[len(prefix) :]}
    return {"issuing_state": place}


@st.composite
def payloads(draw: st.DrawFn) -> dict[str, Any]:
    """A valid controlling-order payload: 1-6 orders, some modified, some temporary, some consents."""
    count = draw(st.integers(min_value=1, max_value=6))
    orders: list[dict[str, Any]] = []
    for number in range(count):
        place = draw(st.sampled_from(PLACES))
        order: dict[str, Any] = {"id": f"O{number}", **_issuer_fields(place), "issued": draw(st.sampled_from(DATES))}
        if draw(st.booleans()) and draw(st.booleans()):
            order["temporary_ex_parte"] = True
        orders.append(order)
    for order in orders:
        later = [other["id"] for other in orders if other["issued"] > order["issued"]]
        if later and draw(st.integers(min_value=0, max_value=3)) == 0:
            order["modified_by"] = draw(st.sampled_from(later))
    issuers = sorted({_place_of(order) for order in orders})
    for order in orders:
        order["issued"] = order["issued"].isoformat()
    return {
        "as_of": AS_OF.isoformat(),
        "orders": orders,
        "residence": {
            "obligor": draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=2, unique=True)),
            "obligee": draw(st.one_of(st.none(), st.sampled_from(PLACES))),
            "children": draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=2, unique=True)),
        },
        "child_home_state": draw(st.one_of(st.none(), st.sampled_from(PLACES))),
        "consents": draw(st.lists(st.sampled_from(issuers), max_size=2, unique=True)),
    }


def _place_of(order: dict[str, Any]) -> str:
    if "issuing_tribe" in order:
        return f"tribe:{order['issuing_tribe']}"
    if "issuing_country" in order:
        return f"country:{order['issuing_country']}"
    return str(order["issuing_state"])


def _run(payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    code, document, _ = execute("controlling-order", json.loads(json.dumps(payload)), today=AS_OF)
    return code, document


@settings(max_examples=300, deadline=None)
@given(payload=payloads(), data=st.data())
def test_the_answer_does_not_depend_on_the_order_in_which_orders_are_listed(
    payload: dict[str, Any], data: st.DataObject
) -> None:
    shuffled = dict(payload, orders=data.draw(st.permutations(payload["orders"])))

    code, document = _run(payload)
    shuffled_code, shuffled_document = _run(shuffled)

    assert code == EXIT_OK, document
    assert shuffled_code == EXIT_OK, shuffled_document
    assert shuffled_document["result"] == document["result"]
    assert shuffled_document["explanation"] == document["explanation"]


@settings(max_examples=300, deadline=None)
@given(payload=payloads())
def test_the_controlling_order_always_comes_from_the_branch_the_result_names(payload: dict[str, Any]) -> None:
    code, document = _run(payload)

    result = document["result"]
    assert code == EXIT_OK, document
    weighed = [order for order in result["orders"] if order["considered"]]
    if result["basis"] == "only_order":
        assert len(weighed) == 1 and result["controlling_order"] == weighed[0]["id"]
    if result["basis"] in ("only_one_cej", "home_state", "most_recent"):
        assert result["controlling_order"] in result["cej"]
    if result["basis"] == "only_one_cej":
        assert len(result["cej"]) == 1
    if result["basis"] in ("new_order_required", "officer_decision_required"):
        assert result["controlling_order"] is None
    assert result["needs_officer_decision"] == (result["basis"] == "officer_decision_required")
    assert (result["basis"] == "new_order_required") == (len(weighed) > 1 and not result["cej"]) or (
        result["basis"] == "officer_decision_required"
    )


@settings(max_examples=200, deadline=None)
@given(payload=payloads())
def test_a_modified_order_never_controls_and_never_has_cej(payload: dict[str, Any]) -> None:
    modified = {order["id"] for order in payload["orders"] if "modified_by" in order}

    code, document = _run(payload)

    assert code == EXIT_OK, document
    assert document["result"]["controlling_order"] not in modified
    assert not modified & set(document["result"]["cej"])


@settings(max_examples=200, deadline=None)
@given(payload=payloads())
def test_a_consent_to_continue_never_takes_cej_away(payload: dict[str, Any]) -> None:
    every_issuer = sorted({_place_of(order) for order in payload["orders"]})
    with_all_consents = dict(payload, consents=every_issuer)

    _, document = _run(payload)
    _, consented = _run(with_all_consents)

    assert set(document["result"]["cej"]) <= set(consented["result"]["cej"])


def _mutations(payload: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    junk = st.one_of(st.none(), st.integers(), st.text(max_size=12), st.booleans(), st.just([]), st.just({}))

    def mutate(path_and_value: tuple[int, Any]) -> dict[str, Any]:
        which, value = path_and_value
        broken = json.loads(json.dumps(payload))
        targets: list[tuple[dict[str, Any], str]] = [(broken, key) for key in broken]
        targets += [(broken["residence"], key) for key in broken["residence"]]
        targets += [(order, key) for order in broken["orders"] for key in order]
        container, key = targets[which % len(targets)]
        container[key] = value
        return broken

    return st.tuples(st.integers(min_value=0, max_value=1000), junk).map(mutate)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), payload=payloads())
def test_bad_input_anywhere_exits_2_with_a_field_and_never_raises(payload: dict[str, Any], data: st.DataObject) -> None:
    broken = data.draw(_mutations(payload))

    code, document = _run(broken)

    assert code in (EXIT_OK, EXIT_BAD_INPUT), document
    if code == EXIT_BAD_INPUT:
        assert document["errors"] and all(error["field"] for error in document["errors"]), document


def test_a_decimal_number_where_a_code_belongs_is_bad_input() -> None:
    payload = {
        "orders": [{"id": "A", "issuing_state": Decimal("1.5"), "issued": "2015-01-01"}],
        "residence": {"obligor": "WA", "children": ["WA"]},
        "child_home_state": "WA",
    }

    code, document, _ = execute("controlling-order", payload, today=AS_OF)

    assert code == EXIT_BAD_INPUT
    assert document["errors"][0]["field"] == "orders[0].issuing_state"


def test_the_library_refuses_an_empty_list_of_orders() -> None:
    residences = Residences(obligor=(Jurisdiction(JurisdictionKind.STATE, "WA"),), obligee=(), children=())

    with pytest.raises(InvalidInput) as refused:
        determine_controlling_order(
            orders=[], residences=residences, child_home_state=None, consents=frozenset(), as_of=AS_OF
        )

    assert refused.value.field == "orders"


def test_no_individual_obligee_leaves_cej_to_the_obligor_and_child_only() -> None:
    washington = Jurisdiction(JurisdictionKind.STATE, "WA")
    mississippi = Jurisdiction(JurisdictionKind.STATE, "MS")
    orders = [
        SupportOrder(id="WA-2015", issued_by=washington, issued_on=date(2015, 1, 1)),
        SupportOrder(id="MS-2018", issued_by=mississippi, issued_on=date(2018, 1, 1)),
    ]
    residences = Residences(obligor=(washington,), obligee=(), children=(washington,))

    determination = determine_controlling_order(
        orders=orders, residences=residences, child_home_state=washington, consents=frozenset(), as_of=AS_OF
    )

    assert determination.basis is Basis.ONLY_ONE_CEJ
    assert determination.controlling_order == "WA-2015"
    assert determination.cej == ("WA-2015",)


def _with_choice(key: str, value: object) -> ParameterSet:
    """The section 207 choices of a State that set one of them differently (a dated parameter)."""
    return parameters("us/uifsa", AS_OF).with_value(key, value, reference="a State's election")


def _two_cej_orders(home: Jurisdiction | None, choices: ParameterSet | None = None) -> ControllingOrderDetermination:
    washington, mississippi = Jurisdiction(JurisdictionKind.STATE, "WA"), Jurisdiction(JurisdictionKind.STATE, "MS")
    orders = [
        SupportOrder(id="MS-2014", issued_by=mississippi, issued_on=date(2014, 2, 20)),
        SupportOrder(id="WA-2018", issued_by=washington, issued_on=date(2018, 11, 5)),
    ]
    residences = Residences(obligor=(washington,), obligee=(mississippi,), children=(mississippi,))
    return determine_controlling_order(
        orders=orders, residences=residences, child_home_state=home, consents=frozenset(), as_of=AS_OF, choices=choices
    )


def test_a_state_that_reads_no_home_state_as_no_home_state_order_gets_the_most_recent_order() -> None:
    determination = _two_cej_orders(home=None, choices=_with_choice("no_home_state", "most_recent"))

    assert determination.basis is Basis.MOST_RECENT
    assert determination.controlling_order == "WA-2018"
    assert not determination.needs_officer_decision


def test_a_state_that_reviews_competing_foreign_orders_gets_an_officer_question() -> None:
    germany, washington = Jurisdiction(JurisdictionKind.COUNTRY, "DE"), Jurisdiction(JurisdictionKind.STATE, "WA")
    orders = [
        SupportOrder(id="DE-2016", issued_by=germany, issued_on=date(2016, 1, 15)),
        SupportOrder(id="WA-2019", issued_by=washington, issued_on=date(2019, 3, 1)),
    ]
    residences = Residences(obligor=(washington,), obligee=(germany,), children=(germany,))

    determination = determine_controlling_order(
        orders=orders,
        residences=residences,
        child_home_state=germany,
        consents=frozenset(),
        as_of=AS_OF,
        choices=_with_choice("foreign_tribunal_cej", "officer_decision"),
    )

    assert determination.basis is Basis.OFFICER_DECISION_REQUIRED
    assert determination.officer_question is OfficerQuestion.FOREIGN_TRIBUNAL_CEJ
    assert determination.candidates == ("DE-2016", "WA-2019")
    assert determination.controlling_order is None


def test_a_state_that_does_not_count_temporary_orders_sets_them_aside() -> None:
    arizona, nevada = Jurisdiction(JurisdictionKind.STATE, "AZ"), Jurisdiction(JurisdictionKind.STATE, "NV")
    orders = [
        SupportOrder(id="AZ-2018", issued_by=arizona, issued_on=date(2018, 10, 1)),
        SupportOrder(id="NV-2020", issued_by=nevada, issued_on=date(2020, 2, 11), temporary_ex_parte=True),
    ]
    residences = Residences(obligor=(nevada,), obligee=(nevada,), children=(nevada,))

    determination = determine_controlling_order(
        orders=orders,
        residences=residences,
        child_home_state=nevada,
        consents=frozenset(),
        as_of=AS_OF,
        choices=_with_choice("temporary_order_counts_as_order", False),
    )

    assert determination.basis is Basis.ONLY_ORDER
    assert determination.controlling_order == "AZ-2018"
    assert determination.cej == ()
