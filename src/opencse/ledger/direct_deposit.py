"""Direct deposit accounts under the two-person rule (`opencse.common.approval`).

Changing where a family's money goes is a money decision: a worker with `people.update` requests a new
or changed account (`request_direct_deposit`); an officer with signature authority (`orders.sign`: SEO 2
or supervisor) other than the requester approves or rejects it on the Approvals page. Only approval puts
the account in effect (a `DirectDeposit`, which ends the one before); until then the disbursement run
pays the way it paid before (the previous account, or a check). Every step is audited.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from stdnum.us import rtn as stdnum_rtn

from opencse.common.approval import check_rejection_reason, check_second_person, stamp_decision
from opencse.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from opencse.ledger.models import AccountType, DirectDeposit, DirectDepositRequest, DirectDepositRequestStatus
from opencse.people.models import Person
from opencse.people.selectors import visible_people
from opencse.security import crypto
from opencse.security.audit import record_audit
from opencse.security.models import User
from opencse.security.policy import require

DECIDE_PERMISSION = "orders.sign"


def _check_account(routing_number: str, account_number: str, account_type: str) -> None:
    errors = []
    if not (len(routing_number) == 9 and routing_number.isdigit() and stdnum_rtn.is_valid(routing_number)):
        errors.append(InvalidInput("is not a valid 9-digit ABA routing number", field="routing_number"))
    if not (4 <= len(account_number) <= 17 and account_number.isascii() and account_number.isalnum()):
        errors.append(InvalidInput("must be 4 to 17 letters or digits", field="account_number"))
    if account_type not in AccountType.values:
        errors.append(InvalidInput("must be checking or savings", field="account_type"))
    if errors:
        raise InvalidInputs(errors)


def _check_starts_after_the_one_on_file(person: Person, starts_on: date) -> DirectDeposit | None:
    previous = DirectDeposit.objects.select_for_update().filter(person=person, ends_on__isnull=True).first()
    if previous is not None and previous.starts_on >= starts_on:
        raise InvalidInput("must be after the start of the authorization on file", field="starts_on")
    return previous


@transaction.atomic
def request_direct_deposit(
    *, actor: User, person: Person, routing_number: str, account_number: str, account_type: str, starts_on: date
) -> DirectDepositRequest:
    """Ask for a new or changed direct deposit account (the account number encrypted at rest). It waits for
    a second officer's approval; one request per payee waits at a time."""
    require(actor, "people.update")
    _check_account(routing_number, account_number, account_type)
    _check_starts_after_the_one_on_file(person, starts_on)
    if DirectDepositRequest.objects.filter(person=person, status=DirectDepositRequestStatus.PENDING).exists():
        raise Conflict("A direct deposit change for this person already waits for approval.")
    try:
        with transaction.atomic():
            deposit_request = DirectDepositRequest.objects.create(
                person=person,
                routing_number=routing_number,
                account_number_encrypted=crypto.encrypt(account_number),
                account_last4=account_number[-4:],
                account_type=account_type,
                starts_on=starts_on,
                requested_by=actor,
            )
    except IntegrityError:  # another request for this person was saved meanwhile
        raise Conflict("A direct deposit change for this person already waits for approval.") from None
    record_audit(actor=actor, action="direct_deposit.requested", target=person,
                 after={"routing_number": routing_number, "account": f"****{account_number[-4:]}",
                        "starts_on": str(starts_on)})  # fmt: skip
    return deposit_request


@transaction.atomic
def approve_direct_deposit(*, actor: User, deposit_request: DirectDepositRequest, note: str = "") -> DirectDeposit:
    """Put the requested account in effect: it replaces the one on file, which ends the day before."""
    deposit_request = _pending_for_decision(actor, deposit_request)
    previous = _check_starts_after_the_one_on_file(deposit_request.person, deposit_request.starts_on)
    if previous is not None:
        previous.ends_on = deposit_request.starts_on - timedelta(days=1)
        previous.save(update_fields=["ends_on"])
    deposit = DirectDeposit.objects.create(
        person=deposit_request.person,
        routing_number=deposit_request.routing_number,
        account_number_encrypted=deposit_request.account_number_encrypted,
        account_last4=deposit_request.account_last4,
        account_type=deposit_request.account_type,
        starts_on=deposit_request.starts_on,
        created_by=deposit_request.requested_by,
    )
    deposit_request.deposit = deposit
    _decide(actor, deposit_request, DirectDepositRequestStatus.APPROVED, note, also=("deposit",))
    return deposit


@transaction.atomic
def reject_direct_deposit(*, actor: User, deposit_request: DirectDepositRequest, note: str) -> DirectDepositRequest:
    deposit_request = _pending_for_decision(actor, deposit_request)
    check_rejection_reason(note)
    _decide(actor, deposit_request, DirectDepositRequestStatus.REJECTED, note)
    return deposit_request


def _pending_for_decision(actor: User, deposit_request: DirectDepositRequest) -> DirectDepositRequest:
    require(actor, DECIDE_PERMISSION)
    deposit_request = (
        DirectDepositRequest.objects.select_for_update().select_related("person").get(pk=deposit_request.pk)
    )
    check_second_person(
        actor_id=actor.pk,
        requester_id=deposit_request.requested_by_id,
        status=deposit_request.status,
        waiting=DirectDepositRequestStatus.PENDING,
        what="direct deposit change",
        refusal="You may not approve or reject your own request.",
    )
    return deposit_request


def _decide(
    actor: User, deposit_request: DirectDepositRequest, status: str, note: str, *, also: tuple[str, ...] = ()
) -> None:
    stamp_decision(deposit_request, actor=actor, status=status, note=note, also=also)
    record_audit(
        actor=actor,
        action=f"direct_deposit.{status}",
        target=deposit_request.person,
        summary=note[:300],
        before={"status": DirectDepositRequestStatus.PENDING},
        after={"status": status, "account": f"****{deposit_request.account_last4}"},
    )


# Reads ------------------------------------------------------------------------------------------


def pending_direct_deposit_of(*, person: Person) -> DirectDepositRequest | None:
    """The change waiting for approval for this payee, if any (at most one waits)."""
    return DirectDepositRequest.objects.filter(person=person, status=DirectDepositRequestStatus.PENDING).first()


def direct_deposit_requests_waiting(*, viewer: object) -> QuerySet[DirectDepositRequest]:
    """The changes waiting for approval on people the viewer may see, oldest first."""
    return (
        DirectDepositRequest.objects.filter(
            status=DirectDepositRequestStatus.PENDING, person__in=visible_people(viewer)
        )
        .select_related("person", "requested_by")
        .order_by("requested_at", "id")
    )


def direct_deposit_request_for_viewer(*, viewer: object, request_id: int) -> DirectDepositRequest:
    found = DirectDepositRequest.objects.filter(pk=request_id, person__in=visible_people(viewer)).first()
    if found is None:
        raise NotFound(f"No direct deposit change {request_id}.")
    return found
