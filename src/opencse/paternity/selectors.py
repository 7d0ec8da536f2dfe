"""Reading paternity: a child's current status (the latest history row), the case's children with their
history, whether a man's paternity of an order's children is established, and the inputs of the IV-D
paternity establishment percentage (42 U.S.C. 652(g))."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery

from opencse.cases.models import Case, CaseMember, MemberRole
from opencse.errors import NotFound
from opencse.paternity.models import (
    Acknowledgment,
    AllegedFather,
    GeneticTest,
    PaternityStatus,
    Status,
)
from opencse.people.models import Person


def history(*, case: Case, child: Person) -> QuerySet[PaternityStatus]:
    """Every change of the child's paternity status on the case, newest first."""
    rows = PaternityStatus.objects.filter(case=case, child=child)
    return rows.select_related("father", "recorded_by").order_by("-id")


def current_status(*, case: Case, child: Person) -> PaternityStatus | None:
    """The child's current paternity status: the latest row recorded (None: the father is unknown)."""
    return history(case=case, child=child).first()


def current_status_value(*, case: Case, child: Person) -> str:
    row = current_status(case=case, child=child)
    return row.status if row is not None else Status.UNKNOWN


def active_alleged_fathers(*, case: Case, child: Person) -> QuerySet[AllegedFather]:
    return AllegedFather.objects.filter(case=case, child=child, ended_on__isnull=True).select_related("father")


def dependent_children(*, case: Case) -> list[Person]:
    members = case.members.filter(role=MemberRole.DEPENDENT_CHILD, left_on__isnull=True).select_related("person")
    return [member.person for member in members.order_by("person__date_of_birth", "pk")]


@dataclass(frozen=True, slots=True)
class ChildPaternity:
    child: Person
    current: PaternityStatus | None
    history: list[PaternityStatus]
    alleged_fathers: list[AllegedFather]
    acknowledgments: list[Acknowledgment]
    tests: list[GeneticTest]

    @property
    def status(self) -> str:
        return self.current.status if self.current is not None else Status.UNKNOWN

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def established(self) -> bool:
        return self.current is not None and self.current.established


def case_paternity(*, case: Case, limit: int = 100) -> list[ChildPaternity]:
    """Each dependent child on the case with its paternity: current status, history, alleged fathers,
    acknowledgments and genetic tests (one query per kind, not per child)."""
    children = dependent_children(case=case)
    rows = list(PaternityStatus.objects.filter(case=case).select_related("father", "recorded_by").order_by("-id"))
    links = list(AllegedFather.objects.filter(case=case, ended_on__isnull=True).select_related("father"))
    acknowledgments = list(Acknowledgment.objects.filter(case=case).select_related("father").order_by("-id"))
    tests = list(GeneticTest.objects.filter(case=case).select_related("father").order_by("-id"))
    result = []
    for child in children:
        mine = [row for row in rows if row.child_id == child.pk][:limit]
        result.append(ChildPaternity(
            child=child, current=mine[0] if mine else None, history=mine,
            alleged_fathers=[link for link in links if link.child_id == child.pk],
            acknowledgments=[ack for ack in acknowledgments if ack.child_id == child.pk],
            tests=[test for test in tests if test.child_id == child.pk],
        ))  # fmt: skip
    return result


def acknowledgment_on_case(*, case: Case, acknowledgment_id: int) -> Acknowledgment:
    found = Acknowledgment.objects.filter(case=case, pk=acknowledgment_id).select_related("case", "child", "father")
    acknowledgment = found.first()
    if acknowledgment is None:
        raise NotFound("No such acknowledgment on this case.")
    return acknowledgment


def test_on_case(*, case: Case, test_id: int) -> GeneticTest:
    test = GeneticTest.objects.filter(case=case, pk=test_id).select_related("case", "child", "father").first()
    if test is None:
        raise NotFound("No such genetic test on this case.")
    return test


def paternity_not_established(*, case: Case, father: Person, children: Sequence[Person] | None) -> list[Person]:
    """The children (of an order: `children`, or every dependent child on the case when None) whose paternity
    by `father` is not legally established, when he is on the case as an alleged father; none when he is
    not (a noncustodial parent's parentage is not tracked here). Established means the child's current status
    row is established (adjudicated, or an acknowledgment past its rescission period) and names him."""
    alleged = case.members.filter(person=father, role=MemberRole.ALLEGED_FATHER, left_on__isnull=True).exists()
    if not alleged:
        return []
    wanted = list(children) if children is not None else dependent_children(case=case)
    latest = PaternityStatus.objects.filter(case=case, child=OuterRef("pk")).order_by("-id")
    established = set(
        Person.objects.filter(pk__in=[child.pk for child in wanted])
        .annotate(latest_father=Subquery(latest.values("father_id")[:1]),
                  latest_established=Subquery(latest.values("established")[:1]))
        .filter(latest_father=father.pk, latest_established=True)
        .values_list("pk", flat=True)
    )  # fmt: skip
    return [child for child in wanted if child.pk not in established]


@dataclass(frozen=True, slots=True)
class EstablishmentPercentageInputs:
    """The two counts of the IV-D paternity establishment percentage for a federal fiscal year (42 U.S.C.
    652(g)(2)(A)): the children in the IV-D caseload at the end of the year who were born out of wedlock, and
    of them those whose paternity has been established or acknowledged."""

    fiscal_year: int
    as_of: date
    born_out_of_wedlock: int
    established_or_acknowledged: int

    @property
    def percentage(self) -> Decimal | None:
        if not self.born_out_of_wedlock:
            return None
        share = Decimal(self.established_or_acknowledged * 100) / Decimal(self.born_out_of_wedlock)
        return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def establishment_percentage_inputs(*, fiscal_year: int) -> EstablishmentPercentageInputs:
    """The inputs of 42 U.S.C. 652(g) for federal fiscal year `fiscal_year` (October 1 to September 30; FY 2026
    ends 2026-09-30), counted as of its last day, in two queries:

    - children in the IV-D caseload: a dependent child member of a case open on that day (opened on or
      before, not closed on or before), each child once however many cases;
    - born out of wedlock: the child has a paternity history on such a case dated on or before that day
      (the agency tracks paternity only for a child whose parents were not married: docs/paternity.md);
    - established or acknowledged: the child's status on that day (its latest row dated on or before it) is
      acknowledged (in effect or past rescission) or adjudicated, on one of those cases. Of the rows dated on
      or before that day, the latest recorded counts (as for the current status): an acknowledgment signed
      before the man was named, and recorded after, is the status."""
    as_of = date(fiscal_year, 9, 30)
    open_then = Q(case__opened_on__lte=as_of) & (Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=as_of))
    in_caseload = CaseMember.objects.filter(
        open_then, Q(left_on__isnull=True) | Q(left_on__gt=as_of), role=MemberRole.DEPENDENT_CHILD,
        joined_on__lte=as_of,
    ).values("case_id", "person_id")  # fmt: skip
    pairs = {(row["case_id"], row["person_id"]) for row in in_caseload}
    latest = (
        PaternityStatus.objects.filter(effective_on__lte=as_of, case_id__in={case for case, _ in pairs})
        .order_by("case_id", "child_id", "-id")
        .values_list("case_id", "child_id", "status")
    )
    status_on: dict[tuple[int, int], str] = {}
    for case_id, child_id, status in latest:  # newest recorded first per (case, child): keep the first
        status_on.setdefault((case_id, child_id), status)
    tracked = {child for (case, child) in status_on if (case, child) in pairs}
    done = {child for (case, child), status in status_on.items()
            if (case, child) in pairs and status in (Status.ACKNOWLEDGED, Status.ADJUDICATED)}  # fmt: skip
    return EstablishmentPercentageInputs(fiscal_year=fiscal_year, as_of=as_of, born_out_of_wedlock=len(tracked),
                                         established_or_acknowledged=len(done))  # fmt: skip
