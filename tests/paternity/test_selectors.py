"""The inputs of the IV-D paternity establishment percentage (42 U.S.C. 652(g)) and the property that a child's
status is always its latest history row, whatever the officer records."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from opencse.errors import DomainError
from opencse.paternity.models import PaternityStatus
from opencse.paternity.selectors import current_status, establishment_percentage_inputs
from opencse.paternity.services import (
    finalize_acknowledgments,
    order_genetic_test,
    record_acknowledgment,
    record_determination,
    record_test_result,
    rescind_acknowledgment,
)
from opencse.security.models import User
from tests.paternity.conftest import PaternityCase, build_paternity_case

pytestmark = pytest.mark.django_db


def test_the_percentage_counts_children_born_out_of_wedlock_and_those_established_at_year_end(
    family: PaternityCase,
) -> None:
    # FY 2026 ends Sep 30, 2026 (42 U.S.C. 652(g)(2): the caseload "as of the end of the fiscal year").
    record_acknowledgment(actor=family.officer, case=family.case, child=family.child, father=family.father,
                          signed_on=date(2026, 3, 2), filed_on=date(2026, 3, 2))  # fmt: skip
    record_determination(actor=family.officer, case=family.case, child=family.sibling, father=family.father,
                         outcome="adjudicated", order_signed_on=date(2026, 10, 5), court="Hinds County")  # fmt: skip

    fy2026 = establishment_percentage_inputs(fiscal_year=2026)
    fy2027 = establishment_percentage_inputs(fiscal_year=2027)

    assert (fy2026.born_out_of_wedlock, fy2026.established_or_acknowledged) == (2, 1)
    assert fy2026.percentage == Decimal("50.00")
    assert (fy2027.born_out_of_wedlock, fy2027.established_or_acknowledged) == (2, 2)


def test_a_case_opened_after_the_year_end_is_not_in_that_years_caseload(family: PaternityCase) -> None:
    # The factory case opened Mar 4, 2026: it is not in the FY 2025 caseload (ended Sep 30, 2025).
    inputs = establishment_percentage_inputs(fiscal_year=2025)

    assert inputs.born_out_of_wedlock == 0 and inputs.percentage is None


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["acknowledge", "rescind", "finalize", "test", "adjudicate", "exclude"]),
        st.integers(min_value=0, max_value=120),
        st.decimals(min_value=0, max_value=100, places=2),
    ),
    min_size=1,
    max_size=6,
)


def _act(family: PaternityCase, action: str, day: int, probability: Decimal) -> None:
    on = date.fromordinal(date(2026, 3, 5).toordinal() + day)
    officer, case, child, father = family.officer, family.case, family.child, family.father
    if action == "acknowledge":
        record_acknowledgment(actor=officer, case=case, child=child, father=father, signed_on=on, filed_on=on)
    elif action == "rescind":
        for acknowledgment in case.acknowledgments.filter(status="in_effect"):
            rescind_acknowledgment(actor=officer, acknowledgment=acknowledgment, rescinded_on=on, signatory="mother")
    elif action == "finalize":
        finalize_acknowledgments(as_of=on)
    elif action == "test":
        test = order_genetic_test(actor=officer, case=case, child=child, father=father, ordered_on=on)
        record_test_result(actor=officer, test=test, lab="Lab", received_on=on, probability=probability,
                           combined_index=Decimal("150"))  # fmt: skip
    else:
        record_determination(actor=officer, case=case, child=child, father=father,
                             outcome="adjudicated" if action == "adjudicate" else "excluded", order_signed_on=on,
                             court="Hinds County")  # fmt: skip


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # fmt: skip
@given(actions=ACTIONS)
def test_the_status_is_always_the_latest_history_row_and_history_only_grows(
    db: None, actions: list[tuple[str, int, Decimal]]
) -> None:
    officer = User.objects.filter(username="paternity-officer").first()
    family = build_paternity_case(officer)
    seen: list[tuple[int, str]] = []

    for action, day, probability in actions:
        # A refused step (a rescission too late, a second acknowledgment) writes nothing.
        with contextlib.suppress(DomainError):
            _act(family, action, day, probability)
        rows = list(PaternityStatus.objects.filter(case=family.case, child=family.child).order_by("id"))
        current = current_status(case=family.case, child=family.child)
        assert current is not None and current.pk == rows[-1].pk
        assert [(row.pk, row.status) for row in rows[: len(seen)]] == seen  # earlier rows unchanged
        assert all(not row.established or row.status in ("acknowledged", "adjudicated") for row in rows)
        seen = [(row.pk, row.status) for row in rows]
