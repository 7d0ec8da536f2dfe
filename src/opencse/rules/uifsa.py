"""The UIFSA controlling order (section 207) and continuing, exclusive jurisdiction (section 205).

UIFSA (2008) section 207 (RCW 26.21A.130; Miss. Code 93-25-101 et seq.; 28 U.S.C. 1738B(f)) picks one
order out of several child-support orders for the same obligor and child. The sequence is applied
exactly in the Act's order:

1. Only one order: it controls (207(a)).
2. Two or more orders: for each issuing tribunal, ask whether it *would have* CEJ under section 205,
   looking at its order alone: does the obligor, the individual obligee or the child reside in the
   issuing state, or did the parties consent in a record or in open court that it may continue
   (205(a)(1), (a)(2))?
   - only one would: its order controls (207(b)(1));
   - more than one would: the order of the child's current home state controls, and if that state
     issued none, the order most recently issued (207(b)(2));
   - none would: the determining tribunal issues a new order (207(b)(3)).

Three facts take an order out of the CEJ count: a temporary order issued ex parte or pending a
jurisdictional conflict creates no CEJ (205(e)); an order validly modified by another tribunal is
replaced by the modification (205(b)(1), 205(c); 28 U.S.C. 1738B(d)); and nobody left in the
issuing state with no consent (205(a)). Tribal tribunals are a "state" (UIFSA 102; 28 U.S.C.
1738B(b)(9)); foreign tribunals are weighed by the same test (UIFSA 105(a) applies Articles 1-6).

Where the Act does not settle the answer (two orders on the latest date, no home state, two
unlinked orders of the one issuer the Act points to) the result names the question for an officer's decision and
controls nothing; it never picks silently. The choices are dated parameters in params/us/uifsa.yaml,
explained in docs/rules/controlling-order.md.

The module is longer than the ~400 lines of style guide 3.12 because the section 207 sequence, the
section 205 test it calls, the words of each finding and the input checks belong together: split,
a reader would have to follow the Act across files. Every function stays under 70 lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from opencse.errors import InvalidInput
from opencse.rules.explain import Explanation, Line, ParameterUse
from opencse.rules.params import ParameterSet, parameters

ORDERS_MAXIMUM = 50  # far above any real obligor and child; a longer list is a bug upstream
TRIBE_PREFIX = "tribe:"
COUNTRY_PREFIX = "country:"

REF_205_A = "UIFSA section 205(a)(1); RCW 26.21A.120(1)(a); 28 U.S.C. 1738B(d)"
REF_205_CONSENT = "UIFSA section 205(a)(2); RCW 26.21A.120(1)(b); 28 U.S.C. 1738B(d)"
REF_205_TEMPORARY = "UIFSA section 205(e); RCW 26.21A.120(5)"
REF_205_MODIFIED = "UIFSA sections 205(b)(1), 205(c); RCW 26.21A.120(2)(a), (3); 28 U.S.C. 1738B(d)"
REF_207_A = "UIFSA section 207(a); RCW 26.21A.130(1); 28 U.S.C. 1738B(f)(1)"
REF_207_B1 = "UIFSA section 207(b)(1); RCW 26.21A.130(2)(a); 28 U.S.C. 1738B(f)(2)"
REF_207_B2 = "UIFSA section 207(b)(2); RCW 26.21A.130(2)(b); 28 U.S.C. 1738B(f)(3)"
REF_207_B3 = "UIFSA section 207(b)(3); RCW 26.21A.130(2)(c); 28 U.S.C. 1738B(f)(4)"
REF_CHOICE = "OpenCSE choice: docs/rules/controlling-order.md"


class Basis(StrEnum):
    """The branch of section 207 that decided, as the result's `basis` names it."""

    ONLY_ORDER = "only_order"
    ONLY_ONE_CEJ = "only_one_cej"
    HOME_STATE = "home_state"
    MOST_RECENT = "most_recent"
    NEW_ORDER_REQUIRED = "new_order_required"
    OFFICER_DECISION_REQUIRED = "officer_decision_required"


class OfficerQuestion(StrEnum):
    """Why the Act does not settle the answer and an officer must decide."""

    SAME_DAY_MOST_RECENT = "same_day_most_recent"
    NO_HOME_STATE = "no_home_state"
    SAME_ISSUER_ORDERS_NOT_LINKED = "same_issuer_orders_not_linked"
    FOREIGN_TRIBUNAL_CEJ = "foreign_tribunal_cej"


class JurisdictionKind(StrEnum):
    """What issued an order or is a home: a state, a tribe or a country (UIFSA 102). `orders.models.TribunalKind`
    is another thing: the kind of body (court, administrative agency) that issued an order."""

    STATE = "state"
    TRIBE = "tribe"
    COUNTRY = "country"


@dataclass(frozen=True, slots=True, order=True)
class Jurisdiction:
    """A state (with DC and the territories), an Indian tribe, or a foreign country (UIFSA 102)."""

    kind: JurisdictionKind
    code: str

    @property
    def label(self) -> str:
        """How inputs and results write it: "WA", "tribe:navajo_nation", "country:DE"."""
        if self.kind is JurisdictionKind.STATE:
            return self.code
        return f"{self.kind.value}:{self.code}"


@dataclass(frozen=True, slots=True)
class SupportOrder:
    """One child-support order for the obligor and child, as issued by its tribunal."""

    id: str
    issued_by: Jurisdiction
    issued_on: date
    temporary_ex_parte: bool = False  # ex parte, or pending a jurisdictional conflict (205(e))
    modified_by: str | None = None  # the id of the order that validly modified this one


@dataclass(frozen=True, slots=True)
class Residences:
    """Where each person resides when the section 207 request is filed.

    A person may reside in more than one listed jurisdiction at once (a state and a tribe's Indian
    country). `obligee` is empty when there is no individual obligee (a State agency is obligee).
    """

    obligor: tuple[Jurisdiction, ...]
    obligee: tuple[Jurisdiction, ...]
    children: tuple[Jurisdiction, ...]


@dataclass(frozen=True, slots=True)
class OrderFinding:
    """Whether one issuing tribunal would have CEJ over its order, and the facts that decide it."""

    order_id: str
    issued_by: Jurisdiction
    issued_on: date
    considered: bool  # False when another tribunal validly modified the order
    would_have_cej: bool
    grounds: tuple[str, ...]  # the facts, as words: obligor_resides, consent_to_continue, ...
    modified_by: str | None
    reference: str


@dataclass(frozen=True, slots=True)
class ControllingOrderDetermination:
    """The section 207 answer, with the findings behind it (207(f)(1): the basis and its facts)."""

    controlling_order: str | None
    basis: Basis
    section: str
    cej: tuple[str, ...]
    officer_question: OfficerQuestion | None
    candidates: tuple[str, ...]  # the orders the officer chooses among; empty unless a question
    findings: tuple[OrderFinding, ...]
    explanation: tuple[Line, ...]
    parameters: tuple[ParameterUse, ...]

    @property
    def needs_officer_decision(self) -> bool:
        return self.officer_question is not None


@dataclass(frozen=True, slots=True)
class _Decision:
    controlling_order: str | None
    basis: Basis
    section: str
    officer_question: OfficerQuestion | None = None
    candidates: tuple[str, ...] = ()


def jurisdiction(text: str, *, field: str, as_of: date) -> Jurisdiction:
    """Read a residence, home-state or consent code: "WA", "tribe:<code>" or "country:<ISO code>"."""
    if text.startswith(TRIBE_PREFIX):
        return issuing_jurisdiction(JurisdictionKind.TRIBE, text[len(TRIBE_PREFIX) :], field=field, as_of=as_of)
    if text.startswith(COUNTRY_PREFIX):
        return issuing_jurisdiction(JurisdictionKind.COUNTRY, text[len(COUNTRY_PREFIX) :], field=field, as_of=as_of)
    return issuing_jurisdiction(JurisdictionKind.STATE, text, field=field, as_of=as_of)


def issuing_jurisdiction(kind: JurisdictionKind, code: str, *, field: str, as_of: date) -> Jurisdiction:
    """A jurisdiction of a known kind, checked against the dated list (UIFSA 102)."""
    known = parameters("us/uifsa_jurisdictions", as_of)
    listed = {
        JurisdictionKind.STATE: "states",
        JurisdictionKind.TRIBE: "tribes",
        JurisdictionKind.COUNTRY: "countries",
    }[kind]
    if code not in known[listed].value:
        hint = {
            JurisdictionKind.STATE: "a US state, DC or territory code such as WA (write tribe:<code> or country:<code> "
            "for a tribe or a foreign country)",
            JurisdictionKind.TRIBE: "a tribe code listed in params/us/uifsa_jurisdictions.yaml",
            JurisdictionKind.COUNTRY: "an ISO 3166-1 alpha-2 country code such as DE (US territories are states)",
        }[kind]
        raise InvalidInput(f"{code[:40]!r} is not {hint}", field=field)
    return Jurisdiction(kind=kind, code=code)


def determine_controlling_order(
    *,
    orders: Sequence[SupportOrder],
    residences: Residences,
    child_home_state: Jurisdiction | None,
    consents: frozenset[Jurisdiction],
    as_of: date,
    choices: ParameterSet | None = None,
) -> ControllingOrderDetermination:
    """Which order controls, and which issuing tribunals would have CEJ (UIFSA 205, 207; 1738B(f)).

    `orders` may come in any order: they are weighed sorted by issue date and id, so the answer
    never depends on how they were listed. `child_home_state` is None when no state is the child's
    home state (UIFSA 102). `consents` names the issuing jurisdictions whose tribunal the parties
    agreed, in a record or in open court, may continue to exercise jurisdiction (205(a)(2)). `choices`
    replaces the section 207 choices in force on `as_of` (us/uifsa.yaml), to run under another State's.
    """
    _check_orders(orders, consents=consents, as_of=as_of)
    choices = parameters("us/uifsa", as_of) if choices is None else choices
    known = parameters("us/uifsa_jurisdictions", as_of)
    lines = Explanation()
    for list_name in ("states", "tribes", "countries"):
        lines.note(known[list_name])
    ordered = sorted(orders, key=lambda order: (order.issued_on, order.id))
    _record_facts(lines, residences=residences, consents=consents, ordered=ordered)
    counts_temporary = _counts_temporary_orders(choices, lines, ordered)
    findings = tuple(_cej_finding(order, residences=residences, consents=consents) for order in ordered)
    for finding in findings:
        lines.add(_finding_step(finding), "would have CEJ" if finding.would_have_cej else "no CEJ", finding.reference)
    weighed = tuple(
        finding
        for finding, order in zip(findings, ordered, strict=True)
        if finding.considered and (counts_temporary or not order.temporary_ex_parte)
    )
    decision = _apply_section_207(weighed, child_home_state=child_home_state, choices=choices, lines=lines)
    cej = tuple(finding.order_id for finding in weighed if finding.would_have_cej)
    _check_decision(decision, weighed=weighed, cej=cej)
    return ControllingOrderDetermination(
        controlling_order=decision.controlling_order,
        basis=decision.basis,
        section=decision.section,
        cej=cej,
        officer_question=decision.officer_question,
        candidates=decision.candidates,
        findings=findings,
        explanation=lines.done(),
        parameters=lines.parameters(),
    )


def _record_facts(
    lines: Explanation, *, residences: Residences, consents: frozenset[Jurisdiction], ordered: Sequence[SupportOrder]
) -> None:
    """The facts section 205 looks at, as lines, so the determination states them (207(f)(1))."""

    def places(where: tuple[Jurisdiction, ...]) -> str:
        return ", ".join(place.label for place in where) or "no individual obligee"

    lines.add("Obligor resides in", places(residences.obligor), REF_205_A)
    lines.add("Individual obligee resides in", places(residences.obligee), REF_205_A)
    lines.add("Child resides in", places(residences.children), REF_205_A)
    consented = ", ".join(place.label for place in sorted(consents)) or "none"
    lines.add("Consents in a record or in open court that an issuing tribunal may continue", consented, REF_205_CONSENT)
    kinds = {order.issued_by.kind for order in ordered}
    if JurisdictionKind.TRIBE in kinds:
        lines.add(
            "A tribal tribunal issued an order: a tribe is a 'state' for UIFSA and FFCCSOA",
            "weighed like a state",
            "UIFSA section 102 ('state'); 28 U.S.C. 1738B(b)(9)",
        )
    if JurisdictionKind.COUNTRY in kinds:
        lines.add(
            "A foreign tribunal issued an order: the Act applies to foreign support orders and tribunals, so its "
            "CEJ is weighed by the section 205 test",
            "weighed like a state",
            f"UIFSA (2008) sections 105, 207(b); {REF_CHOICE}",
        )


def _counts_temporary_orders(choices: ParameterSet, lines: Explanation, ordered: Sequence[SupportOrder]) -> bool:
    """Whether a temporary ex parte order counts as an order for 207(a)/(b); recorded only when one is present."""
    if not any(order.temporary_ex_parte for order in ordered):
        return True
    counts = choices["temporary_order_counts_as_order"]
    value = lines.take(counts, "A temporary ex parte order counts as a child-support order (it only lacks CEJ)")
    assert isinstance(value, bool), value
    return value


def _cej_finding(order: SupportOrder, *, residences: Residences, consents: frozenset[Jurisdiction]) -> OrderFinding:
    """Would this order's issuing tribunal have CEJ, looking at this order alone (UIFSA 205; 207(b))?"""
    issuer = order.issued_by
    if order.modified_by is not None:
        return _finding(order, considered=False, cej=False, grounds=("modified",), reference=REF_205_MODIFIED)
    if order.temporary_ex_parte:
        return _finding(order, considered=True, cej=False, grounds=("temporary_ex_parte",), reference=REF_205_TEMPORARY)
    grounds = []
    if issuer in residences.obligor:
        grounds.append("obligor_resides")
    if issuer in residences.obligee:
        grounds.append("obligee_resides")
    if issuer in residences.children:
        grounds.append("child_resides")
    if grounds:
        return _finding(order, considered=True, cej=True, grounds=tuple(grounds), reference=REF_205_A)
    if issuer in consents:
        return _finding(order, considered=True, cej=True, grounds=("consent_to_continue",), reference=REF_205_CONSENT)
    return _finding(
        order, considered=True, cej=False, grounds=("no_party_or_child_resides", "no_consent"), reference=REF_205_A
    )


def _finding(
    order: SupportOrder, *, considered: bool, cej: bool, grounds: tuple[str, ...], reference: str
) -> OrderFinding:
    return OrderFinding(
        order_id=order.id,
        issued_by=order.issued_by,
        issued_on=order.issued_on,
        considered=considered,
        would_have_cej=cej,
        grounds=grounds,
        modified_by=order.modified_by,
        reference=reference,
    )


GROUND_WORDS = {
    "obligor_resides": "the obligor resides there",
    "obligee_resides": "the individual obligee resides there",
    "child_resides": "the child resides there",
    "consent_to_continue": "nobody resides there, but the parties consented that it may continue",
    "no_party_or_child_resides": "neither the obligor, the individual obligee nor the child resides there",
    "no_consent": "no consent to continue",
    "temporary_ex_parte": "a temporary order issued ex parte or pending a jurisdictional conflict creates no CEJ",
    "modified": "validly modified by another tribunal, so it is replaced and not weighed",
}


def _finding_step(finding: OrderFinding) -> str:
    facts = "; ".join(GROUND_WORDS[ground] for ground in finding.grounds)
    if finding.modified_by is not None:
        facts = f"{facts} (by {finding.modified_by})"
    return f"Order {finding.order_id} ({finding.issued_by.label}, issued {finding.issued_on.isoformat()}): {facts}"


def _apply_section_207(
    weighed: tuple[OrderFinding, ...],
    *,
    child_home_state: Jurisdiction | None,
    choices: ParameterSet,
    lines: Explanation,
) -> _Decision:
    """The section 207 sequence, in the Act's order: (a), (b)(1), (b)(2), (b)(3).

    Section 207 counts *tribunals*. Two weighed orders of one issuer, neither marked as modifying the
    other, stop the sequence only where the Act would have to pick between them.
    """
    lines.add("Orders weighed (not modified, counted as orders)", len(weighed), REF_207_A)
    if len(weighed) == 1:
        return _only_order(weighed[0], lines=lines)
    if len({finding.issued_by for finding in weighed}) == 1:
        return _unlinked(weighed, section="207(a)", lines=lines)
    if any(finding.issued_by.kind is JurisdictionKind.COUNTRY for finding in weighed):
        choice = lines.take(choices["foreign_tribunal_cej"], "A foreign order competes with others; OpenCSE's reading")
        assert choice in ("residence_test", "officer_decision"), choice
        if choice == "officer_decision":
            ids = tuple(finding.order_id for finding in weighed)
            return _Decision(None, Basis.OFFICER_DECISION_REQUIRED, "207(b)", OfficerQuestion.FOREIGN_TRIBUNAL_CEJ, ids)
    with_cej = tuple(finding for finding in weighed if finding.would_have_cej)
    tribunals_with_cej = {finding.issued_by for finding in with_cej}
    lines.add("Issuing tribunals that would have CEJ", len(tribunals_with_cej), REF_207_B1)
    if len(tribunals_with_cej) == 1:
        if len(with_cej) > 1:
            return _unlinked(with_cej, section="207(b)(1)", lines=lines)
        lines.add("Only one would have CEJ: its order controls", with_cej[0].order_id, REF_207_B1)
        return _Decision(with_cej[0].order_id, Basis.ONLY_ONE_CEJ, "207(b)(1)")
    if not with_cej:
        lines.add(
            "None would have CEJ: the determining tribunal, with personal jurisdiction over the obligor and the "
            "individual obligee, issues a new order, which controls",
            "new order",
            REF_207_B3,
        )
        return _Decision(None, Basis.NEW_ORDER_REQUIRED, "207(b)(3)")
    return _more_than_one_cej(with_cej, child_home_state=child_home_state, choices=choices, lines=lines)


def _only_order(only: OrderFinding, *, lines: Explanation) -> _Decision:
    """207(a): the only order controls, whether or not its tribunal still has CEJ to modify it."""
    lines.add("Only one order: it controls and must be recognized", only.order_id, REF_207_A)
    if not only.would_have_cej:
        lines.add(
            "Its tribunal has no CEJ to modify it, but the order stays in force and enforceable; a modification "
            "needs jurisdiction under section 611 or 613",
            only.order_id,
            "UIFSA sections 205(a), 206, 611, 613; 28 U.S.C. 1738B(e)",
        )
    return _Decision(only.order_id, Basis.ONLY_ORDER, "207(a)")


def _unlinked(findings: tuple[OrderFinding, ...], *, section: str, lines: Explanation) -> _Decision:
    """Two or more orders of the one tribunal the Act points to, none marked as modifying another."""
    ids = tuple(finding.order_id for finding in findings)
    lines.add(
        "The Act points to one issuing tribunal, which issued two or more orders, none marked as modifying "
        "another: record which modified which (modified_by), or decide",
        ", ".join(ids),
        f"UIFSA sections 205(c), {section}; {REF_CHOICE}",
    )
    return _Decision(None, Basis.OFFICER_DECISION_REQUIRED, section, OfficerQuestion.SAME_ISSUER_ORDERS_NOT_LINKED, ids)


def _more_than_one_cej(
    with_cej: tuple[OrderFinding, ...],
    *,
    child_home_state: Jurisdiction | None,
    choices: ParameterSet,
    lines: Explanation,
) -> _Decision:
    """207(b)(2): the child's current home state's order; if it issued none, the most recent order."""
    ids = tuple(finding.order_id for finding in with_cej)
    if child_home_state is None:
        choice = lines.take(choices["no_home_state"], "No state is the child's home state; OpenCSE's reading")
        assert choice in ("officer_decision", "most_recent"), choice
        if choice == "officer_decision":
            latest = _latest(with_cej)
            suggestion = latest[0].order_id if len(latest) == 1 else "none (same day)"
            lines.add(
                "The Act does not say whether 'no home state' means 'no order from the home state'; read that way, "
                "the most recently issued order would control",
                suggestion,
                f"UIFSA sections 102 ('home state'), 207(b)(2); {REF_CHOICE}",
            )
            return _Decision(None, Basis.OFFICER_DECISION_REQUIRED, "207(b)(2)", OfficerQuestion.NO_HOME_STATE, ids)
    else:
        lines.add(
            "The child's current home state", child_home_state.label, f"UIFSA section 102 ('home state'); {REF_207_B2}"
        )
        from_home = tuple(finding for finding in with_cej if finding.issued_by == child_home_state)
        if len(from_home) > 1:
            return _unlinked(from_home, section="207(b)(2)", lines=lines)
        if from_home:
            lines.add(
                "The home state's tribunal issued an order with CEJ: it controls", from_home[0].order_id, REF_207_B2
            )
            return _Decision(from_home[0].order_id, Basis.HOME_STATE, "207(b)(2)")
        lines.add("The home state issued no order with CEJ", child_home_state.label, REF_207_B2)
    latest = _latest(with_cej)
    if len(latest) > 1:
        tied = tuple(finding.order_id for finding in latest)
        lines.take(choices["same_day_tie"], "Two or more orders were issued on the latest date; OpenCSE's reading")
        lines.add("Most recently issued orders, issued the same day: an officer decides", ", ".join(tied), REF_CHOICE)
        return _Decision(None, Basis.OFFICER_DECISION_REQUIRED, "207(b)(2)", OfficerQuestion.SAME_DAY_MOST_RECENT, tied)
    lines.add("The most recently issued order controls", latest[0].order_id, REF_207_B2)
    return _Decision(latest[0].order_id, Basis.MOST_RECENT, "207(b)(2)")


def _latest(findings: tuple[OrderFinding, ...]) -> tuple[OrderFinding, ...]:
    newest = max(finding.issued_on for finding in findings)
    return tuple(finding for finding in findings if finding.issued_on == newest)


def _check_orders(orders: Sequence[SupportOrder], *, consents: frozenset[Jurisdiction], as_of: date) -> None:
    """Refuse what no real file could hold: no orders, duplicate ids, future dates, bad modified_by."""
    if not orders:
        raise InvalidInput("must have at least 1 order", field="orders")
    if len(orders) > ORDERS_MAXIMUM:
        raise InvalidInput(f"must have at most {ORDERS_MAXIMUM} orders", field="orders")
    by_id: dict[str, int] = {}
    for index, order in enumerate(orders):
        if order.id in by_id:
            raise InvalidInput(
                f"{order.id[:40]!r} is also the id of orders[{by_id[order.id]}]", field=f"orders[{index}].id"
            )
        by_id[order.id] = index
        if order.issued_on > as_of:
            raise InvalidInput(f"is after as_of ({as_of.isoformat()})", field=f"orders[{index}].issued")
    for index, order in enumerate(orders):
        _check_modified_by(order, index=index, orders=orders, by_id=by_id)
    issuers = {order.issued_by for order in orders}
    for index, consent in enumerate(sorted(consents)):
        if consent not in issuers:
            raise InvalidInput(f"{consent.label!r} issued none of the orders", field=f"consents[{index}]")


def _check_modified_by(
    order: SupportOrder, *, index: int, orders: Sequence[SupportOrder], by_id: dict[str, int]
) -> None:
    field = f"orders[{index}].modified_by"
    if order.modified_by is None:
        return
    if order.modified_by not in by_id:
        raise InvalidInput(f"{order.modified_by[:40]!r} is not the id of any order", field=field)
    modifier = orders[by_id[order.modified_by]]
    if modifier.id == order.id:
        raise InvalidInput("an order cannot modify itself", field=field)
    if modifier.issued_on <= order.issued_on:
        raise InvalidInput(f"{modifier.id[:40]!r} was not issued after this order, so it cannot modify it", field=field)


def _check_decision(decision: _Decision, *, weighed: tuple[OrderFinding, ...], cej: tuple[str, ...]) -> None:
    """Postconditions: one answer, from the weighed orders, and a question only when nothing controls."""
    weighed_ids = {finding.order_id for finding in weighed}
    if decision.controlling_order is not None:
        assert decision.controlling_order in weighed_ids, decision
        assert decision.officer_question is None, decision
    if decision.basis in (Basis.ONLY_ONE_CEJ, Basis.HOME_STATE, Basis.MOST_RECENT):
        assert decision.controlling_order in cej, (decision, cej)
    if decision.basis is Basis.NEW_ORDER_REQUIRED:
        assert not cej and decision.controlling_order is None, (decision, cej)
    if decision.basis is Basis.OFFICER_DECISION_REQUIRED:
        assert decision.controlling_order is None and decision.officer_question is not None, decision
        assert len(decision.candidates) >= 2, decision
