"""API authentication (session or bearer token) and the permission each operation declares."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from opencse.security.models import User
from opencse.security.policy import POLICY, require
from opencse.security.services import user_for_token

Operation = TypeVar("Operation", bound=Callable[..., Any])


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [django_auth, BearerToken()]


def allow(*permissions: str) -> Callable[[Operation], Operation]:
    """Declare (and check) the permissions an API operation needs; the URL walk test reads them."""
    for permission in permissions:
        assert permission in POLICY, f"unknown permission {permission}"

    def decorate(operation: Operation) -> Operation:
        @wraps(operation)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            for permission in permissions:
                require(request.user, permission)
            return operation(request, *args, **kwargs)

        guarded.opencse_permissions = permissions  # type: ignore[attr-defined]  # read by the URL walk test
        return guarded  # type: ignore[return-value]  # same signature as the operation

    return decorate
