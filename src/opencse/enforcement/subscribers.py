"""Enforcement's reactions to the events of the apps below it (`opencse.common.events`), in the publisher's
transaction.

- `cases.CaseClosed`: a case closed (45 CFR 303.11, by the closure app's services, its nightly batch or the
  case's close form: every path goes through `cases.services.close_case`, which publishes it) ends its
  enforcement: proposed, noticed and contested actions are withdrawn, taken ones released, each with a step
  saying why, and the releases go out (`endings`: the Release of Lien, the levy's release); its payment
  agreement (in effect or waiting for a signature) ends; every income withholding order in force on the case is
  terminated (docs/enforcement.md, "A case closed"). The closing officer is the actor; the closure is the
  authority. Being a reaction, it publishes nothing: the worklist's own reaction to the case closed opens the
  tasks to file the Releases of Lien.
"""

from __future__ import annotations

from opencse.cases.events import CaseClosed
from opencse.cases.models import Case
from opencse.common.events import subscribe
from opencse.enforcement.agreements import end_agreements_of_closed_case
from opencse.enforcement.facts import end_actions
from opencse.enforcement.models import OPEN_STATUSES, EnforcementAction
from opencse.enforcement.services import terminate_withholding_of_closed_case
from opencse.security.models import User


def subscribe_all() -> None:
    subscribe(CaseClosed, case_closed)


def case_closed(event: CaseClosed) -> None:
    actor = User.objects.get(pk=event.actor_id)
    rows = list(
        EnforcementAction.objects.filter(case_id=event.case_id, status__in=OPEN_STATUSES)
        .values_list("pk", "case_id", "case__number", "remedy_name", "arrears", "status")
        .order_by("pk")
    )
    note = f"The case was closed on {event.closed_on:%m/%d/%Y} (45 CFR 303.11): its enforcement ends."
    end_actions(rows, on=event.closed_on, actor=actor, note=note, announce=False)
    end_agreements_of_closed_case(actor=actor, case_id=event.case_id, closed_on=event.closed_on)
    terminate_withholding_of_closed_case(
        actor=actor, case=Case.objects.get(pk=event.case_id), closed_on=event.closed_on
    )
