"""Response hardening and rate limiting (IRS Publication 1075; NIST SP 800-53 SC-8, SC-18, AC-7, SC-5).

`SecurityHeadersMiddleware` gives every answer of the application (static files are served before it
by WhiteNoise) a Content-Security-Policy that allows this site's own scripts, styles and images only,
and `Cache-Control: no-store`: pages and API answers carry personal data, and no browser or proxy
may keep a copy. HSTS is Django's (`SECURE_HSTS_SECONDS`, set in production by the settings).

`RateLimitMiddleware` counts requests in fixed one-minute windows kept in the database (`RateWindow`),
so every server process shares the count: sign-in attempts per client address, searches and API
requests per signed-in user, bearer token or address. Past the limit the answer is 429 with
`Retry-After` and a message saying how long to wait.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from opencse.security.models import RateWindow

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
WINDOW_SECONDS = 60
API_LISTS = ("/api/v1/cases", "/api/v1/people")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response


@dataclass(frozen=True)
class Limited:
    """One limit a request counts against: its name (a key of settings.RATE_LIMITS_PER_MINUTE) and who."""

    name: str
    client: str


def limits_for(request: HttpRequest) -> list[Limited]:
    """The limits this request counts against."""
    path = request.path
    if path == "/signin/" and request.method == "POST":
        return [Limited("signin", f"ip:{_address(request)}")]
    limited = []
    if path.startswith("/api/"):
        limited.append(Limited("api", _principal(request)))
    if _is_search(request):
        limited.append(Limited("search", _principal(request)))
    return limited


def _is_search(request: HttpRequest) -> bool:
    """A search: the web search form (sent by GET or POST), an API `.../search` operation, or a filtered
    API list of cases or people."""
    path = request.path
    if path == "/search/" or (path.startswith("/api/") and path.rstrip("/").endswith("/search")):
        return request.method == "POST" or bool(request.GET)
    return path in API_LISTS and request.method == "GET" and bool(request.GET)


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _principal(request: HttpRequest) -> str:
    """The signed-in user, else the bearer token (by a hash: the token itself is never stored), else the
    address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]
    return f"ip:{_address(request)}"


def count_request(key: str, *, now: float) -> int:
    """Count one request under `key` in the current window; the count so far, this one included."""
    window = int(now) // WINDOW_SECONDS
    if not RateWindow.objects.filter(key=key, window=window).update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateWindow.objects.create(key=key, window=window, count=1)
        except IntegrityError:  # another process opened the window first
            RateWindow.objects.filter(key=key, window=window).update(count=F("count") + 1)
        else:
            RateWindow.objects.filter(window__lt=window - 1).delete()  # windows nobody counts against any more
    return RateWindow.objects.values_list("count", flat=True).get(key=key, window=window)


def clock() -> float:
    """Seconds since the epoch: the windows are wall-clock minutes (a test holds the clock still)."""
    return time.time()


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = clock()
        for limited in limits_for(request):
            maximum = settings.RATE_LIMITS_PER_MINUTE[limited.name]
            if count_request(f"{limited.name}:{limited.client}", now=now) > maximum:
                return too_many(request, limited.name, maximum, wait_seconds=WINDOW_SECONDS - int(now) % WINDOW_SECONDS)
        return self.get_response(request)


MESSAGES = {
    "signin": "Too many sign-in attempts from your address",
    "search": "Too many searches",
    "api": "Too many API requests",
}


def too_many(request: HttpRequest, name: str, maximum: int, *, wait_seconds: int) -> HttpResponse:
    message = f"{MESSAGES[name]} (at most {maximum} a minute). Wait {wait_seconds} seconds and try again."
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"errors": [{"field": None, "message": message}]}, status=429)
    else:
        response = render(request, "web/429.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait_seconds)
    return response
