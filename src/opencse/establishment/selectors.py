"""Reading worksheets and proposals: only those on cases the viewer may see."""

from __future__ import annotations

from django.db.models import QuerySet

from opencse.cases.models import Case, MemberRole
from opencse.cases.selectors import visible_cases
from opencse.errors import NotFound
from opencse.establishment.models import EstablishmentProposal, GuidelineWorksheet

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
    worksheet = (
        GuidelineWorksheet.objects.select_related("case", "computed_by")
        .filter(pk=worksheet_id, case__in=visible_cases(viewer))
        .first()
    )
    if worksheet is None:
        raise NotFound(f"No worksheet {worksheet_id} that you may see.")
    return worksheet


def proposal_for_viewer(*, viewer: object, proposal_id: int) -> EstablishmentProposal:
    proposal = (
        EstablishmentProposal.objects.select_related("case", "worksheet")
        .filter(pk=proposal_id, case__in=visible_cases(viewer))
        .first()
    )
    if proposal is None:
        raise NotFound(f"No proposal {proposal_id} that you may see.")
    return proposal


def party_names(*, case: Case) -> dict[str, list[str]]:
    """The names of the case's current parties by role (names only: a worksheet never shows an address)."""
    names: dict[str, list[str]] = {role: [] for role in MemberRole.values}
    members = case.members.filter(left_on__isnull=True).select_related("person").order_by("role", "id")
    for member in members:
        names[member.role].append(member.person.full_name)
    return names
