"""API authentication (bearer token or session) and the permission each operation declares.

A request that carries `Authorization: Bearer ...` is authenticated by its token alone: the session
cookie is not consulted and no CSRF check runs (a browser never adds that header to a cross-site
request, so CSRF does not apply). A request without it is authenticated by the Django session cookie,
and an unsafe method then needs the CSRF token (`X-CSRFToken` header), as in the web app.
An invalid or expired token is a 401; it never falls back to the session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from ninja.decorators import decorate_view
from ninja.security import APIKeyCookie, HttpBearer

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


def has_bearer_token(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").split(" ", 1)[0].lower() == "bearer"


class SessionCookie(APIKeyCookie):
    """Django's session, CSRF-checked on unsafe methods; not consulted when the request has a bearer token."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if has_bearer_token(request) or self.param_name not in request.COOKIES:
            return None  # the token decides alone; no cookie, no session (and no CSRF check to fail)
        return super()._get_key(request)  # the CSRF check, then the cookie

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if key and isinstance(user, User) and user.is_authenticated else None


AUTH = [BearerToken(), SessionCookie()]
__all__ = ["AUTH", "AuthenticatedRequest", "BearerToken", "SessionCookie", "allow"]


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
