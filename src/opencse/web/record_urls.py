"""URLs of the case record editing screens (kept in their own module so each screen family owns its routes)."""

from django.urls import URLPattern, path

from opencse.web import case_record_views, person_record_views

urlpatterns: list[URLPattern] = [
    path("cases/<str:number>/close/", case_record_views.case_close, name="record_case_close"),
    path("cases/<str:number>/edit/", case_record_views.case_edit, name="record_case_edit"),
    path("cases/<str:number>/assign/", case_record_views.case_assign, name="record_case_assign"),
    path("cases/<str:number>/members/<int:member_id>/end/", case_record_views.member_end, name="record_member_end"),
    path("cases/<str:number>/notes/<int:note_id>/correct/", case_record_views.note_correct, name="record_note_correct"),
    path("people/<int:pk>/edit/", person_record_views.person_edit, name="record_person_edit"),
    path("people/<int:pk>/aliases/new/", person_record_views.alias_add, name="record_alias_add"),
    path("people/<int:pk>/addresses/", person_record_views.address_list, name="record_address_list"),
    path(
        "people/<int:pk>/addresses/<int:address_id>/end/",
        person_record_views.address_end,
        name="record_address_end",
    ),
    path("people/<int:pk>/employments/new/", person_record_views.employment_add, name="record_employment_add"),
    path("people/<int:pk>/employers/", person_record_views.employer_search, name="record_employer_search"),
    path("people/<int:pk>/family-violence/", person_record_views.family_violence, name="record_family_violence"),
]
