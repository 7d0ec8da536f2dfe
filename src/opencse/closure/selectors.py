"""Reading a case's closures: the one pending under notice, and the history."""

from __future__ import annotations

from django.db.models import QuerySet

from opencse.cases.models import Case
from opencse.closure.models import Closure, Reopening, Status


def pending_closure(*, case: Case) -> Closure | None:
    """The closure waiting for its notice period to end, if any (at most one: `closure_one_pending`)."""
    return Closure.objects.filter(case=case, status=Status.PENDING).first()


def closures_of(*, case: Case) -> QuerySet[Closure]:
    return Closure.objects.filter(case=case).order_by("-proposed_on", "-pk")


def reopenings_of(*, case: Case) -> QuerySet[Reopening]:
    return Reopening.objects.filter(case=case).order_by("-reopened_on", "-pk")
