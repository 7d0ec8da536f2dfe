"""`opencse rules controlling-order`: read the payload, call `uifsa.determine_controlling_order`, shape the result.

The input and the result fields `controlling_order`, `basis` and `cej` are the public contract of
design/rules-cli.md ("controlling-order"). Beyond it:

- an order names its issuer with exactly one of `issuing_state` ("WA"), `issuing_tribe`
  ("navajo_nation") or `issuing_country` ("DE"); it may say `"temporary_ex_parte": true`;
- a residence, `child_home_state` or consent is "WA", "tribe:<code>" or "country:<code>";
  `residence.obligor` and `residence.obligee` may be one code or a list (a state and a tribe);
  `residence.obligee` may be null when there is no individual obligee; `child_home_state` may be
  null when no state is the child's home state;
- the result adds `section`, `needs_officer_decision`, `officer_question`, `candidates` and
  `orders` (per order: the facts that gave or denied CEJ). `basis` may also be
  "officer_decision_required" (docs/rules/controlling-order.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from opencse.errors import InvalidInput
from opencse.rules.commands import RuleOutput
from opencse.rules.inputs import Reader
from opencse.rules.uifsa import (
    ControllingOrderDetermination,
    Jurisdiction,
    JurisdictionKind,
    Residences,
    SupportOrder,
    determine_controlling_order,
    issuing_jurisdiction,
    jurisdiction,
)

TITLE = "Controlling order and continuing, exclusive jurisdiction (UIFSA sections 205, 207; 28 U.S.C. 1738B(f))"
ISSUER_FIELDS = {
    "issuing_state": JurisdictionKind.STATE,
    "issuing_tribe": JurisdictionKind.TRIBE,
    "issuing_country": JurisdictionKind.COUNTRY,
}


def run(payload: Reader, as_of: date) -> RuleOutput:
    orders = [_order(fields, as_of) for fields in payload.objects("orders", min_length=1)]
    residences = _residences(payload.object("residence"), as_of)
    child_home_state = _home_state(payload, as_of)
    consents = [
        jurisdiction(code, field=f"consents[{index}]", as_of=as_of)
        for index, code in enumerate(payload.texts("consents", default=[]))
    ]
    payload.reject_unknown()
    determination = determine_controlling_order(
        orders=orders,
        residences=residences,
        child_home_state=child_home_state,
        consents=frozenset(consents),
        as_of=as_of,
    )
    return RuleOutput(
        rule="controlling-order",
        as_of=as_of,
        result=_result(determination),
        explanation=determination.explanation,
        parameters=determination.parameters,
        title=TITLE,
        notes=_notes(determination),
    )


def _order(fields: Reader, as_of: date) -> SupportOrder:
    named = [key for key in ISSUER_FIELDS if fields.has(key)]
    if len(named) != 1:
        message = "give exactly one of issuing_state, issuing_tribe, issuing_country"
        raise InvalidInput(message, field=fields.field(named[1] if named else "issuing_state"))
    key = named[0]
    code = fields.text(key, max_length=60)
    fields.read.update(ISSUER_FIELDS)
    order = SupportOrder(
        id=fields.text("id", max_length=60),
        issued_by=issuing_jurisdiction(ISSUER_FIELDS[key], code, field=fields.field(key), as_of=as_of),
        issued_on=fields.date("issued"),
        temporary_ex_parte=fields.boolean("temporary_ex_parte", default=False),
        modified_by=fields.text("modified_by", max_length=60) if fields.has("modified_by") else None,
    )
    fields.read.add("modified_by")
    fields.reject_unknown()
    return order


def _residences(fields: Reader, as_of: date) -> Residences:
    residences = Residences(
        obligor=_places(fields, "obligor", as_of, required=True),
        obligee=_places(fields, "obligee", as_of, required=False),
        children=tuple(
            jurisdiction(code, field=f"{fields.field('children')}[{index}]", as_of=as_of)
            for index, code in enumerate(fields.texts("children", min_length=1))
        ),
    )
    fields.reject_unknown()
    return residences


def _places(fields: Reader, key: str, as_of: date, *, required: bool) -> tuple[Jurisdiction, ...]:
    """One code or a list of codes; null (or absent) only where `required` is False."""
    if not required and not fields.has(key):
        fields.read.add(key)
        return ()
    if isinstance(fields.data.get(key), list):
        codes = fields.texts(key, min_length=1)
        return tuple(
            jurisdiction(code, field=f"{fields.field(key)}[{index}]", as_of=as_of) for index, code in enumerate(codes)
        )
    return (jurisdiction(fields.text(key, max_length=60), field=fields.field(key), as_of=as_of),)


def _home_state(payload: Reader, as_of: date) -> Jurisdiction | None:
    """Required, but null means no state is the child's home state (UIFSA 102)."""
    if "child_home_state" not in payload.data:
        raise InvalidInput("is required (null when no state is the child's home state)", field="child_home_state")
    payload.read.add("child_home_state")
    if payload.data["child_home_state"] is None:
        return None
    return jurisdiction(payload.text("child_home_state", max_length=60), field="child_home_state", as_of=as_of)


def _result(determination: ControllingOrderDetermination) -> dict[str, Any]:
    return {
        "controlling_order": determination.controlling_order,
        "basis": determination.basis.value,
        "section": determination.section,
        "cej": list(determination.cej),
        "needs_officer_decision": determination.needs_officer_decision,
        "officer_question": determination.officer_question.value if determination.officer_question else None,
        "candidates": list(determination.candidates),
        "orders": [
            {
                "id": finding.order_id,
                "issued_by": finding.issued_by.label,
                "issued": finding.issued_on.isoformat(),
                "considered": finding.considered,
                "would_have_cej": finding.would_have_cej,
                "grounds": list(finding.grounds),
                "modified_by": finding.modified_by,
            }
            for finding in determination.findings
        ],
    }


def _notes(determination: ControllingOrderDetermination) -> tuple[str, ...]:
    notes = [
        "The determining tribunal must have personal jurisdiction over both the obligor and the individual obligee "
        "(UIFSA 207(b)); its order states the basis, prospective support and consolidated arrears (207(f)).",
    ]
    if determination.needs_officer_decision:
        notes.append(
            f"An officer must decide ({determination.basis.value}: "
            f"{determination.officer_question.value if determination.officer_question else ''}) among "
            f"{', '.join(determination.candidates)}; see docs/rules/controlling-order.md."
        )
    return tuple(notes)
