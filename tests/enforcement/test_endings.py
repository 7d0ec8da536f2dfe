"""Every path that releases an enforcement action tells the remedy's outside party, through one place
(`enforcement.endings`): the reaction registered for the remedy receives each released action with why, and
never one withdrawn (a proposal or a notice never reached the outside party)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from opencse.enforcement import endings
from opencse.enforcement.actions import approve_action, release_action, take_action
from opencse.enforcement.models import ActionStatus, EnforcementAction
from opencse.enforcement.sweep import sweep
from opencse.errors import InvalidInputs
from opencse.security.roles import Role
from tests import factories
from tests.enforcement.test_agreements_and_release import JULY_1, _behind
from tests.enforcement.test_bankruptcy_and_ssi import _stay

pytestmark = pytest.mark.django_db
TAKEN = date(2026, 8, 3)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[dict[int, str], date]]:
    """What the credit bureau reporting reaction would be told (a remedy with no reaction of its own)."""
    calls: list[tuple[dict[int, str], date]] = []

    def reaction(reasons: dict[int, str], *, on: date, actor: Any) -> list[object]:
        calls.append((dict(reasons), on))
        return []

    monkeypatch.setitem(endings._reactions, "credit_bureau_reporting", reaction)
    return calls


def _taken(officer: Any, case: Any) -> EnforcementAction:
    sweep(as_of=JULY_1)
    action = EnforcementAction.objects.get(case=case, remedy="credit_bureau_reporting")
    approve_action(actor=factories.user(Role.SUPERVISOR, username="sup-endings"), action=action,
                   decided_on=date(2026, 7, 2), service_method="mail")  # fmt: skip
    return take_action(actor=officer, action=action, taken_on=TAKEN)


def test_the_officers_release_tells_the_remedy_with_the_reason(officer: Any, told: list[Any]) -> None:
    case = _behind(officer)
    action = _taken(officer, case)

    release_action(actor=officer, action=action, released_on=date(2026, 8, 20), reason=" Paid by the obligor ")

    assert told == [({action.pk: "Paid by the obligor"}, date(2026, 8, 20))]


def test_a_stay_tells_the_remedy_of_the_action_taken_and_not_of_those_withdrawn(officer: Any, told: list[Any]) -> None:
    case = _behind(officer)
    action = _taken(officer, case)

    _stay(officer, case, filed=date(2026, 8, 5), on=date(2026, 8, 6))

    assert EnforcementAction.objects.filter(case=case, status=ActionStatus.WITHDRAWN).exists()
    assert told == [({action.pk: "Stopped: a bankruptcy stay is in effect (11 U.S.C. 362)."}, date(2026, 8, 6))]


def test_no_reaction_is_called_when_nothing_of_its_remedy_was_released(officer: Any, told: list[Any]) -> None:
    case = _behind(officer)
    sweep(as_of=JULY_1)

    sweep(as_of=date(2026, 7, 2))

    assert told == []
    assert EnforcementAction.objects.filter(case=case, status=ActionStatus.PROPOSED).exists()


def test_a_release_refused_reports_every_error_at_once_and_tells_nobody(officer: Any, told: list[Any]) -> None:
    case = _behind(officer)
    action = _taken(officer, case)
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(InvalidInputs) as refused:
        release_action(actor=officer, action=action, released_on=tomorrow, reason=" ")

    assert {error.field for error in refused.value.errors} == {"released_on", "reason"}
    assert told == [] and EnforcementAction.objects.get(pk=action.pk).status == ActionStatus.TAKEN
