"""The delinquency sweep: find every delinquent case and propose the remedies it qualifies for.

45 CFR 303.6(b): the agency monitors every case with an order and identifies a delinquency no later than the
date the unpaid support equals one month's support; (c)(2): it takes an appropriate enforcement action within
30 calendar days of identifying it. The sweep (the nightly cycle calls `opencse enforcement sweep --as-of`)
reads, for every open case with an order, in three set-based queries: the arrears on the date (every arrears
account of the ledger), the current support in force as a monthly amount (each term's step in force, times
its periods a year over 12, from the order conventions' parameters), and the facts that hold a remedy (a
pending contest, a protected party, a bankruptcy stay, an SSI recipient's account: `facts`). An action under way
that a stay (or SSI, for a levy) holds is stopped: a notice withdrawn, an action taken released. The pure rule
(`rules.remedies`) says which remedies each delinquent case qualifies for; the sweep proposes each one not
already open (nor rejected in the last `REJECTION_QUIET_DAYS`), in one bulk insert with its steps, as the
system actor, records the run (`SweepRun`, with its one audit row), and publishes `RemediesProposed` so the
worklist opens the 303.6(c)(2) task. Nothing irreversible happens here: an officer with signature authority
approves or rejects each proposal (`services`). Idempotent: a second run on the same date proposes nothing new.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Max, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from opencse.cases.models import Case, CaseMember, Program
from opencse.common.bulk_insert import insert_values
from opencse.common.events import publish
from opencse.common.money import MoneySum
from opencse.enforcement.agreements import kept_agreements, mark_broken
from opencse.enforcement.endings import actions_released
from opencse.enforcement.events import RemediesProposed
from opencse.enforcement.facts import ssi_recipients, stays_in_effect
from opencse.enforcement.models import OPEN_STATUSES, ActionStatus, ActionStep, EnforcementAction, SweepRun
from opencse.ledger.models import Account, LedgerEntry
from opencse.orders.models import Frequency, OrderStatus, OrderTerm, TermKind, TermStep
from opencse.rules.money import ZERO
from opencse.rules.remedies import DelinquencyFacts, Finding, assess, release_reason, remedies, stop_reason
from opencse.rules.schedules import Frequency as RuleFrequency
from opencse.rules.schedules import monthly_equivalent
from opencse.security.audit import record_audit
from opencse.security.services import system_actor

log = logging.getLogger(__name__)
# Current support for 303.6(b)'s "one month's support": what the order charges each month for the children.
SUPPORT_KINDS = [TermKind.CURRENT_SUPPORT, TermKind.CASH_MEDICAL, TermKind.CHILD_CARE, TermKind.SPOUSAL_SUPPORT]
ARREARS_ACCOUNTS = [account for account in Account.values if account != Account.CURRENT_SUPPORT]
ASSIGNED_PROGRAMS = [Program.CURRENT_ASSISTANCE, Program.FORMER_ASSISTANCE, Program.FOSTER_CARE]
REJECTION_QUIET_DAYS = 90  # a rejected proposal is not proposed again for 90 days: an OpenCSE choice
CHUNK = 5_000


@dataclass
class SweepResult:
    as_of: date
    cases_checked: int = 0
    delinquent: int = 0
    proposed: int = 0
    released: int = 0
    withdrawn: int = 0
    agreements_broken: int = 0
    by_remedy: dict[str, int] = field(default_factory=dict)


def monthly_support(*, as_of: date) -> dict[int, Decimal]:
    """Each open case's current support in force on `as_of` as a monthly amount: one query for the terms and
    their step in force, the arithmetic in Decimal (`rules.schedules.monthly_equivalent`, per term)."""
    step_amount = Subquery(
        TermStep.objects.filter(term=OuterRef("pk"), starts_on__lte=as_of).order_by("-starts_on").values("amount")[:1]
    )
    rows = (
        OrderTerm.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=as_of),
            kind__in=SUPPORT_KINDS,
            starts_on__lte=as_of,
            order__status=OrderStatus.ACTIVE,
            case__closed_on__isnull=True,
        )
        .exclude(frequency=Frequency.ONE_TIME)
        .annotate(amount=step_amount)
        .values_list("case_id", "frequency", "amount")
        .iterator(chunk_size=CHUNK)
    )
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for case_id, frequency, amount in rows:
        if amount is not None:
            totals[case_id] += monthly_equivalent(Decimal(amount), RuleFrequency(frequency), as_of=as_of)
    return dict(totals)


def arrears_by_case(*, as_of: date, case_ids: list[int] | None = None) -> dict[int, Decimal]:
    """Each case's arrears on `as_of`, summed by the database (cases owing nothing are left out)."""
    entries = LedgerEntry.objects.filter(account__in=ARREARS_ACCOUNTS, effective_on__lte=as_of)
    if case_ids is not None:
        entries = entries.filter(case_id__in=case_ids)
    rows = entries.values("case_id").annotate(owed=MoneySum("amount")).filter(owed__gt=0).values_list("case_id", "owed")
    return {case_id: Decimal(owed) for case_id, owed in rows}


@lru_cache(maxsize=4096)
def _assess(facts: DelinquencyFacts, state: str, as_of: date) -> tuple[Finding, ...]:
    return assess(facts, state=state, as_of=as_of)


@dataclass(frozen=True)
class _Caseload:
    """What the sweep reads of every case, set-based, on one date."""

    support: dict[int, Decimal]
    owed: dict[int, Decimal]
    program: dict[int, str]
    contested: set[int]
    protected: set[int]
    kept: set[int]
    obligors: dict[int, int]  # case -> its obligor (the latest term's)
    stayed: set[int]  # cases whose obligor is under a bankruptcy stay
    ssi: set[int]  # cases whose obligor receives SSI

    def facts(self, case_id: int) -> DelinquencyFacts:
        return DelinquencyFacts(
            arrears=self.owed.get(case_id, ZERO),
            monthly_support=self.support.get(case_id, ZERO),
            assistance=self.program.get(case_id) in ASSIGNED_PROGRAMS,
            payment_agreement_kept=case_id in self.kept,
            contest_pending=case_id in self.contested,
            protected_party=case_id in self.protected,
            bankruptcy_stay=case_id in self.stayed,
            ssi_recipient=case_id in self.ssi,
        )


def _read(as_of: date, kept: set[int]) -> _Caseload:
    owed = arrears_by_case(as_of=as_of)
    with_actions = set(
        EnforcementAction.objects.filter(status__in=OPEN_STATUSES).values_list("case_id", flat=True).distinct()
    )
    # Every open case is read, and the few the sweep needs are picked here: a list of hundreds of thousands of
    # case ids sent as query parameters costs more (the driver parses it, PostgreSQL plans it) than the rows.
    wanted = set(owed) | with_actions
    program = {
        pk: kind
        for pk, kind in Case.objects.filter(closed_on__isnull=True).values_list("pk", "program").iterator(CHUNK * 10)
        if pk in wanted
    }
    contested = set(
        EnforcementAction.objects.filter(status=ActionStatus.CONTESTED, case__closed_on__isnull=True).values_list(
            "case_id", flat=True
        )
    )
    protected = set(
        CaseMember.objects.filter(
            left_on__isnull=True, person__family_violence=True, case__closed_on__isnull=True
        ).values_list("case_id", flat=True)
    )
    owed = {case_id: amount for case_id, amount in owed.items() if case_id in program}
    obligors = _obligors(set(program))
    # Every obligor under a stay or on SSI on the date, one query each (few people: no list of ids to send).
    stayed_people, ssi_people = stays_in_effect(obligor_ids=None, on=as_of), ssi_recipients(obligor_ids=None, on=as_of)
    stayed = {case_id for case_id, obligor_id in obligors.items() if obligor_id in stayed_people}
    ssi = {case_id for case_id, obligor_id in obligors.items() if obligor_id in ssi_people}
    return _Caseload(monthly_support(as_of=as_of), owed, program, contested, protected, kept, obligors, stayed, ssi)


@transaction.atomic
def sweep(*, as_of: date) -> SweepResult:
    """Propose every remedy a delinquent case qualifies for on `as_of` and has not open; mark the payment
    agreements missed as broken; release the actions whose debt is paid, or below their trigger, or held by a
    kept agreement; withdraw the proposals no longer due (see the module)."""
    result = SweepResult(as_of=as_of)
    actor = system_actor()
    kept, broken = kept_agreements(as_of=as_of)
    mark_broken(agreement_ids=broken, as_of=as_of, actor=actor)
    caseload = _read(as_of, kept)
    result.agreements_broken = len(broken)
    result.cases_checked = len(set(caseload.support) | set(caseload.owed))
    _release(caseload, as_of, actor, result)  # first: it reads only what was under way before this run
    _propose(caseload, as_of, actor, result)
    _record_run(result, actor)
    log.info("enforcement sweep as of %s: %d cases, %d delinquent, %d proposals, %d released, %d withdrawn",
             as_of, result.cases_checked, result.delinquent, result.proposed, result.released,
             result.withdrawn)  # fmt: skip
    return result


def _record_run(result: SweepResult, actor: Any) -> None:
    """The run's record and its one audit row. The actions it proposed, released or withdrew are not audited
    one by one: each has its step (by the system actor, dated, with why), and at state scale a row per action
    in the audit trail too would double the run's writes. People's decisions on them are audited each."""
    counts = {"cases_checked": result.cases_checked, "delinquent": result.delinquent, "proposed": result.proposed,
              "released": result.released, "withdrawn": result.withdrawn,
              "agreements_broken": result.agreements_broken}  # fmt: skip
    run = SweepRun.objects.create(as_of=result.as_of, by=actor, by_remedy=dict(sorted(result.by_remedy.items())),
                                  **counts)  # fmt: skip
    record_audit(actor=actor, action="enforcement.sweep", target=run, summary=str(run),
                 after={"as_of": result.as_of.isoformat(), **counts})  # fmt: skip


ACTION_COLUMNS = ["case_id", "obligor_id", "remedy", "remedy_name", "citation", "status", "found_on", "arrears",
                  "monthly_support", "reasons", "contest_days", "contest_days_out_of_state", "service_methods",
                  "proposed_by_id", "proposed_at", "decision_note", "service_method", "ability_to_pay",
                  "served_out_of_state"]  # fmt: skip


def _propose(caseload: _Caseload, as_of: date, actor: Any, result: SweepResult) -> None:
    """The proposals as plain rows (no model instance per row: at state scale they are millions), written by
    COPY; then their steps, and one event for the worklist."""
    case_ids = sorted(caseload.owed)
    taken = _open_or_quiet(case_ids, as_of)
    obligors = caseload.obligors
    state = str(settings.OPENCSE_STATE)
    now = timezone.now()
    rows: list[tuple[Any, ...]] = []
    served_only: set[int] = set()  # cases whose every new proposal needs service of process (303.6(c)(2))
    for case_id in case_ids:
        facts = caseload.facts(case_id)
        findings = _assess(facts, state, as_of)
        if not any(finding.eligible for finding in findings):
            continue
        result.delinquent += 1
        obligor_id = obligors.get(case_id)
        if obligor_id is None:
            continue  # arrears without a term charging anyone: nothing to act on (the ledger's own report shows it)
        to_propose = [f.remedy for f in findings if f.eligible and (case_id, f.remedy.key) not in taken]
        if to_propose and all(remedy.service_of_process for remedy in to_propose):
            served_only.add(case_id)
        for finding in findings:
            remedy = finding.remedy
            if not finding.eligible or (case_id, remedy.key) in taken:
                continue
            rows.append((case_id, obligor_id, remedy.key, remedy.name[:120], remedy.citation[:200],
                         ActionStatus.PROPOSED.value, as_of, facts.arrears, facts.monthly_support,
                         _json(finding.reasons), remedy.contest_days, remedy.contest_days_out_of_state,
                         _json(remedy.service), actor.pk, now, "", "", "", False))  # fmt: skip
            result.by_remedy[remedy.key] = result.by_remedy.get(remedy.key, 0) + 1
    before = EnforcementAction.objects.aggregate(last=Max("pk"))["last"] or 0
    for start in range(0, len(rows), CHUNK * 10):
        insert_values(EnforcementAction, ACTION_COLUMNS, rows[start : start + CHUNK * 10])
    new = list(
        EnforcementAction.objects.filter(pk__gt=before, found_on=as_of, proposed_by=actor, status=ActionStatus.PROPOSED)
        .values_list("pk", "case_id", "case__number", "remedy_name", "arrears")
        .order_by("pk")
    )
    assert len(new) == len(rows), (len(new), len(rows))
    _record_steps(new, step="proposed", on=as_of, actor=actor, note="Found by the delinquency sweep")
    result.proposed = len(new)
    by_case: dict[int, list[int]] = defaultdict(list)
    for pk, case_id, *_ in new:
        by_case[case_id].append(pk)
    if by_case:
        publish(RemediesProposed(found_on=as_of, actions_by_case={k: tuple(v) for k, v in by_case.items()},
                                 service_of_process_cases=frozenset(served_only & set(by_case))))  # fmt: skip


@lru_cache(maxsize=65_536)
def _json(values: tuple[str, ...]) -> str:
    """JSON text of a tuple of texts (a finding's reasons repeat across cases: encoded once each)."""
    return json.dumps(list(values))


def _release(caseload: _Caseload, as_of: date, actor: Any, result: SweepResult) -> None:
    """Release the actions under way whose release condition holds; withdraw the proposals no longer due. Reads
    the few columns it needs of the actions it changes (`_under_way`) and writes one UPDATE per outcome."""
    done, notes = _under_way(caseload, as_of)
    for start in range(0, len(done["released"]), CHUNK):
        ids = [row[0] for row in done["released"][start : start + CHUNK]]
        EnforcementAction.objects.filter(pk__in=ids).update(status=ActionStatus.RELEASED, released_on=as_of)
    for start in range(0, len(done["withdrawn"]), CHUNK):
        ids = [row[0] for row in done["withdrawn"][start : start + CHUNK]]
        EnforcementAction.objects.filter(pk__in=ids).update(status=ActionStatus.WITHDRAWN)
    for step, rows in done.items():
        by_note: dict[str, list[tuple[int, int, str, str, Decimal]]] = defaultdict(list)
        for row in rows:
            by_note[notes[row[0]]].append(row)
        for note, actions in by_note.items():
            _record_steps(actions, step=step, on=as_of, actor=actor, note=note)
    actions_released({row[0]: notes[row[0]] for row in done["released"]}, on=as_of, actor=actor)
    result.released, result.withdrawn = len(done["released"]), len(done["withdrawn"])


UNDER_WAY = (ActionStatus.PROPOSED.value, ActionStatus.NOTICED.value, ActionStatus.TAKEN.value)
QUIET_TABLE = "sweep_quiet_actions"


def _under_way(
    caseload: _Caseload, as_of: date
) -> tuple[dict[str, list[tuple[int, int, str, str, Decimal]]], dict[int, str]]:
    """What tonight does to the actions under way: released, withdrawn (pk, case id, case number, remedy name,
    arrears; in the actions' order), and why, by action. Each action is decided on its case's facts
    (`_outcome`); only the actions whose outcome is not "nothing" are read (`_changing`): on a second night,
    none but those the day's facts changed."""
    state = str(settings.OPENCSE_STATE)
    done: dict[str, list[tuple[int, int, str, str, Decimal]]] = {"released": [], "withdrawn": []}
    notes: dict[int, str] = {}  # why, by action
    for pk, case_id, number, key, name, arrears, status in _changing(caseload, state, as_of):
        outcome = _outcome(caseload.facts(case_id), key, status, state, as_of)
        if outcome is not None:
            step, notes[pk] = outcome
            done[step].append((pk, case_id, number, name, arrears))
    return done, notes


def _outcome(facts: DelinquencyFacts, key: str, status: str, state: str, as_of: date) -> tuple[str, str] | None:
    """("withdrawn" or "released", why) for an action of remedy `key` in `status` (proposed, noticed or taken)
    on a case with `facts`, or None: it stays as it is. A proposal no longer due (or whose remedy is no longer in
    force) is withdrawn; a notice whose action is stayed is withdrawn (a new one later); an action taken is
    released when stopped or when its release condition holds."""
    finding = next((f for f in _assess(facts, state, as_of) if f.remedy.key == key), None)
    if status == ActionStatus.PROPOSED:
        if finding is None or not finding.eligible:
            return "withdrawn", " ".join(finding.reasons if finding else ("The remedy is no longer in force.",))
        return None
    stop = stop_reason(finding.remedy, facts) if finding else None
    if stop and status == ActionStatus.NOTICED:
        return "withdrawn", stop
    reason = stop or (release_reason(finding.remedy, facts) if finding else None)
    return ("released", reason) if reason else None


def _pairs(state: str, as_of: date) -> tuple[tuple[str, str], ...]:
    """Every (remedy in force, status under way): bit i of a case's quiet mask is pair i."""
    pairs = tuple((remedy.key, status) for remedy in remedies(state=state, as_of=as_of) for status in UNDER_WAY)
    assert len(pairs) < 63, len(pairs)  # the mask is a 64-bit integer in the database
    return pairs


@lru_cache(maxsize=65_536)
def _quiet_mask(facts: DelinquencyFacts, state: str, as_of: date) -> int:
    """The (remedy, status) pairs under which an action on a case with `facts` stays as it is, as bits."""
    mask = 0
    for bit, (key, status) in enumerate(_pairs(state, as_of)):
        if _outcome(facts, key, status, state, as_of) is None:
            mask |= 1 << bit
    return mask


def _changing(caseload: _Caseload, state: str, as_of: date) -> Iterator[tuple[int, int, str, str, str, Decimal, str]]:
    """The actions under way (on open cases) whose outcome on their case's facts is not "nothing", in the
    actions' order: (pk, case id, case number, remedy, remedy name, arrears, status).

    Each case read tonight gets its quiet mask (`_quiet_mask`: the facts decide it, one assessment per distinct
    facts), copied into a temporary table of the cases with any quiet pair; the actions are read less those
    whose case's mask holds their (remedy, status) pair: one anti-join, no list of ids sent as parameters. An
    action of a case not read tonight, or of a remedy not in force, is always read; `_under_way` then decides
    each as before, so the outcome is the full walk's (tests/enforcement/test_sweep_under_way.py)."""
    pairs = _pairs(state, as_of)
    masks = [(case_id, mask) for case_id in caseload.program if (mask := _quiet_mask(caseload.facts(case_id), state,
                                                                                      as_of))]  # fmt: skip
    table = EnforcementAction._meta.db_table
    bit = " ".join(f"WHEN {table}.remedy = %s AND {table}.status = %s THEN {1 << i}" for i in range(len(pairs)))
    quiet = RawSQL(  # noqa: S611 - the table names and bits are ours; the remedies and statuses are parameters
        f"NOT EXISTS (SELECT 1 FROM {QUIET_TABLE} q WHERE q.case_id = {table}.case_id"  # noqa: S608
        f" AND (q.mask & (CASE {bit} ELSE 0 END)) <> 0)",
        [value for pair in pairs for value in pair],
        output_field=BooleanField(),
    )
    under_way = (
        EnforcementAction.objects.filter(status__in=UNDER_WAY, case__closed_on__isnull=True)
        .filter(quiet)
        .values_list("pk", "case_id", "case__number", "remedy", "remedy_name", "arrears", "status")
        .order_by("pk")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {QUIET_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {QUIET_TABLE} (case_id integer NOT NULL, mask bigint NOT NULL)")
        try:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {QUIET_TABLE} (case_id, mask) FROM STDIN") as copy:
                    for row in masks:
                        copy.write_row(row)
                cursor.execute(f"ANALYZE {QUIET_TABLE}")
            else:
                cursor.executemany(f"INSERT INTO {QUIET_TABLE} (case_id, mask) VALUES (%s, %s)", masks)  # noqa: S608
            yield from under_way.iterator(chunk_size=CHUNK)
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {QUIET_TABLE}")


def _record_steps(
    actions: list[tuple[int, int, str, str, Decimal]], *, step: str, on: date, actor: Any, note: str
) -> None:
    """The steps of a batch of actions (pk, case id, case number, remedy name, arrears), by COPY."""
    now = timezone.now()
    steps = [(pk, step, on, note[:500], actor.pk, now) for pk, *_ in actions]
    for start in range(0, len(steps), CHUNK * 10):
        insert_values(ActionStep, ["action_id", "step", "on", "note", "by_id", "recorded_at"],
                      steps[start : start + CHUNK * 10])  # fmt: skip


def _open_or_quiet(case_ids: list[int], as_of: date) -> set[tuple[int, str]]:
    """(case, remedy) already open, or rejected within the quiet period, of `case_ids`: not proposed again. One
    query over every such action (no list of case ids sent: see `_read`)."""
    quiet_since = as_of - timedelta(days=REJECTION_QUIET_DAYS)
    rows = EnforcementAction.objects.filter(
        Q(status__in=OPEN_STATUSES) | Q(status=ActionStatus.REJECTED, found_on__gt=quiet_since)
    )
    wanted = set(case_ids)
    return {(case_id, remedy) for case_id, remedy in rows.values_list("case_id", "remedy").iterator(CHUNK * 10)
            if case_id in wanted}  # fmt: skip


def _obligors(case_ids: set[int]) -> dict[int, int]:
    """The obligor of each case's latest term (the one definition of an obligor: a term's), for `case_ids`: one
    query over the open cases' terms (no list of case ids sent: see `_read`)."""
    rows = OrderTerm.objects.filter(case__closed_on__isnull=True).order_by("case_id", "starts_on", "pk")
    return {case_id: obligor for case_id, obligor in rows.values_list("case_id", "obligor_id").iterator(CHUNK * 10)
            if case_id in case_ids}  # fmt: skip
