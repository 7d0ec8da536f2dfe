"""One error shape for the API: `{"errors": [{"field", "message"}]}` with the status of its class."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from opencse.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    InvalidInputs,
    NotAuthorized,
    NotFound,
    TooManyRequests,
)

HTTP_STATUS: dict[type, int] = {
    DomainError: 400,
    InvalidInput: 400,
    NotAuthorized: 403,
    NotFound: 404,
    Conflict: 409,
    TooManyRequests: 429,
}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        status = next(HTTP_STATUS[kind] for kind in type(exc).__mro__ if kind in HTTP_STATUS)
        errors = exc.as_list() if isinstance(exc, InvalidInputs) else [exc.as_dict()]
        return api.create_response(request, {"errors": errors}, status=status)
