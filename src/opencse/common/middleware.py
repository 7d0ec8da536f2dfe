"""Refuse input no database can store: a NUL character anywhere in the request.

PostgreSQL text cannot hold NUL (0x00); without this check a NUL in a path, a query string, a form
field or a JSON string would reach the database and fail there as a server error. It is bad input, so
the answer is a 400 with the project's error shape, before any view runs. In a multipart upload only the
fields and the file names are checked: a file's bytes are not text.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

NUL_MESSAGE = "The request contains a NUL character (0x00), which is never valid input."


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            errors = {"errors": [{"field": None, "message": NUL_MESSAGE}]}
            if request.path.startswith("/api/"):
                return JsonResponse(errors, status=400)
            return HttpResponse(NUL_MESSAGE, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    if (
        "\x00" in request.path
        or "\x00" in request.META.get("QUERY_STRING", "")
        or "%00" in request.META.get("QUERY_STRING", "")
    ):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.content_type == "multipart/form-data":
        # An uploaded file's bytes hold NUL (a PDF, an image: the correspondence scans); only the form's fields
        # and the files' names are text that reaches the database.
        fields = any("\x00" in value for _, values in request.POST.lists() for value in values)
        return fields or any(
            "\x00" in (upload.name or "") for _, uploads in request.FILES.lists() for upload in uploads
        )
    body = request.body
    if b"\x00" in body:
        return True
    if request.content_type == "application/json" and b"\\u0000" in body:
        try:
            return _contains_nul(json.loads(body))
        except (ValueError, RecursionError):
            return False  # not JSON: the view answers 400/422 for that
    return False


def _contains_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False
