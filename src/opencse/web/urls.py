"""The web app's pages. Each view declares who may use it (`@allow` / `@public`)."""

from django.urls import path

from opencse.web import (
    agency_urls,
    case_views,
    disbursement_urls,
    finance_views,
    order_urls,
    people_views,
    posting_urls,
    record_urls,
    views,
    worksheet_urls,
)

app_name = "web"

urlpatterns = [
    path("", views.caseload_show, name="caseload"),
    path("signin/", views.signin, name="signin"),
    path("signout/", views.signout, name="signout"),
    path("healthz", views.health_show, name="health"),
    path("search/", views.case_search, name="search"),
    path("audit/", views.audit_list, name="audit"),
    path("cases/new/", case_views.case_open, name="case_open"),
    path("cases/<str:number>/", case_views.case_show, name="case_show"),
    path("cases/<str:number>/finance/", finance_views.case_finance, name="case_finance"),
    path("cases/<str:number>/notes/", case_views.note_add, name="note_add"),
    path("cases/<str:number>/members/new/", case_views.member_add, name="member_add"),
    path("people/<int:pk>/", people_views.person_show, name="person_show"),
    path("people/<int:pk>/ssn/", people_views.ssn_reveal, name="ssn_reveal"),
    *agency_urls.urlpatterns,
    *disbursement_urls.urlpatterns,
    *order_urls.urlpatterns,
    *posting_urls.urlpatterns,
    *record_urls.urlpatterns,
    *worksheet_urls.urlpatterns,
]
