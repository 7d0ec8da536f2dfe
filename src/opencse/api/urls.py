from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja.openapi.views import openapi_view

from opencse.api.main import api
from opencse.security.decorators import public


@public
def api_docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI for the API (the operations themselves need authentication)."""
    return openapi_view(request, api)


urlpatterns = [
    path("v1/", api.urls),
    path("docs", api_docs, name="api-docs"),
]
