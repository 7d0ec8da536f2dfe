"""The person screens: the person's page, the SSN reveal, and the record's edits."""

from django.urls import path

from opencse.web.people import record_views, views

app_name = "people"

urlpatterns = [
    path("<int:pk>/", views.person_show, name="show"),
    path("<int:pk>/ssn/", views.ssn_reveal, name="ssn_reveal"),
    path("<int:pk>/edit/", record_views.person_edit, name="edit"),
    path("<int:pk>/aliases/new/", record_views.alias_add, name="alias_add"),
    path("<int:pk>/addresses/", record_views.address_list, name="address_list"),
    path("<int:pk>/addresses/<int:address_id>/end/", record_views.address_end, name="address_end"),
    path("<int:pk>/employments/new/", record_views.employment_add, name="employment_add"),
    path("<int:pk>/employers/", record_views.employer_search, name="employer_search"),
    path("<int:pk>/family-violence/", record_views.family_violence, name="family_violence"),
]
