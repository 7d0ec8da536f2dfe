"""URLs of the other-agency directory screens (kept in their own module so each screen family owns its routes)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
