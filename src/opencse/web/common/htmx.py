"""htmx requests: the one test of whether a request came from htmx (it then gets a fragment, not a page)."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True when htmx sent the request (its `HX-Request` header): answer with the fragment it swaps in."""
    return request.headers.get("HX-Request") == "true"
