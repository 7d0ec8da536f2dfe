"""django-rules registration of the policy, so `user.has_perm(name, obj)` answers as `policy.can`."""

from __future__ import annotations

from typing import Any

from rules.permissions import add_perm
from rules.predicates import predicate

from opencse.security.policy import POLICY, can


def _predicate(permission: str) -> Any:
    @predicate(name=permission)
    def allowed(user: Any, case: Any = None) -> bool:
        return can(user, permission, case)

    return allowed


for _permission in POLICY:
    add_perm(_permission, _predicate(_permission))
