"""The API: django-ninja under /api/v1, OpenAPI 3 at /api/docs and /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI

from opencse.api import (
    agencies,
    audit,
    cases,
    disbursement,
    enforcement_remedies,
    errors,
    establishment,
    ledger,
    people,
    rules,
    tokens,
)
from opencse.api import enforcement as enforcement_api
from opencse.api import enforcement_actions as enforcement_actions_api
from opencse.api import locate as locate_api
from opencse.api import paternity as paternity_api
from opencse.api.intake import router as intake_router
from opencse.api.security import AUTH

api = NinjaAPI(title="OpenCSE API", version="1", auth=AUTH, urls_namespace="api", docs_url=None)
api.add_router("/", cases.router)
api.add_router("/", people.router)
api.add_router("/", ledger.router)
api.add_router("/", disbursement.router)
api.add_router("/", audit.router)
api.add_router("/", rules.router)
api.add_router("/", establishment.router)
api.add_router("/", agencies.router)
api.add_router("/", tokens.router)
api.add_router("/", intake_router)
api.add_router("/", paternity_api.router)
api.add_router("/", locate_api.router)
api.add_router("/", enforcement_api.router)
api.add_router("/", enforcement_actions_api.router)
api.add_router("/", enforcement_remedies.router)
errors.install(api)
