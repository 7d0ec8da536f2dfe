"""Reading locate: a case's requests, responses and verifications; the review queue; an import's report."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, QuerySet

from opencse.cases.models import Case
from opencse.errors import NotFound
from opencse.locate.models import (
    LocateCandidate,
    LocateImport,
    LocateRecord,
    LocateRejection,
    LocateRequest,
    LocateResponse,
    RecordStatus,
    VerificationRequest,
)
from opencse.people.models import Address, Employment
from opencse.people.selectors import visible_people
from opencse.security.policy import require

QUEUE_PAGE = 200


@dataclass(frozen=True)
class CaseLocate:
    requests: list[LocateRequest]
    responses: list[LocateResponse]
    verifications: list[VerificationRequest]
    employments: list[Employment]  # of the case's people: what may be verified
    addresses: list[Address]


def case_locate(*, viewer: object, case: Case, limit: int = 200) -> CaseLocate:
    """The case's locate history, newest first, and the leads of its people that verification may check."""
    require(viewer, "locate.view", case)
    person_ids = list(case.members.filter(left_on__isnull=True).values_list("person_id", flat=True))
    return CaseLocate(
        requests=list(case.locate_requests.select_related("person", "requested_by")
                      .order_by("-requested_on", "-pk")[:limit]),
        responses=list(case.locate_responses.select_related("person", "record")
                       .order_by("-received_on", "-pk")[:limit]),
        verifications=list(case.locate_verifications
                           .select_related("person", "employment__employer", "address", "letter")
                           .order_by("-requested_on", "-pk")[:limit]),
        employments=list(Employment.objects.filter(person_id__in=person_ids, ended_on__isnull=True)
                         .select_related("employer", "person").order_by("-pk")[:limit]),
        addresses=list(Address.objects.filter(person_id__in=person_ids, ended_on__isnull=True)
                       .select_related("person").order_by("-pk")[:limit]),
    )  # fmt: skip


def review_queue(*, viewer: object, limit: int = QUEUE_PAGE) -> QuerySet[LocateRecord]:
    """Records waiting for an officer's decision, oldest first, each with `best` (the highest match probability
    of its candidates, None without one)."""
    require(viewer, "locate.review")
    waiting = LocateRecord.objects.filter(status=RecordStatus.REVIEW)
    waiting = waiting.annotate(best=Max("candidates__match_probability"))
    return waiting.order_by("received_on", "pk")[:limit]


def queue_size(*, viewer: object) -> int:
    require(viewer, "locate.review")
    return LocateRecord.objects.filter(status=RecordStatus.REVIEW).count()


def record_for_review(*, viewer: object, record_id: int) -> LocateRecord:
    require(viewer, "locate.review")
    record = LocateRecord.objects.filter(pk=record_id).first()
    if record is None:
        raise NotFound(f"No locate record {record_id}.")
    return record


def record_candidates(*, viewer: object, record: LocateRecord) -> list[LocateCandidate]:
    """The people a record may be (the probabilistic match) that `viewer` may see, most probable first."""
    require(viewer, "locate.review")
    found = record.candidates.filter(person__in=visible_people(viewer)).select_related("person")
    return list(found.order_by("-match_probability", "person_id"))


def verification_on_case(*, viewer: object, case: Case, verification_id: int) -> VerificationRequest:
    require(viewer, "locate.view", case)
    found = (
        case.locate_verifications.select_related("employment__employer", "address", "person")
        .filter(pk=verification_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No verification {verification_id} on case {case.number}.")
    return found


def request_on_case(*, viewer: object, case: Case, request_id: int) -> LocateRequest:
    require(viewer, "locate.view", case)
    found = case.locate_requests.filter(pk=request_id).first()
    if found is None:
        raise NotFound(f"No locate request {request_id} on case {case.number}.")
    return found


def recent_imports(*, viewer: object, limit: int = 20) -> list[LocateImport]:
    require(viewer, "locate.review")
    return list(LocateImport.objects.order_by("-created_at", "-pk")[:limit])


def import_rejections(
    *, viewer: object, import_id: int, limit: int = 1_000
) -> tuple[LocateImport, list[LocateRejection]]:
    require(viewer, "locate.review")
    found = LocateImport.objects.filter(pk=import_id).first()
    if found is None:
        raise NotFound(f"No locate import {import_id}.")
    return found, list(found.rejections.order_by("line_number")[:limit])
