"""`{% intake_interviews case %}`: the case's intake interviews (opencse.intake), shown on the case page."""

from __future__ import annotations

from typing import Any

from django import template

from opencse.intake.selectors import interviews_of
from opencse.security.policy import can
from opencse.web.intake.forms import INTERVIEW_LABELS

register = template.Library()


@register.inclusion_tag("web/intake/partials/case_interviews.html", takes_context=True)
def intake_interviews(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    interviews = list(interviews_of(viewer=user, case=case))
    for interview in interviews:
        shown = [("Other parent's date of birth", f"{interview.other_parent_date_of_birth:%m/%d/%Y}")
                 if interview.other_parent_date_of_birth else None,
                 ("Other parent's SSN", f"***-**-{interview.other_parent_ssn_last4}")
                 if interview.other_parent_ssn_last4 else None]  # fmt: skip
        shown += [
            (label, getattr(interview, name)) for name, label in INTERVIEW_LABELS.items() if getattr(interview, name)
        ]
        interview.shown = [item for item in shown if item]  # type: ignore[attr-defined]  # for the template
    return {"case": case, "interviews": interviews, "may_interview": can(user, "intake.interview", case)}
