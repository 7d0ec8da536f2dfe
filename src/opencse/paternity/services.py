"""Establishing paternity: name alleged fathers, record and rescind voluntary acknowledgments, record a
challenge, establish acknowledgments past their rescission period (a batch), order genetic tests and record
their results, and enter the court's determination.

Every service checks the policy first, validates every field at once (`InvalidInputs`), runs in one
transaction, writes its audit row, and appends the child's new paternity status as a history row. The law
(the rescission period, the genetic-test threshold, the challenge grounds) is `opencse.rules.paternity`,
with the State's parameters (`settings.OPENCSE_STATE`). Dates are business dates the caller passes in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opencse.cases.models import Case, CaseMember, MemberRole
from opencse.cases.services import add_member, end_membership
from opencse.common.events import publish
from opencse.errors import Conflict, InvalidInput, InvalidInputs
from opencse.paternity.events import GeneticTestPresumed
from opencse.paternity.models import (
    Acknowledgment,
    AcknowledgmentStatus,
    AllegedFather,
    Challenge,
    Determination,
    Finding,
    GeneticTest,
    Outcome,
    PaternityStatus,
    Signatory,
    Status,
)
from opencse.paternity.selectors import active_alleged_fathers, current_status
from opencse.people.models import Person
from opencse.rules import paternity as rule
from opencse.security.audit import audit_event, record_audit, record_audits
from opencse.security.models import User
from opencse.security.policy import require
from opencse.security.services import system_actor

NOTE_MAXIMUM = 2000
CHILDREN_MAXIMUM = 12
GROUND_WORDS = {
    rule.ChallengeGround.FRAUD: "Fraud",
    rule.ChallengeGround.DURESS: "Duress",
    rule.ChallengeGround.MATERIAL_MISTAKE_OF_FACT: "Material mistake of fact",
}


@dataclass(frozen=True, slots=True)
class FinalizeResult:
    established: int


class _Errors:
    """Field errors collected so that the officer sees every one at once."""

    def __init__(self) -> None:
        self.items: list[InvalidInput] = []

    def add(self, message: str, field: str) -> None:
        self.items.append(InvalidInput(message, field=field))

    def raise_any(self) -> None:
        if self.items:
            raise self.items[0] if len(self.items) == 1 else InvalidInputs(self.items)


def _day(value: date) -> str:
    return f"{value:%m/%d/%Y}"


def _not_future(errors: _Errors, value: date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        errors.add("cannot be in the future", field)


def _is_child(case: Case, child: Person) -> bool:
    return case.members.filter(person=child, role=MemberRole.DEPENDENT_CHILD, left_on__isnull=True).exists()


def _locked_open(case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise Conflict(f"Case {case.number} is closed; reopen it first.")
    return case


def _append(
    *,
    actor: User,
    case: Case,
    child: Person,
    status: Status,
    father: Person | None,
    effective_on: date,
    reason: str,
    established: bool = False,
) -> PaternityStatus:
    row = PaternityStatus.objects.create(case=case, child=child, status=status, father=father,
                                         established=established, effective_on=effective_on, reason=reason[:300],
                                         recorded_by=actor)  # fmt: skip
    record_audit(actor=actor, action="paternity.status", target=row, case_number=case.number,
                 summary=f"{child.full_name}: {Status(status).label}",
                 after={"child": child.pk, "status": str(status), "father": father.pk if father else None,
                        "established": established, "effective_on": str(effective_on)})  # fmt: skip
    return row


def _alleged_membership(actor: User, case: Case, father: Person, on: date) -> CaseMember:
    member = case.members.filter(person=father, role=MemberRole.ALLEGED_FATHER, left_on__isnull=True).first()
    return member or add_member(actor=actor, case=case, person=father, role=MemberRole.ALLEGED_FATHER, joined_on=on)


def _name(actor: User, case: Case, father: Person, child: Person, on: date, reason: str) -> AllegedFather:
    member = _alleged_membership(actor, case, father, on)
    link = AllegedFather.objects.create(case=case, child=child, father=father, member=member, named_on=on,
                                        named_by=actor)  # fmt: skip
    record_audit(actor=actor, action="paternity.alleged_father_named", target=link, case_number=case.number,
                 summary=f"{father.full_name} for {child.full_name}",
                 after={"child": child.pk, "father": father.pk, "named_on": str(on)})  # fmt: skip
    current = current_status(case=case, child=child)
    if current is None or current.status in (Status.UNKNOWN, Status.ALLEGED, Status.EXCLUDED):
        _append(actor=actor, case=case, child=child, status=Status.ALLEGED, father=father, effective_on=on,
                reason=reason or f"{father.full_name} named as an alleged father")  # fmt: skip
    return link


@transaction.atomic
def name_alleged_father(
    *, actor: User, case: Case, father: Person, children: Sequence[Person], named_on: date, reason: str = ""
) -> list[AllegedFather]:
    """Name `father` as an alleged father of `children` on the case: his case membership as alleged father
    (added when he has none) and, for each child whose father is unknown, alleged or excluded, the status
    "alleged". Refused for a child whose paternity is already established."""
    require(actor, "paternity.manage", case)
    case = _locked_open(case)
    errors = _Errors()
    _not_future(errors, named_on, "named_on")
    if not children or len(children) > CHILDREN_MAXIMUM:
        errors.add(f"choose 1 to {CHILDREN_MAXIMUM} children of the case", "children")
    elif any(not _is_child(case, child) for child in children):
        errors.add("each must be a dependent child on this case", "children")
    if any(child.pk == father.pk for child in children):
        errors.add("cannot be one of the children", "father")
    if len(reason) > NOTE_MAXIMUM:
        errors.add(f"must be at most {NOTE_MAXIMUM} characters", "reason")
    errors.raise_any()
    for child in children:
        current = current_status(case=case, child=child)
        if current is not None and current.established:
            raise Conflict(f"Paternity of {child.full_name} is established ({Status(current.status).label.lower()});"
                           " a new alleged father needs the court to set it aside first.")  # fmt: skip
        if active_alleged_fathers(case=case, child=child).filter(father=father).exists():
            raise Conflict(f"{father.full_name} is already an alleged father of {child.full_name}.")
    return [_name(actor, case, father, child, named_on, reason.strip()) for child in children]


@transaction.atomic
def record_acknowledgment(
    *,
    actor: User,
    case: Case,
    child: Person,
    father: Person,
    signed_on: date,
    filed_on: date,
    proceeding_on: date | None = None,
) -> Acknowledgment:
    """Record a voluntary acknowledgment of paternity signed by the mother and `father` (42 U.S.C.
    666(a)(5)(C)): a legal finding of paternity, rescindable by either signer until the end of the period of
    666(a)(5)(D)(ii) (`proceeding_on`: an earlier proceeding relating to the child to which a signer is a
    party). The child's status becomes "acknowledged"; `opencse paternity finalize` establishes it after."""
    require(actor, "paternity.manage", case)
    case = _locked_open(case)
    errors = _Errors()
    _not_future(errors, signed_on, "signed_on")
    _not_future(errors, filed_on, "filed_on")
    _not_future(errors, proceeding_on, "proceeding_on")
    if filed_on < signed_on:
        errors.add("cannot be before it was signed", "filed_on")
    if not _is_child(case, child):
        errors.add("must be a dependent child on this case", "child")
    if child.pk == father.pk:
        errors.add("cannot be the child", "father")
    period: rule.Rescission | None = None
    if signed_on > timezone.localdate():
        errors.raise_any()  # a future signing has no period to count (and date.max has no 60th day after it)
    try:
        period = rule.rescission_period(signed_on=signed_on, proceeding_on=proceeding_on,
                                        state=settings.OPENCSE_STATE)  # fmt: skip
    except InvalidInput as error:
        errors.add(error.message, "signed_on" if error.field == "as_of" else error.field or "signed_on")
    errors.raise_any()
    assert period is not None
    current = current_status(case=case, child=child)
    if current is not None and current.status in (Status.ACKNOWLEDGED, Status.ADJUDICATED):
        raise Conflict(f"Paternity of {child.full_name} is already {Status(current.status).label.lower()}.")
    if not active_alleged_fathers(case=case, child=child).filter(father=father).exists():
        _name(actor, case, father, child, signed_on, f"{father.full_name} signed an acknowledgment of paternity")
    acknowledgment = Acknowledgment.objects.create(case=case, child=child, father=father, signed_on=signed_on,
                                                   filed_on=filed_on, proceeding_on=proceeding_on,
                                                   rescission_ends_on=period.last_day, recorded_by=actor)  # fmt: skip
    record_audit(actor=actor, action="paternity.acknowledged", target=acknowledgment, case_number=case.number,
                 summary=f"{father.full_name} for {child.full_name}",
                 after={"signed_on": str(signed_on), "filed_on": str(filed_on),
                        "rescission_ends_on": str(period.last_day)})  # fmt: skip
    _append(actor=actor, case=case, child=child, status=Status.ACKNOWLEDGED, father=father, effective_on=signed_on,
            reason=f"Voluntary acknowledgment signed {_day(signed_on)}, filed {_day(filed_on)}; either signer may "
            f"rescind it until {_day(period.last_day)} (42 U.S.C. 666(a)(5)(D)(ii))")  # fmt: skip
    return acknowledgment


@transaction.atomic
def rescind_acknowledgment(
    *, actor: User, acknowledgment: Acknowledgment, rescinded_on: date, signatory: str, note: str = ""
) -> Acknowledgment:
    """A signer rescinds the acknowledgment within the rescission period (42 U.S.C. 666(a)(5)(D)(ii)); refused
    after it. The man stays an alleged father and the child's status returns to "alleged"."""
    require(actor, "paternity.manage", acknowledgment.case)
    _locked_open(acknowledgment.case)
    acknowledgment = (
        Acknowledgment.objects.select_for_update().select_related("case", "child", "father").get(pk=acknowledgment.pk)
    )
    errors = _Errors()
    _not_future(errors, rescinded_on, "rescinded_on")
    if rescinded_on < acknowledgment.signed_on:
        errors.add(f"cannot be before the acknowledgment was signed ({_day(acknowledgment.signed_on)})",
                   "rescinded_on")  # fmt: skip
    if signatory not in Signatory.values:
        errors.add("choose who rescinds: the mother or the father", "signatory")
    if len(note) > NOTE_MAXIMUM:
        errors.add(f"must be at most {NOTE_MAXIMUM} characters", "note")
    errors.raise_any()
    if acknowledgment.status != AcknowledgmentStatus.IN_EFFECT:
        raise Conflict(f"This acknowledgment is {AcknowledgmentStatus(acknowledgment.status).label.lower()}; "
                       "it can no longer be rescinded.")  # fmt: skip
    if rescinded_on > acknowledgment.rescission_ends_on:
        raise Conflict(
            f"The rescission period ended on {_day(acknowledgment.rescission_ends_on)} (42 U.S.C. 666(a)(5)(D)(ii)). "
            "The acknowledgment can now be challenged only in court, for fraud, duress or material mistake of fact."
        )
    before = {"status": acknowledgment.status}
    acknowledgment.status, acknowledgment.rescinded_on = AcknowledgmentStatus.RESCINDED, rescinded_on
    acknowledgment.rescinded_by, acknowledgment.rescission_note = signatory, note.strip()
    acknowledgment.save(update_fields=["status", "rescinded_on", "rescinded_by", "rescission_note"])
    record_audit(actor=actor, action="paternity.acknowledgment_rescinded", target=acknowledgment,
                 case_number=acknowledgment.case.number, before=before,
                 after={"status": "rescinded", "rescinded_on": str(rescinded_on), "by": signatory})  # fmt: skip
    _append(actor=actor, case=acknowledgment.case, child=acknowledgment.child, status=Status.ALLEGED,
            father=acknowledgment.father, effective_on=rescinded_on,
            reason=f"Acknowledgment rescinded by {Signatory(signatory).label.lower()} on "
            f"{_day(rescinded_on)}")  # fmt: skip
    return acknowledgment


@transaction.atomic
def record_challenge(
    *, actor: User, acknowledgment: Acknowledgment, ground: str, filed_on: date, filed_by: str, note: str = ""
) -> Challenge:
    """A signer challenges the acknowledgment in court after the rescission period, on a ground of 42 U.S.C.
    666(a)(5)(D)(iii) (fraud, duress, material mistake of fact). The status does not change and support is
    not suspended ((D)(iii)); the court's determination decides."""
    require(actor, "paternity.manage", acknowledgment.case)
    acknowledgment = Acknowledgment.objects.select_related("case", "child", "father").get(pk=acknowledgment.pk)
    errors = _Errors()
    _not_future(errors, filed_on, "filed_on")
    if ground not in rule.challenge_grounds(as_of=min(filed_on, timezone.localdate())):
        errors.add("an acknowledgment may be challenged only for fraud, duress or material mistake of fact "
                   "(42 U.S.C. 666(a)(5)(D)(iii))", "ground")  # fmt: skip
    if filed_on <= acknowledgment.rescission_ends_on:
        errors.add(f"is within the rescission period (until {_day(acknowledgment.rescission_ends_on)}): the signer "
                   "rescinds instead", "filed_on")  # fmt: skip
    if filed_by not in Signatory.values:
        errors.add("choose who challenges: the mother or the father", "filed_by")
    if len(note) > NOTE_MAXIMUM:
        errors.add(f"must be at most {NOTE_MAXIMUM} characters", "note")
    errors.raise_any()
    if acknowledgment.status in (AcknowledgmentStatus.RESCINDED, AcknowledgmentStatus.SUPERSEDED):
        raise Conflict(f"This acknowledgment is {AcknowledgmentStatus(acknowledgment.status).label.lower()}.")
    challenge = Challenge.objects.create(acknowledgment=acknowledgment, ground=ground, filed_on=filed_on,
                                         filed_by=filed_by, note=note.strip(), recorded_by=actor)  # fmt: skip
    record_audit(actor=actor, action="paternity.acknowledgment_challenged", target=challenge,
                 case_number=acknowledgment.case.number,
                 after={"ground": ground, "filed_on": str(filed_on), "filed_by": filed_by})  # fmt: skip
    return challenge


def finalize_acknowledgments(*, as_of: date) -> FinalizeResult:
    """Establish paternity, as of `as_of`, for every acknowledgment in effect whose rescission period ended
    before `as_of` (42 U.S.C. 666(a)(5)(D)(ii)): the acknowledgment is marked established the day after its
    last day to rescind, and the child's history gets an "acknowledged, established" row. As the system
    actor, set-based (one read, one update per distinct date, one bulk insert of rows and audits); running
    it again establishes nothing twice."""
    actor = system_actor()
    require(actor, "paternity.finalize")
    with transaction.atomic():
        due = list(
            Acknowledgment.objects.select_for_update()
            .filter(status=AcknowledgmentStatus.IN_EFFECT, rescission_ends_on__lt=as_of)
            .values_list("pk", "case_id", "child_id", "father_id", "rescission_ends_on", "case__number")
        )  # fmt: skip
        if not due:
            return FinalizeResult(established=0)
        for ends_on in sorted({row[4] for row in due}):
            Acknowledgment.objects.filter(pk__in=[row[0] for row in due if row[4] == ends_on]).update(
                status=AcknowledgmentStatus.ESTABLISHED, established_on=ends_on + timedelta(days=1)
            )
        statuses = [
            PaternityStatus(case_id=case_id, child_id=child_id, status=Status.ACKNOWLEDGED, father_id=father_id,
                            established=True, effective_on=ends_on + timedelta(days=1), recorded_by=actor,
                            source_key=f"acknowledgment:{pk}:established",
                            reason=f"Paternity established: the rescission period ended on {_day(ends_on)} "
                            "(42 U.S.C. 666(a)(5)(D)(ii))")
            for pk, case_id, child_id, father_id, ends_on, _ in due
        ]  # fmt: skip
        PaternityStatus.objects.bulk_create(statuses, batch_size=5_000)
        events = [
            audit_event(actor=actor, action="paternity.acknowledgment_established", target=Acknowledgment(pk=pk),
                        case_number=number, after={"status": "established", "established_on": str(ends_on +
                        timedelta(days=1)), "as_of": str(as_of)})
            for pk, _, _, _, ends_on, number in due
        ]  # fmt: skip
        record_audits(events)
    return FinalizeResult(established=len(due))


@transaction.atomic
def order_genetic_test(*, actor: User, case: Case, child: Person, father: Person, ordered_on: date) -> GeneticTest:
    """Order genetic testing of the child and an alleged father (42 U.S.C. 666(a)(5)(B); 45 CFR 303.5(d))."""
    require(actor, "paternity.manage", case)
    case = _locked_open(case)
    errors = _Errors()
    _not_future(errors, ordered_on, "ordered_on")
    if not _is_child(case, child):
        errors.add("must be a dependent child on this case", "child")
    elif not active_alleged_fathers(case=case, child=child).filter(father=father).exists():
        errors.add("must be an alleged father of the child: name him first", "father")
    errors.raise_any()
    if GeneticTest.objects.filter(case=case, child=child, father=father, finding="").exists():
        raise Conflict(f"A test of {father.full_name} and {child.full_name} is already waiting for its result.")
    test = GeneticTest.objects.create(case=case, child=child, father=father, ordered_on=ordered_on, ordered_by=actor)
    record_audit(actor=actor, action="paternity.test_ordered", target=test, case_number=case.number,
                 summary=f"{father.full_name} and {child.full_name}",
                 after={"ordered_on": str(ordered_on)})  # fmt: skip
    return test


@transaction.atomic
def record_test_appointment(*, actor: User, test: GeneticTest, appointment_on: date, place: str) -> GeneticTest:
    """The date and place where the samples are collected."""
    require(actor, "paternity.manage", test.case)
    test = GeneticTest.objects.select_for_update().select_related("case").get(pk=test.pk)
    errors = _Errors()
    if appointment_on < test.ordered_on:
        errors.add(f"cannot be before the test was ordered ({_day(test.ordered_on)})", "appointment_on")
    if not place.strip() or len(place) > 200:
        errors.add("say where the samples are collected (at most 200 characters)", "place")
    errors.raise_any()
    if test.has_result:
        raise Conflict("The result of this test is already recorded.")
    before = {"appointment_on": str(test.appointment_on) if test.appointment_on else None}
    test.appointment_on, test.appointment_place = appointment_on, place.strip()
    test.save(update_fields=["appointment_on", "appointment_place"])
    record_audit(actor=actor, action="paternity.test_scheduled", target=test, case_number=test.case.number,
                 before=before, after={"appointment_on": str(appointment_on)})  # fmt: skip
    return test


@transaction.atomic
def record_test_result(
    *,
    actor: User,
    test: GeneticTest,
    lab: str,
    received_on: date,
    probability: Decimal,
    combined_index: Decimal | None,
    lab_excludes: bool = False,
    prior_probability: Decimal = Decimal("0.50"),
) -> GeneticTest:
    """The laboratory's result. What it means is the State's law (`rules.paternity.interpret_genetic_test`):
    at or above the threshold the child's status becomes "presumed" and the case is referred to the staff
    attorney (the `GeneticTestPresumed` event: a task on the worklist); an exclusion excludes him (his
    membership as alleged father ends, and the child's status returns to unknown when no other alleged father
    remains); an inconclusive result changes no status."""
    require(actor, "paternity.manage", test.case)
    _locked_open(test.case)
    test = GeneticTest.objects.select_for_update().select_related("case", "child", "father").get(pk=test.pk)
    errors = _Errors()
    _not_future(errors, received_on, "received_on")
    if received_on < test.ordered_on:
        errors.add(f"cannot be before the test was ordered ({_day(test.ordered_on)})", "received_on")
    if not lab.strip() or len(lab) > 120:
        errors.add("name the laboratory (at most 120 characters)", "lab")
    found: rule.TestFinding | None = None
    try:
        found = rule.interpret_genetic_test(state=settings.OPENCSE_STATE, as_of=received_on,
                                            probability_percent=probability, combined_index=combined_index,
                                            lab_excludes=lab_excludes, prior_probability=prior_probability)  # fmt: skip
    except InvalidInput as error:
        errors.add(error.message, "received_on" if error.field in ("as_of", "jurisdiction") else error.field or "lab")
    errors.raise_any()
    assert found is not None
    if test.has_result:
        raise Conflict("The result of this test is already recorded.")
    test.lab, test.result_received_on, test.probability = lab.strip(), received_on, probability
    test.combined_index, test.lab_excludes, test.prior_probability = combined_index, lab_excludes, prior_probability
    test.finding = Finding(found.finding.value)
    test.save()
    record_audit(actor=actor, action="paternity.test_result", target=test, case_number=test.case.number,
                 after={"received_on": str(received_on), "probability": str(probability),
                        "combined_index": str(combined_index), "finding": test.finding,
                        "jurisdiction": found.jurisdiction})  # fmt: skip
    words = f"Genetic test result received {_day(received_on)} from {test.lab}: probability {probability}%"
    if found.finding == rule.Finding.PRESUMED:
        reference = next((line.reference for line in found.lines if "Threshold" in line.step), "")
        _append(actor=actor, case=test.case, child=test.child, status=Status.PRESUMED, father=test.father,
                effective_on=received_on, reason=f"{words}, at or above the threshold ({reference})")  # fmt: skip
        publish(GeneticTestPresumed(test_id=test.pk, case_id=test.case_id, child_id=test.child_id,
                                    received_on=received_on, actor_id=actor.pk))  # fmt: skip
    elif found.finding == rule.Finding.EXCLUDED:
        _exclude(actor, test.case, test.child, test.father, received_on, f"{words}: excluded by the laboratory")
    return test


def _exclude(actor: User, case: Case, child: Person, father: Person, on: date, reason: str) -> None:
    """`father` is not the child's father: his link to the child ends, the child's history says so, his
    membership as alleged father ends when he is no longer alleged for any child of the case, and the
    child's status goes back to another alleged father, or to unknown when none remains."""
    links = list(active_alleged_fathers(case=case, child=child).filter(father=father))
    AllegedFather.objects.filter(pk__in=[link.pk for link in links]).update(
        ended_on=max([on, *[link.named_on for link in links]]), end_reason="Excluded"
    )
    _append(actor=actor, case=case, child=child, status=Status.EXCLUDED, father=father, effective_on=on, reason=reason)
    Acknowledgment.objects.filter(case=case, child=child, father=father, status=AcknowledgmentStatus.IN_EFFECT).update(
        status=AcknowledgmentStatus.SUPERSEDED
    )
    if not AllegedFather.objects.filter(case=case, father=father, ended_on__isnull=True).exists():
        for member in case.members.filter(person=father, role=MemberRole.ALLEGED_FATHER, left_on__isnull=True):
            end_membership(actor=actor, member=member, left_on=max(on, member.joined_on))
    remaining = active_alleged_fathers(case=case, child=child).order_by("named_on", "pk").first()
    if remaining is not None:
        _append(actor=actor, case=case, child=child, status=Status.ALLEGED, father=remaining.father, effective_on=on,
                reason=f"{remaining.father.full_name} remains an alleged father")  # fmt: skip
    else:
        _append(actor=actor, case=case, child=child, status=Status.UNKNOWN, father=None, effective_on=on,
                reason="No alleged father remains: the father is unknown")  # fmt: skip


@transaction.atomic
def record_determination(
    *,
    actor: User,
    case: Case,
    child: Person,
    father: Person,
    outcome: str,
    order_signed_on: date,
    court: str,
    docket_number: str = "",
) -> Determination:
    """Enter the court's determination from its signed order: adjudicated (paternity established) or found
    not to be the father (an exclusion, as a genetic test's). An acknowledgment still in effect for the child
    is superseded by the order."""
    require(actor, "paternity.determine", case)
    case = _locked_open(case)
    errors = _Errors()
    _not_future(errors, order_signed_on, "order_signed_on")
    if outcome not in Outcome.values:
        errors.add("choose what the court decided", "outcome")
    if not court.strip() or len(court) > 120:
        errors.add("name the court (at most 120 characters)", "court")
    if len(docket_number) > 40:
        errors.add("must be at most 40 characters", "docket_number")
    if not _is_child(case, child):
        errors.add("must be a dependent child on this case", "child")
    elif not active_alleged_fathers(case=case, child=child).filter(father=father).exists():
        errors.add("must be an alleged father of the child: name him first", "father")
    errors.raise_any()
    determination = Determination.objects.create(case=case, child=child, father=father, outcome=outcome,
                                                 order_signed_on=order_signed_on, court=court.strip(),
                                                 docket_number=docket_number.strip(), recorded_by=actor)  # fmt: skip
    record_audit(actor=actor, action="paternity.determined", target=determination, case_number=case.number,
                 summary=f"{father.full_name} for {child.full_name}: {outcome}",
                 after={"outcome": outcome, "order_signed_on": str(order_signed_on),
                        "court": court.strip()})  # fmt: skip
    docket = f" ({docket_number.strip()})" if docket_number.strip() else ""
    words = f"Order of {court.strip()} signed {_day(order_signed_on)}{docket}"
    if outcome == Outcome.ADJUDICATED:
        Acknowledgment.objects.filter(case=case, child=child, status=AcknowledgmentStatus.IN_EFFECT).update(
            status=AcknowledgmentStatus.SUPERSEDED
        )
        _append(actor=actor, case=case, child=child, status=Status.ADJUDICATED, father=father, established=True,
                effective_on=order_signed_on, reason=f"{words}: adjudicated the father")  # fmt: skip
    else:
        _exclude(actor, case, child, father, order_signed_on, f"{words}: not the father")
    return determination
