"""Reading worksheets and proposals: only those on cases the viewer may see."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from opencse.cases.models import Case, MemberRole
from opencse.cases.selectors import row_on_visible_case, visible_cases
from opencse.errors import InvalidInput, InvalidInputs
from opencse.establishment.models import EstablishmentProposal, GuidelineWorksheet, ProposalStatus, ProposedTerm
from opencse.rules.commands import EXIT_OK, RuleOutput, execute
from opencse.security.policy import require

LIST_LIMIT = 200


def worksheets_of_case(*, case: Case) -> QuerySet[GuidelineWorksheet]:
    """The case's worksheets, newest first."""
    return case.worksheets.select_related("computed_by").order_by("-computed_at", "-id")[:LIST_LIMIT]


def proposals_of_case(*, case: Case) -> QuerySet[EstablishmentProposal]:
    """The case's proposals, newest first, with their terms."""
    return (
        case.establishment_proposals.select_related("prepared_by", "decided_by", "order")
        .prefetch_related("terms")
        .order_by("-prepared_at", "-id")[:LIST_LIMIT]
    )


def worksheet_for_viewer(*, viewer: object, worksheet_id: int) -> GuidelineWorksheet:
    worksheets = GuidelineWorksheet.objects.select_related("case", "computed_by")
    return row_on_visible_case(worksheets, worksheet_id, viewer=viewer, noun="worksheet")


def proposal_for_viewer(*, viewer: object, proposal_id: int) -> EstablishmentProposal:
    proposals = EstablishmentProposal.objects.select_related("case", "worksheet")
    return row_on_visible_case(proposals, proposal_id, viewer=viewer, noun="proposal")


def party_names(*, case: Case) -> dict[str, list[str]]:
    """The names of the case's current parties by role (names only: a worksheet never shows an address)."""
    names: dict[str, list[str]] = {role: [] for role in MemberRole.values}
    members = case.members.filter(left_on__isnull=True).select_related("person").order_by("role", "id")
    for member in members:
        names[member.role].append(member.person.full_name)
    return names


def terms_of_proposal(*, proposal: EstablishmentProposal) -> list[ProposedTerm]:
    """The proposal's terms with their obligor and child (at most `TERMS_MAXIMUM` rows)."""
    return list(proposal.terms.select_related("obligor", "child").order_by("id"))


@dataclass(frozen=True, slots=True)
class WorksheetParty:
    """A parent as the worksheet screen shows them: the name and the current employers, never an address."""

    name: str
    employers: list[str]


@dataclass(frozen=True, slots=True)
class ChildOnWorksheet:
    name: str
    date_of_birth: date | None
    age: int | None  # whole years on the worksheet's date; None when no birth date is recorded


@dataclass(frozen=True, slots=True)
class WorksheetParties:
    """Who the guideline is computed for: obligors (noncustodial parents), obligees (custodial parties)
    and the dependent children. OpenCSE records employers but no wage figures, so the income is typed in."""

    obligors: list[WorksheetParty]
    obligees: list[WorksheetParty]
    children: list[ChildOnWorksheet]


def age_on(born: date, on: date) -> int:
    """Whole years from `born` to `on` (a birthday on 29 February counts from 1 March in common years)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def worksheet_parties(*, case: Case, as_of: date) -> WorksheetParties:
    """The case's current parties for a guideline worksheet, with the children's ages on `as_of`."""
    members = list(
        case.members.filter(left_on__isnull=True)
        .select_related("person")
        .prefetch_related("person__employments__employer")
        .order_by("role", "id")
    )

    def party(member: Any) -> WorksheetParty:
        current = [job.employer.name for job in member.person.employments.all() if job.ended_on is None]
        return WorksheetParty(name=member.person.full_name, employers=sorted(current))

    def child(member: Any) -> ChildOnWorksheet:
        born: date | None = member.person.date_of_birth
        return ChildOnWorksheet(
            name=member.person.full_name, date_of_birth=born, age=None if born is None else age_on(born, as_of)
        )

    return WorksheetParties(
        obligors=[party(member) for member in members if member.role == MemberRole.NONCUSTODIAL_PARENT],
        obligees=[party(member) for member in members if member.role == MemberRole.CUSTODIAL_PARTY],
        children=[child(member) for member in members if member.role == MemberRole.DEPENDENT_CHILD],
    )


def worksheet_preview(*, viewer: object, case: Case, payload: Mapping[str, Any], today: date) -> RuleOutput:
    """The guideline computed on `payload` without saving it: what `compute_worksheet` would store.

    The payload goes through the same JSON round trip as a saved worksheet's, so the preview and the
    saved worksheet cannot differ. Bad input raises `InvalidInputs` naming the rule's fields."""
    require(viewer, "orders.enter", case)
    inputs = json.loads(json.dumps(payload, default=str))
    code, document, output = execute("guideline", inputs, today=today)
    if code != EXIT_OK or output is None:
        raise InvalidInputs([InvalidInput(str(error["message"]), field=error["field"]) for error in document["errors"]])
    return output


def proposals_waiting(*, viewer: object) -> QuerySet[EstablishmentProposal]:
    """Proposals waiting for an officer with signature authority, on the cases `viewer` sees, oldest first:
    a part of the one approval queue (the Approvals page)."""
    return (
        EstablishmentProposal.objects.filter(status=ProposalStatus.DRAFT, case__in=visible_cases(viewer))
        .select_related("case", "prepared_by", "worksheet")
        .order_by("prepared_at", "id")
    )


def proposals_of(*, worksheet: GuidelineWorksheet) -> list[EstablishmentProposal]:
    """The proposals made from a worksheet, latest first."""
    return list(worksheet.proposals.order_by("-prepared_at", "-id"))


def worksheet_on_case(*, case: Case, worksheet_id: int) -> GuidelineWorksheet | None:
    """One worksheet of the case, or None."""
    return case.worksheets.filter(pk=worksheet_id).first()


def proposals_waiting_on_case(*, case: Case) -> list[EstablishmentProposal]:
    """The case's proposals waiting for signature authority, oldest first (the case page says so)."""
    return list(case.establishment_proposals.filter(status=ProposalStatus.DRAFT).order_by("prepared_at", "id"))
