"""The enforcement files page: what the enforcement batches sent to outside parties and read back, per
interface, with the lines that could not be read (`enforcement.files`; docs/enforcement.md, "Enforcement
files"), and the page of one kind with more of its files."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from opencse.enforcement.files import FILES_SHOWN, FILES_SHOWN_OF_ONE_KIND, enforcement_files, enforcement_files_of_kind
from opencse.security.decorators import AuthenticatedRequest, allow
from opencse.web.common.errors import domain_errors

TEMPLATES = "web/enforcement"


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def files_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every kind of file with its latest files, totals and problem lines."""
    context = {"kinds": enforcement_files(viewer=request.user), "files_shown": FILES_SHOWN, "one_kind": False}
    return render(request, f"{TEMPLATES}/files.html", context)


@allow("enforcement.view")
@require_http_methods(["GET"])
@domain_errors
def files_of_kind(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """One kind of file, with more of its files and problem lines."""
    kinds = [enforcement_files_of_kind(viewer=request.user, kind=kind)]
    context = {"kinds": kinds, "files_shown": FILES_SHOWN_OF_ONE_KIND, "one_kind": True}
    return render(request, f"{TEMPLATES}/files.html", context)
