"""The web app's refusals: a styled 403 or 404 page, never a 500 for a `DomainError`.

`opencse.security.decorators.allow` raises `PermissionDenied` when the user's role lacks the permission,
which Django hands to `handler403` (named in `opencse.urls`), rendered by `forbidden`;
`domain_errors` turns a `NotAuthorized` or `NotFound` raised by a selector or service into the same
pages. An `InvalidInput` is not handled here: each form view puts it beside its field.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from opencse.errors import Conflict, DomainError, InvalidInput, NotAuthorized, NotFound, TooManyRequests
from opencse.web.common.htmx import is_htmx

View = TypeVar("View", bound=Callable[..., HttpResponse])


REFUSAL_STATUS: dict[type[DomainError], int] = {
    InvalidInput: 400,
    NotAuthorized: 403,
    NotFound: 404,
    Conflict: 409,
    TooManyRequests: 429,
}


def refusal_status(error: DomainError) -> int:
    """The HTTP status of a page that shows a service's refusal (the same as the API's, `opencse.api.errors`)."""
    return next((REFUSAL_STATUS[kind] for kind in type(error).__mro__ if kind in REFUSAL_STATUS), 400)


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    """403: the user's role may not do this, or not on this case."""
    template = "web/partials/refused.html" if is_htmx(request) else "403.html"
    response = TemplateResponse(request, template, {"message": message}, status=403)
    return response.render()


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 403 handler: the styled page (or the htmx partial) for a view's refusal."""
    return forbidden(request)


def not_found(request: HttpRequest, message: str = "") -> HttpResponse:
    """404: no such record, or none the user may see (the two are not told apart)."""
    template = "web/partials/refused.html" if is_htmx(request) else "404.html"
    response = TemplateResponse(request, template, {"message": message}, status=404)
    return response.render()


def domain_errors(view: View) -> View:
    """Render `NotFound` as the 404 page and `NotAuthorized` as the 403 page."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            return not_found(request, exc.message)
        except NotAuthorized as exc:
            return forbidden(request, exc.message)

    return guarded  # type: ignore[return-value]  # same signature as the view it wraps
