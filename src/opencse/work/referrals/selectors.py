"""Reading referrals: a case's referrals, one referral on a case the viewer may see."""

from __future__ import annotations

from django.db.models import QuerySet

from opencse.cases.models import Case
from opencse.cases.selectors import may_see_case
from opencse.errors import NotFound
from opencse.security.policy import can
from opencse.work.referrals.models import Referral

SHOWN = 200


def referrals_of_case(*, viewer: object, case: Case) -> QuerySet[Referral]:
    if not can(viewer, "referrals.view", case):
        return Referral.objects.none()
    return Referral.objects.filter(case=case).select_related("person").order_by("-referred_on", "-id")[:SHOWN]


def referral_for_viewer(*, viewer: object, referral_id: int) -> Referral:
    referral = Referral.objects.select_related("case").filter(pk=referral_id).first()
    if referral is None or not may_see_case(viewer, referral.case, permission="referrals.view"):
        raise NotFound(f"No referral {referral_id} that you may see.")
    return referral
