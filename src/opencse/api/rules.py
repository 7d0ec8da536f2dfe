"""The pure rules over HTTP: the same envelope as `opencse rules` (design/rules-cli.md)."""

import json
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Router

from opencse.api.security import AuthenticatedRequest, allow
from opencse.errors import InvalidInput
from opencse.rules.commands import EXIT_OK, available, execute

router = Router(tags=["rules"])


@router.get("/rules", response={200: list[dict[str, str]]})
@allow("rules.run")
def rule_list(request: AuthenticatedRequest) -> object:
    return [{"name": spec.name, "summary": spec.summary} for spec in available()]


@router.post(
    "/rules/{rule}",
    response={200: dict[str, Any], 400: dict[str, Any]},
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
@allow("rules.run")
def rule_run(request: AuthenticatedRequest, rule: str) -> HttpResponse:
    try:
        payload = json.loads(request.body or b"{}", parse_float=Decimal)
    except (ValueError, RecursionError):
        raise InvalidInput("the body is not valid JSON", field="body") from None
    code, document, _ = execute(rule, payload, today=timezone.localdate())
    return JsonResponse(document, status=200 if code == EXIT_OK else 400, json_dumps_params={"default": str})
