"""The worklist's reactions to the events of the apps below it (`opencse.common.events`).

Each runs inside the publisher's transaction and writes set-based: one query for the owners, one bulk
insert of the tasks, one UPDATE for the tasks an event completes. Which clock each event starts:

- `cases.CaseOpened`: case opening (303.2(b), 20 days from the referral or application); on a responding
  interstate case also locate and process (303.7(d)(2), 75 days).
- `cases.CaseClosed`: completes every open task of the case but filing its Releases of Lien, and opens those.
- `cases.FollowUpRequested`: a tickler for the note's author, due on the day chosen.
- `orders.OrderEntered`: review of the order (303.8(b)(1), 36 months from its signature); the case's
  earlier review task is superseded.
- `people.EmploymentVerified`: income withholding (303.100(e), 2 business days) on each open case the
  person owes support on.
- `enforcement.IncomeWithholdingSent`: completes the income-withholding task the employer's verification
  opened on the case (the same employment's), whatever the action sent.
- `enforcement.RemediesProposed`: the delinquency sweep's proposals: one task per case and sweep date to
  decide them (303.6(c)(2), 30 days from identifying the delinquency; 60 when every remedy proposed on the
  case needs service of process, the remedy's `service_of_process`).
- `enforcement.EnforcementDecided`: completes the case's enforcement tasks once no proposal waits.
- `ledger.CollectionsPosted`: pay out the collection (302.32(b), the ledger's own clock); an income
  withholding collection completes the case's open employer-compliance task (the employer's payment came);
  and, for a financial institution levy from an obligor recorded as receiving SSI on the day collected, return
  it (45 CFR 307.11(c)(3)(ii), 5 business days from its receipt: `enforcement.facts.ssi_levies`).
- `ledger.DisbursementsMade`: completes the cases' pay-out tasks.
- `locate.LocateNeeded`: locate the noncustodial parent (303.3(b)(3), 75 calendar days from the determination),
  unless a locate task is open on the case already.
- `locate.ParentLocated`: completes the cases' open locate and repeat-locate tasks.
- `closure.ClosureNoticeSent`: a reminder to the case's worker on the day the 45 CFR 303.11(d) notice period
  ends (a follow-up task: the batch closes the case that day unless the recipient responded).
- `paternity.GeneticTestPresumed`: refer the case to the staff attorney to establish paternity, due on the
  303.4(d) clock (90 calendar days) counted from the result's receipt (docs/paternity.md: no federal clock
  is set for this step; 303.4(d) is the one that covers starting paternity proceedings).
- `enforcement.EmployerPaymentsOverdue`: the compliance batch's finding: one task per order in force whose
  employer's payment has not arrived, unless one is open for that order already (no federal clock: due in
  `ENFORCEMENT_FOLLOW_UP_DAYS`).
- `enforcement.EiwoRejected`: an employer rejected an e-IWO: one task per acknowledgment to act on the reason.
- `enforcement.EiwoEmployerNotices`: an employer's own e-IWO notice (action EMP): one task per notice and case: a
  termination to verify and end the job (the new employer, if given, in the detail), a lump sum to send a lump
  sum order before the payment date, a suspension to verify it (no federal clock: due in
  `ENFORCEMENT_FOLLOW_UP_DAYS`, a lump sum's by the eve of its payment date when that is sooner).
- `enforcement.LicenseResponseNeedsAction`: a licensing agency found no license or a name mismatch: one task per
  certification to correct the license (no federal clock: due in `ENFORCEMENT_FOLLOW_UP_DAYS`).
- `enforcement.LienReleasesToFile`: a Release of Lien was generated: one task per lien to file it with the office
  where the lien was recorded (no federal clock: due in `ENFORCEMENT_FOLLOW_UP_DAYS`);
  `enforcement.LienReleaseFiled` completes that lien's task.
- `enforcement.OffsetSubmissionRejected`: OCSE rejected a Federal Offset record: one task per reject to correct the
  case (no federal clock: due in `ENFORCEMENT_FOLLOW_UP_DAYS`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date, timedelta

from opencse.cases.events import CaseClosed, CaseOpened, FollowUpRequested
from opencse.cases.models import Case, Category
from opencse.closure.events import ClosureNoticeSent
from opencse.common.events import subscribe
from opencse.enforcement.events import (
    EiwoEmployerNotices,
    EiwoRejected,
    EmployerPaymentsOverdue,
    EnforcementDecided,
    IncomeWithholdingSent,
    LicenseResponseNeedsAction,
    LienReleaseFiled,
    LienReleasesToFile,
    OffsetSubmissionRejected,
    RemediesProposed,
)
from opencse.enforcement.facts import ssi_levies
from opencse.enforcement.liens import releases_to_file, unfiled_releases
from opencse.enforcement.models import ActionStatus, EnforcementAction, IncomeWithholding
from opencse.ledger.events import CollectionsPosted, DisbursementsMade
from opencse.ledger.models import Collection, CollectionSource
from opencse.locate.events import LocateNeeded, ParentLocated
from opencse.orders.events import OrderEntered
from opencse.orders.selectors import cases_owed_by
from opencse.paternity.events import GeneticTestPresumed
from opencse.people.events import EmploymentVerified
from opencse.people.models import Person
from opencse.work.clocks import CLOCKS, case_opening_clock, due
from opencse.work.models import Completion, Task, TaskKind
from opencse.work.services import NewTask, complete_open_tasks, open_tasks

DETAIL_LENGTH = 120
# 45 CFR 303.4(d): 90 calendar days to complete service of process "to establish a support order (and, if
# necessary, paternity)". No federal clock names the referral after a genetic test; this one covers starting
# the paternity proceeding, counted from the result (docs/paternity.md).
PATERNITY_REFERRAL_CLOCK = "noncustodial_parent_located.establish_order_or_complete_service"
# 45 CFR 303.6(c)(2), second branch: 60 calendar days "if service of process is necessary".
ENFORCEMENT_AFTER_SERVICE_CLOCK = "delinquency_identified.take_enforcement_action_after_service"
# No federal clock for following up an employer's missing payment or an e-IWO rejection: a tickler due in
# five calendar days (docs/enforcement.md).
ENFORCEMENT_FOLLOW_UP_DAYS = 5


def subscribe_all() -> None:
    subscribe(CaseOpened, case_opened)
    subscribe(CaseClosed, case_closed)
    subscribe(FollowUpRequested, follow_up_requested)
    subscribe(OrderEntered, order_entered)
    subscribe(EmploymentVerified, employment_verified)
    subscribe(CollectionsPosted, collections_posted)
    subscribe(DisbursementsMade, disbursements_made)
    subscribe(ClosureNoticeSent, closure_notice_sent)
    subscribe(IncomeWithholdingSent, income_withholding_sent)
    subscribe(RemediesProposed, remedies_proposed)
    subscribe(EnforcementDecided, enforcement_decided)
    subscribe(GeneticTestPresumed, genetic_test_presumed)
    subscribe(LocateNeeded, locate_needed)
    subscribe(ParentLocated, parent_located)
    subscribe(EmployerPaymentsOverdue, employer_payments_overdue)
    subscribe(EiwoRejected, eiwo_rejected)
    subscribe(EiwoEmployerNotices, eiwo_employer_notices)
    subscribe(LicenseResponseNeedsAction, license_response_needs_action)
    subscribe(LienReleasesToFile, lien_releases_to_file)
    subscribe(LienReleaseFiled, lien_release_filed)
    subscribe(OffsetSubmissionRejected, offset_submission_rejected)


ID_CHUNK = 10_000  # ids per IN list (SQLite's bound on a statement's parameters is 32,766)


def _owners(case_ids: set[int]) -> dict[int, int | None]:
    """Each case's assigned worker, in one query. For a batch's many cases (a sweep's, a payment file's) every
    open case is read and the wanted picked here: a list of hundreds of thousands of ids sent as parameters
    costs more than the rows (the driver parses it, PostgreSQL plans it)."""
    if len(case_ids) <= ID_CHUNK:
        return dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "assigned_worker_id"))
    rows = Case.objects.values_list("pk", "assigned_worker_id").iterator(chunk_size=50_000)
    return {pk: worker for pk, worker in rows if pk in case_ids}


def _task(kind: TaskKind, clock: str, *, case_id: int, owner_id: int | None, event: date, key: str) -> list[NewTask]:
    """The task `clock` opens for an event on `event`, or none for an event before the table's first date."""
    deadline = due(clock, event)
    if deadline is None:
        return []
    return [NewTask(case_id=case_id, owner_id=owner_id, kind=kind, source_key=key, event_on=event,
                    due_on=deadline.due_on, clock=deadline)]  # fmt: skip


def case_opened(event: CaseOpened) -> None:
    owner = _owners({event.case_id})[event.case_id]
    tasks = _task(TaskKind.CASE_OPENING, case_opening_clock(event.program), case_id=event.case_id,
                  owner_id=owner, event=event.referral_received_on, key="case")  # fmt: skip
    if event.category == Category.INTERSTATE_RESPONDING:
        tasks += _task(TaskKind.INTERSTATE_RESPONSE, CLOCKS[TaskKind.INTERSTATE_RESPONSE], case_id=event.case_id,
                       owner_id=owner, event=event.referral_received_on, key="case")  # fmt: skip
    open_tasks(tasks)


def case_closed(event: CaseClosed) -> None:
    """Nothing is left to do on a closed case (the tasks stay, completed as "case closed") but to file its
    Releases of Lien with the offices that recorded the liens: a lien stays on the record until released there.
    Those tasks stay open, and the releases that enforcement's own reaction to the closure generated (it runs
    first: its app is installed before this one) get theirs (it could not announce them: no cascades)."""
    kinds = [kind for kind in TaskKind if kind != TaskKind.FILE_LIEN_RELEASE]
    complete_open_tasks(case_ids=[event.case_id], kinds=kinds, completed_on=event.closed_on,
                        completed_by_id=event.actor_id, completion=Completion.CASE_CLOSED)  # fmt: skip
    unfiled = unfiled_releases(case_ids=[event.case_id])
    if unfiled:
        lien_releases_to_file(LienReleasesToFile(released_on=event.closed_on, items=releases_to_file(unfiled)))


def follow_up_requested(event: FollowUpRequested) -> None:
    """A tickler: the author's reminder, due on the day the author chose (no legal clock)."""
    text = " ".join(event.text.split())
    detail = text if len(text) <= DETAIL_LENGTH else text[: DETAIL_LENGTH - 1] + "…"
    open_tasks([NewTask(case_id=event.case_id, owner_id=event.author_id, kind=TaskKind.FOLLOW_UP,
                        source_key=f"note:{event.note_id}", event_on=min(event.noted_on, event.follow_up_on),
                        due_on=event.follow_up_on, detail=detail)])  # fmt: skip


def order_entered(event: OrderEntered) -> None:
    """The 36-month cycle restarts from the new order's signature: the earlier review task is superseded."""
    complete_open_tasks(case_ids=[event.case_id], kinds=[TaskKind.REVIEW_ORDER], completed_on=event.signed_on,
                        completed_by_id=event.actor_id, completion=Completion.SUPERSEDED)  # fmt: skip
    owner = _owners({event.case_id})[event.case_id]
    open_tasks(_task(TaskKind.REVIEW_ORDER, CLOCKS[TaskKind.REVIEW_ORDER], case_id=event.case_id, owner_id=owner,
                     event=event.signed_on, key=f"order:{event.order_id}"))  # fmt: skip


def employment_verified(event: EmploymentVerified) -> None:
    """An income withholding order to the new employer on every open case the person owes support on."""
    person = Person.objects.get(pk=event.person_id)
    owners = dict(cases_owed_by(person=person).values_list("pk", "assigned_worker_id"))
    tasks: list[NewTask] = []
    for case_id, owner in sorted(owners.items()):
        tasks += _task(TaskKind.INCOME_WITHHOLDING, CLOCKS[TaskKind.INCOME_WITHHOLDING], case_id=case_id,
                       owner_id=owner, event=event.verified_on, key=f"employment:{event.employment_id}")  # fmt: skip
    open_tasks(tasks)


def income_withholding_sent(event: IncomeWithholdingSent) -> None:
    """The withholding task of that job on that case is done (the employment's source key); a one-time lump sum
    order is not the periodic order the task asks for."""
    if event.action == "LUM":
        return
    employment_id = (
        IncomeWithholding.objects.filter(pk=event.withholding_id).values_list("employment_id", flat=True).get()
    )
    complete_open_tasks(case_ids=[event.case_id], kinds=[TaskKind.INCOME_WITHHOLDING], completed_on=event.sent_on,
                        completed_by_id=event.actor_id, completion=Completion.BY_EVENT,
                        source_key=f"employment:{employment_id}")  # fmt: skip


def remedies_proposed(event: RemediesProposed) -> None:
    """303.6(c)(2): an action within 30 calendar days of the delinquency, or 60 when service of process is
    needed: the 60-day row when every remedy proposed on the case is a court action served on the obligor. Every
    case of a sweep was found on the same date, so each clock's deadline is computed once."""
    owners = _owners(set(event.actions_by_case))
    deadlines = {clock: due(clock, event.found_on) for clock in (CLOCKS[TaskKind.ENFORCEMENT],
                                                                 ENFORCEMENT_AFTER_SERVICE_CLOCK)}  # fmt: skip
    key = f"delinquency:{event.found_on.isoformat()}"
    tasks: list[NewTask] = []
    for case_id in sorted(event.actions_by_case):
        served = case_id in event.service_of_process_cases
        deadline = deadlines[ENFORCEMENT_AFTER_SERVICE_CLOCK if served else CLOCKS[TaskKind.ENFORCEMENT]]
        if deadline is not None:
            tasks.append(NewTask(case_id=case_id, owner_id=owners[case_id], kind=TaskKind.ENFORCEMENT,
                                 source_key=key, event_on=event.found_on, due_on=deadline.due_on,
                                 clock=deadline))  # fmt: skip
    open_tasks(tasks)


def enforcement_decided(event: EnforcementDecided) -> None:
    if EnforcementAction.objects.filter(case_id=event.case_id, status=ActionStatus.PROPOSED).exists():
        return
    complete_open_tasks(case_ids=[event.case_id], kinds=[TaskKind.ENFORCEMENT], completed_on=event.decided_on,
                        completed_by_id=event.actor_id, completion=Completion.BY_EVENT)  # fmt: skip


def collections_posted(event: CollectionsPosted) -> None:
    """One pay-out task per collection, on the ledger's own clock (set-based for a payment file's batch); an
    employer's withholding payment completes the case's open employer-compliance task (the payment arrived); one
    task more to return each levy taken from an SSI recipient's account (45 CFR 307.11(c)(3)(ii))."""
    owners = _owners({item.case_id for item in event.collections})
    tasks: list[NewTask] = []
    for item in event.collections:
        tasks += _task(TaskKind.DISBURSE, item.clock, case_id=item.case_id, owner_id=owners[item.case_id],
                       event=item.clock_starts_on, key=f"collection:{item.collection_id}")  # fmt: skip
    clock = CLOCKS[TaskKind.RETURN_SSI_LEVY]
    for collection_id, case_id, received_on, amount in ssi_levies(
        collection_ids=[c.collection_id for c in event.collections]
    ):
        found = _task(TaskKind.RETURN_SSI_LEVY, clock, case_id=case_id, owner_id=owners.get(case_id),
                      event=received_on, key=f"ssi-levy:{collection_id}")  # fmt: skip
        tasks += [dataclasses.replace(task, detail=f"${amount:,} levied from the account of an SSI recipient "
                                      "(45 CFR 307.11(c)(3)): return it to the obligor") for task in found]  # fmt: skip
    open_tasks(tasks)
    _withholding_arrived(event)


def _withholding_arrived(event: CollectionsPosted) -> None:
    """An employer's payment arrived: it completes the compliance tasks of that employer's orders on the case
    (`Collection.payor_fein`); a payment whose payer is unknown completes every one on the case, and any payment
    the task of an order whose employer has no FEIN (as `enforcement.compliance` counts them)."""
    ids = [item.collection_id for item in event.collections]
    withheld: dict[int, str] = {}  # collection id -> the payer's FEIN ("" unknown)
    for start in range(0, len(ids), ID_CHUNK):
        chunk = Collection.objects.filter(
            pk__in=ids[start : start + ID_CHUNK], source=CollectionSource.INCOME_WITHHOLDING
        )
        withheld.update(chunk.values_list("pk", "payor_fein"))
    by_day: dict[date, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for item in event.collections:
        if item.collection_id in withheld:
            by_day[item.clock_starts_on][item.case_id].add(withheld[item.collection_id])
    for day, payers in sorted(by_day.items()):
        unknown = [case_id for case_id, feins in payers.items() if "" in feins]
        complete_open_tasks(case_ids=unknown, kinds=[TaskKind.EMPLOYER_COMPLIANCE], completed_on=day,
                            completed_by_id=event.actor_id, completion=Completion.BY_EVENT)  # fmt: skip
        named = {case_id: feins for case_id, feins in payers.items() if "" not in feins}
        for case_id, key in _compliance_tasks_answered(named, day):
            complete_open_tasks(case_ids=[case_id], kinds=[TaskKind.EMPLOYER_COMPLIANCE], completed_on=day,
                                completed_by_id=event.actor_id, completion=Completion.BY_EVENT,
                                source_key=key)  # fmt: skip


def _compliance_tasks_answered(payers: dict[int, set[str]], day: date) -> list[tuple[int, str]]:
    """(case, task key) of the open compliance tasks whose order's employer is one of the case's payers (or has
    no FEIN). The tasks are few: one per order whose payment was late."""
    if not payers:
        return []
    tasks = list(Task.objects.filter(case_id__in=list(payers), kind=TaskKind.EMPLOYER_COMPLIANCE,
                                     completed_on__isnull=True, event_on__lte=day)
                 .values_list("case_id", "source_key"))  # fmt: skip
    orders = {int(key.split(":")[1]): (case_id, key) for case_id, key in tasks if key.startswith("iwo:")}
    feins = dict(IncomeWithholding.objects.filter(pk__in=list(orders)).values_list("pk", "employer__fein"))
    return [(case_id, key) for pk, (case_id, key) in orders.items()
            if not feins.get(pk) or feins[pk] in payers[case_id]]  # fmt: skip


def disbursements_made(event: DisbursementsMade) -> None:
    complete_open_tasks(case_ids=event.case_ids, kinds=[TaskKind.DISBURSE], completed_on=event.made_on,
                        completed_by_id=event.actor_id, completion=Completion.BY_EVENT)  # fmt: skip


def closure_notice_sent(event: ClosureNoticeSent) -> None:
    """The notice period of 45 CFR 303.11(d) ends: check for a response before the case closes."""
    owner = _owners({event.case_id})[event.case_id]
    open_tasks([NewTask(case_id=event.case_id, owner_id=owner, kind=TaskKind.FOLLOW_UP,
                        source_key=f"closure:{event.closure_id}", event_on=event.sent_on, due_on=event.closes_on,
                        detail=f"Closure notice period ends ({event.criterion}, 45 CFR 303.11(d)): the case "
                        "closes unless the recipient responded")])  # fmt: skip


def genetic_test_presumed(event: GeneticTestPresumed) -> None:
    """A result at or above the State's threshold: the staff attorney starts the paternity proceeding."""
    owner = _owners({event.case_id})[event.case_id]
    open_tasks(_task(TaskKind.REFER_PATERNITY, PATERNITY_REFERRAL_CLOCK, case_id=event.case_id,
                     owner_id=owner, event=event.received_on, key=f"genetic_test:{event.test_id}"))  # fmt: skip


def locate_needed(event: LocateNeeded) -> None:
    """The 75-day locate clock of 45 CFR 303.3(b)(3) starts on the determination (one open locate task a case)."""
    if Task.objects.filter(case_id=event.case_id, kind=TaskKind.LOCATE, completed_on__isnull=True).exists():
        return
    owner = _owners({event.case_id})[event.case_id]
    open_tasks(_task(TaskKind.LOCATE, CLOCKS[TaskKind.LOCATE], case_id=event.case_id, owner_id=owner,
                     event=event.determined_on, key=f"locate:{event.determined_on.isoformat()}"))  # fmt: skip


def parent_located(event: ParentLocated) -> None:
    """The parent is located: the locate and quarterly repeat-locate tasks are done (by the event)."""
    complete_open_tasks(case_ids=event.case_ids, kinds=[TaskKind.LOCATE, TaskKind.REPEAT_LOCATE],
                        completed_on=event.located_on, completed_by_id=event.actor_id,
                        completion=Completion.BY_EVENT)  # fmt: skip


def employer_payments_overdue(event: EmployerPaymentsOverdue) -> None:
    """One task per order whose employer's payment has not arrived; none while one is open for that order."""
    case_ids = {case_id for case_id, *_ in event.items}
    open_keys = Task.objects.filter(case_id__in=case_ids, kind=TaskKind.EMPLOYER_COMPLIANCE,
                                    completed_on__isnull=True).values_list("source_key", flat=True)  # fmt: skip
    open_orders = {key.split(":")[1] for key in open_keys}
    owners = _owners(case_ids)
    due_on = event.found_on + timedelta(days=ENFORCEMENT_FOLLOW_UP_DAYS)
    open_tasks([NewTask(case_id=case_id, owner_id=owners[case_id], kind=TaskKind.EMPLOYER_COMPLIANCE,
                        source_key=f"iwo:{withholding_id}:{since.isoformat()}", event_on=event.found_on,
                        due_on=due_on, detail=detail)
                for case_id, withholding_id, since, detail in event.items
                if str(withholding_id) not in open_orders])  # fmt: skip


def eiwo_rejected(event: EiwoRejected) -> None:
    """The employer rejected an electronic order: the officer verifies the job and acts on the reason."""
    owners = _owners({case_id for case_id, _, _ in event.items})
    due_on = event.received_on + timedelta(days=ENFORCEMENT_FOLLOW_UP_DAYS)
    open_tasks([NewTask(case_id=case_id, owner_id=owners[case_id], kind=TaskKind.EIWO_REJECTED,
                        source_key=f"eiwo-ack:{ack_id}", event_on=event.received_on, due_on=due_on,
                        detail=words) for case_id, ack_id, words in event.items])  # fmt: skip


# The whole notice: a termination names the new employer, the lead the officer follows (Task.detail holds 200).
NOTICE_DETAIL_LENGTH = 200
NOTICE_TASKS = {"T": TaskKind.EMPLOYEE_TERMINATED, "L": TaskKind.EMPLOYER_LUMP_SUM, "S": TaskKind.EMPLOYEE_SUSPENDED}


def eiwo_employer_notices(event: EiwoEmployerNotices) -> None:
    """An employer told of a job ended, a lump sum to come or a suspension: the officer acts on each case. A lump
    sum order must reach the employer before the payment: due the day before it when that is sooner (never
    before the notice's receipt)."""
    owners = _owners({item.case_id for item in event.items})
    follow_up = event.received_on + timedelta(days=ENFORCEMENT_FOLLOW_UP_DAYS)
    tasks = []
    for item in event.items:
        due_on = follow_up
        if item.act_by is not None:
            due_on = max(event.received_on, min(follow_up, item.act_by - timedelta(days=1)))
        tasks.append(NewTask(case_id=item.case_id, owner_id=owners[item.case_id], kind=NOTICE_TASKS[item.kind],
                             source_key=f"eiwo-notice:{item.notice_id}", event_on=event.received_on, due_on=due_on,
                             detail=item.words[:NOTICE_DETAIL_LENGTH]))  # fmt: skip
    open_tasks(tasks)


def license_response_needs_action(event: LicenseResponseNeedsAction) -> None:
    """The licensing agency could not act on a certification: the officer corrects the license (or ends it)."""
    owners = _owners({case_id for case_id, _, _ in event.items})
    due_on = event.received_on + timedelta(days=ENFORCEMENT_FOLLOW_UP_DAYS)
    open_tasks([NewTask(case_id=case_id, owner_id=owners[case_id], kind=TaskKind.LICENSE_RESPONSE,
                        source_key=f"license-answer:{certification_id}", event_on=event.received_on, due_on=due_on,
                        detail=words) for case_id, certification_id, words in event.items])  # fmt: skip


def lien_releases_to_file(event: LienReleasesToFile) -> None:
    """A lien action was released: the officer files each Release of Lien with the office that recorded the lien."""
    owners = _owners({case_id for case_id, _, _ in event.items})
    due_on = event.released_on + timedelta(days=ENFORCEMENT_FOLLOW_UP_DAYS)
    open_tasks([NewTask(case_id=case_id, owner_id=owners[case_id], kind=TaskKind.FILE_LIEN_RELEASE,
                        source_key=f"lien-release:{lien_id}", event_on=event.released_on, due_on=due_on,
                        detail=words) for case_id, lien_id, words in event.items])  # fmt: skip


def lien_release_filed(event: LienReleaseFiled) -> None:
    complete_open_tasks(case_ids=[event.case_id], kinds=[TaskKind.FILE_LIEN_RELEASE], completed_on=event.filed_on,
                        completed_by_id=event.actor_id, completion=Completion.BY_EVENT,
                        source_key=f"lien-release:{event.lien_id}")  # fmt: skip


def offset_submission_rejected(event: OffsetSubmissionRejected) -> None:
    """OCSE rejected a record of the federal offset submission: the officer corrects the case (name, SSN, ...)."""
    owners = _owners({case_id for case_id, _, _ in event.items})
    due_on = event.received_on + timedelta(days=ENFORCEMENT_FOLLOW_UP_DAYS)
    open_tasks([NewTask(case_id=case_id, owner_id=owners[case_id], kind=TaskKind.FOP_REJECTED,
                        source_key=f"fop-reject:{reject_id}", event_on=event.received_on, due_on=due_on,
                        detail=words[:DETAIL_LENGTH]) for case_id, reject_id, words in event.items])  # fmt: skip
