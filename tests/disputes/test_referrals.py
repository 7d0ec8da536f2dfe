"""Referrals to the agency's outside resources (resources.yaml) and their outcomes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from opencse.errors import InvalidInput, InvalidInputs, NotAuthorized
from opencse.security.models import AuditEvent, User
from opencse.security.roles import Role
from opencse.work.referrals.resources import resources
from opencse.work.referrals.services import record_outcome, refer
from tests import factories

REFERRED = date(2026, 4, 1)


def test_the_shipped_list_has_each_kind_of_resource() -> None:
    assert {resource.kind for resource in resources()} == {"employment", "fatherhood", "legal_aid", "other"}


def test_the_agency_may_point_at_its_own_list(settings: Any, tmp_path: Path) -> None:
    own = tmp_path / "resources.yaml"
    own.write_text("resources:\n  - {key: ged, name: GED classes, kind: other, phone: 601-555-0100, address: x}\n")
    settings.OPENCSE_RESOURCES_FILE = str(own)

    assert [(r.key, r.name, r.kind_label) for r in resources()] == [("ged", "GED classes", "Other")]


@pytest.mark.django_db
def test_a_referral_keeps_the_resource_as_it_was_and_its_outcomes_in_order(officer: User) -> None:
    case, _, _, obligor = factories.family(officer)

    referral = refer(actor=officer, case=case, person=obligor.person, resource_key="workforce_center",
                     referred_on=REFERRED, note="Lost his job in March")  # fmt: skip
    record_outcome(actor=officer, referral=referral, outcome="enrolled", outcome_on=REFERRED + timedelta(days=7))
    with pytest.raises(InvalidInputs) as refused:
        record_outcome(actor=officer, referral=referral, outcome="completed", outcome_on=REFERRED)
    done = record_outcome(actor=officer, referral=referral, outcome="completed", outcome_on=date(2026, 6, 30))

    assert (referral.resource_name, referral.resource_kind) == ("Example County Workforce Center", "employment")
    assert [e.field for e in refused.value.errors] == ["outcome_on"]
    assert (done.outcome, done.outcome_on) == ("completed", date(2026, 6, 30))
    outcomes = AuditEvent.objects.filter(action="referral.outcome").order_by("id")
    assert [(e.before["outcome"], e.after["outcome"]) for e in outcomes] == [
        ("", "enrolled"),
        ("enrolled", "completed"),
    ]


@pytest.mark.django_db
def test_refusals(officer: User) -> None:
    case, *_ = factories.family(officer)
    stranger = factories.person(officer, first_name="Nobody", last_name="Here")
    auditor = factories.user(Role.AUDITOR, username="auditor")

    with pytest.raises(InvalidInputs) as refused:
        refer(actor=officer, case=case, person=stranger, resource_key="nowhere",
              referred_on=timezone.localdate() + timedelta(days=1))  # fmt: skip
    with pytest.raises(NotAuthorized):
        refer(actor=auditor, case=case, person=stranger, resource_key="legal_aid", referred_on=REFERRED)

    assert {e.field for e in refused.value.errors} == {"resource", "person", "referred_on"}
    assert isinstance(refused.value.errors[0], InvalidInput)
