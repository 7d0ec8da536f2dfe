"""URLs of the other-agency directory screens (kept in their own module so each screen family owns its routes)."""

from django.urls import URLPattern, path

from opencse.web import agency_views as views

urlpatterns: list[URLPattern] = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_register, name="agency_register"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path("cases/<str:number>/other-agency/", views.agency_case_link, name="agency_case_link"),
]
