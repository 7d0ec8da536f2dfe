"""Referring a party of a case to an outside resource, and recording what came of it. Each service checks
the actor's permission on the case, runs in one transaction and writes an audit row."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from opencse.cases.models import Case
from opencse.common.validation import future_dates
from opencse.errors import InvalidInput, InvalidInputs
from opencse.people.models import Person
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require
from opencse.work.referrals.models import Outcome, Referral
from opencse.work.referrals.resources import resource as resource_named


@transaction.atomic
def refer(*, actor: User, case: Case, person: Person, resource_key: str, referred_on: date, note: str = "") -> Referral:
    require(actor, "referrals.manage", case)
    errors: list[InvalidInput] = []
    try:
        chosen = resource_named(resource_key)
    except InvalidInput as error:
        errors.append(error)
    if not case.members.filter(person=person).exists():
        errors.append(InvalidInput("is not a member of the case", field="person"))
    errors += future_dates(referred_on=referred_on)
    if errors:
        raise InvalidInputs(errors)
    referral = Referral.objects.create(
        case=case,
        person=person,
        resource_key=chosen.key,
        resource_name=chosen.name,
        resource_kind=chosen.kind,
        referred_on=referred_on,
        note=note.strip()[:500],
        referred_by=actor,
    )
    record_audit(
        actor=actor,
        action="referral.made",
        target=referral,
        case_number=case.number,
        summary=chosen.name[:300],
        after={"resource": chosen.key, "referred_on": str(referred_on)},
    )
    return referral


@transaction.atomic
def record_outcome(*, actor: User, referral: Referral, outcome: str, outcome_on: date) -> Referral:
    """What came of the referral, on a date. A later outcome may follow an earlier one (enrolled, then
    completed), never dated before it; the audit row keeps the previous one."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    require(actor, "referrals.manage", referral.case)
    errors: list[InvalidInput] = []
    if outcome not in Outcome.values:
        errors.append(InvalidInput("choose an outcome", field="outcome"))
    errors += future_dates(outcome_on=outcome_on)
    earliest = referral.outcome_on or referral.referred_on
    if outcome_on < earliest:
        errors.append(InvalidInput(f"cannot be before {earliest:%m/%d/%Y}", field="outcome_on"))
    if errors:
        raise InvalidInputs(errors)
    before = {"outcome": referral.outcome, "outcome_on": str(referral.outcome_on or "")}
    referral.outcome, referral.outcome_on, referral.outcome_by = outcome, outcome_on, actor
    referral.save(update_fields=["outcome", "outcome_on", "outcome_by"])
    record_audit(
        actor=actor,
        action="referral.outcome",
        target=referral,
        case_number=referral.case.number,
        summary=f"{referral.resource_name}: {Outcome(outcome).label}"[:300],
        before=before,
        after={"outcome": outcome, "outcome_on": str(outcome_on)},
    )
    return referral
