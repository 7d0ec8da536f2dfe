"""An enforcement action released: what the remedy's outside party is told, whichever path released it.

Four paths release actions taken: an officer's release (`actions.release_action`), the nightly sweep (the debt
paid, an agreement kept, a stay or SSI found: `sweep`), recording a bankruptcy stay or SSI (`facts.stop_actions`)
and a case closed (`subscribers.case_closed`, through `facts.end_actions`). Each calls `actions_released` once,
after its own writes, with why each action was released; nothing else sends a release.

A remedy whose outside party holds something of the obligor's until told otherwise registers a reaction here
(`EnforcementConfig.ready`): the financial institution levy sends its release to each institution
(`fidm.levies_released`), the lien its Release of Lien to file where it was recorded (`liens.liens_released`).
Remedies certified by periodic file reconcile in the file instead, so they register nothing: the Federal
Offset Program's deletes (`offset`), the licensing agencies' releases (`licenses`), Metro 2 (`credit_reporting`)
and the State tax offset (`state_offset`) compare what should be certified with what was sent, on every run.

A reaction runs in the releasing transaction and returns the events it has for the apps above (a Release of
Lien to file is a worklist task). `actions_released` publishes them, except when the release is itself a
reaction to an event (a case closed): events do not cascade (`common.events`), and the worklist's own reaction
to the case closed opens those tasks (`work.subscribers.case_closed`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from opencse.common.events import publish
from opencse.enforcement.models import ActionStatus, EnforcementAction
from opencse.security.models import User

Reaction = Callable[..., Sequence[object]]  # (reasons by action id, *, on, actor) -> events to publish
ID_CHUNK = 5_000  # action ids per query: a night's releases can be thousands; those with a reaction are few

_reactions: dict[str, Reaction] = {}


def register(remedy: str, reaction: Reaction) -> None:
    """`reaction` is called with the released actions of `remedy` (idempotent: an app's ready() may run twice)."""
    assert _reactions.get(remedy, reaction) is reaction, f"two reactions to a released {remedy}"
    _reactions[remedy] = reaction


def actions_released(reasons: Mapping[int, str], *, on: date, actor: User, announce: bool = True) -> None:
    """Tell each remedy's outside party that these actions (ids, with why each was released) were released on
    `on`. Call it after the actions' status is RELEASED. One query per chunk of ids finds those with a reaction;
    `announce=False` from a reaction to an event (the events are then the caller's to account for)."""
    if not reasons or not _reactions:
        return
    ids = sorted(reasons)
    by_remedy: dict[str, dict[int, str]] = {}
    for start in range(0, len(ids), ID_CHUNK):
        rows = EnforcementAction.objects.filter(
            pk__in=ids[start : start + ID_CHUNK], remedy__in=list(_reactions), status=ActionStatus.RELEASED
        ).values_list("pk", "remedy")
        for pk, remedy in rows:
            by_remedy.setdefault(remedy, {})[pk] = reasons[pk]
    for remedy, chosen in sorted(by_remedy.items()):
        for event in _reactions[remedy](chosen, on=on, actor=actor):
            if announce:
                publish(event)
