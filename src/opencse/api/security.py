"""API authentication (session or bearer token) and the permission each operation declares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponseBase
from ninja.decorators import decorate_view
from ninja.security import HttpBearer, django_auth

from opencse.errors import NotAuthorized
from opencse.security.decorators import AuthenticatedRequest
from opencse.security.models import User
from opencse.security.policy import POLICY, can
from opencse.security.services import user_for_token

Operation = TypeVar("Operation", bound=Callable[..., Any])


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [django_auth, BearerToken()]
__all__ = ["AUTH", "AuthenticatedRequest", "BearerToken", "allow"]


def allow(*permissions: str) -> Callable[[Operation], Operation]:
    """Declare the permissions an API operation needs. They are checked right after authentication and
    before the body is parsed, so a refused role learns nothing about the input (403, never 422).
    The URL walk test reads `opencse_permissions`."""
    for permission in permissions:
        assert permission in POLICY, f"unknown permission {permission}"

    def guard(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        operation = run.__self__  # type: ignore[attr-defined]  # ninja passes the operation's bound run

        def guarded(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            refused = operation._run_checks(request)  # authentication first: anonymous stays 401
            if refused is not None:
                return refused  # type: ignore[no-any-return]
            if not all(can(request.user, permission) for permission in permissions):
                denial = NotAuthorized(f"Your role may not do this ({permissions[0]}).")
                return operation.api.on_exception(request, denial)  # type: ignore[no-any-return]
            return run(request, **kwargs)

        return guarded

    def decorate(operation: Operation) -> Operation:
        operation.opencse_permissions = permissions  # type: ignore[attr-defined]  # read by the URL walk test
        return decorate_view(guard)(operation)

    return decorate
