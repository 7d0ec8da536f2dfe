"""URLs: the web app, the API under /api/v1 (OpenAPI at /api/docs)."""

from django.urls import include, path

handler403 = "opencse.web.common.errors.handler403"  # the styled page for a refused role

urlpatterns = [
    path("", include("opencse.web.urls")),
    path("api/", include("opencse.api.urls")),
]
