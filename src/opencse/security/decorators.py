"""Every view declares who may use it.

`@allow("cases.view")` lets a signed-in user whose role holds that permission in the policy reach
the view (others get 403, anonymous users the sign-in page). `@public` marks the few views anyone may
reach (sign in, health). `tests/security/test_url_permissions.py` walks every URL and refuses a view
that declares neither; object-level checks (the case's office) happen in selectors and services.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from opencse.security.models import User
from opencse.security.policy import POLICY, can

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class AuthenticatedRequest(HttpRequest):
    """A request that passed `allow`: `user` is a signed-in staff member, never anonymous."""

    user: User  # narrowed from User | AnonymousUser: the decorator refused anonymous visitors first


def allow(*permissions: str) -> Callable[[View], View]:
    """Let users holding every named permission use the view."""
    for permission in permissions:
        assert permission in POLICY, f"unknown permission {permission}"

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not all(can(request.user, permission) for permission in permissions):
                # Rendered as the styled 403 page by the web app's handler403 (opencse.web.common.errors).
                raise PermissionDenied(f"Your role may not do this ({permissions[0]}).")
            return view(request, *args, **kwargs)

        guarded.opencse_permissions = permissions  # type: ignore[attr-defined]  # read by the URL walk test
        return guarded  # type: ignore[return-value]  # same signature as the view it wraps

    return decorate


def public(view: View) -> View:
    """Anyone may use the view (sign-in page, health check)."""
    view.opencse_permissions = ()  # type: ignore[attr-defined]  # read by the URL walk test
    view.opencse_public = True  # type: ignore[attr-defined]
    return view
