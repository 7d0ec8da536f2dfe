"""`{% enforcement_panel case %}`: the case's enforcement at a glance on the case page (opencse.enforcement):
the income withholding orders in force, each open enforcement action with its state and next step, and the
payment agreement waiting or in effect, with links to their pages. Four queries, whatever the caseload."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from opencse.enforcement.agreements import agreements_of_case, standings
from opencse.enforcement.models import AgreementStatus
from opencse.enforcement.selectors import NEXT_STEPS, open_actions_of_case, withholdings_in_force_of_case
from opencse.security.policy import can

register = template.Library()
SHOWN = 20  # open actions listed on the case page; the enforcement actions page has them all


@register.inclusion_tag("web/enforcement/partials/case_panel.html", takes_context=True)
def enforcement_panel(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    if not can(user, "enforcement.view", case):
        return {"shown": False}
    agreement = (
        agreements_of_case(case=case).filter(status__in=[AgreementStatus.PROPOSED, AgreementStatus.ACTIVE]).first()
    )
    return {
        "shown": True,
        "case": case,
        "withholdings": list(withholdings_in_force_of_case(case=case)),
        "actions": [(action, NEXT_STEPS.get(action.status, "")) for action in open_actions_of_case(case=case)[:SHOWN]],
        "agreement": standings([agreement], as_of=timezone.localdate())[0] if agreement else None,
    }
