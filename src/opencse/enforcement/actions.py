"""An enforcement action's life, each step by a person with the authority the remedy's data names:

propose (the sweep, or an officer) -> approve (an SEO 2 or supervisor, never the proposer: the two-person rule
of `common.approval`; the due-process notice is generated and its service recorded) or reject -> a contest
received in the window holds it -> the contest decided (for the obligor: withdrawn; against: it goes on) ->
after the window, the action taken -> released when paid or an agreement is kept.

45 CFR 303.6(c)(2) and 42 U.S.C. 666(c)(1): notice and an opportunity to contest before the action; the
windows and approvers come from `rules.remedies`. Each step is an `ActionStep` row, an audit row and a line
on the case timeline. Every date is a business date the caller passes in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opencse.cases.services import add_system_note
from opencse.common.approval import check_second_person, stamp_decision
from opencse.common.events import publish
from opencse.common.states import state_name
from opencse.common.validation import future_dates
from opencse.documents.services import generate_document
from opencse.enforcement import fidm, liens
from opencse.enforcement.endings import actions_released
from opencse.enforcement.events import EnforcementDecided
from opencse.enforcement.lien_models import Lien
from opencse.enforcement.models import ActionStatus, ActionStep, EnforcementAction
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotAuthorized
from opencse.rules.remedies import Remedy, remedies
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

NOTICE_KIND = "enforcement_notice"
SERVICE_METHODS = {
    "mail": "first-class mail",
    "certified_mail": "certified mail, return receipt requested",
    "personal_service": "personal service",
}
NOTE_MAXIMUM = 500


def _locked(action: EnforcementAction, *statuses: ActionStatus) -> EnforcementAction:
    action = EnforcementAction.objects.select_for_update().select_related("case", "obligor").get(pk=action.pk)
    if action.status not in statuses:
        raise Conflict(f"This action is {action.get_status_display().lower()}; it cannot be changed that way now.")
    return action


def _not_future(on: date, field: str) -> None:
    if on > timezone.localdate():
        raise InvalidInput("cannot be in the future", field=field)


def _step(action: EnforcementAction, *, actor: User, step: str, on: date, note: str = "") -> None:
    note = note.strip()[:NOTE_MAXIMUM]
    ActionStep.objects.create(action=action, step=step, on=on, note=note, by=actor)
    record_audit(actor=actor, action=f"enforcement.{step}", target=action, case_number=action.case.number,
                 summary=f"{action.remedy_name}: {step}", after={"on": on.isoformat(), "note": note})  # fmt: skip
    add_system_note(
        actor=actor,
        case=action.case,
        text=f"Enforcement — {action.remedy_name}: {step.replace('_', ' ')} on {on:%m/%d/%Y}"
        + (f". {note}" if note else "."),
        source_key=f"enforcement:{action.pk}:{step}:{on.isoformat()}",
    )


def _remedy_of(action: EnforcementAction, on: date) -> Remedy | None:
    """The action's remedy as its data stands on `on` (None: no longer in force)."""
    return next((r for r in remedies(state=settings.OPENCSE_STATE, as_of=on) if r.key == action.remedy), None)


def _role_may_approve(actor: User, action: EnforcementAction, on: date) -> Remedy | None:
    """The remedy's own list of approvers (its data), on top of the policy's `enforcement.approve`; the remedy."""
    remedy = _remedy_of(action, on)
    approvers = remedy.approvers if remedy else ("seo2", "supervisor")
    if str(getattr(actor, "role", "")) not in approvers:
        raise NotAuthorized(
            f"Approving a {action.remedy_name.lower()} needs one of these roles: {', '.join(approvers)}."
        )
    return remedy


def asks_ability_to_pay(action: EnforcementAction, *, on: date) -> bool:
    """Whether approving the action takes the approver's finding on the obligor's ability to pay (its data)."""
    remedy = _remedy_of(action, on)
    return bool(remedy and remedy.ability_to_pay)


ABILITY_TO_PAY_MINIMUM = 40  # characters: the sources looked at and what they show, not "yes"


def _ability_to_pay(remedy: Remedy | None, finding: str) -> str:
    """A remedy whose data asks for it (a contempt referral) is approved only with the approver's finding on the
    obligor's ability to pay: Turner v. Rogers, 564 U.S. 431 (2011), makes it "the critical question" in a civil
    contempt proceeding for unpaid support, and the staff attorney's packet carries it."""
    finding = finding.strip()
    if remedy is None or not remedy.ability_to_pay:
        return finding
    if len(finding) < ABILITY_TO_PAY_MINIMUM:
        raise InvalidInput("say what shows the obligor can pay (income, work, assets, what was paid) and where it "
                           "comes from: Turner v. Rogers, 564 U.S. 431 (2011)", field="ability_to_pay")  # fmt: skip
    if len(finding) > 2000:
        raise InvalidInput("at most 2,000 characters", field="ability_to_pay")
    return finding


@transaction.atomic
def approve_action(*, actor: User, action: EnforcementAction, decided_on: date, service_method: str,
                   note: str = "", ability_to_pay: str = "") -> EnforcementAction:  # fmt: skip
    """Approve a proposal: the notice is generated and dated `decided_on`; by mail it counts as served that day
    (its window starts), otherwise the service is recorded when it is made (`record_service`)."""
    require(actor, "enforcement.approve", action.case)
    action = _locked(action, ActionStatus.PROPOSED)
    _not_future(decided_on, "decided_on")
    check_second_person(
        actor_id=actor.pk,
        requester_id=action.proposed_by_id,
        status=action.status,
        waiting=ActionStatus.PROPOSED,
        what="enforcement action",
        refusal="You proposed this action; another officer with signature authority approves it.",
    )
    remedy = _role_may_approve(actor, action, decided_on)
    action.ability_to_pay = _ability_to_pay(remedy, ability_to_pay)
    if action.contest_days and service_method not in action.service_methods:
        allowed = ", ".join(SERVICE_METHODS.get(m, m) for m in action.service_methods)
        raise InvalidInput(f"this notice is served by {allowed}", field="service_method")
    if action.contest_days:
        action.notice = generate_document(
            actor=actor, case=action.case, kind=NOTICE_KIND, dated_on=decided_on, person=action.obligor,
            subject=action.remedy_name,
            data={"case_number": action.case.number, "obligor": action.obligor, "remedy": action.remedy_name,
                  "citation": action.citation, "arrears": action.arrears, "as_of": action.found_on,
                  "contest_days": action.contest_days, "service": SERVICE_METHODS[service_method],
                  "contest_days_out_of_state": action.contest_days_out_of_state,
                  "state_name": state_name(str(settings.OPENCSE_STATE)),
                  "issued_by": actor.get_full_name() or actor.username},
        )  # fmt: skip
        action.notice_sent_on = decided_on
        action.service_method = service_method
        if service_method == "mail":
            action.served_on = decided_on
            action.contest_ends_on = decided_on + timedelta(days=action.contest_days)
        status = ActionStatus.NOTICED
    else:  # no notice by the agency (a referral: the court gives notice): approval is the action
        action.taken_on = decided_on
        status = ActionStatus.TAKEN
    changed = ["notice", "notice_sent_on", "service_method", "served_on", "contest_ends_on", "taken_on",
               "ability_to_pay"]  # fmt: skip
    stamp_decision(action, actor=actor, status=status, note=note, also=changed)
    _step(action, actor=actor, step="approved", on=decided_on, note=note)
    publish(EnforcementDecided(action_id=action.pk, case_id=action.case_id, decided_on=decided_on, actor_id=actor.pk))
    return action


@transaction.atomic
def reject_action(*, actor: User, action: EnforcementAction, decided_on: date, note: str) -> EnforcementAction:
    require(actor, "enforcement.approve", action.case)
    action = _locked(action, ActionStatus.PROPOSED)
    _not_future(decided_on, "decided_on")
    if not note.strip():
        raise InvalidInput("say why (the file keeps it)", field="note")
    check_second_person(actor_id=actor.pk, requester_id=action.proposed_by_id, status=action.status,
                        waiting=ActionStatus.PROPOSED, what="enforcement action",
                        refusal="You proposed this action; another officer decides it.")  # fmt: skip
    stamp_decision(action, actor=actor, status=ActionStatus.REJECTED, note=note)
    _step(action, actor=actor, step="rejected", on=decided_on, note=note)
    publish(EnforcementDecided(action_id=action.pk, case_id=action.case_id, decided_on=decided_on, actor_id=actor.pk))
    return action


@transaction.atomic
def record_service(*, actor: User, action: EnforcementAction, served_on: date, note: str = "",
                   out_of_state: bool = False) -> EnforcementAction:  # fmt: skip
    """The notice was served (certified mail receipt, personal service): the contest window starts. Served
    outside the State (`out_of_state`), it is the State's longer window where its law gives one (Washington's
    license suspension: 60 days instead of 20, RCW 74.20A.320); otherwise the same."""
    require(actor, "enforcement.act", action.case)
    action = _locked(action, ActionStatus.NOTICED)
    _not_future(served_on, "served_on")
    if action.notice_sent_on and served_on < action.notice_sent_on:
        raise InvalidInput(f"cannot be before the notice, {action.notice_sent_on:%m/%d/%Y}", field="served_on")
    days = action.contest_days_out_of_state if out_of_state and action.contest_days_out_of_state else None
    action.served_on, action.served_out_of_state = served_on, out_of_state
    action.contest_ends_on = served_on + timedelta(days=days or action.contest_days)
    action.save(update_fields=["served_on", "served_out_of_state", "contest_ends_on"])
    where = f"Served outside {state_name(str(settings.OPENCSE_STATE))}" if out_of_state else ""
    if days:
        where += f": {days} days to contest"
    _step(action, actor=actor, step="served", on=served_on, note=". ".join(part for part in (where, note) if part))
    return action


@transaction.atomic
def record_contest(*, actor: User, action: EnforcementAction, received_on: date, note: str) -> EnforcementAction:
    """A contest or hearing request received in the window stops the clock and the action."""
    require(actor, "enforcement.act", action.case)
    action = _locked(action, ActionStatus.NOTICED)
    errors = future_dates(received_on=received_on)
    if not errors and action.contest_ends_on and received_on > action.contest_ends_on:
        errors.append(InvalidInput(f"after the contest window closed on {action.contest_ends_on:%m/%d/%Y}",
                                   field="received_on"))  # fmt: skip
    if not note.strip():
        errors.append(InvalidInput("say what the obligor contests", field="note"))
    if errors:
        raise InvalidInputs(errors)
    action.status = ActionStatus.CONTESTED
    action.save(update_fields=["status"])
    _step(action, actor=actor, step="contested", on=received_on, note=note)
    return action


@transaction.atomic
def decide_contest(*, actor: User, action: EnforcementAction, decided_on: date, for_obligor: bool,
                   note: str) -> EnforcementAction:  # fmt: skip
    """The contest decided: for the obligor, the action is withdrawn; against, it may be taken."""
    require(actor, "enforcement.approve", action.case)
    action = _locked(action, ActionStatus.CONTESTED)
    errors = future_dates(decided_on=decided_on)
    if not note.strip():
        errors.append(InvalidInput("say what was decided and why", field="note"))
    if errors:
        raise InvalidInputs(errors)
    action.status = ActionStatus.WITHDRAWN if for_obligor else ActionStatus.NOTICED
    if not for_obligor:
        action.contest_ends_on = decided_on - timedelta(days=1)  # the window is over: the decision answered it
    action.save(update_fields=["status", "contest_ends_on"])
    _step(action, actor=actor, step="contest_granted" if for_obligor else "contest_denied", on=decided_on, note=note)
    return action


@transaction.atomic
def take_action(*, actor: User, action: EnforcementAction, taken_on: date, note: str = "",
                accounts: Sequence[int] = (), lien: liens.LienProperty | None = None) -> EnforcementAction:  # fmt: skip
    """After the contest window, with no contest pending: certify, record, report or levy. A financial institution
    levy is taken on the obligor's matched `accounts` the officer chooses: the order to withhold and deliver goes
    to each institution (`fidm.send_levy_orders`; refused for an SSI recipient or under a bankruptcy stay). A lien
    is taken with where it is recorded, `lien`: the Notice of Lien is generated (`liens.file_lien`). The date's
    problems, the levy's accounts, the lien's property and accounts or a property given for another remedy are
    reported together (`_take_errors`)."""
    require(actor, "enforcement.act", action.case)
    action = _locked(action, ActionStatus.NOTICED)
    if errors := _take_errors(action, taken_on=taken_on, accounts=accounts, lien=lien):
        raise InvalidInputs(errors)
    if action.contest_ends_on is None:
        raise Conflict("Record the notice's service first: the contest window starts when it is served.")
    action.status, action.taken_on = ActionStatus.TAKEN, taken_on
    action.save(update_fields=["status", "taken_on"])
    if action.remedy == fidm.LEVY:
        fidm.send_levy_orders(actor=actor, action=action, on=taken_on, account_ids=accounts)
    if action.remedy == liens.LIEN:
        liens.file_lien(actor=actor, action=action, on=taken_on, lien=lien)
    _step(action, actor=actor, step="taken", on=taken_on, note=note)
    return action


def _take_errors(action: EnforcementAction, *, taken_on: date, accounts: Sequence[int],
                 lien: liens.LienProperty | None) -> list[InvalidInput]:  # fmt: skip
    """Every problem with taking the action on `taken_on`, at once: the date (not in the future, after the contest
    window); a levy's accounts; a lien's property; accounts or a property given for a remedy that takes none."""
    if action.remedy == liens.LIEN:
        errors = liens.lien_errors(action=action, lien=lien, on=taken_on)
    else:
        errors = future_dates(taken_on=taken_on)
        if not errors and action.contest_ends_on is not None and taken_on <= action.contest_ends_on:
            errors.append(InvalidInput(f"must be after the contest window, which ends "
                                       f"{action.contest_ends_on:%m/%d/%Y}", field="taken_on"))  # fmt: skip
    if action.remedy == fidm.LEVY:
        errors += fidm.account_errors(obligor=action.obligor, account_ids=accounts)
    elif accounts:
        errors.append(InvalidInput(f"only a financial institution levy is taken on accounts, not a "
                                   f"{action.remedy_name.lower()}", field="accounts"))  # fmt: skip
    if action.remedy != liens.LIEN and lien is not None and any(value.strip() for value in astuple(lien)):
        errors.append(InvalidInput(f"only a lien is recorded against property, not a {action.remedy_name.lower()}",
                                   field="property_kind"))  # fmt: skip
    return errors


@transaction.atomic
def release_action(*, actor: User, action: EnforcementAction, released_on: date, reason: str) -> EnforcementAction:
    """End it: the debt paid, an agreement kept, or the officer's decision (withdrawal of the certification)."""
    require(actor, "enforcement.act", action.case)
    action = _locked(action, ActionStatus.TAKEN, ActionStatus.NOTICED)
    errors = future_dates(released_on=released_on)
    if not reason.strip():
        errors.append(InvalidInput("say why it is released", field="reason"))
    if errors:
        raise InvalidInputs(errors)
    action.status, action.released_on = ActionStatus.RELEASED, released_on
    action.save(update_fields=["status", "released_on"])
    _step(action, actor=actor, step="released", on=released_on, note=reason)
    actions_released({action.pk: reason.strip()}, on=released_on, actor=actor)
    return action


@transaction.atomic
def record_lien(*, actor: User, action: EnforcementAction, on: date, lien: liens.LienProperty | None,
                note: str = "") -> Lien:  # fmt: skip
    """Record a lien where the officer says: on a lien action waiting after its notice, the action is taken with it
    (`take_action`, `note` on its step); on one taken, one more is added (`liens.add_lien`: another county, a
    vehicle found later). Returns the lien recorded, with its Notice of Lien."""
    require(actor, "enforcement.act", action.case)
    if action.remedy != liens.LIEN:
        raise Conflict("A lien is recorded on a lien action.")
    if action.status == ActionStatus.TAKEN:
        return liens.add_lien(actor=actor, action=action, on=on, lien=lien)
    taken = take_action(actor=actor, action=action, taken_on=on, note=note, lien=lien)
    return Lien.objects.filter(action=taken).latest("pk")
