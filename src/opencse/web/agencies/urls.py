"""The other-agency directory and a case's link to another agency."""

from django.urls import path

from opencse.web.agencies import views

app_name = "agencies"

urlpatterns = [
    path("agencies/", views.agency_list, name="list"),
    path("agencies/new/", views.agency_register, name="register"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="edit"),
    path("cases/<str:number>/other-agency/", views.agency_case_link, name="case_link"),
]
